/**
 * The reads and writes behind reports (issue 15 §3, migration 007): the 1-minute track points a
 * day's rollup is made of, and the rollup rows themselves. Days are Beijing calendar days as
 * 'YYYY-MM-DD' text; times go in as epoch ms.
 */
import type { Db, Queryable } from './pg.js';
import { MS, TS } from './reads.js';

/** One vessel's 1-minute track points over a window, in time order: parallel columns. */
export interface MinuteTrack {
  readonly vesselId: string;
  /** Each minute's start, epoch ms, ascending. */
  readonly t: readonly number[];
  /** The position of the vessel's last fix in that minute. */
  readonly lat: readonly number[];
  readonly lon: readonly number[];
}

/** One rollup row: a day of one grid ('' the whole sea) for one fleet ('' no fleet). */
export interface ReportRollupRow {
  readonly day: string;
  readonly gridId: string;
  readonly fleetId: string;
  readonly vessels: number;
  readonly atSeaS: number;
  readonly distanceM: number;
  readonly moratoriumS: number;
}

/**
 * TimescaleDB: the continuous aggregate's minutes (`last(lat, at)` per vessel and minute).
 * Plain PostgreSQL: the same minutes from the raw fixes, the last fix of each minute by the same
 * bucket (seagrid_bucket shares time_bucket's origin). Aggregated per vessel so a window of
 * thousands of vessels is one row each, not one per minute.
 */
const MINUTES_TIMESCALE = `select vessel_id, array_agg(${MS('bucket')} order by bucket) as t, array_agg(lat order by bucket) as lat, array_agg(lon order by bucket) as lon
  from positions_1m where bucket >= ${TS('$1')} and bucket < ${TS('$2')} group by vessel_id`;
const MINUTES_PLAIN = `select vessel_id, array_agg(${MS('bucket')} order by bucket) as t, array_agg(lat order by bucket) as lat, array_agg(lon order by bucket) as lon
  from (select distinct on (vessel_id, seagrid_bucket(interval '1 minute', at)) vessel_id, seagrid_bucket(interval '1 minute', at) as bucket, lat, lon
          from positions where at >= ${TS('$1')} and at < ${TS('$2')}
         order by vessel_id, seagrid_bucket(interval '1 minute', at), at desc, source desc) m
  group by vessel_id`;

/** Every vessel's minutes in [fromMs, toMs), by vessel id; `timescale` picks the aggregate. */
export async function minuteTracks(q: Queryable, timescale: boolean, fromMs: number, toMs: number): Promise<MinuteTrack[]> {
  const rows = await q.query<{ vessel_id: string; t: number[]; lat: number[]; lon: number[] }>(timescale ? MINUTES_TIMESCALE : MINUTES_PLAIN, [fromMs, toMs]);
  return rows
    .map((r) => ({ vesselId: r.vessel_id, t: r.t, lat: r.lat, lon: r.lon }))
    .sort((a, b) => (a.vesselId < b.vesselId ? -1 : a.vesselId > b.vesselId ? 1 : 0));
}

/** The rollup of these days, and which of them are stored at all (a stored day may have no rows). */
export async function reportRollup(q: Queryable, days: readonly string[]): Promise<{ stored: string[]; rows: ReportRollupRow[] }> {
  const stored = await q.query<{ day: string }>(`select to_char(day, 'YYYY-MM-DD') as day from report_days where day = any($1::date[]) order by day`, [days]);
  const rows = await q.query<{ day: string; grid_id: string; fleet_id: string; vessels: number; at_sea_s: number; distance_m: number; moratorium_s: number }>(
    `select to_char(day, 'YYYY-MM-DD') as day, grid_id, fleet_id, vessels, at_sea_s, distance_m, moratorium_s from report_rows
      where day = any($1::date[]) order by day, grid_id, fleet_id`,
    [days],
  );
  return {
    stored: stored.map((r) => r.day),
    rows: rows.map((r) => ({ day: r.day, gridId: r.grid_id, fleetId: r.fleet_id, vessels: r.vessels, atSeaS: r.at_sea_s, distanceM: r.distance_m, moratoriumS: r.moratorium_s })),
  };
}

/** An arbitrary constant: the advisory lock key of rollup writes (migrate.ts uses 7,734,101). */
const REPORT_LOCK_KEY = 7_734_102;

/** Replaces one day's rollup in one transaction (two services rolling up the same day leave one copy). */
export async function putReportDay(db: Db, day: string, points: number, rows: readonly ReportRollupRow[]): Promise<void> {
  await db.tx(async (q) => {
    // Serialised: without it, two at once would both find no row to delete and one insert fail.
    await q.query('select pg_advisory_xact_lock($1)', [REPORT_LOCK_KEY]);
    await q.query('delete from report_days where day = $1::date', [day]);
    await q.query('insert into report_days (day, computed_at, points) values ($1::date, now(), $2)', [day, points]);
    if (rows.length === 0) return;
    await q.query(
      `insert into report_rows (day, grid_id, fleet_id, vessels, at_sea_s, distance_m, moratorium_s)
       select $1::date, * from unnest($2::text[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[])`,
      [day, rows.map((r) => r.gridId), rows.map((r) => r.fleetId), rows.map((r) => r.vessels), rows.map((r) => r.atSeaS), rows.map((r) => r.distanceM), rows.map((r) => r.moratoriumS)],
    );
  });
}
