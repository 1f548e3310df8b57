/**
 * `seagrid serve` with CLUSTER set, twice, on Debian Mosquitto and PostgreSQL: both report healthy,
 * a BeiDou feed spread over several partitions reaches the live picture of each vessel's owner,
 * and every fix is stored by one instance only (the owner writes it, the halo does not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionMap } from '../geo/index.js';
import { MqttPublisher } from '../ingest/adapters.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import { rmcSentence } from '../sim/index.js';
import pg from 'pg';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

describe.skipIf(!mosquittoAvailable() || !postgresAvailable())('seagrid serve, CLUSTER mode, two instances (Debian Mosquitto + PostgreSQL)', () => {
  let broker: Mosquitto;
  let db: Postgres;
  beforeAll(async () => {
    [broker, db] = await Promise.all([startMosquitto(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([broker?.dispose(), db?.dispose()]);
  });

  it('both healthy; each fix in its owner’s picture, written by one instance only', async () => {
    const env = { DEMO: '0', CLUSTER: 'east', MQTT_URL: broker.url, DATABASE_URL: db.url, CLUSTER_SEA: '29,121,31,124', POSITION_RETENTION_DAYS: '0' };
    const serves: ServeUnderTest[] = [];
    try {
      serves.push(await startServe({ ...env, MQTT_CLIENT_ID: 'seagrid-a' }));
      await until(async () => ((await fetch(`${serves[0]!.base}/health`)).ok ? true : undefined), 60_000, 'a healthy');
      serves.push(await startServe({ ...env, MQTT_CLIENT_ID: 'seagrid-b' }));
      for (const s of serves) {
        const h = (await until(async () => {
          const r = (await (await fetch(`${s.base}/health`)).json()) as { status: string; broker: { connected: boolean } };
          return r.status === 'ok' ? r : undefined;
        }, 60_000, 'healthy'));
        expect(h.broker.connected).toBe(true);
      }
      // Wait for the leases to settle at a split: each instance holds some partitions.
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        await until(async () => {
          const r = await admin.query("select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and a.application_name like 'seagrid-lease:east/%' group by a.application_name");
          return r.rows.length === 2 ? true : undefined;
        }, 30_000, 'both instances hold partitions');
      } finally {
        await admin.end();
      }
      // 30 BeiDou terminals spread over 1.5° of longitude (several res-3 partitions), 10 fixes each.
      const map = new PartitionMap();
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 120_000;
      const lonOf = (c: number): number => 121.8 + c * 0.05;
      expect(new Set(Array.from({ length: 30 }, (_, c) => map.partitionOf(30, lonOf(c)))).size).toBeGreaterThan(1);
      const pub = await MqttPublisher.connect(broker.url);
      for (let k = 0; k < 10; k++)
        for (let c = 0; c < 30; c++) {
          const line = rmcSentence({ talker: 'BD', atMs: t0 + k * 10_000, lat: 30 + (k * 10 * 10) / 3600 / 60, lon: lonOf(c), sogKn: 10, cogDeg: 0 });
          await pub.publish(`beidou/raw/${4_000_000 + c}`, line + '\r\n');
        }
      await pub.close();
      // Every vessel at its last fix in at least one picture (its owner's; a halo vessel may be in both).
      await until(async () => {
        const seen = new Set<string>();
        for (const s of serves) for (const v of (await (await fetch(`${s.base}/api/vessels`)).json()) as { vesselId: string; at: string }[]) if (Date.parse(v.at) === t0 + 90_000) seen.add(v.vesselId);
        return seen.size === 30 ? true : undefined;
      }, 30_000, 'all 30 vessels at their last fix');
      // All 300 stored (the key is (vessel, time, source): a second write of a fix would not add a
      // row but would make its writer's COPY fall back to the idempotent INSERT, counted on /metrics).
      const check = new pg.Client({ connectionString: db.url });
      await check.connect();
      try {
        await until(async () => {
          const r = await check.query("select count(*)::int as n from positions where vessel_id like 'bd4%'");
          return r.rows[0].n === 300 ? true : undefined;
        }, 30_000, '300 positions stored');
      } finally {
        await check.end();
      }
      await new Promise((r) => setTimeout(r, 500)); // a halo writer's late batch would land by now
      let fallbacks = 0;
      for (const s of serves) fallbacks += Number(/seagrid_store_insert_fallback_batches_total (\d+)/.exec(await (await fetch(`${s.base}/metrics`)).text())![1]);
      expect(fallbacks).toBe(0);
      for (const s of serves) expect(await s.stop()).toBe(0);
    } finally {
      for (const s of serves) s.dispose();
    }
  }, 120_000);
});
