import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { seededRandom, VesselRegistry, type AlertChange, type AlertId, type FleetId } from '../model/index.js';
import { openStore, type ReportRollupRow } from '../store/index.js';
import { postgresAvailable, startPostgres } from '../store/pg-test-support.js';
import { readSeaGrids } from './refdata.js';
import { Reports } from './report.js';
import { daysFrom, dayStartMs, DAY_MS } from './report-rollup.js';

/**
 * A month of daily reports (GET /api/reports, days=31) read from the stored rollup, against a real
 * PostgreSQL (the system's Debian server, a throwaway cluster): the simulated Zhoushan sea's 770
 * fleets, each in the whole-sea row and in about three grids a day (≈ 3,000 rollup rows a day,
 * 95,000 for the month), and 200 alerts a day with an acknowledgement each. Rows are written
 * straight into the rollup (as the service stores a settled day), so the round measures the
 * report's reads and its joining, not the making of a day from fixes. One round: by grid, then
 * by fleet.
 */
export const title = 'reports: a month of daily reports from the rollup';

const FIRST_DAY = '2026-06-01';
const DAYS = 31;
const FLEETS = 770;
const ALERTS_PER_DAY = 200;

let reports: Reports | undefined;
let rollupRows = 0;

async function setup(): Promise<Reports> {
  const pg = await startPostgres({ unref: true });
  const store = await openStore({ databaseUrl: pg.url, dataDir: mkdtempSync(path.join(tmpdir(), 'seagrid-report-bench-')) });
  const sea = new SeaPicture(new VesselRegistry([]), SeaGridIndex.build(readSeaGrids()));
  const grids = sea.grids.grids().filter((g) => g.layer === 'static' || g.layer === 'control' || g.layer === 'patrol').map((g) => g.id);
  const rng = seededRandom(20260601);
  const fleets = Array.from({ length: FLEETS }, (_, i) => `F${String(i).padStart(3, '0')}`);
  for (const day of daysFrom(FIRST_DAY, DAYS)) {
    const rows: ReportRollupRow[] = [];
    for (const f of fleets) {
      const vessels = 5 + Math.floor(rng() * 15);
      const row = (gridId: string, share: number): ReportRollupRow => ({ day, gridId, fleetId: f, vessels: Math.max(1, Math.round(vessels * share)), atSeaS: vessels * share * 14 * 3600, distanceM: vessels * share * 60 * 1852, moratoriumS: 0 });
      rows.push(row('', 1));
      const mine = new Set(Array.from({ length: 3 }, () => grids[Math.floor(rng() * grids.length)]!));
      for (const g of mine) rows.push(row(g, 0.3));
    }
    rollupRows += rows.length;
    await store.putReportDay(day, rows.length * 1000, rows);
    const start = dayStartMs(day);
    for (let i = 0; i < ALERTS_PER_DAY; i++) {
      const raised = start + Math.floor(rng() * DAY_MS);
      const id = `bench-${day}-${i}` as AlertId;
      const fleetId = fleets[Math.floor(rng() * FLEETS)]! as FleetId;
      const alert = { id, kind: rng() < 0.5 ? 'collision' : 'zone', severity: rng() < 0.3 ? 'danger' : 'warning', state: 'raised', vesselIds: [], fleetId, fleetIds: [fleetId], seq: 1, raisedAtMs: raised, updatedAtMs: raised, details: {} } as const;
      const raise: AlertChange = { alertId: id, seq: 1, action: 'raise', atMs: raised, actor: 'system', alert };
      const ack: AlertChange = { alertId: id, seq: 2, action: 'acknowledge', atMs: raised + 60_000 + Math.floor(rng() * 600_000), actor: 'wang', alert: { ...alert, seq: 2, state: 'acknowledged' } };
      void store.recordAlertChange(raise);
      await store.recordAlertChange(ack);
    }
  }
  await store.flush();
  const nowMs = dayStartMs(FIRST_DAY) + (DAYS + 2) * DAY_MS;
  return new Reports({ store, sea, fleetOf: () => '', nowMs: () => nowMs });
}

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string }[]> {
  if (!postgresAvailable()) throw new Error('needs Debian postgresql (apt-get install postgresql)');
  reports ??= await setup();
  const out: { name: string; value: number; unit: string; notes?: string }[] = [];
  for (const by of ['grid', 'fleet'] as const) {
    const started = performance.now();
    const v = await reports.view({ by, day: FIRST_DAY, days: DAYS }, () => true);
    const ms = performance.now() - started;
    if (!v.dayStates.every((d) => d.stored)) throw new Error('a day was not read from the rollup');
    out.push({ name: `a month of daily reports by ${by} (GET /api/reports?days=31)`, value: ms, unit: 'ms', notes: `${v.rows.length.toLocaleString('en')} report rows from ${rollupRows.toLocaleString('en')} rollup rows and ${(DAYS * ALERTS_PER_DAY).toLocaleString('en')} alerts` });
  }
  return out;
}
