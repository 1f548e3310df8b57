/**
 * End-to-end ingest load: `seagrid simulate` → Debian Mosquitto → `seagrid serve` (live picture),
 * three separate processes on loopback. Sustained position reports per second, CPU per process,
 * and loss: MQTT messages published (acknowledged) versus received by the service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, mosquittoAvailable, startMosquitto, waitForPort } from '../ingest/mqtt-test-support.js';
import { createScenario } from '../sim/index.js';
import { distinctReports, drainFrames, duplicateReports, scrapeMetrics, sumPrefix, type Metrics } from './metrics-scrape.js';
import { cpuTicks, CpuTally, processGroup, TICKS_PER_S } from './proc-stat.js';
import type { ReportRow, ReportSection } from './report.js';

export interface IngestLoadOptions {
  readonly repoRoot: string;
  /** Wall seconds of sustained load. */
  readonly seconds: number;
  /** Simulator time scale: sim seconds per wall second. */
  readonly rate: number;
}

export const GOAL_REPORTS_S = 50_000;
/** `seagrid simulate`'s default seed (app/simulate-command.ts), so the registry matches the feed. */
const SIM_SEED = 7;
const PUBLISHED = 'seagrid_alerts_out_total{outcome="published"}';
/**
 * A service that stalls (a reconnect after a keepalive timeout, a long GC) still gets its queued
 * messages: only this long without one new frame ends the wait and counts the rest as lost (with
 * 5 s a run could not tell a stall from a loss).
 */
const STALL_MS = 30_000;

