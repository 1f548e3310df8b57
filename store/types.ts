import type { Alert, AlertChange, AlertId, AlertQuery, AuditEntry, AuditQuery, GridEvent, GridEventQuery, PositionReport, PositionSource, RejectCode, SessionRecord, UserRecord, VesselFile, VesselId } from '../model/index.js';
import type { StoredAlertSteps } from './reads.js';
import type { BoxVessel, ReplayQuery, StoredReplay } from './replay-reads.js';
import type { BoxSpan, BoxTrack, EvidenceRecords, FixesQuery, ReceivedFix } from './evidence-reads.js';
import type { MinuteTrack, ReportRollupRow } from './report-reads.js';

/** The slice of a pino logger the store uses (the app passes a child logger). */
export interface StoreLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface StoreOptions {
  /** PostgreSQL >= 14; unset: the embedded server in `${dataDir}/pg`. */
  readonly databaseUrl?: string;
  /** Embedded cluster (`pg/`) and the spool (`spool/`). */
  readonly dataDir: string;
  readonly log?: StoreLog;
  /** Rows per write statement (default 20,000). */
  readonly batchRows?: number;
  /** A partial batch is written after this long (default 200 ms). */
  readonly flushIntervalMs?: number;
  /** Disk spool bound (default 1 GiB); rows beyond it are dropped and counted. */
  readonly spoolMaxBytes?: number;
  /** First reconnect delay; doubles up to 30 s (default 500 ms). */
  readonly retryMs?: number;
  /** Server-side statement timeout for writes and reads (default 15 s); a write that times out is spooled. */
  readonly statementTimeoutMs?: number;
  /** Rows held in memory before overflow goes to the spool (default 100,000, at least 2 × batchRows). */
  readonly maxQueuedRows?: number;
  /** TimescaleDB only: drop raw positions / 1-minute track points older than this (days); unset keeps them. */
  readonly retention?: { readonly positionsDays?: number; readonly trackPointsDays?: number };
  /**
   * Called once for each row refused or text cleaned for its content (`store.*` codes), so the app
   * can log it at a bounded rate; every one is counted whether or not this is given.
   */
  readonly onRefused?: (code: RejectCode, detail: string) => void;
  /** Connections for reads, apart from the writer's (default 4). */
  readonly readConnections?: number;
  /** Reads waiting for a read connection before more are refused as busy (default 64). */
  readonly readQueue?: number;
  /** How long a read waits for a read connection before it is refused as busy (default 5 s). */
  readonly readWaitMs?: number;
  readonly now?: () => number;
}

/**
 * Why rows were not stored. A `store.*` code (model/codes.ts): the row's own content.
 * `database_error`: a statement refused neither for a row's values nor for the connection (a
 * missing table, a permission): the batch, logged as an error. `spool_full`, `spool_unreadable`:
 * the database was down too long, or a spool file was torn. `closed`: written after close().
 */
export type DropReason = 'store.unstorable_text' | 'store.row_refused' | 'database_error' | 'spool_full' | 'spool_unreadable' | 'closed';

export interface StoredPosition {
  readonly vesselId: VesselId;
  readonly atMs: number;
  readonly source: PositionSource;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly headingDeg?: number;
  readonly navStatus?: number;
  readonly receiver?: string;
}

export interface StoreHealth {
  readonly connected: boolean;
  readonly kind: 'embedded' | 'postgres';
  readonly timescale: boolean;
  /** Rows waiting in memory for their batch. */
  readonly queuedRows: number;
  /** Rows on disk waiting for the database. */
  readonly spooledRows: number;
  readonly spooledBytes: number;
  /** Rows written since open (positions, grid events, alert changes). */
  readonly writtenRows: number;
  /** Rows not stored since open, for any reason (counters().droppedByReason says which). */
  readonly droppedRows: number;
  /** Reads holding a read connection / waiting for one. */
  readonly readsActive: number;
  readonly readsWaiting: number;
  readonly lastError?: string;
  readonly lastFlushAtMs?: number;
  /** Where the embedded server runs from (absent with DATABASE_URL): as root these can lie outside DATA_DIR. */
  readonly embedded?: { readonly binDir: string; readonly clusterDir: string };
}

