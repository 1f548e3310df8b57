/**
 * The reads behind a voyage replay (issue 15): every chosen vessel's fixes over [from, to) in one
 * statement, the alerts concerning them that were open in the window with their changes, and their
 * grid entries/exits. Tracks come back as columns (no object per fix): the caller downsamples them
 * (geo/replay-simplify.ts keeps turns) before anything goes on the wire.
 */
import type { AlertChange, GridEvent, GridLayer, VesselId } from '../model/index.js';
import type { Db, Queryable } from './pg.js';
import { alertChangeOf, decode, DEFAULT_LOOKBACK_MS, KEY_AGG, MS, shortestFloat4, TS, usToEpochMs, type ChangeRow, type TrackColumns } from './reads.js';

/** One vessel's fixes over the window, in time order: parallel columns. */
export interface ReplayTrack {
  readonly vesselId: VesselId;
  /** Epoch ms. */
  readonly t: Float64Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** NaN: not reported. */
  readonly sogKn: Float32Array;
  readonly cogDeg: Float32Array;
  /** One letter per fix: `a` AIS, `b` BeiDou. */
  readonly source: string;
  /**
   * With `atStart` asked: where the vessel was at the window's start by the picture's rule (its
   * last fix at or before `fromMs`, within DEFAULT_LOOKBACK_MS); undefined when it has none. The columns above hold
   * the window's fixes only, and may then be empty.
   */
  readonly atStart?: { readonly atMs: number; readonly lat: number; readonly lon: number };
}

export interface StoredReplay {
  /** Vessels with at least one fix in the window (with `atStart` asked: or a fix at its start), by vessel id. */
  readonly tracks: readonly ReplayTrack[];
  /** Each alert open at some moment of the window, with its changes before `toMs` (by seq); oldest raise first. */
  readonly alerts: readonly (readonly AlertChange[])[];
  /** Entries/exits in the window, in time order, at most `eventLimit`. */
  readonly gridEvents: readonly GridEvent[];
  /** Whether `eventLimit` cut the grid events short. */
  readonly gridEventsCut: boolean;
}

export interface ReplayQuery {
  readonly vesselIds: readonly VesselId[];
  readonly fromMs: number;
  readonly toMs: number;
  /** Grid events of this grid only (a grid's replay); else every grid the vessels crossed. */
  readonly gridId?: string;
  readonly eventLimit: number;
  readonly alertLimit: number;
  /**
   * Also each vessel's `atStart`, by a probe of the index next to its track's scan in the same
   * statement (it lands on the leaf page where the scan starts): a grid's replay asks it for its
   * candidates instead of a picture of its own, a second statement which read those pages again
   * (1,645 of the 2,923 pages a cold grid hour read from disk, EXPLAIN (ANALYZE, BUFFERS)).
   */
  readonly atStart?: boolean;
  /** false: the tracks only (the caller reads the records once, for the vessels it keeps). */
  readonly records?: boolean;
  /** false: the alerts and grid events only. */
  readonly tracks?: boolean;
}

/**
 * Every vessel's fixes in [$2, $3) (epoch ms), vessels $1: the statement `replay` runs (the bench
 * EXPLAINs it). Not ordered by vessel here: for a grid's hour the aggregated rows (~6 MB) spilled
 * an `order by` to disk (work_mem 4 MB), 259 → 107 ms without it; the caller sorts.
 */
export const REPLAY_TRACKS_SQL = `select v.id as vessel_id, t.* from unnest($1::text[]) as v(id) cross join lateral (
     select ${KEY_AGG} from (
       select at, source, lat, lon, sog_kn, cog_deg from positions
       where vessel_id = v.id and at >= ${TS('$2')} and at < ${TS('$3')}
       order by at, source) f) t
   where t.at is not null`;

/**
 * The same with each vessel's fix at the window's start by the picture's rule (reads.ts
 * pictureAt: its last at or before $2 and after $4; of fixes at one time, the first by source),
 * found by one backward probe of the primary key next to the track's scan. Reading the whole
 * lookback in the track's scan instead cost a grid's hour a quarter more rows: 95 → 68 ms of
 * execution (EXPLAIN ANALYZE, warm, 1,059 vessels of the bench's grid).
 */
export const REPLAY_TRACKS_AT_START_SQL = `select v.id as vessel_id, t.*, ${MS('s.at')} as start_ms, s.lat as start_lat, s.lon as start_lon
   from unnest($1::text[]) as v(id) cross join lateral (
     select ${KEY_AGG} from (
       select at, source, lat, lon, sog_kn, cog_deg from positions
       where vessel_id = v.id and at >= ${TS('$2')} and at < ${TS('$3')}
       order by at, source) f) t
   left join lateral (
     select at, lat, lon from positions
     where vessel_id = v.id and at <= ${TS('$2')} and at > ${TS('$4')}
     order by at desc, source limit 1) s on true
   where t.at is not null or s.at is not null`;

