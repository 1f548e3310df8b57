/**
 * The store: opens the database (embedded or DATABASE_URL), migrates, and runs the write path.
 *
 * Positions and grid events queue in memory as columns and go out one statement per batch (by
 * size, or after flushIntervalMs), at most two batches in flight (two server backends: the
 * server's CPU, not the client, bounds the write rate). Batches, live or replayed, go by binary
 * COPY; a COPY refused on a stored key is redone by the idempotent insert (writes.ts). A batch the database does not
 * take (connection lost, statement timeout) goes to the disk spool and the store reconnects with
 * capped backoff; once a probe succeeds the spool is replayed oldest first. While the database is
 * down every batch goes straight to the spool, and the memory queue is bounded (maxQueuedRows):
 * overflow is spooled, never dropped. Only a full spool drops rows — counted and logged as errors.
 * A bad row never costs its batch: text PostgreSQL cannot store is refused or cleaned as a row is
 * queued (rows.ts), and rows the database still refuses for their values are split out of their
 * batch (writes.ts), counted and reported, never spooled nor taken for the database being down.
 *
 * The writer has a pool of its own; reads have another, behind a bounded admission queue
 * (read-gate.ts): heavy reads can make reads wait or answer busy, never make a write wait.
 */
import path from 'node:path';
import type { AlertChange, AlertId, AlertQuery, AuditEntry, AuditQuery, GridEvent, PositionReport, RejectCode, SessionRecord, UserRecord, VesselFile, VesselId } from '../model/index.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { errorText, isDataError, isPrivilegeError, isTransient } from './errors.js';
import { applyRetention, migrate } from './migrate.js';
import { openDb, type Db } from './pg.js';
import { ReadGate } from './read-gate.js';
import * as reads from './reads.js';
import * as replays from './replay-reads.js';
import * as evidence from './evidence-reads.js';
import * as people from './users.js';
import * as report from './report-reads.js';
import { emptyGridEvents, emptyPositions, pushGridEvent, pushPosition, type GridEventColumns, type PositionColumns, type SpoolRecord } from './rows.js';
import { Spool } from './spool.js';
import type { DropReason, Store, StoreCounters, StoreHealth, StoreLog, StoreOptions, TrackOptions } from './types.js';
import { GroupCommit } from './group-commit.js';
import { applyRecord, upsertVessels, writeAlertChanges, type BatchOutcome } from './writes.js';

const MAX_IN_FLIGHT = 2;
/**
 * Alert changes are written as they come, grouped while the previous group is in its transaction:
 * one transaction per change held every connection at 2,000 changes/s, the position batches timed
 * out waiting for one and the store declared the database down (ingest-load, 2026-12-03).
 */
const MAX_ALERT_GROUP = 2_000;
const MAX_QUEUED_ALERT_CHANGES = 100_000;
/** Probing a database every 5 s costs nothing; waiting longer only grows the spool. */
const MAX_BACKOFF_MS = 5_000;

type Batch = Extract<SpoolRecord, { k: 'p' | 'g' }>;

