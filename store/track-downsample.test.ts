/**
 * Downsampled tracks against PostgreSQL's own bucketing: a track of up to 4 × maxPoints fixes is
 * bucketed in the client, a longer one by the server; both must pick what `date_bin` (the
 * definition of seagrid_bucket) picks — the first fix of each bucket — computed here by a plain
 * DISTINCT ON query written out in the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionReport, VesselId } from '../model/index.js';
import { openStore, type Store } from './index.js';
import { openDb, type Db } from './pg.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';

describe.skipIf(!postgresAvailable())('needs Debian postgresql: downsampled tracks bucket like date_bin', () => {
  let pg: Postgres;
  let db: Db;
  let store: Store;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-downsample-'));
  const v = 'ds-vessel' as VesselId;
  const t0 = Date.UTC(2025, 2, 3, 1, 2, 3, 456);
  const n = 3000;

  beforeAll(async () => {
    pg = await startPostgres();
    store = await openStore({ databaseUrl: pg.url, dataDir: dir });
    db = openDb({ url: pg.url, max: 1 });
    // Irregular times (3–17 s apart, some fixes heard on both links at once), so buckets hold 0–5 fixes.
    let at = t0;
    for (let i = 0; i < n; i++) {
      at += 3_000 + ((i * 7919) % 14_000);
      const fix: PositionReport = { source: 'ais', atMs: at, receivedAtMs: at + 500, lat: 30 + i / 10_000, lon: 122, sogKn: (i % 90) / 10 };
      store.writePosition(v, fix);
      if (i % 5 === 0) store.writePosition(v, { ...fix, source: 'beidou' });
    }
    await store.flush();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await db?.end();
    await pg?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function expected(widthMs: number): Promise<{ atMs: number; source: string }[]> {
    return db.query<{ atMs: number; source: string }>(
      `select "atMs", source from (
         select distinct on (date_bin(make_interval(secs => $2::float8 / 1000), at, timestamptz '2000-01-03 00:00:00+00'))
                (extract(epoch from at) * 1000)::float8 as "atMs", source, at
           from positions where vessel_id = $1
          order by date_bin(make_interval(secs => $2::float8 / 1000), at, timestamptz '2000-01-03 00:00:00+00'), at, source) t
        order by at, source`,
      [v, widthMs],
    );
  }

  it.each([
    ['in the client (fixes ≤ 4 × maxPoints)', 1000],
    ['on the server (fixes > 4 × maxPoints)', 500],
  ])('%s', async (_, maxPoints) => {
    const [span] = await db.query<{ first: number; last: number; n: number }>(
      `select (extract(epoch from min(at)) * 1000)::float8 as first, (extract(epoch from max(at)) * 1000)::float8 as last, count(*)::int as n from positions where vessel_id = $1`,
      [v],
    );
    expect(span!.n).toBe(n + n / 5);
    const widthMs = Math.floor((span!.last - span!.first) / (maxPoints - 1)) + 1;
    const got = await store.track(v, t0, t0 + 30 * 86_400_000, { maxPoints });
    expect(got.length).toBeLessThanOrEqual(maxPoints);
    expect(got.map((p) => ({ atMs: p.atMs, source: p.source }))).toEqual(await expected(widthMs));
  });
});