/** Monotonic counts for /metrics. */
export interface StoreCounters {
  /** Rows sent to the database in statements that committed (a replayed duplicate counts, it is ignored by the key). */
  readonly rowsWritten: number;
  readonly batchesWritten: number;
  /** Rows that went to the disk spool. */
  readonly spooledRows: number;
  /** Rows written from the spool after recovery. */
  readonly replayedRows: number;
  /** Failed write statements (each one's rows were spooled). */
  readonly writeErrors: number;
  /** Rows not stored, for any reason: the sum of droppedByReason. */
  readonly droppedRows: number;
  readonly droppedByReason: Readonly<Record<DropReason, number>>;
  /** Receiver ids stored with characters PostgreSQL cannot hold replaced by U+FFFD (`store.receiver_text`). */
  readonly cleanedReceivers: number;
  /** Reads refused as busy (no read connection free in time, or too many waiting). */
  readonly readsBusy: number;
  /** Position and grid batches a COPY did not take (a key already there, a value it refused), written by the idempotent insert (split when rows were refused) instead. */
  readonly insertFallbackBatches: number;
}

export interface TrackOptions {
  /** Longer tracks are downsampled to at most this many points (default 5000, at most MAX_TRACK_POINTS). */
  readonly maxPoints?: number;
  /**
   * `route`: only the track route's fields (time, source, lat, lon, speed, course), all in the
   * primary key's covering columns, so the read is index-only at any length. `full` (default)
   * also brings heading, navigational status and receiver from the table.
   */
  readonly fields?: 'route' | 'full';
}

export interface PictureOptions {
  readonly vesselIds?: readonly VesselId[];
  /** How far before `atMs` a last fix still counts (default 15 min; without vesselIds the query reads every fix in this window). */
  readonly lookbackMs?: number;
}

/**
 * Reads (track, pictureAt, alerts, alertHistory, gridEvents, vessels) use connections of their
 * own, so they never take the writer's. More reads than connections wait briefly; beyond that they
 * reject with `StoreError` code `store.busy` (a 503 at the web edge), and `track` with a
 * `maxPoints` over MAX_TRACK_POINTS rejects with `store.max_points`. Other read failures (the
 * database down) reject with the driver's error.
 */
