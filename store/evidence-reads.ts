/**
 * The reads behind an incident evidence pack (issue 15 §2): stored fixes exactly as received
 * (every column, receiver and receipt time included, no downsampling), and for a set of vessels
 * over a window the alerts that concern them with every change, their grid events and files.
 */
import { breather, type AlertChange, type GridEvent, type GridLayer, type VesselFile, type VesselId } from '../model/index.js';
import type { Db, Queryable } from './pg.js';
import { alertChangeOf, decode, FULL_AGG, KEY_AGG, MS, position, POSITION_COLUMNS, toPosition, TS, usToEpochMs, vessels, type ChangeRow, type PositionRow, type TrackColumns } from './reads.js';
import type { StoredPosition } from './types.js';

/** A stored fix with what the receiving side added: the raw ids and when and where it was received. */
export interface ReceivedFix extends StoredPosition {
  readonly mmsi?: number;
  readonly beidouCard?: string;
  readonly rotDegMin?: number;
  readonly receivedAtMs?: number;
}

export interface FixesQuery {
  readonly fromMs: number;
  readonly toMs: number;
  /** Only these vessels. */
  readonly vesselIds?: readonly VesselId[];
  /** Only fixes in this box (degrees). */
  readonly bbox?: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number };
  /** At most this many rows (by vessel, then time): the caller asks one more to tell a cut answer. */
  readonly limit: number;
}

export interface EvidenceRecords {
  /** Each alert's changes by seq (its last change holds the alert as it is now), alerts by raise time. */
  readonly alerts: readonly (readonly AlertChange[])[];
  readonly gridEvents: readonly GridEvent[];
  readonly vessels: readonly VesselFile[];
}

/** A position row with the columns only the evidence pack reads. */
interface FixRow extends PositionRow {
  rot_deg_min: number | null;
  mmsi: number | null;
  beidou_card: string | null;
  received_ms: number | null;
}

/** Where one vessel was: fix times (epoch ms) and positions, in time order. */
export interface BoxTrack {
  readonly vesselId: VesselId;
  readonly atMs: Float64Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
}

/** A box over a stretch of time (degrees, epoch ms, both inclusive). */
export interface BoxSpan {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bbox: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number };
}

/** Most spans one read takes (six numbers each): a six-hour window in ten-minute slices is 36. */
export const MAX_BOX_SPANS = 64;
/** How long decoding a pack's read holds the event loop before it hands it back, ms (the reads of an evidence pack, beside the live feed). */
const DECODE_YIELD_MS = 10;

/**
 * Every vessel's fixes in any of the spans (each fix once), times and places only: one row per
 * vessel, its columns aggregated in binary (reads.ts KEY_AGG), which spares the client parsing a
 * text row per fix — the near-vessel search of a busy hour reads ~300,000 fixes. The aggregates
 * take the scan's rows as they come and `decode` puts each vessel's in time order: sorting the
 * box's 150,000 fixes first cost the server ~110 ms of a 380 ms statement (app/evidence.bench's
 * table, EXPLAIN ANALYZE).
 */
export async function tracksInBoxes(db: Db, spans: readonly BoxSpan[]): Promise<BoxTrack[]> {
  if (spans.length === 0) return [];
  if (spans.length > MAX_BOX_SPANS) throw new RangeError(`at most ${MAX_BOX_SPANS} box spans, not ${spans.length}`);
  const params: number[] = [Math.min(...spans.map((x) => x.fromMs)), Math.max(...spans.map((x) => x.toMs))];
  const any = spans.map((x) => {
    const n = params.push(x.fromMs, x.toMs, x.bbox.minLat, x.bbox.maxLat, x.bbox.minLon, x.bbox.maxLon);
    return `(at between ${TS(`$${n - 5}`)} and ${TS(`$${n - 4}`)} and lat between $${n - 3} and $${n - 2} and lon between $${n - 1} and $${n})`;
  });
  const rows = await inMemory(db, (q) => q.query<TrackColumns & { vessel_id: string }>(
    `select vessel_id, ${KEY_AGG} from positions
     where at between ${TS('$1')} and ${TS('$2')} and (${any.join(' or ')})
     group by vessel_id order by vessel_id`,
    params,
  ));
  const out: BoxTrack[] = [];
  // A busy hour's box holds ~300,000 fixes: decoded in one go they held the loop ~80 ms (the live
  // feed waiting behind an evidence pack), so the loop is handed back between vessels.
  const breathe = breather(DECODE_YIELD_MS);
  for (const r of rows) {
    const d = decode(r);
    if (d === undefined) continue;
    out.push({ vesselId: r.vessel_id as VesselId, atMs: usToEpochMs(d.us), lat: d.lat, lon: d.lon });
    await breathe();
  }
  return out;
}