/**
 * One statement for all tracks: an index-only range scan of the primary key per vessel (a lateral
 * join over the ids, each scan already in (at, source) order, aggregated to binary columns as
 * reads.ts does for one track), so a fleet's day or a grid's hour is one round trip.
 */
export async function replay(q: Queryable, r: ReplayQuery): Promise<StoredReplay> {
  const ids = [...new Set(r.vesselIds)];
  if (ids.length === 0 || !(r.toMs > r.fromMs)) return { tracks: [], alerts: [], gridEvents: [], gridEventsCut: false };
  const tracks = r.tracks === false ? [] : await replayTracks(q, ids, r);
  if (r.records === false) return { tracks, alerts: [], gridEvents: [], gridEventsCut: false };
  const [alerts, events] = [await replayAlerts(q, ids, r), await replayGridEvents(q, ids, r)];
  return { tracks, alerts, gridEvents: events.slice(0, r.eventLimit), gridEventsCut: events.length > r.eventLimit };
}

type TrackRow = TrackColumns & { vessel_id: string; start_ms?: number | null; start_lat?: number | null; start_lon?: number | null };

async function replayTracks(q: Queryable, ids: readonly string[], r: ReplayQuery): Promise<ReplayTrack[]> {
  const atStart = r.atStart === true;
  const rows = await q.query<TrackRow>(
    atStart ? REPLAY_TRACKS_AT_START_SQL : REPLAY_TRACKS_SQL,
    atStart ? [ids, r.fromMs, r.toMs, r.fromMs - DEFAULT_LOOKBACK_MS] : [ids, r.fromMs, r.toMs],
  );
  const tracks: ReplayTrack[] = [];
  for (const row of rows) {
    const f = decode(row);
    // The decoded columns are the track's own (fresh arrays): times become epoch ms in place.
    const t = f === undefined ? new Float64Array(0) : usToEpochMs(f.us);
    const track = { vesselId: row.vessel_id as VesselId, t, lat: f?.lat ?? new Float64Array(0), lon: f?.lon ?? new Float64Array(0), sogKn: f?.sog ?? new Float32Array(0), cogDeg: f?.cog ?? new Float32Array(0), source: f?.source ?? '' };
    const s = row.start_ms;
    tracks.push(s === undefined || s === null ? track : { ...track, atStart: { atMs: s, lat: row.start_lat!, lon: row.start_lon! } });
  }
  tracks.sort((x, y) => (x.vesselId < y.vesselId ? -1 : x.vesselId > y.vesselId ? 1 : 0));
  return tracks;
}

/** A speed or course as the other reads give it (PostgreSQL's shortest text of a real); null when not reported. */
export function replayFloat(x: number): number | null {
  return Number.isNaN(x) ? null : shortestFloat4(x);
}

/**
 * Alerts concerning any of the vessels (the GIN index on vessel_ids) raised before the window's
 * end and still open at its start (changed since, or not resolved), with their changes up to the
 * end: what the timeline plays.
 */
async function replayAlerts(q: Queryable, ids: readonly string[], r: ReplayQuery): Promise<AlertChange[][]> {
  const rows = await q.query<ChangeRow>(
    `with a as (
       select alert_id, raised_at from alerts
       where vessel_ids && $1::text[] and raised_at < ${TS('$3')} and (updated_at >= ${TS('$2')} or state <> 'resolved')
       order by raised_at, alert_id limit $4)
     select c.alert_id, c.seq, c.action, ${MS('c.at')} as at_ms, c.actor, c.note, c.alert
     from a join alert_changes c on c.alert_id = a.alert_id
     where c.at < ${TS('$3')}
     order by a.raised_at, c.alert_id, c.seq`,
    [ids, r.fromMs, r.toMs, r.alertLimit],
  );
  const out: AlertChange[][] = [];
  let cur: AlertChange[] | undefined;
  for (const row of rows) {
    const c = alertChangeOf(row);
    if (cur === undefined || cur[0]!.alertId !== c.alertId) out.push((cur = []));
    cur.push(c);
  }
  return out;
}

