/**
 * The read queries behind the HTTP routes: a vessel's track (raw, or one real fix per time bucket
 * when longer than asked for), the picture at a moment, alerts and their history, grid events.
 * Times go in as epoch ms and come out as epoch ms (float8), never as Date objects.
 */
import type { Alert, AlertChange, AlertId, AlertQuery, AlertResponder, BeidouCard, FleetId, GridEvent, GridEventQuery, GridLayer, Mmsi, VesselFile, VesselId } from '../model/index.js';
import { StoreError } from './errors.js';
import type { Queryable } from './pg.js';
import type { PictureOptions, StoredPosition, TrackOptions } from './types.js';

const DEFAULT_MAX_POINTS = 5000;
/**
 * The most points one track read returns. 9,999,999 was no cap: 150 parallel reads of 50,000
 * points held every connection. A reply of 50,000 points is a day of a class A vessel at 2 s, and
 * about 3 MB of JSON at the web edge.
 */
export const MAX_TRACK_POINTS = 50_000;

/** The points a track read may return: the default when not asked; over the cap (or not a number) a `store.max_points` error. */
export function checkMaxPoints(asked: number | undefined): number {
  const n = asked ?? DEFAULT_MAX_POINTS;
  if (!(n <= MAX_TRACK_POINTS)) throw new StoreError('store.max_points', `maxPoints ${asked} is over the cap of ${MAX_TRACK_POINTS}`);
  return n;
}
/** Long enough for a BeiDou terminal's or an anchored vessel's report interval; the scan grows with it. */
export const DEFAULT_LOOKBACK_MS = 15 * 60_000;

export const TS = (p: string): string => `to_timestamp(${p}::float8 / 1000)`;
/**
 * A time column as epoch ms (float8). `date_part` is float8 seconds (the µs count divided by 10⁶,
 * rounded once): within 2³² s of 1970 (1834–2106) times 10⁶ it lies within 0.5 µs of that count, so `round`
 * gives it back exactly and the division by 1000 rounds once — the same double as
 * `(extract(epoch …) * 1000)::float8`, whose numeric arithmetic cost ~0.5 µs a value (65 ms of an evidence pack's 135,000 times,
 * EXPLAIN ANALYZE). store/reads-time.test.ts compares the two on PostgreSQL.
 */
export const MS = (col: string): string => `(round(date_part('epoch', ${col}) * 1e6) / 1000)`;

export const POSITION_COLUMNS = `vessel_id, ${MS('at')} as at_ms, source, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, receiver`;

export interface PositionRow {
  vessel_id: string;
  at_ms: number;
  source: 'ais' | 'beidou';
  lat: number;
  lon: number;
  sog_kn: number | null;
  cog_deg: number | null;
  heading_deg: number | null;
  nav_status: number | null;
  receiver: string | null;
}

export function toPosition(r: PositionRow): StoredPosition {
  const p: { -readonly [K in keyof StoredPosition]: StoredPosition[K] } = {
    vesselId: r.vessel_id as VesselId,
    atMs: r.at_ms,
    source: r.source,
    lat: r.lat,
    lon: r.lon,
  };
  if (r.sog_kn !== null) p.sogKn = r.sog_kn;
  if (r.cog_deg !== null) p.cogDeg = r.cog_deg;
  if (r.heading_deg !== null) p.headingDeg = r.heading_deg;
  if (r.nav_status !== null) p.navStatus = r.nav_status;
  if (r.receiver !== null) p.receiver = r.receiver;
  return p;
}

export interface TrackSource {
  /** TimescaleDB present: bucket with its time_bucket. */
  readonly timescale: boolean;
  /** `positions_1m` exists with a `source` column: buckets of a minute or more read it instead of raw rows. */
  readonly trackPoints1m: boolean;
}

