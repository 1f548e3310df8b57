/**
 * The end-to-end harness, short: a few seconds at a low rate through Debian Mosquitto and
 * PostgreSQL, `seagrid serve` and `seagrid simulate` run through tsx. Its figures exist and add up:
 * nothing lost, every collision pair's alert seen by every client, tracer deltas seen.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mosquittoAvailable } from '../ingest/mqtt-test-support.js';
import { postgresAvailable, startPostgres } from '../store/pg-test-support.js';
import { runStep } from './e2e-step.js';
import { block, keepBlocks, withBlock } from './report-merge.js';
import { scanWsMessage } from './e2e-tracer.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('report blocks', () => {
  it('a block is replaced in place, appended when absent, and kept across a rewrite of the rest', () => {
    const doc = `# Benchmarks\n\n## a\n\n${block('e2e', 'old figures')}\n## b\n`;
    expect(withBlock(doc, 'e2e', 'new figures')).toBe(`# Benchmarks\n\n## a\n\n${block('e2e', 'new figures')}\n## b\n`);
    expect(withBlock('# Benchmarks\n', 'e2e', 'x')).toBe(`# Benchmarks\n\n${block('e2e', 'x')}`);
    expect(keepBlocks(doc, '# Benchmarks\n\n## c\n')).toBe(`# Benchmarks\n\n## c\n\n${block('e2e', 'old figures')}`);
    // A rewrite that writes the block itself keeps its own.
    expect(keepBlocks(doc, `# B\n${block('e2e', 'mine')}`)).toBe(`# B\n${block('e2e', 'mine')}`);
  });
});

describe('/ws scan', () => {
  it('finds tracer positions and alert changes in a delta as JSON.stringify encodes it, nothing in a snapshot', () => {
    const view = (vesselId: string, lat: number, lon: number) => ({ vesselId, mmsi: Number(vesselId), beidouCard: null, name: null, shipType: null, fleetId: null, lat, lon, sogKn: 10, cogDeg: 90, headingDeg: 90, at: '2026-01-01T00:00:00.000Z', source: 'ais', grids: { static: [], control: [], patrol: [], fishingZone: null, fleet: null, h3: null, zones: [] } });
    const alert = (kind: string, vesselIds: string[]) => ({ alertId: 'a1', seq: 1, action: 'raise', at: 'x', actor: 'system', note: null, alert: { id: 'a1', kind, vesselIds, details: { note: '"alerts":[' } } });
    const delta = { type: 'delta', at: 'x', vessels: [view('413123456', 30, 122), view('412000003', 24.26, 125.0005), view('412000007', 24.34, 125.25)], removed: ['412000009'], alerts: [alert('collision', ['413000000', '413000001'])] };
    const s = scanWsMessage(Buffer.from(JSON.stringify(delta)));
    expect(s.tracers).toEqual([
      { vesselId: '412000003', lat: 24.26, lon: 125.0005 },
      { vesselId: '412000007', lat: 24.34, lon: 125.25 },
    ]);
    expect(s.alerts).toEqual([{ kind: 'collision', vesselIds: ['413000000', '413000001'] }]);
    expect(scanWsMessage(Buffer.from(JSON.stringify({ ...delta, alerts: [] }))).alerts).toEqual([]);
    expect(scanWsMessage(Buffer.from(JSON.stringify({ ...delta, type: 'snapshot' })))).toEqual({ tracers: [], alerts: [] });
  });
});

/** 1–2 min on a loaded machine (four processes started through tsx, the drain): run on request, `E2E_SMOKE=1`. */
const smoke = process.env.E2E_SMOKE === '1' && mosquittoAvailable() && postgresAvailable();

describe.skipIf(!smoke)('end-to-end harness smoke (E2E_SMOKE=1; needs Debian mosquitto and postgresql)', () => {
  it('a short low-rate step: 0 lost, every pair alerted on every client, tracer deltas seen, figures per process', async () => {
    const pg = await startPostgres();
    try {
      const clients = 20;
      const r = await runStep({ repoRoot: ROOT, launch: (entry) => ['--import', 'tsx', path.join(ROOT, `${entry}.ts`)], pg, rate: 20, seconds: 6, warmupS: 3, vessels: 1_000, fleets: 100, wsClients: clients, tracers: 5, pairsPerS: 2, index: 0 });
      expect(r.lost).toBe(0);
      expect(r.received).toBeGreaterThanOrEqual(r.published);
      expect(r.reportsPerS).toBeGreaterThan(0);
      // 2 pairs a second for ~6 s (timers run late on a loaded machine): each pair's alert reaches each of the 20 clients once.
      expect(r.pairs).toBeGreaterThanOrEqual(5);
      expect(r.alertsMissing).toBe(0);
      expect(r.alertMs.length).toBe(r.pairs * clients);
      expect(r.tracerReports).toBeGreaterThanOrEqual(15);
      expect(r.deltaMs.length).toBeGreaterThan(0);
      for (const ms of [...r.alertMs, ...r.deltaMs]) expect(ms).toBeGreaterThan(0);
      for (const p of Object.values(r.procs)) expect(p.peakPssBytes).toBeGreaterThan(0);
      expect(r.procs.seagrid.cpuPct).toBeGreaterThan(0);
      expect(r.procs.simulator.cpuPct).toBeGreaterThan(0);
    } finally {
      await pg.dispose();
    }
  }, 240_000);
});