/**
 * A statement whose sort or hash must stay in memory: the box fixes of a pack (tracksInBoxes) and
 * the fixes with every column of an area (fixesIn) spilled to disk at the default 4 MB of work_mem
 * (external merge, 7.4-7.8 MB; EXPLAIN (ANALYZE, BUFFERS) on app/evidence.bench's table). No JIT:
 * on a table of a few million rows these statements cost more than its threshold, and compiling
 * took longer than the milliseconds it could save.
 */
function inMemory<T>(db: Db, fn: (q: Queryable) => Promise<T>): Promise<T> {
  return db.tx(async (q) => {
    await q.query(`set local work_mem = '64MB'`);
    await q.query('set local jit = off');
    return fn(q);
  });
}

/**
 * Fixes in a window, by vessel then time, every stored column; at most `limit`, the first by
 * vessel then time. Named vessels (`namedFixes`) come as columns; the others as rows.
 */
export async function fixesIn(db: Db, f: FixesQuery): Promise<ReceivedFix[]> {
  const params: unknown[] = [f.fromMs, f.toMs];
  const where = [`at between ${TS('$1')} and ${TS('$2')}`];
  if (f.bbox !== undefined) {
    params.push(f.bbox.minLat, f.bbox.maxLat, f.bbox.minLon, f.bbox.maxLon);
    const n = params.length;
    where.push(`lat between $${n - 3} and $${n - 2} and lon between $${n - 1} and $${n}`);
  }
  if (f.vesselIds !== undefined) return namedFixes(db, f.vesselIds, where.join(' and '), params, f.limit);
  params.push(f.limit);
  const rows = await inMemory(db, (q) =>
    q.query<FixRow>(
      `select ${POSITION_COLUMNS}, rot_deg_min, mmsi, beidou_card, ${MS('received_at')} as received_ms
       from positions where ${where.join(' and ')} order by vessel_id, at, source limit $${params.length}`,
      params,
    ),
  );
  // Up to a million rows: a thousand at a time, handing the loop back between (tracksInBoxes).
  const out: ReceivedFix[] = [];
  const breathe = breather(DECODE_YIELD_MS);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.push(withReceipt(toPosition(r), r.rot_deg_min, r.mmsi, r.beidou_card, r.received_ms));
    if (i % 1000 === 999) await breathe();
  }
  return out;
}

/** A stored position with the columns only a received fix has (null or absent: not stored). */
function withReceipt(p: StoredPosition, rot: number | null | undefined, mmsi: number | null | undefined, card: string | null | undefined, receivedMs: number | null | undefined): ReceivedFix {
  const f: { -readonly [K in keyof ReceivedFix]: ReceivedFix[K] } = p;
  if (rot !== undefined && rot !== null) f.rotDegMin = rot;
  if (mmsi !== undefined && mmsi !== null) f.mmsi = mmsi;
  if (card !== undefined && card !== null) f.beidouCard = card;
  if (receivedMs !== undefined && receivedMs !== null) f.receivedAtMs = receivedMs;
  return f;
}

/** FULL_AGG's columns and the ones only a received fix has, one value per fix. */
interface ReceivedColumns extends TrackColumns {
  vessel_id: string;
  rot: (number | null)[] | null;
  mmsi: (number | null)[] | null;
  card: (string | null)[] | null;
  received: (number | null)[] | null;
}

