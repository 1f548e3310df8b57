/**
 * Heavy reads must not starve writes (issue 10): 150 parallel 50,000-point track reads against a
 * real Debian PostgreSQL while positions keep arriving. Before the fix reads and writes shared one
 * pool of four connections: reads waited past the pool's timeout and failed with a driver error
 * (a 500), and the writer, unable to get a connection, declared the database down and spooled.
 * Now: the writer stays connected, nothing spools, every write lands; each read answers or says
 * `store.busy`. Nothing here is timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionReport, VesselId } from '../model/index.js';
import { openStore, type Store, type StoredPosition } from './index.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';

const T0 = Date.UTC(2025, 3, 1);
/** Fixes of the vessel read: more than 50,000, so every read downsamples to at most 50,000 real fixes. */
const TRACK_FIXES = 120_000;
const READS = 150;

const fix = (atMs: number, lat: number, lon: number): PositionReport => ({ source: 'ais', atMs, receivedAtMs: atMs, lat, lon, sogKn: 10, cogDeg: 90 });

describe.skipIf(!postgresAvailable())('needs Debian postgresql: reads cannot take the writer’s connections', () => {
  let pgs: Postgres;
  let store: Store;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-reads-'));

  beforeAll(async () => {
    pgs = await startPostgres();
    store = await openStore({ databaseUrl: pgs.url, dataDir: dir, retryMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await pgs?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('150 parallel 50,000-point track reads: the writer stays connected, nothing spools, every write lands; reads answer or say busy', async () => {
    const heavy = 'heavy-1' as VesselId;
    // In chunks below the memory queue's bound, so the seeding itself never spills to the spool.
    for (let i = 0; i < TRACK_FIXES; i++) {
      store.writePosition(heavy, fix(T0 + i * 2_000, 30 + i / 1e6, 122));
      if (i % 40_000 === 39_999) await store.flush();
    }
    await store.flush();
    expect(store.counters().spooledRows).toBe(0);
    const base = store.counters();

    // A feed of 20 vessels, 40 fixes every 20 ms, for as long as the reads run.
    let fed = 0;
    let down = 0;
    const feed = setInterval(() => {
      for (let k = 0; k < 40; k++, fed++) store.writePosition(`feed-${fed % 20}` as VesselId, fix(T0 + fed * 100, 31, 123 + (fed % 20) / 100));
      if (!store.health().connected) down++;
    }, 20);

    const outcomes = await Promise.allSettled(
      Array.from({ length: READS }, () => store.track(heavy, T0, T0 + TRACK_FIXES * 2_000, { maxPoints: 50_000, fields: 'route' })),
    );
    // A little more feed after the reads, then everything queued is written.
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(feed);
    await store.flush();

    const answered = outcomes.filter((o): o is PromiseFulfilledResult<StoredPosition[]> => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    const codes = new Set(refused.map((o) => String((o.reason as { code?: unknown }).code ?? (o.reason as Error).message)));
    expect([...codes]).toEqual(refused.length === 0 ? [] : ['store.busy']);
    expect(answered.length).toBeGreaterThan(0);
    for (const o of answered) {
      // Downsampled to at most 50,000 real fixes, from the first one on.
      expect(o.value.length).toBeLessThanOrEqual(50_000);
      expect(o.value.length).toBeGreaterThan(25_000);
      expect(o.value[0]!.atMs).toBe(T0);
    }

    expect(down).toBe(0);
    expect(store.health().connected).toBe(true);
    const c = store.counters();
    expect(c.spooledRows - base.spooledRows).toBe(0);
    expect(c.writeErrors - base.writeErrors).toBe(0);
    expect(c.droppedRows - base.droppedRows).toBe(0);
    // Every fed fix is in the table, once (counted by SQL, not through the store's reads).
    const client = new pg.Client({ connectionString: pgs.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from positions where vessel_id like 'feed-%'`);
      expect(rows[0]!.n).toBe(fed);
    } finally {
      await client.end();
    }
    expect(fed).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a track of more than MAX_TRACK_POINTS points with store.max_points, before it takes a connection', async () => {
    const { MAX_TRACK_POINTS } = await import('./index.js');
    expect(MAX_TRACK_POINTS).toBe(50_000);
    await expect(store.track('heavy-1' as VesselId, T0, T0 + 1000, { maxPoints: 9_999_999 })).rejects.toMatchObject({ code: 'store.max_points' });
    await expect(store.track('heavy-1' as VesselId, T0, T0 + 1000, { maxPoints: Number.NaN })).rejects.toMatchObject({ code: 'store.max_points' });
    expect(await store.track('heavy-1' as VesselId, T0, T0 + 2_000, { maxPoints: 50_000 })).toHaveLength(2);
  });
});
