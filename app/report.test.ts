/**
 * Reports from a real store (Debian PostgreSQL: the plain-SQL path; TimescaleDB's aggregate gives
 * the same minute points, store/report-reads.test.ts). Fixes and alerts are written as the service
 * writes them; the expected figures are worked out here from the tracks' geometry and the alerts'
 * own times, not from the rollup. A past day is stored on its first request and read back after.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { VesselRegistry, type Alert, type AlertChange, type AlertId, type FleetId, type PositionReport, type VesselId } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { readSeaGrids } from './refdata.js';
import { Reports } from './report.js';

const DAY = '2026-07-01';
const START = Date.parse('2026-06-30T16:00:00Z'); // 00:00 Beijing
const MIN = 60_000;
const NM_PER_DEG = (2 * Math.PI * 6_371_008.8) / 360 / 1852;
const FLEET: Record<string, string> = { '412000401': 'F1', '412000402': 'F2' };

function fix(atMs: number, lat: number, lon: number): PositionReport {
  return { source: 'ais', atMs, receivedAtMs: atMs, lat, lon } as PositionReport;
}

function change(id: string, kind: string, fleetId: string, seq: number, action: 'raise' | 'acknowledge', atMs: number, raisedAtMs: number): AlertChange {
  const alert = { id: id as AlertId, kind, severity: 'danger', state: action === 'raise' ? 'raised' : 'acknowledged', vesselIds: [] as VesselId[], fleetId: fleetId as FleetId, fleetIds: [fleetId as FleetId], seq, raisedAtMs, updatedAtMs: atMs, details: {} } as Alert;
  return { alertId: id as AlertId, seq, action, atMs, actor: action === 'raise' ? 'system' : 'wang', alert };
}

describe.skipIf(!postgresAvailable())('needs Debian postgresql: reports from the store', () => {
  let pg: Postgres;
  let store: Store;
  let reports: Reports;
  let nowMs = Date.parse('2026-07-03T00:00:00Z');

  beforeAll(async () => {
    pg = await startPostgres();
    store = await openStore({ databaseUrl: pg.url, dataDir: mkdtempSync(path.join(tmpdir(), 'seagrid-report-')) });
    // 412000401 (F1): 60 min due east along 30.5° N at 0.005° a minute, a fix every 20 s from 08:00 Beijing.
    for (let i = 0; i < 180; i++) store.writePosition('412000401' as VesselId, fix(START + 8 * 60 * MIN + i * 20_000, 30.5, 122.2 + (i / 3) * 0.005));
    // 412000402 (F2): anchored; a fix a minute for 10 min, silent 91 min, 10 more.
    for (const m of [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 100 + i)]) store.writePosition('412000402' as VesselId, fix(START + 9 * 60 * MIN + m * MIN + 5_000, 30.6, 122.3));
    // Alerts: F1's collision acknowledged after 120 s; F2's zone alert never; one the day after.
    const raised = START + 10 * 60 * MIN;
    for (const c of [
      change('A1', 'collision', 'F1', 1, 'raise', raised, raised),
      change('A1', 'collision', 'F1', 2, 'acknowledge', raised + 120_000, raised),
      change('A2', 'zone', 'F2', 1, 'raise', raised + MIN, raised + MIN),
      change('A3', 'zone', 'F2', 1, 'raise', START + 25 * 60 * MIN, START + 25 * 60 * MIN),
    ])
      await store.recordAlertChange(c);
    await store.flush();
    const sea = new SeaPicture(new VesselRegistry([]), SeaGridIndex.build(readSeaGrids()));
    reports = new Reports({ store, sea, fleetOf: (id) => FLEET[id] ?? '', nowMs: () => nowMs });
  }, 120_000);

  it('a day under way is fed each minute once it is 2 min old, brought up to date at most once a minute, and not stored', async () => {
    const day = '2026-07-05';
    const t = Date.parse('2026-07-05T01:00:00Z');
    nowMs = t + 10 * MIN;
    const hours = async (): Promise<number | undefined> => (await reports.view({ by: 'fleet', day, days: 1 }, () => true)).rows.find((r) => r.id === 'F2')?.hoursAtSea;
    store.writePosition('412000402' as VesselId, fix(t, 30.6, 122.3));
    store.writePosition('412000402' as VesselId, fix(t + 9 * MIN, 30.6, 122.3));
    await store.flush();
    expect(await hours()).toBe(1 / 60); // minutes fed up to t + 8 min: one point, its minute
    nowMs += 30_000;
    expect(await hours()).toBe(1 / 60); // within the minute: as it was
    nowMs += 90_000;
    expect(await hours()).toBe(10 / 60); // t + 9 min fed: 9 min to it, its own minute
    expect((await store.reportRollup([day])).stored).toEqual([]);
  });

  afterAll(async () => {
    await store?.close();
    await pg?.dispose();
  });

  it('per fleet: the figures of the tracks and the alerts of the day; stored on the first request, the same when read back', async () => {
    const first = await reports.view({ by: 'fleet', day: DAY, days: 1 }, () => true);
    const byId = new Map(first.rows.map((r) => [r.id, r]));
    expect([...byId.keys()]).toEqual(['F1', 'F2']);
    expect(byId.get('F1')).toMatchObject({ vessels: 1, hoursAtSea: 1, alerts: 1, alertsByKind: { collision: 1 }, alertsBySeverity: { danger: 1 }, acknowledged: 1, medianToAcknowledgeS: 120 });
    expect(byId.get('F1')!.distanceNm).toBeCloseTo(59 * 0.005 * Math.cos((30.5 * Math.PI) / 180) * NM_PER_DEG, 6);
    // 9 one-minute covers, the 10 min cap over the silence, 9 more, the last minute.
    expect(byId.get('F2')).toMatchObject({ vessels: 1, hoursAtSea: 29 / 60, distanceNm: 0, alerts: 1, alertsByKind: { zone: 1 }, acknowledged: 0, medianToAcknowledgeS: null });
    expect(first.dayStates).toEqual([{ day: DAY, complete: true, stored: false }]);
    const again = await reports.view({ by: 'fleet', day: DAY, days: 1 }, () => true);
    expect(again.dayStates).toEqual([{ day: DAY, complete: true, stored: true }]);
    expect(again.rows).toEqual(first.rows);
  });

  it('a fleet leader’s report holds his fleet only; by grid, each grid holds the minutes the vessel’s points lay in it', async () => {
    const his = await reports.view({ by: 'fleet', day: DAY, days: 2 }, (f) => f === 'F2');
    expect(his.rows.map((r) => [r.day, r.id, r.alerts])).toEqual([
      [DAY, 'F2', 1],
      ['2026-07-02', 'F2', 1],
    ]);
    const grids = await reports.view({ by: 'grid', day: DAY, days: 1 }, (f) => f === 'F1');
    // Brute force over F1's minute points (each minute's :40 fix, 1 min each): the grids each lies in.
    const sea = new SeaPicture(new VesselRegistry([]), SeaGridIndex.build(readSeaGrids()));
    const minutes = new Map<string, number>();
    for (let m = 0; m < 60; m++) {
      const a = sea.grids.assign(30.5, 122.2 + (m + 2 / 3) * 0.005, START + 8 * 60 * MIN + m * MIN);
      for (const g of new Set([...a.static, ...a.control, ...a.patrol])) minutes.set(g, (minutes.get(g) ?? 0) + 1);
    }
    expect(minutes.size).toBeGreaterThan(0);
    expect(new Map(grids.rows.filter((r) => r.vessels > 0).map((r) => [r.id, Math.round(r.hoursAtSea * 60 * 1e6) / 1e6]))).toEqual(minutes);
  });
});
