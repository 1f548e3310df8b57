/**
 * One rate step of the end-to-end harness: `seagrid simulate --rate R` → Debian Mosquitto →
 * `seagrid serve` (store on Debian PostgreSQL, every alert rule, N /ws clients reading) → PostgreSQL,
 * each a process of its own on loopback, with the harness's tracers and collision pairs
 * (bench/e2e-tracer.ts) for the latencies. A fresh broker and database per step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MqttPublisher } from '../ingest/adapters.js';
import { freePort, startMosquitto, waitForPort } from '../ingest/mqtt-test-support.js';
import { createScenario } from '../sim/index.js';
import type { Postgres } from '../store/pg-test-support.js';
import { LatencyBook, MAX_PAIRS, pairKey, pairReport, TRACER_TOPIC, tracerKey, tracerReport } from './e2e-tracer.js';
import type { WsClientsEvent } from './e2e-ws-clients.js';
import { lastJson } from './ingest-load.js';
import { distinctReports, drainFrames, duplicateReports, scrapeMetrics, sumPrefix } from './metrics-scrape.js';
import { CpuTally, processGroup, pssOf, TICKS_PER_S } from './proc-stat.js';

/** How a part is started: `node dist/app/main.js` after a build, `node --import tsx app/main.ts` in a test. */
export type Launch = (entry: 'app/main' | 'bench/e2e-ws-clients') => string[];

export interface StepOptions {
  readonly repoRoot: string;
  readonly launch: Launch;
  readonly pg: Postgres;
  /** Simulator time scale (sim seconds per wall second). */
  readonly rate: number;
  /** Measured window, wall seconds, after `warmupS`. */
  readonly seconds: number;
  readonly warmupS: number;
  readonly vessels?: number;
  /** With `vessels`: the simulator needs 5–15 vessels a fleet (default 770 fleets). */
  readonly fleets?: number;
  readonly wsClients: number;
  readonly tracers: number;
  readonly pairsPerS: number;
  /** Node options for `seagrid serve` alone (e.g. `--cpu-prof`, for where its time goes). */
  readonly serveNodeArgs?: readonly string[];
  /** Distinguishes the step's database. */
  readonly index: number;
}

export interface ProcFigures {
  readonly cpuPct: number;
  readonly peakPssBytes: number;
}

export interface StepResult {
  readonly rate: number;
  readonly seconds: number;
  readonly reportsPerS: number;
  readonly copiesPerS: number;
  readonly published: number;
  readonly received: number;
  readonly lost: number;
  readonly reconnects: number;
  readonly drainS: number;
  readonly feedLateS: number;
  readonly unsent: number;
  /** The simulator's MQTT link: reconnections during the step, and messages awaiting PUBACK at its stop. */
  readonly simReconnects: number;
  readonly simInFlight: number;
  readonly deltaMs: readonly number[];
  readonly alertMs: readonly number[];
  readonly tracerReports: number;
  /** Tracer states some client was never sent (a newer one replaced it, or the run ended first). */
  readonly tracerMissing: number;
  readonly pairs: number;
  readonly alertsMissing: number;
  readonly procs: Readonly<Record<'simulator' | 'mosquitto' | 'seagrid' | 'postgres' | 'wsClients', ProcFigures>>;
  readonly spooledRows: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly wsBytesPerS: number;
  readonly wsClosed: number;
  readonly alertsPerS: number;
}

const SIM_SEED = 7;
const STALL_MS = 30_000;
/** Sightings may still be on their way when the window ends. */
const LATE_SIGHTINGS_MS = 3_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const wallNow = (): number => performance.timeOrigin + performance.now();