export async function openStore(o: StoreOptions): Promise<Store> {
  const log = o.log;
  let embedded: EmbeddedPostgres | undefined;
  let url = o.databaseUrl;
  if (url === undefined || url === '') {
    embedded = await startEmbeddedPostgres(path.join(o.dataDir), log);
    url = embedded.url;
  }
  const store = new PgStore(o, url, embedded);
  try {
    await store.start();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

class PgStore implements Store {
  readonly kind: 'embedded' | 'postgres';
  timescale = false;

  /** The writer's connections: batches in flight, the spool replay, alert changes, migrations. */
  private readonly db: Db;
  private readonly readDb: Db;
  private readonly reads: ReadGate;
  private spool!: Spool;
  private readonly log: StoreLog | undefined;
  private readonly batchRows: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueuedRows: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  private positions: PositionColumns = emptyPositions();
  private grid: GridEventColumns = emptyGridEvents();
  /** Batches cut and waiting for a connection slot. */
  private readonly pending: Batch[] = [];
  private pendingRows = 0;
  private inFlight = 0;
  private inFlightRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly alertGroups = new GroupCommit<AlertChange>((g) => this.writeAlertGroup(g), MAX_ALERT_GROUP);

  private connected = false;
  private migrated = false;
  /** TimescaleDB's `positions_1m` aggregate carries what a downsampled track needs. */
  private trackPoints1m = false;
  private reconnecting = false;
  private replaying: Promise<void> | undefined;
  private closed = false;
  /** close() has begun: a spool replay stops at its next record (the rest is replayed at the next open). */
  private closing = false;
  private backoffMs: number;
  private lastError: string | undefined;
  private lastFlushAtMs: number | undefined;

  private readonly c = { rowsWritten: 0, batchesWritten: 0, spooledRows: 0, replayedRows: 0, writeErrors: 0, droppedRows: 0, insertFallbackBatches: 0, cleanedReceivers: 0 };
  private readonly dropped: Record<DropReason, number> = {
    'store.unstorable_text': 0,
    'store.row_refused': 0,
    database_error: 0,
    spool_full: 0,
    spool_unreadable: 0,
    closed: 0,
  };

  constructor(
    private readonly o: StoreOptions,
    url: string,
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {
    this.kind = embedded === undefined ? 'postgres' : 'embedded';
    this.log = o.log;
    // 20,000 rows a COPY: measured 184–210k rows/s against 156k with 5,000 (bench feed, table of
    // 1–3 M rows): fewer commits and statements per row. The flush interval bounds the latency.
    this.batchRows = Math.max(1, o.batchRows ?? 20_000);
    this.flushIntervalMs = o.flushIntervalMs ?? 200;
    this.maxQueuedRows = o.maxQueuedRows ?? Math.max(100_000, 2 * this.batchRows);
    this.retryMs = o.retryMs ?? 500;
    this.backoffMs = this.retryMs;
    this.now = o.now ?? Date.now;
    const statementTimeoutMs = o.statementTimeoutMs ?? 15_000;
    // Batches in flight, plus one for the spool replay and one for alert changes: nothing else
    // takes these, so a write never waits behind a read (150 parallel track reads once held all
    // four connections of a shared pool: the writer timed out, declared the database down, spooled).
    this.db = openDb({ url, max: MAX_IN_FLIGHT + 2, statementTimeoutMs, onError: (err) => this.noteError(err, 'idle connection lost') });
    const readConnections = Math.max(1, o.readConnections ?? 4);
    // A read connection lost while idle says nothing the writer will not find out itself.
    this.readDb = openDb({ url, max: readConnections, statementTimeoutMs, onError: () => undefined });
    this.reads = new ReadGate(readConnections, Math.max(0, o.readQueue ?? 64), o.readWaitMs ?? 5_000);
  }

  /**
   * Opens the spool first (it survives restarts), then migrates. A database that cannot be reached
   * at start (a transient error) does not stop the service: the store starts down, spools, and
   * migrates once the database answers. Any other migration error fails openStore.
   */
  async start(): Promise<void> {
    this.spool = await Spool.open(path.join(this.o.dataDir, 'spool'), this.o.spoolMaxBytes ?? 1024 ** 3, this.log);
    this.timer = setInterval(() => this.cut(), this.flushIntervalMs);
    this.timer.unref();
    try {
      await this.migrate();
    } catch (e) {
      if (!isTransient(e)) throw e;
      this.noteError(e, 'database unreachable at start');
      return;
    }
    this.connected = true;
    if (this.spool.rows > 0 || this.spool.bytes > 0) {
      this.log?.info({ rows: this.spool.rows, bytes: this.spool.bytes }, 'store: replaying spool left by an earlier run');
      void this.replay();
    }
  }

  private async migrate(): Promise<void> {
    const m = await migrate(this.db, this.log);
    if (m.timescale) {
      // Retention is a setting, applied at every start (a migration would apply it once).
      try {
        await applyRetention(this.db, this.o.retention ?? {});
      } catch (e) {
        // A service role that may only read and write rows cannot set policies: `seagrid migrate`,
        // run by the owner with the same settings, did.
        if (!isPrivilegeError(e)) throw e;
        this.log?.warn({ err: errorText(e) }, 'store: retention policy left as the schema owner set it (this role may not change it)');
      }
      this.trackPoints1m = await reads.hasTrackPoints(this.db);
    }
    this.timescale = m.timescale;
    this.migrated = true;
  }


  // ---- writes ---------------------------------------------------------------------------

  writePosition(vesselId: VesselId, p: PositionReport): void {
    if (this.closed) {
      this.drop('closed', 1);
      return;
    }
    const verdict = pushPosition(this.positions, vesselId, p);
    if (verdict === 'store.receiver_text') {
      this.c.cleanedReceivers++;
      this.o.onRefused?.(verdict, `vessel ${JSON.stringify(vesselId)} at ${p.atMs}: receiver ${JSON.stringify(p.receiver)}`);
    } else if (verdict === 'store.unstorable_text') {
      this.refuse(verdict, 1, `vessel ${JSON.stringify(vesselId)} at ${p.atMs}`);
    }
    if (this.positions.vesselId.length >= this.batchRows) this.cutPositions();
  }

  recordGridEvents(events: readonly GridEvent[]): void {
    if (this.closed) {
      this.drop('closed', events.length);
      return;
    }
    for (const e of events) {
      if (pushGridEvent(this.grid, e) !== 'ok') this.refuse('store.unstorable_text', 1, `grid event ${JSON.stringify(e)}`);
    }
    if (this.grid.vesselId.length >= this.batchRows) this.cutGrid();
  }

  recordAlertChange(change: AlertChange): Promise<void> {
    // Past the bound the database is far behind: to disk, never dropped (replay order is harmless, last_seq guards the row).
    if (this.alertGroups.queued >= MAX_QUEUED_ALERT_CHANGES) return this.toSpool({ k: 'a', n: 1, c: [change] });
    return this.alertGroups.push(change);
  }

  /** One group of alert changes in one transaction, or, the database being down, onto the spool. */
  private async writeAlertGroup(group: AlertChange[]): Promise<void> {
    if (this.connected && !this.closed) {
      try {
        await this.db.tx((q) => writeAlertChanges(q, group));
        this.wrote(group.length);
        return;
      } catch (e) {
        if (group.length > 1 && isDataError(e)) {
          // A change the database refuses for its values must not cost the others: halve until it stands alone.
          const mid = group.length >>> 1;
          await this.writeAlertGroup(group.slice(0, mid));
          await this.writeAlertGroup(group.slice(mid));
          return;
        }
        if (!this.failed(e, group.length)) return;
      }
    }
    await this.toSpool({ k: 'a', n: group.length, c: group });
  }

  async upsertVessels(files: readonly VesselFile[]): Promise<void> {
    if (files.length === 0) return;
    await this.db.tx((q) => upsertVessels(q, files));
  }

  async flush(): Promise<void> {
    await this.flushMemory();
    // Up again with a spool left: bring that in too, so "flushed" means "in the database".
    if (this.connected && this.spool.rows > 0) await this.replay();
  }

  /** Every row held in memory is in the database or on disk in the spool. */
  private async flushMemory(): Promise<void> {
    this.cut();
    while (this.pending.length > 0 || this.inFlight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    await this.alertGroups.settled();
    await this.spool.settled();
  }

  private cut(): void {
    if (this.positions.vesselId.length > 0) this.cutPositions();
    if (this.grid.vesselId.length > 0) this.cutGrid();
  }

  private cutPositions(): void {
    const c = this.positions;
    this.positions = emptyPositions();
    this.enqueue({ k: 'p', n: c.vesselId.length, c });
  }

  private cutGrid(): void {
    const c = this.grid;
    this.grid = emptyGridEvents();
    this.enqueue({ k: 'g', n: c.vesselId.length, c });
  }

  private enqueue(b: Batch): void {
    if (!this.connected || this.pendingRows + this.inFlightRows + b.n > this.maxQueuedRows) {
      // Down, or the database is slower than the feed: to disk, never dropped here.
      void this.toSpool(b);
      return;
    }
    this.pending.push(b);
    this.pendingRows += b.n;
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length > 0) {
      const b = this.pending.shift()!;
      this.pendingRows -= b.n;
      if (!this.connected) {
        void this.toSpool(b);
        continue;
      }
      this.inFlight++;
      this.inFlightRows += b.n;
      void this.send(b).finally(() => {
        this.inFlight--;
        this.inFlightRows -= b.n;
        this.pump();
        if (this.pending.length === 0 && this.inFlight === 0) this.wakeIdle();
      });
    }
    if (this.pending.length === 0 && this.inFlight === 0) {
      this.wakeIdle();
      // Overflow spooled while the database was merely slow: bring it in now the queue is empty.
      if (this.connected && !this.closed && this.replaying === undefined && this.spool.rows > 0) void this.replay();
    }
  }

  private async send(b: Batch): Promise<void> {
    try {
      this.wrote(b.n, await applyRecord(this.db, b, isTransient));
    } catch (e) {
      if (this.failed(e, b.n)) await this.toSpool(b);
    }
  }

  /** A statement (or a batch split into several) committed; its refused rows are counted apart. */
  private wrote(n: number, outcome?: BatchOutcome): number {
    const refused = outcome?.refused.length ?? 0;
    if (outcome !== undefined && outcome.how !== 'copy') this.c.insertFallbackBatches++;
    for (const r of outcome?.refused ?? []) this.refuse('store.row_refused', 1, `vessel ${JSON.stringify(r.vesselId)} at ${r.atMs}: ${r.error}`);
    if (refused > 0) this.log?.warn({ rows: n, refused }, 'store: rows refused by the database for their values; the rest of the batch stored');
    this.c.rowsWritten += n - refused;
    this.c.batchesWritten++;
    this.lastFlushAtMs = this.now();
    return n - refused;
  }

  /** Rows not stored for their own content: counted by code, and told to the app to log (rate-limited there). */
  private refuse(code: RejectCode & DropReason, rows: number, detail: string): void {
    this.drop(code, rows);
    this.o.onRefused?.(code, detail);
  }

  private drop(reason: DropReason, rows: number): void {
    this.dropped[reason] += rows;
    this.c.droppedRows += rows;
  }

  private wakeIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  private async toSpool(rec: SpoolRecord): Promise<void> {
    const ok = await this.spool.append(rec);
    if (ok) {
      this.c.spooledRows += rec.n;
      return;
    }
    this.drop('spool_full', rec.n);
    this.log?.error(
      { rows: rec.n, droppedRows: this.c.droppedRows, spoolBytes: this.spool.bytes, spoolMaxBytes: this.o.spoolMaxBytes ?? 1024 ** 3 },
      'store: SPOOL FULL, rows DROPPED — the database has been unreachable too long',
    );
  }

  /**
   * A write failed. Transient (connection, timeout, server going down): mark down, reconnect, and
   * return true so the caller spools. Permanent: drop and count — an alert change refused for its
   * values as `store.row_refused` (batches split those out before they get here), anything else
   * (a missing table, a permission) as `database_error`, logged as an error and kept in lastError.
   */
  private failed(e: unknown, rows: number): boolean {
    this.c.writeErrors++;
    if (isTransient(e)) {
      this.noteError(e, 'write failed');
      return true;
    }
    if (isDataError(e)) {
      this.refuse('store.row_refused', rows, errorText(e));
      return false;
    }
    this.drop('database_error', rows);
    this.lastError = errorText(e);
    this.log?.error({ err: this.lastError, rows }, 'store: rows refused by the database, dropped');
    return false;
  }

  /** Connection-level trouble: go down (new batches spool) and start probing. */
  private noteError(e: unknown, msg: string): void {
    this.lastError = errorText(e);
    if (this.connected || !this.migrated) this.log?.warn({ err: this.lastError }, `store: ${msg}; spooling until the database is back`);
    this.connected = false;
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    if (this.reconnecting || this.closed) return;
    this.reconnecting = true;
    try {
      while (!this.closed) {
        await sleep(this.backoffMs);
        if (this.closed) return;
        try {
          if (this.migrated) await this.db.query('select 1');
          else await this.migrate();
        } catch (e) {
          if (!this.migrated && !isTransient(e)) this.log?.error({ err: errorText(e) }, 'store: migration failed; retrying');
          this.lastError = errorText(e);
          this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
          continue;
        }
        this.backoffMs = this.retryMs;
        this.connected = true;
        this.log?.info({ spooledRows: this.spool.rows }, 'store: database reachable again');
        break;
      }
    } finally {
      this.reconnecting = false;
    }
    if (this.connected && !this.closed) {
      this.pump();
      await this.replay();
    }
  }

  /** One replay at a time; a failure leaves the rest on disk and sends us back to probing. */
  private replay(): Promise<void> {
    this.replaying ??= (async () => {
      try {
        const n = await this.spool.replay(
          async (rec) => {
            if (this.closing) throw new ReplayStopped();
            let outcome: BatchOutcome | undefined;
            try {
              outcome = await applyRecord(this.db, rec, isTransient);
            } catch (e) {
              if (isTransient(e)) throw e;
              this.failed(e, rec.n);
              return;
            }
            this.c.replayedRows += this.wrote(rec.n, outcome);
          },
          (rows) => this.drop('spool_unreadable', rows),
        );
        if (n > 0) this.log?.info({ rows: n }, 'store: spool replayed');
      } catch (e) {
        if (e instanceof ReplayStopped) return;
        this.c.writeErrors++;
        this.noteError(e, 'spool replay interrupted');
      } finally {
        this.replaying = undefined;
      }
    })();
    return this.replaying;
  }

  // ---- reads ----------------------------------------------------------------------------

  async track(vesselId: VesselId, fromMs: number, toMs: number, opts?: TrackOptions) {
    // Refused before it waits for a connection: a request over the cap is wrong, not early.
    reads.checkMaxPoints(opts?.maxPoints);
    return this.reads.run(() => reads.track(this.readDb, this.trackSource(), vesselId, fromMs, toMs, opts));
  }

  private trackSource(): reads.TrackSource {
    return { timescale: this.timescale, trackPoints1m: this.trackPoints1m };
  }

  pictureAt(atMs: number, opts?: { vesselIds?: readonly VesselId[]; lookbackMs?: number }) {
    return this.reads.run(() => reads.pictureAt(this.readDb, atMs, opts));
  }

  alerts(q: AlertQuery) {
    return this.reads.run(() => reads.alerts(this.readDb, q));
  }

  vessels(ids?: readonly VesselId[]) {
    return this.reads.run(() => reads.vessels(this.readDb, ids));
  }

  fixesIn(q: evidence.FixesQuery) {
    return this.reads.run(() => evidence.fixesIn(this.readDb, q));
  }

  tracksInBoxes(spans: readonly evidence.BoxSpan[]) {
    return this.reads.run(() => evidence.tracksInBoxes(this.readDb, spans));
  }

  evidenceRecords(vesselIds: readonly VesselId[], fromMs: number, toMs: number, maxAlerts: number, maxEvents: number) {
    return this.reads.run(() => evidence.evidenceRecords(this.readDb, vesselIds, fromMs, toMs, maxAlerts, maxEvents));
  }

  alertHistory(alertId: AlertId) {
    return this.reads.run(() => reads.alertHistory(this.readDb, alertId));
  }

  alertSteps(fromMs: number, toMs: number, limit = 10_000) {
    return this.reads.run(() => reads.alertSteps(this.readDb, fromMs, toMs, limit));
  }

  openAlertChanges(limit = 100_000) {
    return this.reads.run(() => reads.openAlertChanges(this.readDb, limit));
  }

  gridEvents(q: { vesselId?: VesselId; gridId?: string; fromMs?: number; toMs?: number; limit?: number }) {
    return this.reads.run(() => reads.gridEvents(this.readDb, q));
  }

  voyageReplay(q: replays.ReplayQuery) {
    return this.reads.run(() => replays.replay(this.readDb, q));
  }

  gridVisitors(gridId: string, fromMs: number, toMs: number) {
    return this.reads.run(() => replays.gridVisitors(this.readDb, gridId, fromMs, toMs));
  }

  async vesselsInBox(box: readonly [number, number, number, number], atMs: number) {
    // Two halves of the lookback at once: the scan is CPU-bound once cached, and there are two cores.
    const parts = await Promise.all(replays.lookbackSpans(atMs, 2).map((p) => this.reads.run(() => replays.vesselsInBox(this.readDb, box, p.sinceMs, p.untilMs))));
    return replays.mergeBoxVessels(parts);
  }

  minuteTracks(fromMs: number, toMs: number) {
    return this.reads.run(() => report.minuteTracks(this.readDb, this.timescale, fromMs, toMs));
  }

  reportRollup(days: readonly string[]) {
    return this.reads.run(() => report.reportRollup(this.readDb, days));
  }

  putReportDay(day: string, points: number, rows: readonly report.ReportRollupRow[]) {
    return report.putReportDay(this.db, day, points, rows);
  }

  // ---- users, sessions, audit (users.ts) ------------------------------------------------

  users() {
    return this.reads.run(() => people.users(this.readDb));
  }

  putUser(u: UserRecord) {
    return people.putUser(this.db, u);
  }

  deleteUser(username: string) {
    return people.deleteUser(this.db, username);
  }

  sessions(nowMs: number) {
    return this.reads.run(() => people.sessions(this.readDb, nowMs));
  }

  putSession(s: SessionRecord) {
    return people.putSession(this.db, s);
  }

  deleteSessions(which: { tokenSha256: string } | { username: string }) {
    return people.deleteSessions(this.db, which);
  }

  appendAudit(e: AuditEntry) {
    return people.appendAudit(this.db, e);
  }

  audit(q: AuditQuery) {
    return this.reads.run(() => people.audit(this.readDb, q));
  }

  // ---- state ----------------------------------------------------------------------------

  health(): StoreHealth {
    const h: { -readonly [K in keyof StoreHealth]: StoreHealth[K] } = {
      connected: this.connected,
      kind: this.kind,
      timescale: this.timescale,
      queuedRows: this.positions.vesselId.length + this.grid.vesselId.length + this.pendingRows + this.inFlightRows,
      spooledRows: this.spool?.rows ?? 0,
      spooledBytes: this.spool?.bytes ?? 0,
      writtenRows: this.c.rowsWritten,
      droppedRows: this.c.droppedRows,
      readsActive: this.reads.stats().active,
      readsWaiting: this.reads.stats().waiting,
    };
    if (this.lastError !== undefined) h.lastError = this.lastError;
    if (this.lastFlushAtMs !== undefined) h.lastFlushAtMs = this.lastFlushAtMs;
    if (this.embedded !== undefined) h.embedded = { binDir: this.embedded.layout.binDir, clusterDir: this.embedded.layout.clusterDir };
    return h;
  }

  counters(): StoreCounters {
    return { ...this.c, droppedByReason: { ...this.dropped }, readsBusy: this.reads.stats().busy };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // What is on disk stays there for the next start: replaying a long spool here held a stop for
    // minutes after an overload. A replay under way stops after the record it is writing.
    this.closing = true;
    if (this.spool !== undefined) {
      try {
        await this.flushMemory();
      } catch (e) {
        this.log?.error({ err: errorText(e) }, 'store: flush on close failed');
      }
    }
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.replaying?.catch(() => undefined);
    await this.spool?.settled();
    await this.db.end().catch(() => undefined);
    await this.readDb.end().catch(() => undefined);
    if (this.embedded !== undefined) {
      await this.embedded.stop();
      this.log?.info({}, 'embedded postgres stopped');
    }
  }
}

/** Ends a spool replay at a record boundary when the store closes; the record stays in the spool. */
class ReplayStopped extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}