/** Whether the continuous aggregate has the columns a track point needs (source included). */
export async function hasTrackPoints(q: Queryable): Promise<boolean> {
  const rows = await q.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_name = 'positions_1m'`,
  );
  const cols = new Set(rows.map((r) => r.column_name));
  return ['vessel_id', 'bucket', 'source', 'lat', 'lon', 'sog_kn', 'cog_deg'].every((c) => cols.has(c));
}

/**
 * A track comes back as one row of columns, each column one value: times, latitudes, longitudes,
 * speeds and courses as the server's binary form of each number concatenated (`string_agg` of
 * `timestamptz_send`/`float8send`/`float4send`, in base64: ~2 ms less than bytea's hex form for
 * 8,640 fixes; decoded natively), source
 * as one letter per fix (the table allows two), and for raw tracks heading, status and receiver
 * as JSON arrays. Measured on the bench's 25 M rows, a class A vessel's 24 h (5,000 of 8,640
 * fixes): the pg client building a row object per fix and parsing each column's text took ~110
 * ms; `json_build_array` per fix cost the server ~16 ms; these aggregates ~2 ms over the scan.
 *
 * A null speed or course travels as NaN (binary numbers have no null) and comes back absent: a
 * NaN speed means nothing either. The aggregates take their rows in the subquery's order (one
 * pass, no sort per aggregate: PostgreSQL before 16 sorts each `agg(… order by …)` apart);
 * decoding checks that order and sorts should a planner ever not keep it.
 */
const BINARY = (expr: string, name: string): string => `encode(string_agg(${expr}, ''::bytea), 'base64') as ${name}`;
export const KEY_AGG = `${BINARY('timestamptz_send(at)', 'at')}, ${BINARY('float8send(lat)', 'lat')}, ${BINARY('float8send(lon)', 'lon')},
  ${BINARY(`float4send(coalesce(sog_kn, 'NaN'))`, 'sog')}, ${BINARY(`float4send(coalesce(cog_deg, 'NaN'))`, 'cog')},
  string_agg(case source when 'beidou' then 'b' else 'a' end, '') as source`;
export const FULL_AGG = `${KEY_AGG}, json_agg(heading_deg) as heading, json_agg(nav_status) as nav, json_agg(receiver) as receiver`;
/** Only the primary key's columns and its INCLUDE list, so the scan is index-only. */
const KEY_COLUMNS = 'at, source, lat, lon, sog_kn, cog_deg';

export interface TrackColumns {
  at: string | null;
  lat: string | null;
  lon: string | null;
  sog: string | null;
  cog: string | null;
  source: string | null;
  heading?: (number | null)[] | null;
  nav?: (number | null)[] | null;
  receiver?: (string | null)[] | null;
}

/** Decoded columns, as numbers: `us` is µs since 2000-01-01 (PostgreSQL's own epoch), exact below 2^53. */
export interface Fixes {
  readonly n: number;
  readonly us: Float64Array;
  readonly row: TrackColumns;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** NaN: not reported. */
  readonly sog: Float32Array;
  readonly cog: Float32Array;
  readonly source: string;
}

/** Unix ms of 2000-01-01 in µs: added to µs before dividing, so a time is rounded once. */
export const PG_EPOCH_US = 946_684_800_000_000;
/** TimescaleDB's default time_bucket origin (Monday 2000-01-03), which seagrid_bucket shares, in µs since 2000. */
const BUCKET_ORIGIN_US = 2 * 86_400_000_000;

export function decode(r: TrackColumns | undefined): Fixes | undefined {
  if (r === undefined || r.at === null || r.lat === null || r.lon === null || r.sog === null || r.cog === null || r.source === null) return undefined;
  // One letter of `source` per fix: the count every binary column must hold.
  const n = r.source.length;
  const us = beInt64s(r.at, n);
  let fixes: Fixes = {
    n,
    us,
    row: r,
    lat: fromBigEndian(r.lat, new Float64Array(n)),
    lon: fromBigEndian(r.lon, new Float64Array(n)),
    sog: fromBigEndian(r.sog, new Float32Array(n)),
    cog: fromBigEndian(r.cog, new Float32Array(n)),
    source: r.source,
  };
  for (let i = 1; i < n; i++) {
    if (us[i - 1]! > us[i]! || (us[i - 1] === us[i] && r.source[i - 1]! > r.source[i]!)) {
      fixes = reorder(fixes);
      break;
    }
  }
  return fixes;
}

/**
 * The server's big-endian binary numbers into typed arrays by one copy and one native byte swap
 * per column: reading them one by one (readDoubleBE) was a grid hour's largest cost on the
 * client after the garbage collector (≈ 17 ms of 140,000 fixes, CPU profile).
 */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** `out` filled from the base64 of its numbers in big-endian order (float8send / float4send / int8). */
function fromBigEndian<T extends Float64Array | Float32Array>(base64: string, out: T): T {
  const host = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  // Decoded straight into the array (Node's base64 skips the newlines PostgreSQL puts in).
  if (host.write(base64, 'base64') !== out.byteLength) throw new Error('track column length differs from its fix count');
  if (LITTLE_ENDIAN) {
    if (out.BYTES_PER_ELEMENT === 8) host.swap64();
    else host.swap32();
  }
  return out;
}

/** int8 (timestamptz_send: µs) as doubles, in place: exact below 2^53 µs (year 2285). */
function beInt64s(base64: string, n: number): Float64Array {
  const out = fromBigEndian(base64, new Float64Array(n));
  const lo = new Uint32Array(out.buffer, out.byteOffset, out.length * 2);
  const hi = new Int32Array(out.buffer, out.byteOffset, out.length * 2);
  const h = LITTLE_ENDIAN ? 1 : 0;
  for (let i = 0; i < out.length; i++) out[i] = hi[2 * i + h]! * 4294967296 + lo[2 * i + 1 - h]!;
  return out;
}

/** Decoded times (`Fixes.us`) turned into epoch ms in place, for a caller that owns the columns. */
export function usToEpochMs(us: Float64Array): Float64Array {
  for (let i = 0; i < us.length; i++) us[i] = (us[i]! + PG_EPOCH_US) / 1000;
  return us;
}

/** Time order (then source), should the aggregates ever have seen their rows out of it. */
function reorder(f: Fixes): Fixes {
  const { n, us, source } = f;
  const idx: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // A parallel scan interleaves a few runs already in order, which the engine's merge sort takes
  // nearly in one pass; plain loops below (mapping callbacks cost more than the sort: 87 ms of
  // the evidence bench's 150,000 box fixes, CPU profile).
  idx.sort((a, b) => us[a]! - us[b]! || source.charCodeAt(a) - source.charCodeAt(b));
  const pick = <T extends Float64Array | Float32Array>(from: T, to: T): T => {
    for (let i = 0; i < n; i++) to[i] = from[idx[i]!]!;
    return to;
  };
  const pickJson = <T>(xs: T[] | null | undefined): T[] | null | undefined => {
    if (xs === null || xs === undefined) return xs;
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = xs[idx[i]!]!;
    return out;
  };
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = source.charCodeAt(idx[i]!);
  // Every per-fix JSON column goes along (heading, status, receiver, and whatever a caller's query added).
  const row: Record<string, unknown> = { ...f.row };
  for (const [k, v] of Object.entries(f.row)) if (Array.isArray(v)) row[k] = pickJson(v as unknown[]);
  return {
    n,
    us: pick(us, new Float64Array(n)),
    row: row as unknown as TrackColumns,
    lat: pick(f.lat, new Float64Array(n)),
    lon: pick(f.lon, new Float64Array(n)),
    sog: pick(f.sog, new Float32Array(n)),
    cog: pick(f.cog, new Float32Array(n)),
    source: charsOf(codes),
  };
}

/** The string of these UTF-16 code units (in slices: a call takes a bounded argument list). */
function charsOf(codes: Uint16Array): string {
  let s = '';
  for (let i = 0; i < codes.length; i += 4096) s += String.fromCharCode(...codes.subarray(i, i + 4096));
  return s;
}

/** Fix i of decoded columns (FULL_AGG's) as a stored position. */
export function position(f: Fixes, i: number, vesselId: VesselId): StoredPosition {
  const p: { -readonly [K in keyof StoredPosition]: StoredPosition[K] } = {
    vesselId,
    atMs: (f.us[i]! + PG_EPOCH_US) / 1000,
    source: f.source.charCodeAt(i) === 98 /* b */ ? 'beidou' : 'ais',
    lat: f.lat[i]!,
    lon: f.lon[i]!,
  };
  const sogKn = f.sog[i]!;
  if (!Number.isNaN(sogKn)) p.sogKn = shortestFloat4(sogKn);
  const cogDeg = f.cog[i]!;
  if (!Number.isNaN(cogDeg)) p.cogDeg = shortestFloat4(cogDeg);
  const h = f.row.heading?.[i];
  if (h !== undefined && h !== null) p.headingDeg = h;
  const ns = f.row.nav?.[i];
  if (ns !== undefined && ns !== null) p.navStatus = ns;
  const rc = f.row.receiver?.[i];
  if (rc !== undefined && rc !== null) p.receiver = rc;
  return p;
}

async function trackRows(q: Queryable, vesselId: VesselId, sql: string, params: readonly unknown[]): Promise<StoredPosition[]> {
  const [r] = await q.query<TrackColumns>(sql, params);
  const f = decode(r);
  if (f === undefined) return [];
  const out = new Array<StoredPosition>(f.n);
  for (let i = 0; i < f.n; i++) out[i] = position(f, i, vesselId);
  return out;
}

const float4Shortest = new Map<number, number>();

/**
 * A `real` as PostgreSQL's text form gives it (shortest digits that read back as the same
 * float32: 12.3, not 12.300000190734863), as every other read of a real returns it. Speeds and
 * courses take few distinct values (0.1 kn and 0.1° steps), so a small cache makes this cheap.
 */
export function shortestFloat4(x: number): number {
  const hit = float4Shortest.get(x);
  if (hit !== undefined) return hit;
  let out = x;
  for (let digits = 1; digits <= 9; digits++) {
    const v = Number(x.toPrecision(digits));
    if (Math.fround(v) === x) {
      out = v;
      break;
    }
  }
  if (float4Shortest.size >= 65_536) float4Shortest.clear();
  float4Shortest.set(x, out);
  return out;
}

/** floor(a / b) for integers held exactly in doubles, corrected for the division's rounding. */
function floorDiv(a: number, b: number): number {
  let k = Math.floor(a / b);
  if (k * b > a) k--;
  else if ((k + 1) * b <= a) k++;
  return k;
}

/**
 * Raw when the range holds at most maxPoints fixes; else the first fix of each time bucket (the
 * fields of the track route: time, place, speed, course, source), the bucket width chosen so the
 * range spans at most maxPoints buckets. Buckets are aligned like TimescaleDB's time_bucket
 * (`seagrid_bucket` on date_bin, or time_bucket itself when present).
 *
 * The first read takes the key columns of up to 4 × maxPoints fixes from the primary key alone
 * (an index-only scan): that is the count, the span, and — for a range up to 4 × maxPoints fixes,
 * such as a day of a class A vessel — the fixes to bucket, here, in one round trip (measured ~8
 * ms of server time against ~16 ms for a count query plus a window query that buckets on the
 * server). Longer ranges bucket on the server, so a month's replay does not cross the wire raw.
 */
export async function track(q: Queryable, src: TrackSource, vesselId: VesselId, fromMs: number, toMs: number, opts?: TrackOptions): Promise<StoredPosition[]> {
  const maxPoints = Math.max(1, Math.floor(checkMaxPoints(opts?.maxPoints)));
  if (!(toMs >= fromMs)) return [];
  const where = `vessel_id = $1 and at between ${TS('$2')} and ${TS('$3')}`;
  const rawTrack = (limit: string): Promise<StoredPosition[]> =>
    trackRows(q, vesselId, `select ${FULL_AGG} from (select * from positions where ${where} order by at, source ${limit}) t`, [vesselId, fromMs, toMs]);
  if (maxPoints === 1) return rawTrack('limit 1');

  const cap = 4 * maxPoints;
  const [keyRow] = await q.query<TrackColumns>(
    `select ${KEY_AGG} from (select ${KEY_COLUMNS} from positions where ${where} order by at, source limit $4) t`,
    [vesselId, fromMs, toMs, cap + 1],
  );
  const keys = decode(keyRow);
  if (keys === undefined) return [];
  if (keys.n <= maxPoints) return opts?.fields === 'route' ? Array.from({ length: keys.n }, (_, i) => position(keys, i, vesselId)) : rawTrack('');

  let firstMs: number;
  let lastMs: number;
  if (keys.n <= cap) {
    firstMs = (keys.us[0]! + PG_EPOCH_US) / 1000;
    lastMs = (keys.us[keys.n - 1]! + PG_EPOCH_US) / 1000;
  } else {
    const [stats] = await q.query<{ first_ms: number; last_ms: number }>(
      `select ${MS('min(at)')} as first_ms, ${MS('max(at)')} as last_ms from positions where ${where}`,
      [vesselId, fromMs, toMs],
    );
    firstMs = stats?.first_ms ?? fromMs;
    lastMs = stats?.last_ms ?? toMs;
  }
  // Buckets over the fixes actually there (not the asked range, which may be mostly empty). Aligned
  // buckets of width w touch at most ⌊s / w⌋ + 2 buckets over a span s; w = ⌊s / (k - 1)⌋ + 1
  // makes s / w < k - 1, so at most k.
  const span = lastMs - firstMs;
  const widthMs = Math.floor(span / (maxPoints - 1)) + 1;
  if (src.trackPoints1m && widthMs >= 60_000) {
    // Long replays from the 1-minute aggregate: the last fix of each minute stands for it, stamped
    // with the minute. Minute starts span up to a minute more than the fixes: widen for that.
    const minuteWidthMs = Math.floor((span + 60_000) / (maxPoints - 1)) + 1;
    return trackRows(
      q,
      vesselId,
      `select ${KEY_AGG} from (
         select distinct on (b) bucket as at, source, lat, lon, sog_kn, cog_deg,
                time_bucket(make_interval(secs => $4::float8 / 1000), bucket) as b
         from positions_1m
         where vessel_id = $1 and bucket between time_bucket(interval '1 minute', ${TS('$2')}) and ${TS('$3')}
         order by b, bucket) t`,
      [vesselId, fromMs, toMs, minuteWidthMs],
    );
  }
  if (keys.n <= cap) {
    // The first fix of each bucket, here: floor((t - origin) / w) in whole µs, as date_bin and time_bucket compute it.
    const widthUs = widthMs * 1000;
    const out: StoredPosition[] = [];
    let prev = Number.NaN;
    for (let i = 0; i < keys.n; i++) {
      const b = floorDiv(keys.us[i]! - BUCKET_ORIGIN_US, widthUs);
      if (b !== prev) out.push(position(keys, i, vesselId));
      prev = b;
    }
    return out;
  }
  const bucket = `${src.timescale ? 'time_bucket' : 'seagrid_bucket'}(make_interval(secs => $4::float8 / 1000), at)`;
  // The first fix of each bucket: the one whose bucket differs from the previous fix's. A window
  // in the primary key's order needs no sort (DISTINCT ON would sort every fix by bucket).
  return trackRows(
    q,
    vesselId,
    `select ${KEY_AGG} from (
       select ${KEY_COLUMNS} from (
         select *, lag(b) over (order by at, source) as prev_b
         from (select ${KEY_COLUMNS}, ${bucket} as b from positions where ${where}) x) w
       where prev_b is distinct from b
       order by at, source) t`,
    [vesselId, fromMs, toMs, widthMs],
  );
}

/** The last fix of each vessel at or before atMs, no older than lookbackMs; by vessel id. */
export async function pictureAt(q: Queryable, atMs: number, opts?: PictureOptions): Promise<StoredPosition[]> {
  const lookback = opts?.lookbackMs ?? DEFAULT_LOOKBACK_MS;
  if (opts?.vesselIds !== undefined) {
    // One backward index probe per vessel on the primary key.
    const rows = await q.query<PositionRow>(
      `select p.* from unnest($3::text[]) as v(id) cross join lateral (
         select ${POSITION_COLUMNS} from positions
         where vessel_id = v.id and at <= ${TS('$1')} and at > ${TS('$2')}
         order by at desc, source limit 1) p
       order by p.vessel_id`,
      [atMs, atMs - lookback, opts.vesselIds],
    );
    return rows.map(toPosition);
  }
  const rows = await q.query<PositionRow>(
    `select distinct on (vessel_id) ${POSITION_COLUMNS} from positions
     where at <= ${TS('$1')} and at > ${TS('$2')}
     order by vessel_id, at desc, source`,
    [atMs, atMs - lookback],
  );
  return rows.map(toPosition);
}

interface AlertRow {
  alert_id: string;
  kind: string;
  severity: Alert['severity'];
  state: Alert['state'];
  vessel_ids: string[];
  fleet_id: string | null;
  raised_ms: number;
  updated_ms: number;
  assignee: string | null;
  details: Record<string, unknown>;
  last_seq: number;
  alert_key: string | null;
  cleared: boolean;
  fleet_ids: string[] | null;
  responders: AlertResponder[] | null;
}

export async function alerts(q: Queryable, query: AlertQuery): Promise<Alert[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  // Literal predicate (not a parameter) so the partial index on open alerts applies.
  if ((query.state ?? 'open') === 'open') where.push(`state <> 'resolved'`);
  if (query.vesselId !== undefined) {
    params.push(query.vesselId);
    where.push(`vessel_ids @> array[$${params.length}::text]`);
  }
  if (query.kind !== undefined) {
    params.push(query.kind);
    where.push(`kind = $${params.length}`);
  }
  if (query.fleetId !== undefined) {
    params.push(query.fleetId);
    // fleet_ids holds every fleet; a row written with only fleet_id (the first alert shape) still matches.
    where.push(`(fleet_ids @> array[$${params.length}::text] or fleet_id = $${params.length})`);
  }
  params.push(query.limit ?? 500);
  const rows = await q.query<AlertRow>(
    `select alert_id, kind, severity, state, vessel_ids, fleet_id, ${MS('raised_at')} as raised_ms,
            ${MS('updated_at')} as updated_ms, assignee, details, last_seq, alert_key, cleared, fleet_ids, responders
     from alerts ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by updated_at desc, alert_id limit $${params.length}`,
    params,
  );
  return rows.map((r) => {
    const a: { -readonly [K in keyof Alert]: Alert[K] } = {
      id: r.alert_id as AlertId,
      kind: r.kind,
      severity: r.severity,
      state: r.state,
      vesselIds: r.vessel_ids as VesselId[],
      raisedAtMs: r.raised_ms,
      updatedAtMs: r.updated_ms,
      details: r.details,
      // The lifecycle continues an alert after a restart from this seq (alerts/lifecycle.ts).
      seq: r.last_seq,
    };
    if (r.fleet_id !== null) a.fleetId = r.fleet_id as FleetId;
    if (r.fleet_ids !== null) a.fleetIds = r.fleet_ids as FleetId[];
    if (r.alert_key !== null) a.key = r.alert_key;
    if (r.cleared) a.cleared = true;
    if (r.assignee !== null) a.assignee = r.assignee;
    if (r.responders !== null) a.responders = r.responders;
    return a;
  });
}

export interface ChangeRow {
  alert_id: string;
  seq: number;
  action: AlertChange['action'];
  at_ms: number;
  actor: string;
  note: string | null;
  alert: Alert;
}

export async function alertHistory(q: Queryable, alertId: AlertId): Promise<AlertChange[]> {
  const rows = await q.query<ChangeRow>(
    `select alert_id, seq, action, ${MS('at')} as at_ms, actor, note, alert from alert_changes where alert_id = $1 order by seq`,
    [alertId],
  );
  return rows.map(toChange);
}

/** The change each open alert is as of (alerts.last_seq): one index probe per open alert. */
export async function openAlertChanges(q: Queryable, limit: number): Promise<AlertChange[]> {
  const rows = await q.query<ChangeRow>(
    `select c.alert_id, c.seq, c.action, ${MS('c.at')} as at_ms, c.actor, c.note, c.alert
     from alerts a join alert_changes c on c.alert_id = a.alert_id and c.seq = a.last_seq
     where a.state <> 'resolved' order by a.updated_at desc, a.alert_id limit $1`,
    [limit],
  );
  return rows.map(toChange);
}

function toChange(r: ChangeRow): AlertChange {
  const c: { -readonly [K in keyof AlertChange]: AlertChange[K] } = {
    alertId: r.alert_id as AlertId,
    seq: r.seq,
    action: r.action,
    atMs: r.at_ms,
    actor: r.actor,
    alert: r.alert,
  };
  if (r.note !== null) c.note = r.note;
  return c;
}

interface GridEventRow {
  vessel_id: string;
  layer: GridLayer;
  grid_id: string;
  kind: 'enter' | 'exit';
  at_ms: number;
  lat: number;
  lon: number;
}

/** An alert raised in a window, when each supervised step first happened, and where its first vessel was at the raise. */
export interface StoredAlertSteps {
  readonly alertId: string;
  readonly kind: string;
  readonly severity: string;
  readonly raisedAtMs: number;
  readonly acknowledgedAtMs: number | null;
  readonly dispatchedAtMs: number | null;
  readonly arrivedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly fleetIds: readonly string[];
  /** Last stored fix of the alert's first vessel at or before the raise (null: none within 15 min). */
  readonly place: { readonly lat: number; readonly lon: number } | null;
}

/**
 * Alerts raised in [fromMs, toMs), oldest first, at most `limit`, with the first time of each
 * supervised step (全链监督): a person's first action, the first dispatch, arrival and the resolve.
 * One pass over each alert's changes (its primary key) and one index probe for its place.
 */
export async function alertSteps(q: Queryable, fromMs: number, toMs: number, limit: number): Promise<StoredAlertSteps[]> {
  const rows = await q.query<{
    alert_id: string; kind: string; severity: string; raised_ms: number; fleet_ids: string[] | null; fleet_id: string | null;
    ack_ms: number | null; dispatch_ms: number | null; arrive_ms: number | null; resolve_ms: number | null; lat: number | null; lon: number | null;
  }>(
    `select a.alert_id, a.kind, a.severity, ${MS('a.raised_at')} as raised_ms, a.fleet_ids, a.fleet_id,
            ${MS('s.ack')} as ack_ms, ${MS('s.dispatch')} as dispatch_ms, ${MS('s.arrive')} as arrive_ms, ${MS('s.resolve')} as resolve_ms,
            p.lat, p.lon
     from alerts a
     cross join lateral (
       select min(c.at) filter (where c.actor <> 'system' and c.action in ('acknowledge', 'assign', 'dispatch', 'resolve')) as ack,
              min(c.at) filter (where c.action = 'dispatch') as dispatch,
              min(c.at) filter (where c.action = 'arrive') as arrive,
              min(c.at) filter (where c.action = 'resolve') as resolve
       from alert_changes c where c.alert_id = a.alert_id) s
     left join lateral (
       select lat, lon from positions p
       where p.vessel_id = a.vessel_ids[1] and p.at <= a.raised_at and p.at > a.raised_at - interval '15 minutes'
       order by p.at desc limit 1) p on true
     where a.raised_at >= to_timestamp($1::float8 / 1000) and a.raised_at < to_timestamp($2::float8 / 1000)
     order by a.raised_at, a.alert_id limit $3`,
    [fromMs, toMs, limit],
  );
  return rows.map((r) => ({
    alertId: r.alert_id,
    kind: r.kind,
    severity: r.severity,
    raisedAtMs: r.raised_ms,
    acknowledgedAtMs: r.ack_ms,
    dispatchedAtMs: r.dispatch_ms,
    arrivedAtMs: r.arrive_ms,
    resolvedAtMs: r.resolve_ms,
    fleetIds: r.fleet_ids ?? (r.fleet_id === null ? [] : [r.fleet_id]),
    place: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
  }));
}

export async function gridEvents(q: Queryable, query: GridEventQuery): Promise<GridEvent[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown): void => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  if (query.vesselId !== undefined) add((p) => `vessel_id = ${p}`, query.vesselId);
  if (query.gridId !== undefined) add((p) => `grid_id = ${p}`, query.gridId);
  if (query.fromMs !== undefined) add((p) => `at >= ${TS(p)}`, query.fromMs);
  if (query.toMs !== undefined) add((p) => `at <= ${TS(p)}`, query.toMs);
  params.push(query.limit ?? 1000);
  const rows = await q.query<GridEventRow>(
    `select vessel_id, layer, grid_id, kind, ${MS('at')} as at_ms, lat, lon from grid_events
     ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by at, vessel_id, layer, grid_id, kind limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ vesselId: r.vessel_id as VesselId, layer: r.layer, gridId: r.grid_id, kind: r.kind, atMs: r.at_ms, lat: r.lat, lon: r.lon }));
}

