/**
 * `MS`, the store's time column → epoch ms, against the exact conversion it replaced: numeric
 * `extract(epoch …)` times 1000, cast once to float8 (the reference: arbitrary precision, rounded
 * once). Random µs times over 1901–2105 and the edges of a second, on PostgreSQL itself. From
 * 2106 (2³² s) a second's float8 is too coarse for the round trip: 1,095 of 200,000 random times
 * over 1901–2200 came out 1 µs off, all after 2106-02-07; the ingest refuses times that far ahead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import { openDb, type Db } from './pg.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';
import { MS } from './reads.js';

describe.skipIf(!postgresAvailable())('needs Debian postgresql: time columns as epoch ms', () => {
  let pg: Postgres;
  let db: Db;
  beforeAll(async () => {
    pg = await startPostgres();
    db = openDb({ url: pg.url, max: 1 });
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await pg?.dispose();
  }, 60_000);

  it('gives the same double as the exact numeric conversion for 200,000 random µs times and the edges of seconds', async () => {
    const rand = seededRandom(20261203);
    const us: string[] = [];
    // 1901-12-14 … 2105-12-31 in µs since 1970, as integers.
    const lo = -2_147_483_648_000_000;
    const hi = 4_291_747_200_000_000;
    for (let i = 0; i < 200_000; i++) us.push(String(Math.floor(lo + rand() * (hi - lo))));
    for (const s of [0, 1_760_235_000, -1, 4_102_444_800]) for (const d of [-1, 0, 1, 999_999, 500_000, 123_000]) us.push(String(s * 1_000_000 + d));
    const rows = await db.query<{ n: string; differ: string; example: string | null }>(
      `with t as (select timestamptz 'epoch' + make_interval(secs => 0) + (u::bigint * interval '1 microsecond') as at from unnest($1::text[]) u)
       select count(*) as n,
              count(*) filter (where ${MS('at')} <> (extract(epoch from at) * 1000)::float8) as differ,
              min(at::text) filter (where ${MS('at')} <> (extract(epoch from at) * 1000)::float8) as example
       from t`,
      [us],
    );
    expect(Number(rows[0]!.n)).toBe(us.length);
    expect({ differ: Number(rows[0]!.differ), example: rows[0]!.example }).toEqual({ differ: 0, example: null });
  });

  it('passes null through', async () => {
    const rows = await db.query<{ ms: number | null }>(`select ${MS('null::timestamptz')} as ms`);
    expect(rows[0]!.ms).toBeNull();
  });
});
