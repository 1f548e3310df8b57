/**
 * The read queries behind the HTTP routes: a vessel's track (raw, or one real fix per time bucket
 * when longer than asked for), the picture at a moment, alerts and their history, grid events.
 * Times go in as epoch ms and come out as epoch ms (float8), never as Date objects.
 */
import type { Alert, AlertChange, AlertId, BeidouCard, FleetId, GridEvent, GridLayer, Mmsi, VesselFile, VesselId } from '../model/index.js';
import type { Queryable } from './pg.js';
import type { AlertQuery, GridEventQuery, PictureOptions, StoredPosition, TrackOptions } from './types.js';

const DEFAULT_MAX_POINTS = 5000;
/** Long enough for a BeiDou terminal's or an anchored vessel's report interval; the scan grows with it. */
const DEFAULT_LOOKBACK_MS = 15 * 60_000;

const TS = (p: string): string => `to_timestamp(${p}::float8 / 1000)`;
const MS = (col: string): string => `(extract(epoch from ${col}) * 1000)::float8`;

const POSITION_COLUMNS = `vessel_id, ${MS('at')} as at_ms, source, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, receiver`;

interface PositionRow {
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

function toPosition(r: PositionRow): StoredPosition {
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
 * Raw when the range holds at most maxPoints fixes; else the first fix of each time bucket (the
 * fields of the track route: time, place, speed, course, source), the
 * bucket width chosen so the range spans at most maxPoints buckets. Buckets are aligned like
 * TimescaleDB's time_bucket (`seagrid_bucket` on date_bin, or time_bucket itself when present).
 */
export async function track(q: Queryable, src: TrackSource, vesselId: VesselId, fromMs: number, toMs: number, opts?: TrackOptions): Promise<StoredPosition[]> {
  if (!(toMs >= fromMs)) return [];
  const maxPoints = Math.max(1, Math.floor(opts?.maxPoints ?? DEFAULT_MAX_POINTS));
  const where = `vessel_id = $1 and at between ${TS('$2')} and ${TS('$3')}`;
  const [stats] = await q.query<{ n: number; first_ms: number | null; last_ms: number | null }>(
    `select count(*)::int as n, ${MS('min(at)')} as first_ms, ${MS('max(at)')} as last_ms from positions where ${where}`,
    [vesselId, fromMs, toMs],
  );
  if (stats === undefined || stats.n <= maxPoints) {
    const rows = await q.query<PositionRow>(`select ${POSITION_COLUMNS} from positions where ${where} order by at, source`, [vesselId, fromMs, toMs]);
    return rows.map(toPosition);
  }
  if (maxPoints === 1) {
    const rows = await q.query<PositionRow>(`select ${POSITION_COLUMNS} from positions where ${where} order by at, source limit 1`, [vesselId, fromMs, toMs]);
    return rows.map(toPosition);
  }
  // Buckets over the fixes actually there (not the asked range, which may be mostly empty). Aligned
  // buckets of width w touch at most ⌊s / w⌋ + 2 buckets over a span s; w = ⌊s / (k - 1)⌋ + 1
  // makes s / w < k - 1, so at most k.
  const span = (stats.last_ms ?? toMs) - (stats.first_ms ?? fromMs);
  const widthMs = Math.floor(span / (maxPoints - 1)) + 1;
  if (src.trackPoints1m && widthMs >= 60_000) {
    // Long replays from the 1-minute aggregate: the last fix of each minute stands for it, stamped
    // with the minute. Minute starts span up to a minute more than the fixes: widen for that.
    const minuteWidthMs = Math.floor((span + 60_000) / (maxPoints - 1)) + 1;
    const rows = await q.query<PositionRow>(
      `select distinct on (b) vessel_id, ${MS('bucket')} as at_ms, source, lat, lon, sog_kn, cog_deg,
              null::real as heading_deg, null::smallint as nav_status, null::text as receiver,
              time_bucket(make_interval(secs => $4::float8 / 1000), bucket) as b
       from positions_1m
       where vessel_id = $1 and bucket between time_bucket(interval '1 minute', ${TS('$2')}) and ${TS('$3')}
       order by b, bucket`,
      [vesselId, fromMs, toMs, minuteWidthMs],
    );
    return rows.map(toPosition);
  }
  const bucket = `${src.timescale ? 'time_bucket' : 'seagrid_bucket'}(make_interval(secs => $4::float8 / 1000), at)`;
  // The first fix of each bucket: the one whose bucket differs from the previous fix's. A window
  // in the primary key's order needs no sort (DISTINCT ON would sort every fix by bucket).
  // Only the primary key's columns and its INCLUDE list, so this is an index-only scan.
  const rows = await q.query<PositionRow>(
    `select vessel_id, ${MS('at')} as at_ms, source, lat, lon, sog_kn, cog_deg,
            null::real as heading_deg, null::smallint as nav_status, null::text as receiver from (
       select vessel_id, at, source, lat, lon, sog_kn, cog_deg, ${bucket} as b, lag(${bucket}) over (order by at, source) as prev_b
       from positions where ${where}) t
     where prev_b is distinct from b
     order by at, source`,
    [vesselId, fromMs, toMs, widthMs],
  );
  return rows.map(toPosition);
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
  params.push(query.limit ?? 500);
  const rows = await q.query<AlertRow>(
    `select alert_id, kind, severity, state, vessel_ids, fleet_id, ${MS('raised_at')} as raised_ms,
            ${MS('updated_at')} as updated_ms, assignee, details
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
    };
    if (r.fleet_id !== null) a.fleetId = r.fleet_id as FleetId;
    if (r.assignee !== null) a.assignee = r.assignee;
    return a;
  });
}

interface ChangeRow {
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
  return rows.map((r) => {
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
  });
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
