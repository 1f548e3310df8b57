/**
 * The benchmark runner (`npm run bench`): runs every compiled `*.bench.js` in-process, then the
 * whole-process comparison with gpsdecode, and writes BENCHMARKS.md. With `--only`, prints the
 * selected sections and leaves BENCHMARKS.md alone (unless `--out` is given).
 *
 *   node dist/bench/run.js [--only SUBSTRING]… [--rounds N] [--process-runs N] [--load-seconds S] [--load-rate X] [--out FILE]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findBenchFiles, findRepoRoot } from './discover.js';
import { machineInfo } from './machine.js';
import { runFaults } from './faults.js';
import { runIngestLoad } from './ingest-load.js';
import { compareWithGpsdecode } from './process-compare.js';
import { renderMarkdown, type ReportRow, type ReportSection } from './report.js';
import { keepBlocks } from './report-merge.js';
import { summarize } from './stats.js';
import type { BenchResult, Goal } from './types.js';

interface Args {
  only: string[];
  rounds: number;
  processRuns: number;
  loadSeconds: number;
  loadRate: number;
  out: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  // 60 s at 240× real time: the simulated Zhoushan fleet makes about 350 distinct reports/s in real time.
  const a: Args = { only: [], rounds: 7, processRuns: 10, loadSeconds: 60, loadRate: 240, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--only') a.only.push(value);
    else if (flag === '--rounds') a.rounds = positiveInt(flag, value);
    else if (flag === '--process-runs') a.processRuns = positiveInt(flag, value);
    else if (flag === '--load-seconds') a.loadSeconds = positiveInt(flag, value);
    else if (flag === '--load-rate') a.loadRate = positiveInt(flag, value);
    else if (flag === '--out') a.out = value;
    else throw new Error(`unknown argument ${flag}`);
    i++;
  }
  return a;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${v}`);
  return n;
}

const args = parseArgs(process.argv.slice(2));
const distDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repoRoot = findRepoRoot(distDir);
const selected = (id: string): boolean => args.only.length === 0 || args.only.some((s) => id.includes(s));
const machine = machineInfo(repoRoot, new Date());
const sections: ReportSection[] = [];
let failures = 0;

for (const file of findBenchFiles(distDir)) {
  const id = path.relative(distDir, file).replace(/\.js$/, '');
  if (!selected(id)) continue;
  process.stderr.write(`bench: ${id} …\n`);
  const section = await runModule(file, id, args.rounds);
  if (section.skipped !== undefined) failures++;
  sections.push(section);
}
if (selected('ingest-load')) {
  process.stderr.write('bench: ingest load through Mosquitto (about a minute) …\n');
  sections.push(await runIngestLoad({ repoRoot, seconds: args.loadSeconds, rate: args.loadRate }));
}
if (selected('faults')) {
  process.stderr.write('bench: faults on the production configuration (about 10 minutes) …\n');
  sections.push(await runFaults({ repoRoot, feedSeconds: 40, rate: 10, vessels: 2_000, fleets: 200, outageSeconds: 60 }));
}
if (selected('gpsdecode')) {
  process.stderr.write('bench: whole process vs gpsdecode …\n');
  sections.push(compareWithGpsdecode({ repoRoot, runs: args.processRuns }));
}

const method =
  `in-process modules: 1 warm-up round, then ${args.rounds} timed rounds, each a call of the module's \`run()\`; ` +
  'the figure is the median, the spread half the min–max range. Timings are on a shared machine: read the spread.';
const markdown = renderMarkdown({ machine, method, sections });
const out = args.out ?? (args.only.length === 0 ? path.join(repoRoot, 'BENCHMARKS.md') : undefined);
if (out !== undefined) {
  // Blocks other commands wrote (npm run bench:e2e's) stay.
  writeFileSync(out, keepBlocks(existsSync(out) ? readFileSync(out, 'utf8') : undefined, markdown));
  process.stderr.write(`bench: wrote ${path.relative(process.cwd(), out) || out}\n`);
}
process.stdout.write(markdown);
if (failures > 0) process.exitCode = 1;

/** Warm-up, then timed rounds; figures grouped by name across rounds. A throwing module becomes a skipped section. */
async function runModule(file: string, id: string, rounds: number): Promise<ReportSection> {
  const reproduce = `npm run bench -- --only ${id}`;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run?: unknown; title?: unknown };
    const title = typeof mod.title === 'string' ? `${id} — ${mod.title}` : id;
    if (typeof mod.run !== 'function') return { title, rows: [], skipped: 'exports no `run()` function' };
    const run = mod.run as () => Promise<unknown>;
    normalize(await run());
    const byName = new Map<string, { first: BenchResult; values: number[] }>();
    for (let r = 0; r < rounds; r++) {
      for (const res of normalize(await run())) {
        const seen = byName.get(res.name);
        if (seen === undefined) byName.set(res.name, { first: res, values: [res.value] });
        else seen.values.push(res.value);
      }
    }
    const rows: ReportRow[] = [...byName.values()].map(({ first, values }) => ({
      name: first.name,
      unit: first.unit,
      summary: summarize(values),
      command: reproduce,
      ...(first.goal === undefined ? {} : { goal: first.goal }),
      ...(first.notes === undefined ? {} : { notes: first.notes }),
    }));
    return { title, rows };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`bench: ${id} failed: ${e instanceof Error ? (e.stack ?? msg) : msg}\n`);
    return { title: id, rows: [], skipped: `the bench threw: ${msg}` };
  }
}

/** Accepts `{name, value, unit, notes?, goal?}` and the shorter `{name, opsPerSec}`. */
function normalize(results: unknown): BenchResult[] {
  if (!Array.isArray(results)) throw new Error('run() must resolve to an array');
  return results.map((r: unknown): BenchResult => {
    if (typeof r !== 'object' || r === null) throw new Error(`not a result: ${String(r)}`);
    const o = r as Record<string, unknown>;
    if (typeof o.name !== 'string') throw new Error(`result without a name: ${JSON.stringify(r)}`);
    const notes = typeof o.notes === 'string' ? o.notes : undefined;
    const goal = isGoal(o.goal) ? o.goal : undefined;
    let value: number;
    let unit: string;
    if (typeof o.value === 'number' && typeof o.unit === 'string') {
      value = o.value;
      unit = o.unit;
    } else if (typeof o.opsPerSec === 'number') {
      value = o.opsPerSec;
      unit = 'ops/s';
    } else {
      throw new Error(`result ${o.name} has neither value+unit nor opsPerSec`);
    }
    if (!Number.isFinite(value)) throw new Error(`result ${o.name} is not a finite number: ${value}`);
    return { name: o.name, value, unit, ...(notes === undefined ? {} : { notes }), ...(goal === undefined ? {} : { goal }) };
  });
}

function isGoal(g: unknown): g is Goal {
  if (typeof g !== 'object' || g === null) return false;
  const o = g as Record<string, unknown>;
  return typeof o.target === 'number' && (o.op === '>=' || o.op === '>' || o.op === '<=' || o.op === '<');
}
