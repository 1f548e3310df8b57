import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom, type AlertChange, type AlertId, type PositionReport, type VesselId } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres } from '../store/pg-test-support.js';
import { buildEvidencePack } from './evidence.js';
import { unzipFiles } from './evidence-zip.js';

/**
 * An evidence pack of a one-hour incident (issue 15 "Done when": goal < 2 s), against a real
 * PostgreSQL (the system's Debian server, a throwaway cluster). The scene: two vessels on crossing
 * courses whose collision alert stays open an hour (a change every 30 s, 121 in all), 30 fishing
 * vessels drifting within 2.5 nm of the scene, 150 under way in the 12 nm around (about the
 * simulated Zhoushan fleet's density, 0.36 vessels per nm², so many pass within 3 nm during the
 * window and are packed as near), and 3,000 elsewhere on the coast; every vessel reports every
 * 10 s for 2 h, class A with receiver and receipt time (≈ 2.3 M rows). One round: the whole pack — four reads, CSV/GeoJSON/SVG, hashes and the zip —
 * as `GET /api/alerts/{id}/evidence` makes it.
 */
export const title = 'evidence pack: a one-hour incident from PostgreSQL';

const T0 = Date.parse('2025-10-12T02:00:00Z');
const SPAN_MS = 2 * 3_600_000;
const STEP_MS = 10_000;
const RAISE_MS = T0 + 40 * 60_000;
const CENTRE = { lat: 29.8, lon: 122.9 };
const ALERT_ID = 'collision-bench-1' as AlertId;

interface State {
  readonly store: Store;
  readonly rows: number;
}
let state: State | undefined;

/** A straight track at constant speed through (lat, lon) at time `atMs`. */
interface Mover {
  readonly id: VesselId;
  readonly lat: number;
  readonly lon: number;
  readonly atMs: number;
  readonly sogKn: number;
  readonly cogDeg: number;
}

function positionAt(m: Mover, t: number): { lat: number; lon: number } {
  const nm = (m.sogKn * (t - m.atMs)) / 3_600_000;
  const rad = (m.cogDeg * Math.PI) / 180;
  const lat = m.lat + (nm * Math.cos(rad)) / 60;
  return { lat, lon: m.lon + (nm * Math.sin(rad)) / 60 / Math.cos((lat * Math.PI) / 180) };
}

async function setup(): Promise<State> {
  const pg = await startPostgres({ unref: true, extraConfig: ["shared_buffers = '512MB'"] });
  const store = await openStore({ databaseUrl: pg.url, dataDir: mkdtempSync(path.join(tmpdir(), 'seagrid-evidence-bench-')) });
  const rng = seededRandom(20251012);
  const movers: Mover[] = [
    { id: '412000001' as VesselId, lat: CENTRE.lat, lon: CENTRE.lon, atMs: RAISE_MS + 20 * 60_000, sogKn: 9, cogDeg: 80 },
    { id: '412000002' as VesselId, lat: CENTRE.lat, lon: CENTRE.lon, atMs: RAISE_MS + 20 * 60_000, sogKn: 11, cogDeg: 350 },
  ];
  const around = (n: number, base: number, radiusNm: number, slow: boolean): void => {
    for (let i = 0; i < n; i++) {
      const r = radiusNm * Math.sqrt(rng());
      const a = rng() * 2 * Math.PI;
      movers.push({
        id: String(base + i) as VesselId,
        lat: CENTRE.lat + (r * Math.cos(a)) / 60,
        lon: CENTRE.lon + (r * Math.sin(a)) / 60 / Math.cos((CENTRE.lat * Math.PI) / 180),
        atMs: RAISE_MS + 20 * 60_000,
        // Near ones drift (fishing), so they stay near; the others pass at a trawler's or coaster's speed.
        sogKn: slow ? rng() * 1.5 : 3 + rng() * 9,
        cogDeg: rng() * 360,
      });
    }
  };
  around(30, 413_000_000, 2.5, true);
  around(150, 414_000_000, 12, false);
  for (let i = 0; i < 3000; i++) {
    movers.push({ id: String(415_000_000 + i) as VesselId, lat: 27 + rng() * 5, lon: 120 + rng() * 3, atMs: T0, sogKn: rng() * 10, cogDeg: rng() * 360 });
  }
  let rows = 0;
  for (let t = T0; t < T0 + SPAN_MS; t += STEP_MS) {
    for (const m of movers) {
      const p = positionAt(m, t);
      const report: PositionReport = { source: 'ais', mmsi: Number(m.id) as never, atMs: t, receivedAtMs: t + 800, lat: p.lat, lon: p.lon, sogKn: m.sogKn, cogDeg: m.cogDeg, headingDeg: Math.round(m.cogDeg), navStatus: 0, receiver: 'rx-bench' };
      store.writePosition(m.id, report);
      rows++;
    }
    // Let the writer drain: the feed must not outrun it into the spool.
    if (store.health().queuedRows > 50_000) await store.flush();
  }
  await store.flush();
  // The alert: raised, then figures every 30 s for an hour.
  const [a, b] = movers;
  for (let seq = 1; seq <= 121; seq++) {
    const at = RAISE_MS + (seq - 1) * 30_000;
    const tcpaMin = (RAISE_MS + 20 * 60_000 - at) / 60_000;
    const c: AlertChange = {
      alertId: ALERT_ID,
      seq,
      action: seq === 1 ? 'raise' : 'update',
      atMs: at,
      actor: 'system',
      alert: {
        id: ALERT_ID, kind: 'collision', severity: 'danger', state: 'raised', vesselIds: [a!.id, b!.id], raisedAtMs: RAISE_MS, updatedAtMs: at, seq,
        details: { cpaNm: 0.02, tcpaMin, rangeNm: 1, meetingPoint: CENTRE },
      },
    };
    await store.recordAlertChange(c);
  }
  return { store, rows };
}

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string; goal?: { op: '<'; target: number } }[]> {
  if (!postgresAvailable()) throw new Error('needs Debian postgresql (apt-get install postgresql)');
  state ??= await setup();
  // How long the build holds the event loop at a time (a served pack's feed waits that long).
  const stalls = monitorEventLoopDelay({ resolution: 2 });
  stalls.enable();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const pack = await buildEvidencePack(state.store, { subject: { kind: 'alert', alertId: ALERT_ID }, actor: 'bench' }, Date.now());
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  stalls.disable();
  if ('refused' in pack) throw new Error(`pack refused: ${pack.detail}`);
  const files = unzipFiles(pack.zip);
  const fixes = new TextDecoder().decode(files.get('fixes-as-received.csv')!).split('\n').length - 2;
  const vessels = (JSON.parse(new TextDecoder().decode(files.get('subject.json')!)) as { vessels: unknown[] }).vessels.length;
  return [
    {
      name: 'evidence pack of a one-hour incident (GET /api/alerts/{id}/evidence)',
      value: ms,
      unit: 'ms',
      notes: `${vessels} vessels, ${fixes.toLocaleString('en')} fixes, ${(pack.zip.length / 1e6).toFixed(1)} MB zip; node CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms (zlib's pool included); table ${state.rows.toLocaleString('en')} rows`,
      goal: { op: '<', target: 2000 },
    },
    {
      name: 'longest event-loop stall while the pack is built',
      value: stalls.max / 1e6,
      unit: 'ms',
      notes: `perf_hooks.monitorEventLoopDelay (2 ms resolution) over the build; p99 ${(stalls.percentile(99) / 1e6).toFixed(1)} ms`,
    },
  ];
}
