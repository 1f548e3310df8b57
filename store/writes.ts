/**
 * The write statements. Each is idempotent, so a batch replayed from the spool (or written twice
 * after an ambiguous failure) changes nothing the second time: positions and grid events go by
 * binary COPY, and a COPY that meets a stored primary key is redone as INSERT … ON CONFLICT DO
 * NOTHING; alert changes by (alert_id, seq), and the alert row only moves forward in seq.
 */
import type { AlertChange, VesselFile } from '../model/index.js';
import { errorText, isDataError } from './errors.js';
import type { Db, Queryable } from './pg.js';
import { encodeGridEventsCopy, encodePositionsCopy, GRID_EVENT_COPY_COLUMNS, POSITION_COPY_COLUMNS, sliceRows, type GridEventColumns, type PositionColumns, type SpoolRecord } from './rows.js';

/**
 * The idempotent form: the columns arrive as 14 array parameters, `unnest` turns them back into
 * rows, and a key already there is skipped. Used for spool replays and when a COPY was refused.
 */
const INSERT_POSITIONS = `
insert into positions (vessel_id, at, source, lat, lon, sog_kn, cog_deg, heading_deg, rot_deg_min,
                       nav_status, mmsi, beidou_card, receiver, received_at)
select v, to_timestamp(t / 1000), s, la, lo, sg, cg, hd, rt, ns, mm, bc, rc, to_timestamp(ra / 1000)
from unnest($1::text[], $2::float8[], $3::text[], $4::float8[], $5::float8[], $6::real[], $7::real[],
            $8::real[], $9::real[], $10::smallint[], $11::int[], $12::text[], $13::text[], $14::float8[])
  as u(v, t, s, la, lo, sg, cg, hd, rt, ns, mm, bc, rc, ra)
on conflict do nothing`;

export async function insertPositions(q: Queryable, c: PositionColumns): Promise<void> {
  await q.query(INSERT_POSITIONS, [
    c.vesselId,
    c.atMs,
    c.source,
    c.lat,
    c.lon,
    c.sogKn,
    c.cogDeg,
    c.headingDeg,
    c.rotDegMin,
    c.navStatus,
    c.mmsi,
    c.beidouCard,
    c.receiver,
    c.receivedAtMs,
  ]);
}

const COPY_POSITIONS = `copy positions (${POSITION_COPY_COLUMNS}) from stdin (format binary)`;

/**
 * How a batch went in: by COPY; by the idempotent insert after the COPY was refused; or split
 * (`bisect`) because the database refused some of its rows' values.
 */
export type BatchWrite = 'copy' | 'insert' | 'bisect';

/** A row the database refused for its values, isolated from its batch; `error` is SQLSTATE and message. */
export interface RefusedRow {
  readonly vesselId: string;
  readonly atMs: number;
  readonly error: string;
}

export interface BatchOutcome {
  readonly how: BatchWrite;
  /** Not stored (every other row of the batch is). */
  readonly refused: readonly RefusedRow[];
}

/**
 * A batch, live or replayed: binary COPY straight into the table, no ON CONFLICT. A key is
 * already there only after an uncertain commit (a batch spooled although the server had taken
 * it); the COPY then fails as a whole (23505, or on a value it cannot carry), rolls back, and the
 * batch is written again with the idempotent insert. Measured (PostgreSQL 15, 2 M-row table,
 * the backend's own CPU time from /proc, batches of 5,000): 0.71–0.76 s per 100k rows by binary
 * COPY against 1.44–1.54 s by `unnest … ON CONFLICT DO NOTHING` — half the server's work per row.
 * An insert refused for the data it carries (class 22/23) is split until the refused rows stand
 * alone; they are returned, the rest stored. Transient errors (connection, timeout) are thrown:
 * the caller spools the whole batch, and the replay is idempotent for rows already in.
 */
export async function writePositions(db: Db, c: PositionColumns, isTransient: (e: unknown) => boolean): Promise<BatchOutcome> {
  return copyOrInsert(db, COPY_POSITIONS, c, encodePositionsCopy, (part) => insertPositions(db, part), isTransient);
}

const COPY_GRID_EVENTS = `copy grid_events (${GRID_EVENT_COPY_COLUMNS}) from stdin (format binary)`;

/** Grid events the way positions go: binary COPY, the idempotent insert when a key is already there. */
export async function writeGridEvents(db: Db, c: GridEventColumns, isTransient: (e: unknown) => boolean): Promise<BatchOutcome> {
  return copyOrInsert(db, COPY_GRID_EVENTS, c, encodeGridEventsCopy, (part) => insertGridEvents(db, part), isTransient);
}