export interface Store {
  readonly kind: 'embedded' | 'postgres';
  readonly timescale: boolean;
  /** Queues one fix; never blocks, never throws. A vessel id PostgreSQL cannot store refuses the fix (counted); a bad receiver id is cleaned. */
  writePosition(vesselId: VesselId, p: PositionReport): void;
  /** Queues grid entries/exits, batched like positions. */
  recordGridEvents(events: readonly GridEvent[]): void;
  /**
   * Upserts the alert and inserts the change, now: in one transaction with the changes that came
   * while the previous one was being written (group commit, never a timer). Spooled when the
   * database is down, or past 100,000 changes waiting; resolves once in the database or the spool.
   */
  recordAlertChange(c: AlertChange): Promise<void>;
  upsertVessels(files: readonly VesselFile[]): Promise<void>;
  /** Registry files by id (every vessel when `ids` is absent), by vessel id. */
  vessels(ids?: readonly VesselId[]): Promise<VesselFile[]>;
  /** Everything queued so far is in the database, or on the spool if it is down. */
  flush(): Promise<void>;
  /** Fixes of one vessel in [fromMs, toMs], in time order; downsampled when longer than maxPoints. */
  track(vesselId: VesselId, fromMs: number, toMs: number, opts?: TrackOptions): Promise<StoredPosition[]>;
  /** Last fix per vessel at or before atMs (within lookbackMs). */
  pictureAt(atMs: number, opts?: PictureOptions): Promise<StoredPosition[]>;
  alerts(q: AlertQuery): Promise<Alert[]>;
  /** Every change of one alert, by seq. */
  alertHistory(alertId: AlertId): Promise<AlertChange[]>;
  /** The latest change of every open alert (what alerts out retains), at most `limit` (default 100,000). */
  openAlertChanges(limit?: number): Promise<AlertChange[]>;
  /** Alerts raised in [fromMs, toMs), oldest first, at most `limit` (default 10,000), with their supervised step times and place (reads.ts). */
  alertSteps(fromMs: number, toMs: number, limit?: number): Promise<StoredAlertSteps[]>;
  gridEvents(q: GridEventQuery): Promise<GridEvent[]>;
  /** A voyage replay's tracks (full resolution, as columns), alerts with their changes, and grid events (replay-reads.ts). */
  voyageReplay(q: ReplayQuery): Promise<StoredReplay>;
  /** Vessels that entered or left a grid in [fromMs, toMs). */
  gridVisitors(gridId: string, fromMs: number, toMs: number): Promise<VesselId[]>;
  /** Vessels with a fix in [west, south, east, north] within the picture's lookback before atMs (a grid's candidates), with their count of fixes there. */
  vesselsInBox(box: readonly [number, number, number, number], atMs: number): Promise<BoxVessel[]>;
  /** Evidence packs (evidence-reads.ts): fixes as received, every column, no downsampling. */
  fixesIn(q: FixesQuery): Promise<ReceivedFix[]>;
  /** Evidence packs: every vessel's fix times and places in any of these boxes over their times (the near-vessel search); at most MAX_BOX_SPANS. */
  tracksInBoxes(spans: readonly BoxSpan[]): Promise<BoxTrack[]>;
  /** Evidence packs: the alerts (with every change), grid events and files of these vessels over a window. */
  evidenceRecords(vesselIds: readonly VesselId[], fromMs: number, toMs: number, maxAlerts: number, maxEvents: number): Promise<EvidenceRecords>;
  /** Reports (report-reads.ts): every vessel's 1-minute track points in [fromMs, toMs) (positions_1m with TimescaleDB, the same points by plain SQL without). */
  minuteTracks(fromMs: number, toMs: number): Promise<MinuteTrack[]>;
  /** Reports: the stored daily rollup of these Beijing days ('YYYY-MM-DD'), and which days are stored. */
  reportRollup(days: readonly string[]): Promise<{ stored: string[]; rows: ReportRollupRow[] }>;
  /** Reports: replaces one day's rollup (on the writer's connections, like users; not spooled: a lost one is made again). */
  putReportDay(day: string, points: number, rows: readonly ReportRollupRow[]): Promise<void>;
  /**
   * Users, sessions and the audit trail (sign-in, issue 14). Reads go through the read gate like
   * the others (`store.busy`); writes go straight to the database on the writer's connections and
   * reject with the driver's error when it is down — nothing here is spooled: a user change that
   * cannot be stored is refused, and the caller decides what a lost session or audit line costs.
   */
  users(): Promise<UserRecord[]>;
  /** Inserts or replaces the user by username. */
  putUser(u: UserRecord): Promise<void>;
  /** Deletes the user and its sessions; false when there was none. */
  deleteUser(username: string): Promise<boolean>;
  /** Sessions not expired at `nowMs` (expired ones are deleted). */
  sessions(nowMs: number): Promise<SessionRecord[]>;
  putSession(s: SessionRecord): Promise<void>;
  deleteSessions(which: { tokenSha256: string } | { username: string }): Promise<void>;
  appendAudit(e: AuditEntry): Promise<void>;
  /** Audit lines newest first. */
  audit(q: AuditQuery): Promise<AuditEntry[]>;
  health(): StoreHealth;
  counters(): StoreCounters;
  /** Flushes what is held in memory (to the database, or the spool when it cannot take it); a spool left on disk, or a replay under way, is not replayed here but at the next open. Closes the pool, stops the embedded server. */
  close(): Promise<void>;
}
