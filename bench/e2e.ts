/**
 * `npm run bench:e2e`: the end-to-end harness (issue 16 §2) at increasing feed rates, its section
 * written into BENCHMARKS.md as a block of its own (bench/report-merge.ts; `npm run bench` keeps it).
 *
 *   node dist/bench/e2e.js [--steps RATE:SECONDS,…] [--smoke] [--vessels N] [--fleets N] [--clients N] [--tracers N]
 *                          [--pairs-per-s N] [--warmup S] [--out FILE] [--no-write] [--serve-node-args '--cpu-prof …']
 *
 * E2E_STEPS in the environment stands for --steps. `--smoke`: one short step at a low rate and 1,000 vessels, printed only.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresAvailable, startPostgres } from '../store/pg-test-support.js';
import { mosquittoAvailable } from '../ingest/mqtt-test-support.js';
import { findRepoRoot } from './discover.js';
import { e2eSection, type E2eRunInfo } from './e2e-report.js';
import { runStep, type StepResult } from './e2e-step.js';
import { machineInfo } from './machine.js';
import { withBlock } from './report-merge.js';
import { renderSection, type ReportSection } from './report.js';

/**
 * 10× first (~3,300 distinct reports/s: the peak ARCHITECTURE.md estimates for the East China Sea's
 * BeiDou and AIS traffic, which this machine keeps up with, so its latencies are a kept-up feed's,
 * not a backlog's), then 60× and 240× (beyond this machine: the trend), then the goal's 5 minutes
 * at the rate that would give ~50,000 reports/s.
 */
const DEFAULT_STEPS = '10:60,60:60,240:60,820:300';
/**
 * Seconds before a step's window: the start burst (every vessel's first report at once, ~8,200
 * new vessels to place) kept seagrid busy ~5 s at 10× (its CPU profile), and with a 5 s wait the
 * first pairs of the window queued behind it (publish→alert p99 259–585 ms against a p50 of 3 ms).
 */
const WARMUP_S = 15;
const SMOKE_STEPS = '30:10';

interface Args {
  steps: { rate: number; seconds: number }[];
  vessels: number | undefined;
  fleets: number | undefined;
  clients: number;
  tracers: number;
  pairsPerS: number;
  warmupS: number;
  out: string | undefined;
  write: boolean;
  serveNodeArgs: string[];
  smoke: boolean;
}

export function parseSteps(text: string): { rate: number; seconds: number }[] {
  return text.split(',').map((s) => {
    const [rate, seconds] = s.split(':').map(Number);
    if (!(rate! > 0) || !(seconds! >= 1)) throw new Error(`a step is RATE:SECONDS (e.g. 240:60), got ${JSON.stringify(s)}`);
    return { rate: rate!, seconds: seconds! };
  });
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { steps: parseSteps(process.env.E2E_STEPS ?? DEFAULT_STEPS), vessels: undefined, fleets: undefined, clients: 20, tracers: 10, pairsPerS: 2, warmupS: WARMUP_S, out: undefined, write: true, smoke: false, serveNodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--smoke') {
      a.smoke = true;
      a.write = false;
      a.steps = parseSteps(SMOKE_STEPS);
      // A small fleet: its start burst passes in a moment (8,000 vessels' took 48 s to drain on a loaded machine).
      a.vessels ??= 1_000;
      a.fleets ??= 100;
      a.warmupS = 3;
      continue;
    }
    if (flag === '--no-write') {
      a.write = false;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    const n = Number(v);
    if (flag === '--steps') a.steps = parseSteps(v);
    else if (flag === '--out') (a.out = v), (a.write = true);
    else if (flag === '--serve-node-args') a.serveNodeArgs = v.split(' ').filter((x) => x !== '');
    else if (!(n > 0)) throw new Error(`${flag} needs a positive number, got ${v}`);
    else if (flag === '--vessels') a.vessels = Math.round(n);
    else if (flag === '--fleets') a.fleets = Math.round(n);
    else if (flag === '--clients') a.clients = Math.round(n);
    else if (flag === '--tracers') a.tracers = Math.round(n);
    else if (flag === '--pairs-per-s') a.pairsPerS = n;
    else if (flag === '--warmup') a.warmupS = n;
    else throw new Error(`unknown argument ${flag}`);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const distDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repoRoot = findRepoRoot(distDir);
const machine = machineInfo(repoRoot, new Date());
const info: E2eRunInfo = {
  command: `npm run bench:e2e -- --steps ${args.steps.map((s) => `${s.rate}:${s.seconds}`).join(',')}`,
  vessels: args.vessels,
  wsClients: args.clients,
  tracers: args.tracers,
  pairsPerS: args.pairsPerS,
  warmupS: args.warmupS,
};

let section: ReportSection;
const missing = [mosquittoAvailable() ? undefined : 'Debian mosquitto', postgresAvailable() ? undefined : 'Debian postgresql'].filter((x) => x !== undefined);
if (missing.length > 0) {
  section = { title: 'End to end', rows: [], skipped: `not installed: ${missing.join(', ')}` };
} else {
  const pg = await startPostgres({ extraConfig: ['max_connections = 100'] });
  const results: StepResult[] = [];
  const failures: string[] = [];
  try {
    for (const [index, s] of args.steps.entries()) {
      process.stderr.write(`bench:e2e: ${s.rate}× for ${s.seconds} s …\n`);
      let r: StepResult;
      try {
        r = await runStep({ repoRoot, launch: (entry) => [path.join(distDir, `${entry}.js`)], pg, rate: s.rate, seconds: s.seconds, warmupS: args.warmupS, ...(args.vessels === undefined ? {} : { vessels: args.vessels }), ...(args.fleets === undefined ? {} : { fleets: args.fleets }), wsClients: args.clients, tracers: args.tracers, pairsPerS: args.pairsPerS, serveNodeArgs: args.serveNodeArgs, index });
      } catch (e) {
        // A step that breaks (the service died, a part would not start) is a finding too: said, and the next step runs.
        const msg = e instanceof Error ? e.message : String(e);
        failures.push(`${s.rate}× for ${s.seconds} s failed: ${msg.split('\n')[0]}`);
        process.stderr.write(`bench:e2e: ${s.rate}× failed: ${e instanceof Error ? (e.stack ?? msg) : msg}\n`);
        continue;
      }
      results.push(r);
      process.stderr.write(`bench:e2e: ${s.rate}×: ${r.reportsPerS.toFixed(0)} reports/s, ${r.lost} lost, ${r.alertMs.length} alert sightings\n`);
    }
  } finally {
    await pg.dispose();
  }
  section = e2eSection(results, info, failures);
}

const body = [
  `<!-- Written by \`npm run bench:e2e\` (bench/e2e.ts); \`npm run bench\` keeps this block. -->`,
  '',
  ...renderSection(section),
  `Taken ${machine.date} at commit ${machine.commit}; ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}; load average (1 min) at start ${machine.loadAvg1.toFixed(2)}.`,
].join('\n');
process.stdout.write(`${body}\n`);
if (args.write) {
  const out = args.out ?? path.join(repoRoot, 'BENCHMARKS.md');
  writeFileSync(out, withBlock(existsSync(out) ? readFileSync(out, 'utf8') : '', 'e2e', body));
  process.stderr.write(`bench:e2e: wrote ${path.relative(process.cwd(), out) || out}\n`);
}