async function copyOrInsert<C extends PositionColumns | GridEventColumns>(
  db: Db,
  copySql: string,
  c: C,
  encode: (c: C) => Buffer,
  insert: (c: C) => Promise<void>,
  isTransient: (e: unknown) => boolean,
): Promise<BatchOutcome> {
  let body: Buffer | undefined;
  try {
    body = encode(c);
  } catch {
    body = undefined; // a value binary COPY cannot carry: the database's verdict through the insert
  }
  if (body !== undefined) {
    try {
      await db.copyFrom(copySql, body);
      return { how: 'copy', refused: [] };
    } catch (e) {
      if (isTransient(e)) throw e;
    }
  }
  try {
    await insert(c);
    return { how: 'insert', refused: [] };
  } catch (e) {
    if (!isDataError(e)) throw e;
    const refused: RefusedRow[] = [];
    await bisect(c, e, insert, refused);
    return { how: 'bisect', refused };
  }
}

/**
 * `c` was refused with `err`: try each half, split again whichever is refused, until a refused
 * row stands alone. k bad rows among n cost about 2k·log2(n) statements (one bad row in a batch
 * of 20,000: ~30 inserts, each of fewer rows); the good rows go in on the way. A batch of nothing
 * but bad rows costs ~2n statements: the edge (rows.ts) refuses what it can recognise first.
 */
async function bisect<C extends PositionColumns | GridEventColumns>(c: C, err: unknown, insert: (c: C) => Promise<void>, refused: RefusedRow[]): Promise<void> {
  const n = c.vesselId.length;
  if (n === 1) {
    refused.push({ vesselId: c.vesselId[0]!, atMs: c.atMs[0]!, error: errorText(err) });
    return;
  }
  const mid = n >>> 1;
  for (const part of [sliceRows(c, 0, mid), sliceRows(c, mid, n)]) {
    try {
      await insert(part);
    } catch (e) {
      if (!isDataError(e)) throw e;
      await bisect(part, e, insert, refused);
    }
  }
}

const INSERT_GRID_EVENTS = `
insert into grid_events (vessel_id, layer, grid_id, kind, at, lat, lon)
select v, l, g, k, to_timestamp(t / 1000), la, lo
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[])
  as u(v, l, g, k, t, la, lo)
on conflict do nothing`;

export async function insertGridEvents(q: Queryable, c: GridEventColumns): Promise<void> {
  await q.query(INSERT_GRID_EVENTS, [c.vesselId, c.layer, c.gridId, c.kind, c.atMs, c.lat, c.lon]);
}

// Alert rows and their history go in as arrays (one statement each for a whole group of changes);
// lists inside a row travel as jsonb, since a PostgreSQL array of arrays must be rectangular.
const UPSERT_ALERTS = `
insert into alerts (alert_id, kind, severity, state, vessel_ids, fleet_id, raised_at, updated_at,
                    assignee, details, last_seq, alert_key, cleared, fleet_ids, responders)
select id, kind, sev, st, array(select jsonb_array_elements_text(v)), fl, to_timestamp(r / 1000), to_timestamp(u / 1000),
       asg, d, sq, k, cl, case when f is null then null else array(select jsonb_array_elements_text(f)) end, rs
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::float8[], $8::float8[],
            $9::text[], $10::jsonb[], $11::int[], $12::text[], $13::bool[], $14::jsonb[], $15::jsonb[])
  as u(id, kind, sev, st, v, fl, r, u, asg, d, sq, k, cl, f, rs)
on conflict (alert_id) do update set
  kind = excluded.kind, severity = excluded.severity, state = excluded.state,
  vessel_ids = excluded.vessel_ids, fleet_id = excluded.fleet_id, raised_at = excluded.raised_at,
  updated_at = excluded.updated_at, assignee = excluded.assignee, details = excluded.details,
  last_seq = excluded.last_seq, alert_key = excluded.alert_key, cleared = excluded.cleared,
  fleet_ids = excluded.fleet_ids, responders = excluded.responders
where alerts.last_seq < excluded.last_seq`;

const INSERT_ALERT_CHANGES = `
insert into alert_changes (alert_id, seq, action, at, actor, note, alert)
select a, s, ac, to_timestamp(t / 1000), ar, n, al
from unnest($1::text[], $2::int[], $3::text[], $4::float8[], $5::text[], $6::text[], $7::jsonb[]) as u(a, s, ac, t, ar, n, al)
on conflict do nothing`;

/**
 * Alert changes, in the caller's transaction: every change into the history, and each alert's row
 * as after its newest change here (one statement may not update a row twice; an older change
 * replayed later never overwrites a newer one: `last_seq`).
 */