interface VesselRow {
  vessel_id: string;
  name: string | null;
  registry_no: string | null;
  mmsi: number | null;
  beidou_card: string | null;
  fleet_id: string | null;
  gear: string | null;
  length_m: number | null;
  home_port: string | null;
  owner: string | null;
  owner_phone: string | null;
  liaison: string | null;
  liaison_phone: string | null;
  ship_type: number | null;
}

/** Registry files by vessel id (all when `ids` is absent). */
export async function vessels(q: Queryable, ids?: readonly VesselId[]): Promise<VesselFile[]> {
  const rows = await q.query<VesselRow>(
    `select vessel_id, name, registry_no, mmsi, beidou_card, fleet_id, gear, length_m, home_port, owner,
            owner_phone, liaison, liaison_phone, ship_type
     from vessels ${ids === undefined ? '' : 'where vessel_id = any($1::text[])'} order by vessel_id`,
    ids === undefined ? [] : [ids],
  );
  return rows.map((r) => {
    const f: { -readonly [K in keyof VesselFile]: VesselFile[K] } = { vesselId: r.vessel_id as VesselId, name: r.name ?? '' };
    if (r.registry_no !== null) f.registryNo = r.registry_no;
    if (r.mmsi !== null) f.mmsi = r.mmsi as Mmsi;
    if (r.beidou_card !== null) f.beidouCard = r.beidou_card as BeidouCard;
    if (r.fleet_id !== null) f.fleetId = r.fleet_id as FleetId;
    if (r.gear !== null) f.gear = r.gear;
    if (r.length_m !== null) f.lengthM = r.length_m;
    if (r.home_port !== null) f.homePort = r.home_port;
    if (r.owner !== null) f.owner = r.owner;
    if (r.owner_phone !== null) f.ownerPhone = r.owner_phone;
    if (r.liaison !== null) f.liaison = r.liaison;
    if (r.liaison_phone !== null) f.liaisonPhone = r.liaison_phone;
    if (r.ship_type !== null) f.shipType = r.ship_type;
    return f;
  });
}

/** One alert_changes row (`alert_id, seq, action, at_ms, actor, note, alert`) as a change (evidence-reads.ts reads them too). */
export const alertChangeOf = (r: ChangeRow): AlertChange => toChange(r);
