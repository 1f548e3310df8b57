/**
 * The track-read bench's dataset, built server-side (`INSERT … SELECT … generate_series`) so 25 M
 * rows take minutes, not an hour of client round trips. Pure: SQL text and the numbers the bench
 * states; `store.bench.ts` runs it.
 *
 * 4,000 hulls over 2 days, each reporting at the cadence of its kind (ITU-R M.1371 reporting
 * intervals): 1,000 class A under way every 10 s (8,640 fixes a day), 1,000 class B under way
 * every 30 s (2,880), 2,000 at anchor or in port every 3 min (480). Rows go in time order, all
 * vessels interleaved, as a live feed writes them, so one vessel's fixes are scattered over the
 * heap as in production.
 */

export const TRACK_DATA = {
  vessels: 4000,
  days: 2,
  t0Iso: '2025-10-01T00:00:00Z',
  stepS: 10,
  /** Vessel index ranges by kind, and the step multiple each reports at. */
  kinds: [
    { name: 'class A under way', from: 0, to: 1000, every: 1 },
    { name: 'class B under way', from: 1000, to: 2000, every: 3 },
    { name: 'at anchor', from: 2000, to: 4000, every: 18 },
  ],
} as const;

export type TrackKind = (typeof TRACK_DATA.kinds)[number];

export const MMSI_BASE = 412_000_000;

export function vesselIdOf(i: number): string {
  return String(MMSI_BASE + i);
}

export function steps(): number {
  return (TRACK_DATA.days * 86_400) / TRACK_DATA.stepS;
}

/** Rows the dataset holds: Σ over kinds of vessels × steps / every. */
export function expectedRows(): number {
  return TRACK_DATA.kinds.reduce((sum, k) => sum + (k.to - k.from) * (steps() / k.every), 0);
}

/** Fixes one vessel of `kind` reports in 24 h. */
export function fixesPerDay(kind: TrackKind): number {
  return 86_400 / (TRACK_DATA.stepS * kind.every);
}

/**
 * A label the bench keeps in the database to know the data there is this dataset in this schema:
 * `schema` is a digest of the migrations' SQL, so a changed table or index (or comment) rebuilds it.
 */
export function datasetLabel(schema: string): string {
  return `track-v2 ${TRACK_DATA.vessels} vessels ${TRACK_DATA.days} d from ${TRACK_DATA.t0Iso}, ${expectedRows()} rows, schema ${schema}`;
}

/**
 * One INSERT of all rows. For step t, the vessels of a kind reporting every k steps are those
 * with index ≡ t (mod k), so each vessel keeps a steady cadence and the kinds interleave. Each
 * vessel also fixes at its own second within the step (index mod 10) so times differ. Places:
 * a base point per vessel on the Zhoushan grounds plus a slow loop.
 */
export function insertSql(): string {
  const n = steps() - 1;
  const parts = TRACK_DATA.kinds.map((k) =>
    k.every === 1
      ? `select v from generate_series(${k.from}, ${k.to - 1}) v`
      : `select v from generate_series(${k.from} + ((t % ${k.every}) - ${k.from % k.every} + ${k.every}) % ${k.every}, ${k.to - 1}, ${k.every}) v`,
  );
  return `insert into positions (vessel_id, at, source, lat, lon, sog_kn, cog_deg, heading_deg, rot_deg_min, nav_status, mmsi, receiver, received_at)
select (${MMSI_BASE} + v)::text,
       timestamptz '${TRACK_DATA.t0Iso}' + make_interval(secs => t * ${TRACK_DATA.stepS} + v % 10),
       'ais',
       29.0 + ((v * 7919) % 2000) / 1000.0 + 0.05 * sin((t + v) / 500.0),
       122.0 + ((v * 104729) % 2000) / 1000.0 + 0.05 * cos((t + v) / 500.0),
       case when v < 2000 then 5 + v % 8 else 0.1 end,
       ((v * 37 + t / 50) % 360)::real,
       ((v * 37 + t / 50) % 360)::real,
       0,
       case when v < 2000 then 0 else 1 end,
       ${MMSI_BASE} + v,
       'rx' || (v % 7),
       timestamptz '${TRACK_DATA.t0Iso}' + make_interval(secs => t * ${TRACK_DATA.stepS} + v % 10 + 1)
  from generate_series(0, ${n}) t
 cross join lateral (${parts.join(' union all ')}) vs
`;
}