/**
 * The fixes of named vessels: each vessel read through the primary key in time order (a lateral
 * join over the sorted ids; one sort of all their rows took 250 ms of the evidence bench's 67,000,
 * this 100 ms) and sent as one row of columns, binary where the replay's are (reads.ts FULL_AGG)
 * and JSON arrays for the rest: a text row per fix cost the client ~200 ms of parsing and the
 * garbage collector more (CPU profile of app/evidence.bench).
 */
async function namedFixes(db: Db, ids: readonly VesselId[], where: string, params: unknown[], limit: number): Promise<ReceivedFix[]> {
  params.push([...new Set(ids)].sort(byCodeUnits), limit);
  const n = params.length;
  const rows = await inMemory(db, (q) =>
    q.query<ReceivedColumns>(
      `select v.id as vessel_id, c.* from unnest($${n - 1}::text[]) with ordinality v(id, ord)
       cross join lateral (
         select ${FULL_AGG}, json_agg(rot_deg_min) as rot, json_agg(mmsi) as mmsi, json_agg(beidou_card) as card,
                json_agg(${MS('received_at')}) as received
         from (select * from positions where vessel_id = v.id and ${where} order by at, source limit $${n}) t) c
       where c.source is not null
       order by v.ord`,
      params,
    ),
  );
  const out: ReceivedFix[] = [];
  const breathe = breather(DECODE_YIELD_MS);
  for (const r of rows) {
    const d = decode(r);
    if (d === undefined) continue;
    const id = r.vessel_id as VesselId;
    // As decoded: should it have put the fixes in order, these columns went along.
    const c = d.row as ReceivedColumns;
    for (let i = 0; i < d.n && out.length < limit; i++) out.push(withReceipt(position(d, i, id), c.rot?.[i], c.mmsi?.[i], c.card?.[i], c.received?.[i]));
    await breathe();
  }
  return out;
}

/**
 * Alerts concerning any of the vessels and alive at some time in [fromMs, toMs] (raised before its
 * end, last changed after its start), at most `maxAlerts`, with every change; the vessels' grid
 * events in the window (at most `maxEvents`) and their registry files.
 */
export async function evidenceRecords(q: Queryable, vesselIds: readonly VesselId[], fromMs: number, toMs: number, maxAlerts: number, maxEvents: number): Promise<EvidenceRecords> {
  const changes = await q.query<ChangeRow>(
    `select c.alert_id, c.seq, c.action, ${MS('c.at')} as at_ms, c.actor, c.note, c.alert
     from (select alert_id, raised_at from alerts
           where vessel_ids && $1::text[] and raised_at <= ${TS('$3')} and updated_at >= ${TS('$2')}
           order by raised_at, alert_id limit $4) a
     join alert_changes c on c.alert_id = a.alert_id
     order by a.raised_at, c.alert_id, c.seq`,
    [vesselIds, fromMs, toMs, maxAlerts],
  );
  const alerts: AlertChange[][] = [];
  for (const r of changes) {
    const last = alerts.at(-1);
    if (last !== undefined && last[0]!.alertId === r.alert_id) last.push(alertChangeOf(r));
    else alerts.push([alertChangeOf(r)]);
  }
  const events = await q.query<{ vessel_id: string; layer: GridLayer; grid_id: string; kind: 'enter' | 'exit'; at_ms: number; lat: number; lon: number }>(
    `select vessel_id, layer, grid_id, kind, ${MS('at')} as at_ms, lat, lon from grid_events
     where vessel_id = any($1::text[]) and at between ${TS('$2')} and ${TS('$3')}
     order by at, vessel_id, layer, grid_id, kind limit $4`,
    [vesselIds, fromMs, toMs, maxEvents],
  );
  return {
    alerts,
    gridEvents: events.map((r) => ({ vesselId: r.vessel_id as VesselId, layer: r.layer, gridId: r.grid_id, kind: r.kind, atMs: r.at_ms, lat: r.lat, lon: r.lon })),
    vessels: await vessels(q, vesselIds),
  };
}

/** Ids in the order of the table's "C" collation for ASCII ids (UTF-16 code units). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
