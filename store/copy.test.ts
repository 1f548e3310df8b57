/**
 * The binary COPY write path against a real PostgreSQL: what the server stores is checked with
 * SQL literals written out by hand (not read back through our own encoder or reads), and a COPY
 * that meets a key already there falls back to the idempotent insert without losing or doubling
 * a row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridEvent, PositionReport, RejectCode, VesselId } from '../model/index.js';
import { isTransient } from './errors.js';
import { openStore } from './index.js';
import { openDb, type Db } from './pg.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';
import { emptyGridEvents, emptyPositions, encodePositionsCopy, pushGridEvent, pushPosition, type PositionColumns } from './rows.js';
import { Spool } from './spool.js';
import { writeGridEvents, writePositions } from './writes.js';

describe.skipIf(!postgresAvailable())('needs Debian postgresql: binary COPY of positions and grid events', () => {
  let pg: Postgres;
  let db: Db;
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'seagrid-copy-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    pg = await startPostgres();
    await (await openStore({ databaseUrl: pg.url, dataDir: dir() })).close(); // migrates
    db = openDb({ url: pg.url, max: 2 });
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await pg?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  it('stores every column as the SQL literal of the same value, nulls as null, times before 2000 too', async () => {
    const full: PositionReport = {
      source: 'beidou',
      atMs: Date.UTC(2025, 9, 1, 8, 30, 15, 123),
      receivedAtMs: Date.UTC(2025, 9, 1, 8, 30, 16, 5),
      lat: 29.987654321,
      lon: -122.123456789,
      sogKn: 5.3,
      cogDeg: 359.9,
      headingDeg: 270,
      rotDegMin: -12.5,
      navStatus: 7,
      mmsi: 412_345_678 as PositionReport['mmsi'],
      beidouCard: 'BD-0042' as PositionReport['beidouCard'],
      receiver: '舟山-岱山',
    };
    const bare: PositionReport = { source: 'ais', atMs: Date.UTC(1999, 11, 31, 23, 59, 59, 999), receivedAtMs: Date.UTC(2000, 0, 1), lat: -0.5, lon: 0 };
    const c = emptyPositions();
    pushPosition(c, 'copy-full' as VesselId, full);
    pushPosition(c, 'copy-bare' as VesselId, bare);
    expect(await db.copyFrom(`copy positions (vessel_id, at, source, lat, lon, sog_kn, cog_deg, heading_deg, rot_deg_min, nav_status, mmsi, beidou_card, receiver, received_at) from stdin (format binary)`, encodePositionsCopy(c))).toBe(2);

    const [f] = await db.query<Record<string, boolean>>(
      `select at = timestamptz '2025-10-01 08:30:15.123+00' as at, source = 'beidou' as source,
              lat = 29.987654321::float8 as lat, lon = -122.123456789::float8 as lon,
              sog_kn = 5.3::real as sog, cog_deg = 359.9::real as cog, heading_deg = 270::real as heading,
              rot_deg_min = -12.5::real as rot, nav_status = 7 as nav, mmsi = 412345678 as mmsi,
              beidou_card = 'BD-0042' as card, receiver = '舟山-岱山' as receiver,
              received_at = timestamptz '2025-10-01 08:30:16.005+00' as received
         from positions where vessel_id = 'copy-full'`,
    );
    expect(f).toEqual({ at: true, source: true, lat: true, lon: true, sog: true, cog: true, heading: true, rot: true, nav: true, mmsi: true, card: true, receiver: true, received: true });
    const [b] = await db.query<Record<string, boolean>>(
      `select at = timestamptz '1999-12-31 23:59:59.999+00' as at, lat = -0.5::float8 and lon = 0::float8 as place,
              received_at = timestamptz '2000-01-01 00:00:00+00' as received,
              num_nulls(sog_kn, cog_deg, heading_deg, rot_deg_min, nav_status, mmsi, beidou_card, receiver) = 8 as nulls
         from positions where vessel_id = 'copy-bare'`,
    );
    expect(b).toEqual({ at: true, place: true, received: true, nulls: true });
  });

  it('a value binary COPY cannot carry is refused by the encoder (RangeError), not truncated', () => {
    const c = emptyPositions();
    pushPosition(c, 'copy-bad' as VesselId, { source: 'ais', atMs: 0, receivedAtMs: 0, lat: 0, lon: 0, navStatus: 1.5 });
    expect(() => encodePositionsCopy(c)).toThrow(RangeError);
    // Outside smallint (−32768…32767): a DataView would wrap 40000 to −25536 without a word.
    const wide = emptyPositions();
    pushPosition(wide, 'copy-bad' as VesselId, { source: 'ais', atMs: 0, receivedAtMs: 0, lat: 0, lon: 0, navStatus: 40_000 });
    expect(() => encodePositionsCopy(wide)).toThrow(RangeError);
  });

  /** 500 good fixes of 50 vessels and, at index `bad`, one whose receiver holds a NUL: the edge (pushPosition) would clean it, so it is put in after. */
  function batchWithNul(prefix: string, t0: number, bad: number): { c: PositionColumns; badVessel: string } {
    const c = emptyPositions();
    for (let i = 0; i < 501; i++) {
      pushPosition(c, `${prefix}-${i % 50}` as VesselId, { source: 'ais', atMs: t0 + i * 1000, receivedAtMs: t0 + i * 1000, lat: 30, lon: 122, receiver: 'rx' });
    }
    c.receiver[bad] = 'a\0b';
    return { c, badVessel: `${prefix}-${bad % 50}` };
  }

  it('the batch writer, handed a NUL the edge would have cleaned, stores the other 500 rows and names the one refused (22021)', async () => {
    const t0 = Date.UTC(2025, 7, 1);
    const { c, badVessel } = batchWithNul('nul-direct', t0, 333);
    const out = await writePositions(db, c, isTransient);
    // 22021 character_not_in_repertoire: PostgreSQL's text cannot hold U+0000 (Appendix A of its manual).
    expect(out.how).toBe('bisect');
    expect(out.refused.map((r) => [r.vesselId, r.atMs, r.error.slice(0, 6)])).toEqual([[badVessel, t0 + 333_000, '22021:']]);
    const [n] = await db.query<{ n: number; bad: number }>(
      `select count(*)::int as n, count(*) filter (where at = $2)::int as bad from positions where vessel_id like 'nul-direct-%' and at >= $1`,
      [new Date(t0), new Date(t0 + 333_000)],
    );
    expect(n).toEqual({ n: 500, bad: 0 });

    // Grid events the same way: one NUL grid id among 20.
    const g = emptyGridEvents();
    for (let i = 0; i < 20; i++) pushGridEvent(g, { vesselId: 'nul-grid' as VesselId, layer: 'control', gridId: `G${i}`, kind: 'enter', atMs: t0 + i, lat: 30, lon: 122 });
    g.gridId[7] = 'G\0';
    const gout = await writeGridEvents(db, g, isTransient);
    expect(gout.refused.map((r) => r.atMs)).toEqual([t0 + 7]);
    const [gn] = await db.query<{ n: number }>(`select count(*)::int as n from grid_events where vessel_id = 'nul-grid'`);
    expect(gn).toEqual({ n: 19 });
  });

  it('a spool left with a NUL row (written before the edge check) replays its 500 good rows and reports the refused one', async () => {
    const t0 = Date.UTC(2025, 8, 1);
    const { c, badVessel } = batchWithNul('nul-spool', t0, 17);
    const d = dir();
    const spool = await Spool.open(path.join(d, 'spool'), 1024 ** 2);
    expect(await spool.append({ k: 'p', n: 501, c })).toBe(true);
    await spool.settled();
    const told: [RejectCode, string][] = [];
    const s = await openStore({ databaseUrl: pg.url, dataDir: d, onRefused: (code, detail) => told.push([code, detail]) });
    await s.flush();
    await s.close();
    expect(s.counters()).toMatchObject({ replayedRows: 500, droppedRows: 1, spooledRows: 0 });
    expect(s.counters().droppedByReason['store.row_refused']).toBe(1);
    expect(s.health().spooledRows).toBe(0);
    expect(told).toHaveLength(1);
    expect(told[0]![0]).toBe('store.row_refused');
    expect(told[0]![1]).toContain(badVessel);
    const [n] = await db.query<{ n: number }>(`select count(*)::int as n from positions where vessel_id like 'nul-spool-%'`);
    expect(n).toEqual({ n: 500 });
  });

  it('a live batch whose key is already there falls back to the insert: every row once', async () => {
    const t0 = Date.UTC(2025, 5, 1);
    const v = 'copy-dup' as VesselId;
    const fix = (i: number): PositionReport => ({ source: 'ais', atMs: t0 + i * 10_000, receivedAtMs: t0 + i * 10_000 + 500, lat: 30 + i / 1000, lon: 122 });
    const first = await openStore({ databaseUrl: pg.url, dataDir: dir(), batchRows: 1000 });
    for (let i = 0; i < 10; i++) first.writePosition(v, fix(i));
    await first.close();
    expect(first.counters()).toMatchObject({ rowsWritten: 10, insertFallbackBatches: 0, droppedRows: 0 });

    // Fixes 5..14: the first five are in the table already, so the COPY of this batch fails as a whole.
    const second = await openStore({ databaseUrl: pg.url, dataDir: dir(), batchRows: 1000 });
    for (let i = 5; i < 15; i++) second.writePosition(v, fix(i));
    await second.close();
    expect(second.counters()).toMatchObject({ rowsWritten: 10, insertFallbackBatches: 1, droppedRows: 0, spooledRows: 0 });

    const [n] = await db.query<{ n: number; keys: number }>(`select count(*)::int as n, count(distinct at)::int as keys from positions where vessel_id = $1`, [v]);
    expect(n).toEqual({ n: 15, keys: 15 });
  });

  it('grid events go by COPY as the same values, and a batch meeting stored keys falls back: every event once', async () => {
    const t0 = Date.UTC(2025, 6, 1, 4, 0, 0, 250);
    const ev = (i: number): GridEvent => ({
      vesselId: 'copy-grid' as VesselId,
      layer: i % 2 === 0 ? 'control' : 'fishingZone',
      gridId: i % 2 === 0 ? 'CG-0' + (i % 9) : '舟山渔场-' + i,
      kind: i % 3 === 0 ? 'exit' : 'enter',
      atMs: t0 + i * 1000,
      lat: 30 + i / 100,
      lon: 122.5 - i / 100,
    });
    const first = await openStore({ databaseUrl: pg.url, dataDir: dir(), batchRows: 1000 });
    first.recordGridEvents(Array.from({ length: 10 }, (_, i) => ev(i)));
    await first.close();
    expect(first.counters()).toMatchObject({ rowsWritten: 10, insertFallbackBatches: 0, droppedRows: 0, spooledRows: 0 });
    const [one] = await db.query<Record<string, boolean>>(
      `select layer = 'fishingZone' as layer, kind = 'enter' as kind, at = timestamptz '2025-07-01 04:00:07.250+00' as at,
              lat = 30.07::float8 and lon = 122.43::float8 as place
         from grid_events where vessel_id = 'copy-grid' and grid_id = '舟山渔场-7'`,
    );
    expect(one).toEqual({ layer: true, kind: true, at: true, place: true });

    const second = await openStore({ databaseUrl: pg.url, dataDir: dir(), batchRows: 1000 });
    second.recordGridEvents(Array.from({ length: 10 }, (_, i) => ev(i + 5)));
    await second.close();
    expect(second.counters()).toMatchObject({ rowsWritten: 10, insertFallbackBatches: 1, droppedRows: 0, spooledRows: 0 });
    const [n] = await db.query<{ n: number }>(`select count(*)::int as n from grid_events where vessel_id = 'copy-grid'`);
    expect(n).toEqual({ n: 15 });
  });
});