export async function runIngestLoad(o: IngestLoadOptions): Promise<ReportSection> {
  const title = 'Ingest through a real broker: simulator → Mosquitto → seagrid (live picture, sea grids, alerts, store)';
  const about =
    `\`seagrid simulate --rate ${o.rate}\` (8,000 fishing vessels in 770 fleets + merchant ships) publishes QoS 1 to Debian Mosquitto; ` +
    `\`seagrid serve\` (DEMO=0, MQTT_URL to that broker, REGISTRY_FILE = the scenario's registry as a deployment has it) decodes into its live picture, locates every fix in the sea and fleet grids, runs every alert rule and writes fixes and alert changes to its embedded PostgreSQL — all four processes on the same 2 cores. ${o.seconds} s sustained after the first burst. ` +
    'Loss = MQTT messages the simulator had acknowledged (QoS 1 PUBACK) minus those the service counted (/metrics). CPU from /proc per process.';
  if (!mosquittoAvailable()) return { title, about, rows: [], skipped: 'Debian mosquitto is not installed (apt-get install mosquitto)' };

  const broker = await startMosquitto({ extraConfig: ['max_inflight_messages 0', 'max_queued_messages 1000000'] });
  const httpPort = await freePort();
  const main = path.join(o.repoRoot, 'dist/app/main.js');
  const procs: ChildProcess[] = [];
  // The service records every fix in its embedded PostgreSQL: the load includes the store.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-load-'));
  try {
    // The simulator's own registry (same seed as `seagrid simulate`'s default): fleets known, as in a deployment.
    const registryFile = path.join(dataDir, 'registry.json');
    writeFileSync(registryFile, JSON.stringify(createScenario({ seed: SIM_SEED }).registry));
    const serve = spawn(process.execPath, [main, 'serve'], {
      cwd: o.repoRoot,
      env: { ...process.env, REGISTRY_FILE: registryFile, MQTT_URL: broker.url, DEMO: '0', HTTP_PORT: String(httpPort), LOG_LEVEL: 'warn', MAX_FIX_AHEAD_S: '0', MQTT_CLIENT_ID: `bench-${process.pid}`, DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    procs.push(serve);
    await waitForPort(httpPort, 30_000);
    const metricsAt = (): Promise<Metrics> => scrapeMetrics(httpPort);

    let simOut = '';
    // The feed outlasts the measured window by 10 s: its CPU is read at the window's end (a feed that
    // ended first left no /proc entry to read, and the run failed).
    const sim = spawn(process.execPath, [main, 'simulate', '--mqtt', broker.url, '--rate', String(o.rate), '--seed', String(SIM_SEED), '--duration', String(o.seconds + 15)], {
      cwd: o.repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    procs.push(sim);
    sim.stdout!.on('data', (d: Buffer) => (simOut += d.toString()));

    // Let the first burst (every vessel's first report) pass, then measure a steady window.
    await sleep(5_000);
    const store = new CpuTally(); // backends come and go
    // The cluster's own path: as root DATA_DIR/pg is a link to a cluster the postgres user can reach
    // (store/embedded-layout.ts), and the server's command line names that, not DATA_DIR (the
    // figure read 0.00 % while it did).
    const cluster = realpathSync(path.join(dataDir, 'pg'));
    const pgGroup = (): number[] => processGroup(cluster);
    const pg0 = pgGroup();
    if (pg0.length === 0) throw new Error(`no PostgreSQL process names ${cluster}`);
    const cpu0 = [cpuTicks(serve.pid!), cpuTicks(sim.pid!), cpuTicks(broker.pid()!), store.read(pg0)];
    const m0 = await metricsAt();
    const t0 = performance.now();
    await sleep(o.seconds * 1000);
    const m1 = await metricsAt();
    const wallS = (performance.now() - t0) / 1000;
    const cpu1 = [cpuTicks(serve.pid!), cpuTicks(sim.pid!), cpuTicks(broker.pid()!), store.read(pgGroup())];
    const cpuPct = cpu1.map((c, i) => (100 * (c - cpu0[i]!)) / TICKS_PER_S / wallS);

    await new Promise<void>((resolve) => sim.once('exit', () => resolve()));
    const done = lastJson(simOut, 'done') as { published: number; failed?: number; unsent?: number; lateMs?: number } | undefined;
    if (done === undefined) throw new Error(`simulator printed no summary: ${simOut.slice(-500)}`);
    const { metrics: mEnd, drainS } = await drainFrames(httpPort, done.published, STALL_MS);
    const uniquePerS = (distinctReports(m1) - distinctReports(m0)) / wallS;
    const copiesPerS = (duplicateReports(m1) - duplicateReports(m0)) / wallS;
    const framesIn = sumPrefix(mEnd, 'seagrid_mqtt_frames_total');
    // Only what the broker acknowledged must arrive. (Counting every payload the feed generated made a
    // feed that fell behind and was stopped look like 228,989–337,681 QoS 1 messages lost.)
    const lost = done.published - framesIn;
    const reconnects = mEnd.get('seagrid_mqtt_reconnects_total') ?? 0;
    const cmd = `npm run bench -- --only ingest-load`;
    const rows: ReportRow[] = [
      row('distinct position reports into the live picture, sustained', uniquePerS, 'reports/s', cmd, { op: '>=', target: GOAL_REPORTS_S }, `${wallS.toFixed(1)} s window after the 5 s start burst; copies of a report heard by several receivers are not counted here`),
      row('copies recognised as duplicates (several receivers)', copiesPerS, 'reports/s', cmd, undefined, 'decoded and matched against the vessel\'s recent fixes, then dropped'),
      row('MQTT messages lost (published − received)', Math.max(0, lost), 'messages', cmd, { op: '<=', target: 0 }, `${done.published.toLocaleString('en-US')} acknowledged by the broker (QoS 1), ${framesIn.toLocaleString('en-US')} received after ${reconnects} reconnect(s) of the service (QoS 1 is at least once: a redelivery counts twice, so a loss could hide behind as many redeliveries); the backlog drained ${drainS.toFixed(1)} s after the feed ended. The feed ended ${((done.lateMs ?? 0) / 1000).toFixed(1)} s behind its schedule with ${(done.unsent ?? 0).toLocaleString('en-US')} payloads generated but not yet handed over, ${(done.failed ?? 0).toLocaleString('en-US')} handed but unacknowledged at its stop`),
      row('CPU seagrid serve', cpuPct[0]!, '% of one core', cmd),
      row('CPU seagrid simulate', cpuPct[1]!, '% of one core', cmd),
      row('CPU mosquitto', cpuPct[2]!, '% of one core', cmd),
      row('CPU embedded PostgreSQL (the store)', cpuPct[3]!, '% of one core', cmd, undefined, 'server and backends: every fix that joins a track is written'),
      row('rejections in the service', sumPrefix(mEnd, 'seagrid_rejected_total'), 'records', cmd, undefined, rejectionsByCode(mEnd)),
      row('alerts raised (every rule)', (sumPrefix(m1, 'seagrid_alerts_raised_total') - sumPrefix(m0, 'seagrid_alerts_raised_total')) / wallS, 'alerts/s', cmd, undefined, `${sumPrefix(mEnd, 'seagrid_alerts_open')} open at the end; alert changes published on MQTT ${(((m1.get(PUBLISHED) ?? 0) - (m0.get(PUBLISHED) ?? 0)) / wallS).toFixed(0)}/s`),
      // A goal: a feed the store only spools is not ingested "with the store" (until 2026-12-04 the
      // service's loop was held 1–2 s at a time, its database connections timed out, and ~1 M fixes a run went to the spool).
      row('fixes spooled to disk by the store', sumPrefix(mEnd, 'seagrid_store_spooled_rows_total'), 'rows', cmd, { op: '<=', target: 0 }, 'non-zero: the database fell behind the feed (or was unreachable)'),
    ];
    return { title, about, rows };
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function row(name: string, value: number, unit: string, command: string, goal?: ReportRow['goal'], notes?: string): ReportRow {
  return {
    name,
    unit,
    summary: { median: value, min: value, max: value, rounds: 1 },
    command,
    ...(goal === undefined ? {} : { goal }),
    ...(notes === undefined ? {} : { notes }),
  };
}

function rejectionsByCode(m: Metrics): string {
  const parts: string[] = [];
  for (const [k, v] of m) if (k.startsWith('seagrid_rejected_total{') && v > 0) parts.push(`${k.slice(23, -1)}: ${v}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export function lastJson(text: string, key: string): unknown {
  const lines = text.trim().split('\n').reverse();
  for (const l of lines) {
    try {
      const o = JSON.parse(l) as Record<string, unknown>;
      if (key in o) return o[key];
    } catch {
      // progress lines only
    }
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