async function replayGridEvents(q: Queryable, ids: readonly string[], r: ReplayQuery): Promise<GridEvent[]> {
  const params: unknown[] = [ids, r.fromMs, r.toMs, r.eventLimit + 1];
  if (r.gridId !== undefined) params.push(r.gridId);
  const rows = await q.query<{ vessel_id: string; layer: GridLayer; grid_id: string; kind: 'enter' | 'exit'; at_ms: number; lat: number; lon: number }>(
    `select vessel_id, layer, grid_id, kind, ${MS('at')} as at_ms, lat, lon from grid_events
     where vessel_id = any($1::text[]) and at >= ${TS('$2')} and at < ${TS('$3')} ${r.gridId === undefined ? '' : 'and grid_id = $5'}
     order by at, vessel_id, layer, grid_id, kind limit $4`,
    params,
  );
  return rows.map((e) => ({ vesselId: e.vessel_id as VesselId, layer: e.layer, gridId: e.grid_id, kind: e.kind, atMs: e.at_ms, lat: e.lat, lon: e.lon }));
}

/**
 * Vessels with a fix inside [west, south, east, north] in (sinceMs, atMs] (a span of the picture's
 * lookback before atMs), each with how many fixes it had there: the candidates for a grid's picture at that
 * moment (their last fixes are then read by vessel), and what their tracks will weigh. One pass
 * over the lookback's rows by the BRIN index on `at`, serial and without JIT: on a loaded 2-core
 * machine the parallel workers' start and the JIT compilation cost ~250 ms of a ~40 ms scan
 * (EXPLAIN ANALYZE over the bench's 25 M rows, 130,000 rows in the 15 min). Grouped by hash, not
 * by sort: the planner sorted the 34,000 rows in the box first, 44 → 31 ms (EXPLAIN ANALYZE, warm).
 * The store scans the lookback as two spans at once on two read connections (`lookbackSpans`).
 */
export async function vesselsInBox(db: Db, box: readonly [number, number, number, number], sinceMs: number, atMs: number): Promise<BoxVessel[]> {
  const [w, s, e, n] = box;
  return db.tx(async (q) => {
    await q.query('set local jit = off');
    await q.query('set local max_parallel_workers_per_gather = 0');
    await q.query('set local enable_sort = off');
    // The lossy BRIN bitmap's heap pages are read ahead of the scan: a cold 15 min (2,048 pages)
    // spent 560–1,090 ms in reads at the default of 1, 250–390 ms at 64 (5 windows each, A/B).
    await q.query('set local effective_io_concurrency = 64');
    const rows = await q.query<{ vessel_id: string; fixes: string }>(
      `select vessel_id, count(*) as fixes from positions
       where at <= ${TS('$1')} and at > ${TS('$2')} and lat >= $3 and lat <= $4 and lon >= $5 and lon <= $6
       group by vessel_id`,
      [atMs, sinceMs, s, n, w, e],
    );
    return rows.map((x) => ({ vesselId: x.vessel_id as VesselId, fixes: Number(x.fixes) }));
  });
}

/** The lookback before `atMs` cut in `parts` spans (sinceMs, untilMs] for `vesselsInBox` to scan at once. */
export function lookbackSpans(atMs: number, parts: number): { sinceMs: number; untilMs: number }[] {
  const start = atMs - DEFAULT_LOOKBACK_MS;
  return Array.from({ length: parts }, (_, k) => ({ sinceMs: start + (k * DEFAULT_LOOKBACK_MS) / parts, untilMs: k === parts - 1 ? atMs : start + ((k + 1) * DEFAULT_LOOKBACK_MS) / parts }));
}

/** Each vessel once, its fixes summed over the spans. */
export function mergeBoxVessels(parts: readonly (readonly BoxVessel[])[]): BoxVessel[] {
  const sum = new Map<VesselId, number>();
  for (const p of parts) for (const v of p) sum.set(v.vesselId, (sum.get(v.vesselId) ?? 0) + v.fixes);
  return [...sum].map(([vesselId, fixes]) => ({ vesselId, fixes }));
}

/** A vessel with fixes in a box over the lookback, and how many. */
export interface BoxVessel {
  readonly vesselId: VesselId;
  readonly fixes: number;
}

/** Vessels that entered or left the grid in [fromMs, toMs) (its (grid_id, at) index), by id. */
export async function gridVisitors(q: Queryable, gridId: string, fromMs: number, toMs: number): Promise<VesselId[]> {
  const rows = await q.query<{ vessel_id: string }>(
    `select distinct vessel_id from grid_events where grid_id = $1 and at >= ${TS('$2')} and at < ${TS('$3')} order by vessel_id`,
    [gridId, fromMs, toMs],
  );
  return rows.map((x) => x.vessel_id as VesselId);
}