export async function runStep(o: StepOptions): Promise<StepResult> {
  const broker = await startMosquitto({ extraConfig: ['max_inflight_messages 0', 'max_queued_messages 1000000'] });
  const workDir = mkdtempSync(path.join(tmpdir(), 'seagrid-e2e-'));
  const procs: ChildProcess[] = [];
  const admin = new pg.Client({ connectionString: o.pg.url });
  let tracerPub: MqttPublisher | undefined;
  let serveExit: string | undefined;
  try {
    await admin.connect();
    const db = `e2e_${process.pid}_${o.index}`;
    await admin.query(`drop database if exists ${db}`);
    await admin.query(`create database ${db}`);
    const registryFile = path.join(workDir, 'registry.json');
    writeFileSync(registryFile, JSON.stringify(createScenario({ seed: SIM_SEED, vessels: o.vessels, fleets: o.fleets }).registry));
    const httpPort = await freePort();
    const start = (entry: Parameters<Launch>[0], args: string[], extra: object = {}, nodeArgs: readonly string[] = []): ChildProcess => {
      const c = spawn(process.execPath, [...nodeArgs, ...o.launch(entry), ...args], { cwd: o.repoRoot, stdio: ['ignore', 'pipe', 'inherit'], ...extra });
      procs.push(c);
      return c;
    };
    const serve = start('app/main', ['serve'], {
      env: {
        ...process.env,
        DATABASE_URL: o.pg.url.replace(/\/postgres$/, `/${db}`),
        MQTT_URL: broker.url,
        DEMO: '0',
        HTTP_PORT: String(httpPort),
        LOG_LEVEL: 'warn',
        // The simulator runs ahead of the wall clock: its fix times are in the future.
        MAX_FIX_AHEAD_S: '0',
        MQTT_CLIENT_ID: `e2e-${process.pid}-${o.index}`,
        DATA_DIR: workDir,
        REGISTRY_FILE: registryFile,
      },
    }, o.serveNodeArgs);
    serve.stdout!.resume();
    serve.once('exit', (code, signal) => (serveExit = `code ${code}, signal ${signal}`));
    await waitForPort(httpPort, 60_000);

    const clients = start('bench/e2e-ws-clients', [String(httpPort), String(o.wsClients)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const deltas = new LatencyBook();
    const alerts = new LatencyBook();
    let totals: Extract<WsClientsEvent, { type: 'totals' }> | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      clients.once('exit', (code) => reject(new Error(`the /ws clients exited (code ${code})`)));
      clients.on('message', (e: WsClientsEvent) => {
        if (e.type === 'ready') resolve();
        else if (e.type === 'totals') totals = e;
        else {
          for (const [c, id, lon, at] of e.tracers) deltas.saw(c, tracerKey(id, lon), at);
          for (const [c, kind, ids, at] of e.alerts) if (kind === 'collision') alerts.saw(c, pairKey(ids), at);
        }
      });
    });
    await ready;

    tracerPub = await MqttPublisher.connect(broker.url, { clientId: `e2e-tracer-${process.pid}` });
    let simOut = '';
    const sim = start('app/main', ['simulate', '--mqtt', broker.url, '--rate', String(o.rate), '--seed', String(SIM_SEED), '--duration', String(o.warmupS + o.seconds + 5), ...(o.vessels === undefined ? [] : ['--vessels', String(o.vessels)]), ...(o.fleets === undefined ? [] : ['--fleets', String(o.fleets)])]);
    sim.stdout!.on('data', (d: Buffer) => (simOut += d.toString()));
    const simExit = new Promise<void>((resolve) => sim.once('exit', () => resolve()));

    // Let the first burst (every vessel's first report) pass, then measure a steady window.
    await sleep(o.warmupS * 1000);
    const groups = {
      simulator: processGroup(sim.pid!),
      mosquitto: processGroup(broker.pid()!),
      seagrid: processGroup(serve.pid!),
      postgres: processGroup(o.pg.pid()!),
      wsClients: processGroup(clients.pid!),
    };
    const names = Object.keys(groups) as (keyof typeof groups)[];
    const peak = Object.fromEntries(names.map((k) => [k, 0])) as Record<keyof typeof groups, number>;
    const tallies = Object.fromEntries(names.map((k) => [k, new CpuTally()])) as Record<keyof typeof groups, CpuTally>;
    const cpuNow = (): Record<keyof typeof groups, number> => Object.fromEntries(names.map((k) => [k, tallies[k].read(groups[k])])) as Record<keyof typeof groups, number>;
    const cpu0 = cpuNow();
    const sample = (): void => {
      groups.postgres = processGroup(o.pg.pid()!); // backends come and go
      for (const k of names) peak[k] = Math.max(peak[k], pssOf(groups[k]));
      cpuNow();
    };
    const m0 = await scrapeMetrics(httpPort);
    const t0 = performance.now();

    // Tracers: one report each per second, staggered; pairs at pairsPerS. Every publish stamped as handed over.
    let tracerN = 0;
    let pairN = 0;
    const tracerTimer = setInterval(() => {
      const i = (tracerN % o.tracers) + 1;
      const r = tracerReport(i, Math.floor(tracerN / o.tracers));
      tracerN++;
      deltas.published(tracerKey(String(r.mmsi), r.lonRaw / 600_000), wallNow());
      void tracerPub!.send(TRACER_TOPIC, r.line, 1).catch(() => undefined);
    }, 1000 / o.tracers);
    const pairTimer = setInterval(() => {
      if (pairN >= MAX_PAIRS) return;
      const p = pairReport(pairN++);
      alerts.published(pairKey(p.ids), wallNow());
      void tracerPub!.send(TRACER_TOPIC, p.payload, 1).catch(() => undefined);
    }, 1000 / o.pairsPerS);
    const sampler = setInterval(sample, 1000);
    await sleep(o.seconds * 1000);
    clearInterval(tracerTimer);
    clearInterval(pairTimer);
    clearInterval(sampler);
    sample();
    const m1 = await scrapeMetrics(httpPort);
    const wallS = (performance.now() - t0) / 1000;
    const cpu1 = cpuNow();
    const procFigures = Object.fromEntries(names.map((k) => [k, { cpuPct: (100 * (cpu1[k] - cpu0[k])) / TICKS_PER_S / wallS, peakPssBytes: peak[k] }])) as StepResult['procs'];

    await simExit;
    const done = lastJson(simOut, 'done') as { published: number; unsent?: number; lateMs?: number; reconnects?: number; inFlight?: number } | undefined;
    if (done === undefined) throw new Error(`the simulator printed no summary: ${simOut.slice(-500)}`);
    await tracerPub.close(10_000);
    const published = done.published + tracerPub.state().acked;
    const { metrics: mEnd, drainS } = await drainFrames(httpPort, published, STALL_MS);
    await sleep(LATE_SIGHTINGS_MS);
    const stopped = new Promise<void>((r) => clients.once('exit', () => r()));
    clients.send('stop');
    await stopped;

    const received = sumPrefix(mEnd, 'seagrid_mqtt_frames_total');
    return {
      rate: o.rate,
      seconds: wallS,
      reportsPerS: (distinctReports(m1) - distinctReports(m0)) / wallS,
      copiesPerS: (duplicateReports(m1) - duplicateReports(m0)) / wallS,
      published,
      received,
      lost: Math.max(0, published - received),
      reconnects: mEnd.get('seagrid_mqtt_reconnects_total') ?? 0,
      drainS,
      feedLateS: (done.lateMs ?? 0) / 1000,
      unsent: done.unsent ?? 0,
      simReconnects: done.reconnects ?? 0,
      simInFlight: done.inFlight ?? 0,
      deltaMs: deltas.samples,
      alertMs: alerts.samples,
      tracerReports: deltas.publishedCount,
      tracerMissing: deltas.missing(o.wsClients),
      pairs: alerts.publishedCount,
      alertsMissing: alerts.missing(o.wsClients),
      procs: procFigures,
      spooledRows: sumPrefix(mEnd, 'seagrid_store_spooled_rows_total'),
      eventLoopP99Ms: (mEnd.get('seagrid_event_loop_delay_seconds{quantile="0.99"}') ?? Number.NaN) * 1000,
      eventLoopMaxMs: (mEnd.get('seagrid_event_loop_delay_seconds{quantile="1"}') ?? Number.NaN) * 1000,
      wsBytesPerS: (sumPrefix(m1, 'seagrid_ws_sent_bytes_total') - sumPrefix(m0, 'seagrid_ws_sent_bytes_total')) / wallS,
      wsClosed: totals?.closed ?? 0,
      alertsPerS: (sumPrefix(m1, 'seagrid_alerts_raised_total') - sumPrefix(m0, 'seagrid_alerts_raised_total')) / wallS,
    };
  } catch (e) {
    // A scrape that failed because the service is gone says less than its exit does.
    if (serveExit !== undefined) throw new Error(`seagrid serve exited during the step (${serveExit})`, { cause: e });
    throw e;
  } finally {
    if (tracerPub !== undefined) await tracerPub.close(1_000).catch(() => undefined);
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
    await admin.end().catch(() => undefined);
    await broker.dispose();
    rmSync(workDir, { recursive: true, force: true });
  }
}