export async function writeAlertChanges(q: Queryable, changes: readonly AlertChange[]): Promise<void> {
  if (changes.length === 0) return;
  const newest = new Map<string, AlertChange>();
  for (const c of changes) {
    const had = newest.get(c.alertId);
    if (had === undefined || had.seq < c.seq) newest.set(c.alertId, c);
  }
  const rows = [...newest.values()].map((c) => c.alert);
  const seqs = [...newest.values()].map((c) => c.seq);
  await q.query(UPSERT_ALERTS, [
    rows.map((a) => a.id),
    rows.map((a) => a.kind),
    rows.map((a) => a.severity),
    rows.map((a) => a.state),
    rows.map((a) => JSON.stringify(a.vesselIds)),
    rows.map((a) => a.fleetId ?? null),
    rows.map((a) => a.raisedAtMs),
    rows.map((a) => a.updatedAtMs),
    rows.map((a) => a.assignee ?? null),
    rows.map((a) => JSON.stringify(a.details ?? {})),
    seqs,
    rows.map((a) => a.key ?? null),
    rows.map((a) => a.cleared === true),
    rows.map((a) => (a.fleetIds === undefined ? null : JSON.stringify(a.fleetIds))),
    rows.map((a) => (a.responders === undefined ? null : JSON.stringify(a.responders))),
  ]);
  await q.query(INSERT_ALERT_CHANGES, [
    changes.map((c) => c.alertId),
    changes.map((c) => c.seq),
    changes.map((c) => c.action),
    changes.map((c) => c.atMs),
    changes.map((c) => c.actor),
    changes.map((c) => c.note ?? null),
    changes.map((c) => JSON.stringify(c.alert)),
  ]);
}

const VESSEL_COLUMNS = [
  'vessel_id',
  'name',
  'registry_no',
  'mmsi',
  'beidou_card',
  'fleet_id',
  'gear',
  'length_m',
  'home_port',
  'owner',
  'owner_phone',
  'liaison',
  'liaison_phone',
  'ship_type',
] as const;
const VESSEL_TYPES = ['text', 'text', 'text', 'int', 'text', 'text', 'text', 'real', 'text', 'text', 'text', 'text', 'text', 'smallint'];

const UPSERT_VESSELS = `
insert into vessels (${VESSEL_COLUMNS.join(', ')}, updated_at)
select *, now() from unnest(${VESSEL_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
on conflict (vessel_id) do update set
  ${VESSEL_COLUMNS.slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')},
  updated_at = now()`;

/**
 * Registry upsert. An MMSI or BeiDou card that moved to another hull is first taken off the hull
 * that had it (both are unique), so a corrected registry loads without a conflict.
 */
export async function upsertVessels(q: Queryable, files: readonly VesselFile[]): Promise<void> {
  // The last file wins when the input names a vessel twice (one row may not be updated twice).
  const byId = new Map(files.map((f) => [f.vesselId, f]));
  const list = [...byId.values()];
  const ids = list.map((f) => f.vesselId);
  const mmsis = list.flatMap((f) => (f.mmsi === undefined ? [] : [f.mmsi]));
  const cards = list.flatMap((f) => (f.beidouCard === undefined ? [] : [f.beidouCard]));
  await q.query('update vessels set mmsi = null where mmsi = any($1::int[]) and not (vessel_id = any($2::text[]))', [mmsis, ids]);
  await q.query('update vessels set beidou_card = null where beidou_card = any($1::text[]) and not (vessel_id = any($2::text[]))', [cards, ids]);
  // Within the input too: clear fields first so swaps between two hulls do not collide mid-statement.
  await q.query('update vessels set mmsi = null, beidou_card = null where vessel_id = any($1::text[])', [ids]);
  const col = <T>(get: (f: VesselFile) => T | undefined): (T | null)[] => list.map((f) => get(f) ?? null);
  await q.query(UPSERT_VESSELS, [
    ids,
    col((f) => f.name),
    col((f) => f.registryNo),
    col((f) => f.mmsi),
    col((f) => f.beidouCard),
    col((f) => f.fleetId),
    col((f) => f.gear),
    col((f) => f.lengthM),
    col((f) => f.homePort),
    col((f) => f.owner),
    col((f) => f.ownerPhone),
    col((f) => f.liaison),
    col((f) => f.liaisonPhone),
    col((f) => f.shipType),
  ]);
}

/**
 * Applies one spool record; alert changes take their own transaction. Batches go the live way
 * (COPY, the idempotent insert if a key is already there): spooled rows were mostly never sent,
 * and the array-parameter insert costs the service several times the CPU of a COPY, which after a
 * long outage, or under a feed the database lags behind, is the replay's whole cost.
 */
export async function applyRecord(db: Db, rec: SpoolRecord, isTransient: (e: unknown) => boolean): Promise<BatchOutcome | undefined> {
  switch (rec.k) {
    case 'p':
      return writePositions(db, rec.c, isTransient);
    case 'g':
      return writeGridEvents(db, rec.c, isTransient);
    case 'a':
      await db.tx((q) => writeAlertChanges(q, Array.isArray(rec.c) ? rec.c : [rec.c]));
      return undefined;
  }
}
