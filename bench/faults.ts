/**
 * Fault runs (issue 16 §3) on the production configuration (deploy/stack.sh: Mosquitto with TLS and
 * persistence, PostgreSQL with the service role, `seagrid serve` from dist/), loopback only, bounded.
 *
 * Each run feeds the same simulated fleet (`seagrid simulate --start`: one seed, one clock start, so
 * every run sends the same reports at the same times) while one fault strikes, lets the service drain,
 * then compares the stored positions and raised alerts with a run without a fault, key by key:
 * positions by (vessel, time, source), alerts by (kind, vessels). Lost = in the fault-free run, not in
 * this one; extra = the reverse (a position stored twice cannot happen: that key is the table's
 * primary key); an alert raised twice = one more alert for a (kind, vessels) than without the fault.
 * Only what both runs' feeds reached, less a margin, is compared.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createScenario } from '../sim/index.js';
import { onPath, readStackEnv } from '../app/serve-test-support.js';
import { lastJson, row } from './ingest-load.js';
import type { ReportRow, ReportSection } from './report.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface FaultOptions {
  readonly repoRoot: string;
  /** Wall seconds the feed runs. */
  readonly feedSeconds: number;
  readonly rate: number;
  readonly vessels: number;
  readonly fleets: number;
  /** How long PostgreSQL stays down (the issue: 60 s). */
  readonly outageSeconds: number;
  /** Only the faults whose name this accepts (all by default): to diagnose one. */
  readonly only?: (faultName: string) => boolean;
}

interface Stack {
  ctl(action: 'stop' | 'start' | 'kill', part: 'pg' | 'mqtt' | 'seagrid'): Promise<void>;
}

interface Fault {
  readonly name: string;
  readonly serveEnv?: Record<string, string>;
  /** Seconds into the feed. */
  readonly atS: number;
  strike(s: Stack): Promise<void>;
}

interface Outcome {
  readonly published: number;
  readonly simEndMs: number;
  readonly positions: Map<string, number>;
  /** Grid entries and exits by (vessel, layer, grid, kind, time). */
  readonly gridEvents: Map<string, number>;
  /** Each alert's (kind, vessels), raise time and its changes (action@sim time), to say why one was raised twice. */
  readonly alerts: { key: string; raisedMs: number; history: string }[];
  readonly droppedRows: number;
  readonly spooledPeak: number;
  readonly drainS: number;
}

const SEED = 7;
/** Sim time left out at the end: a receiver's last batching window (1 s) may not have gone out at the stop. */
const MARGIN_MS = 10_000;

export async function runFaults(o: FaultOptions): Promise<ReportSection> {
  const title = 'Faults on the production configuration: broker restart, database outage, kill -9, spool full (deploy/stack.sh)';
  const about =
    `deploy/stack.sh up (Debian Mosquitto with TLS, passwords, ACL and persistence; PostgreSQL with the service role), ` +
    `\`seagrid simulate --rate ${o.rate} --vessels ${o.vessels} --fleets ${o.fleets} --start <fixed>\` for ${o.feedSeconds} s over TLS as the feeder account, one fault per run; ` +
    'each run compared key by key with the fault-free run: positions by (vessel, time, source), alerts by (kind, vessels), up to what both feeds reached less 10 s of sim time.';
  const missing = ['mosquitto', 'mosquitto_passwd', 'openssl', 'psql'].filter((b) => !onPath(b));
  if (missing.length > 0) return { title, about, rows: [], skipped: `not installed: ${missing.join(', ')}` };

  const workDir = mkdtempSync(path.join(tmpdir(), 'seagrid-faults-'));
  // As root the stack runs PostgreSQL as `postgres`, which must reach the runs' directories.
  chmodSync(workDir, 0o755);
  const registryFile = path.join(workDir, 'registry.json');
  writeFileSync(registryFile, JSON.stringify(createScenario({ seed: SEED, vessels: o.vessels, fleets: o.fleets }).registry));
  // The same clock start for every run: a whole minute, 15 min ago, so the feed's times stay behind
  // the wall clock through the runs and within the warm start's 30 min after a kill -9.
  const startIso = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 15 * 60_000).toISOString();
  const common = { REGISTRY_FILE: registryFile, MAX_FIX_AHEAD_S: '0', LOG_LEVEL: 'warn' };

  const faults: Fault[] = [
    {
      name: 'Mosquitto stopped (SIGTERM) and started again after 5 s',
      atS: 15,
      async strike(s) {
        await s.ctl('stop', 'mqtt');
        await sleep(5_000);
        await s.ctl('start', 'mqtt');
      },
    },
    {
      name: `PostgreSQL stopped for ${o.outageSeconds} s`,
      atS: 10,
      async strike(s) {
        await s.ctl('stop', 'pg');
        await sleep(o.outageSeconds * 1000);
        await s.ctl('start', 'pg');
      },
    },
    {
      name: 'seagrid killed (kill -9) and started again after 3 s',
      atS: 15,
      async strike(s) {
        await s.ctl('kill', 'seagrid');
        await sleep(3_000);
        await s.ctl('start', 'seagrid');
      },
    },
    {
      name: `disk spool full (SPOOL_MAX_MB=1) while PostgreSQL is down ${o.outageSeconds} s`,
      serveEnv: { SPOOL_MAX_MB: '1' },
      atS: 10,
      async strike(s) {
        await s.ctl('stop', 'pg');
        await sleep(o.outageSeconds * 1000);
        await s.ctl('start', 'pg');
      },
    },
  ];

  const rows: ReportRow[] = [];
  const cmd = 'npm run bench -- --only faults';
  const one = (name: string, value: number, unit: string, goal?: ReportRow['goal'], notes?: string): void => {
    rows.push(row(name, value, unit, cmd, goal, notes));
  };
  try {
    process.stderr.write('bench: faults: the fault-free run …\n');
    const base = await feedRun(o, workDir, startIso, { ...common }, undefined);
    one('fault-free run: positions stored', base.positions.size, 'positions', undefined, `${base.published.toLocaleString('en-US')} MQTT messages acknowledged by the broker; ${base.alerts.length} alerts raised; drained ${base.drainS.toFixed(0)} s after the feed`);
    for (const f of faults) {
      if (o.only !== undefined && !o.only(f.name)) continue;
      process.stderr.write(`bench: faults: ${f.name} …\n`);
      const r = await feedRun(o, workDir, startIso, { ...common, ...f.serveEnv }, f);
      const cutoff = Math.min(base.simEndMs, r.simEndMs) - MARGIN_MS;
      const cmp = compare(base, r, cutoff);
      const zero = { op: '<=', target: 0 } as const;
      const spoolFull = f.serveEnv?.SPOOL_MAX_MB !== undefined;
      const facts = `${cmp.compared.toLocaleString('en-US')} positions compared; ${r.published.toLocaleString('en-US')} messages acknowledged by the broker; store spool peak ${r.spooledPeak.toLocaleString('en-US')} rows, ${r.droppedRows.toLocaleString('en-US')} rows dropped and counted; drained ${r.drainS.toFixed(0)} s after the feed`;
      if (spoolFull) {
        // A full spool drops rows by design: the goal is that every position missing was counted as dropped.
        one(`${f.name}: positions lost`, cmp.lost, 'positions', undefined, `${facts}; the spool's 1 MiB cannot hold the outage`);
        one(`${f.name}: positions lost and not counted as dropped`, Math.max(0, cmp.lost - r.droppedRows), 'positions', zero);
      } else {
        one(`${f.name}: positions lost`, cmp.lost, 'positions', zero, facts);
      }
      one(`${f.name}: positions not in the fault-free run`, cmp.extra, 'positions', zero);
      one(`${f.name}: grid entries/exits not in the fault-free run`, cmp.grid.extra, 'events', zero, `${cmp.grid.compared.toLocaleString('en-US')} grid events of the fault-free run compared, ${cmp.grid.lost} of them missing here`);
      one(`${f.name}: alerts raised twice`, cmp.alertsTwice, 'alerts', zero, `${cmp.alertsCompared} alerts of the fault-free run compared by (kind, vessels)${alertNotes('raised twice', base, r, cmp.twice)}`);
      one(`${f.name}: alerts of the fault-free run not raised`, cmp.alertsMissing, 'alerts', zero, alertNotes('not raised', base, r, cmp.missed).slice(2));
    }
    return { title, about, rows };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function feedRun(o: FaultOptions, workDir: string, startIso: string, serveEnv: Record<string, string>, fault: Fault | undefined): Promise<Outcome> {
  const dir = mkdtempSync(path.join(workDir, 'run-'));
  const script = path.join(o.repoRoot, 'deploy/stack.sh');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...serveEnv };
  const stack: Stack = {
    async ctl(action, part) {
      await run(script, [action, dir, part], { cwd: o.repoRoot, env, timeout: 180_000 });
    },
  };
  await run(script, ['up', dir], { cwd: o.repoRoot, env, timeout: 240_000 });
  try {
    const rec = readStackEnv(dir);
    const feeder = readFileSync(path.join(dir, 'secrets/mqtt_feeder_password'), 'utf8').trim();
    let simOut = '';
    const sim = spawn(
      process.execPath,
      [path.join(o.repoRoot, 'dist/app/main.js'), 'simulate', '--mqtt', `mqtts://feeder:${feeder}@127.0.0.1:${rec.MQTT_PORT}`, '--rate', String(o.rate), '--vessels', String(o.vessels), '--fleets', String(o.fleets), '--seed', String(SEED), '--start', startIso, '--duration', String(o.feedSeconds)],
      { cwd: o.repoRoot, env: { ...process.env, NODE_EXTRA_CA_CERTS: rec.CA_FILE! }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    sim.stdout!.on('data', (d: Buffer) => (simOut += d.toString()));
    const simDone = new Promise<void>((resolve) => sim.once('exit', () => resolve()));
    let spooledPeak = 0;
    const health = async (): Promise<{ status: string; store: { spooledRows: number; queuedRows: number; droppedRows: number } } | undefined> => {
      try {
        const h = (await (await fetch(`http://127.0.0.1:${rec.HTTP_PORT}/health`, { headers: { connection: 'close' } })).json()) as { status: string; store: { spooledRows: number; queuedRows: number; droppedRows: number } };
        spooledPeak = Math.max(spooledPeak, h.store.spooledRows);
        return h;
      } catch {
        return undefined;
      }
    };
    const watching = setInterval(() => void health(), 1_000);
    try {
      const struck = fault === undefined ? Promise.resolve() : sleep(fault.atS * 1000).then(() => fault.strike(stack));
      await Promise.all([simDone, struck]);
      const done = lastJson(simOut, 'done') as { published: number; simTimeMs: number; unsent: number; failed: number } | undefined;
      if (done === undefined) throw new Error(`the simulator printed no summary: ${simOut.slice(-300)}`);
      // A feed that fell behind and left reports unsent would make the comparison unfair.
      if (done.unsent > 0 || done.failed > 0) throw new Error(`the feed left ${done.unsent} payloads unsent and ${done.failed} failed: lower the rate`);

      // Drained: the service healthy with nothing spooled or queued, and the table still for 10 s.
      const db = new pg.Client({ connectionString: rec.APP_DATABASE_URL });
      await db.connect();
      try {
        const t0 = performance.now();
        let last = -1;
        let still = 0;
        let dropped = 0;
        while (performance.now() - t0 < 300_000) {
          await sleep(1_000);
          const h = await health();
          const n = Number((await db.query('select count(*) as n from positions')).rows[0].n);
          if (h !== undefined) dropped = h.store.droppedRows;
          const idle = h !== undefined && h.store.spooledRows === 0 && h.store.queuedRows === 0;
          still = idle && n === last ? still + 1 : 0;
          last = n;
          if (still >= 10) break;
        }
        const drainS = (performance.now() - t0) / 1000 - 10;
        const positions = new Map<string, number>();
        const pr = await db.query<{ k: string; at: string }>(`select vessel_id || '|' || source || '|' || (extract(epoch from at) * 1000)::bigint as k, (extract(epoch from at) * 1000)::bigint as at from positions`);
        for (const row of pr.rows) positions.set(row.k, Number(row.at));
        const gridEvents = new Map<string, number>();
        const gr = await db.query<{ k: string; at: string }>(
          `select vessel_id || '|' || layer || '|' || grid_id || '|' || kind || '|' || (extract(epoch from at) * 1000)::bigint as k, (extract(epoch from at) * 1000)::bigint as at from grid_events`,
        );
        for (const row of gr.rows) gridEvents.set(row.k, Number(row.at));
        const ar = await db.query<{ kind: string; vessels: string; raised: string; history: string }>(
          `select kind, array_to_string(array(select unnest(vessel_ids) order by 1), ',') as vessels, (extract(epoch from raised_at) * 1000)::bigint as raised,
             (select string_agg(c.action || '@' || to_char(c.at at time zone 'UTC', 'HH24:MI:SS.MS'), ' ' order by c.seq) from alert_changes c where c.alert_id = a.alert_id) as history
           from alerts a`,
        );
        return { published: done.published, simEndMs: done.simTimeMs, positions, gridEvents, alerts: ar.rows.map((a) => ({ key: `${a.kind}|${a.vessels}`, raisedMs: Number(a.raised), history: a.history ?? '' })), droppedRows: dropped, spooledPeak, drainS };
      } finally {
        await db.end();
      }
    } finally {
      clearInterval(watching);
      if (sim.exitCode === null) sim.kill('SIGTERM');
    }
  } finally {
    await run(script, ['down', dir], { cwd: o.repoRoot, env, timeout: 120_000 }).catch(() => undefined);
  }
}

/** Keys of `base` before the cutoff missing from `r`, and keys of `r` before it missing from `base`. */
function diff(base: Map<string, number>, r: Map<string, number>, cutoffMs: number): { compared: number; lost: number; extra: number } {
  let compared = 0;
  let lost = 0;
  let extra = 0;
  for (const [k, at] of base) {
    if (at >= cutoffMs) continue;
    compared++;
    if (!r.has(k)) lost++;
  }
  for (const [k, at] of r) if (at < cutoffMs && !base.has(k)) extra++;
  return { compared, lost, extra };
}

function compare(base: Outcome, r: Outcome, cutoffMs: number) {
  const { compared, lost, extra } = diff(base.positions, r.positions, cutoffMs);
  const grid = diff(base.gridEvents, r.gridEvents, cutoffMs);
  const count = (o: Outcome): Map<string, number> => {
    const m = new Map<string, number>();
    for (const a of o.alerts) if (a.raisedMs < cutoffMs) m.set(a.key, (m.get(a.key) ?? 0) + 1);
    return m;
  };
  const b = count(base);
  const f = count(r);
  let alertsTwice = 0;
  let alertsMissing = 0;
  const twice: string[] = [];
  for (const [k, n] of f) {
    const more = Math.max(0, n - (b.get(k) ?? 0));
    alertsTwice += more;
    if (more > 0) twice.push(k);
  }
  const missed: string[] = [];
  for (const [k, n] of b) {
    const fewer = Math.max(0, n - (f.get(k) ?? 0));
    alertsMissing += fewer;
    if (fewer > 0) missed.push(k);
  }
  return { compared, lost, extra, grid, alertsCompared: [...b.values()].reduce((a, n) => a + n, 0), alertsTwice, alertsMissing, twice, missed };
}

/** Alerts raised more (`raised twice`) or less (`not raised`) often than without the fault, with their histories in both runs (up to 3). */
function alertNotes(what: string, base: Outcome, r: Outcome, keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const told = (o: Outcome, k: string): string =>
    o.alerts
      .filter((a) => a.key === k)
      .map((a) => `[${a.history}]`)
      .join(' ');
  return `; ${what}: ${keys
    .slice(0, 3)
    .map((k) => `${k} here ${told(r, k)}, fault-free ${told(base, k) || '[]'}`)
    .join('; ')}`;
}
