import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ReportRow, ReportSection } from './report.js';
import { summarize } from './stats.js';

/** The capture both tools decode: gpsd's own AISHub sample, 85,182 sentences. */
export const CAPTURE = 'fixtures/ais/gpsd/ais-nmea-sample.log';

interface Timing {
  readonly wallMs: number;
  /** User + system CPU of the child (getrusage of the children, via bash's `times`). */
  readonly cpuMs: number;
}

interface Contender {
  readonly label: string;
  readonly command: string;
}

export interface CompareOptions {
  readonly repoRoot: string;
  readonly runs: number;
}

/**
 * Whole-process time of `seagrid decode` against Debian's `gpsdecode` on the same file: start-up,
 * reading, decoding and printing JSON included. Runs alternate between the commands so drift in
 * machine load hits all of them alike. Each run is timed inside a bash wrapper: `$EPOCHREALTIME`
 * around the command for wall time, `times` for the children's CPU (getrusage, ms resolution).
 */
export function compareWithGpsdecode(o: CompareOptions): ReportSection {
  const title = 'Whole process: seagrid decode vs gpsdecode';
  const extraCa = process.env['NODE_EXTRA_CA_CERTS'];
  const about =
    `Wall and CPU time of one whole process decoding \`${CAPTURE}\` (85,182 sentences) to JSON on /dev/null, ` +
    `${o.runs} alternating runs per command after one warm-up run each; ratios are gpsdecode ÷ seagrid per round ` +
    '(> 1: seagrid is faster), median over the rounds. gpsdecode is Debian `gpsd-clients` (`gpsdecode -j`, scaled JSON).' +
    (extraCa === undefined
      ? ''
      : ` This shell sets NODE_EXTRA_CA_CERTS=${extraCa}: every Node process then parses that CA bundle before running any ` +
        'code (≈ 50 ms here, measured with an empty script). It belongs to the machine, not to either tool, so the commands ' +
        'run without it (`env -u NODE_EXTRA_CA_CERTS`); one more row runs seagrid with it, as this shell would.');
  const missing = whyUnavailable(o.repoRoot);
  if (missing !== undefined) return { title, about, rows: [], skipped: missing };

  const clean = extraCa === undefined ? '' : 'env -u NODE_EXTRA_CA_CERTS ';
  const contenders: Contender[] = [
    { label: 'gpsdecode -j (stdin)', command: `${clean}gpsdecode -j < ${CAPTURE} > /dev/null 2>/dev/null` },
    { label: 'seagrid decode FILE', command: `${clean}node bin/seagrid.js decode ${CAPTURE} > /dev/null 2>/dev/null` },
    { label: 'seagrid decode (stdin)', command: `${clean}node bin/seagrid.js decode < ${CAPTURE} > /dev/null 2>/dev/null` },
  ];
  if (extraCa !== undefined) {
    contenders.push({ label: 'seagrid decode FILE, with this shell\'s NODE_EXTRA_CA_CERTS', command: `node bin/seagrid.js decode ${CAPTURE} > /dev/null 2>/dev/null` });
  }
  const outputs = contenders.map((c) => countOutputLines(o.repoRoot, c.command.replace(' > /dev/null 2>/dev/null', '')));
  const failed = outputs.findIndex((n) => n.error !== undefined);
  if (failed >= 0) return { title, about, rows: [], skipped: `\`${contenders[failed]!.command}\` failed: ${outputs[failed]!.error}` };

  for (const c of contenders) time(o.repoRoot, c.command); // warm-up: page cache, binaries
  const timings: Timing[][] = contenders.map(() => []);
  for (let run = 0; run < o.runs; run++) {
    // Rotate the order too, so no command always runs right after the same other one.
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + run) % contenders.length;
      timings[i]!.push(time(o.repoRoot, contenders[i]!.command));
    }
  }

  const rows: ReportRow[] = [];
  contenders.forEach((c, i) => {
    const t = timings[i]!;
    const notes = `${outputs[i]!.lines.toLocaleString('en-US')} JSON lines out`;
    rows.push({ name: `${c.label}: wall`, unit: 'ms', summary: summarize(t.map((x) => x.wallMs)), command: c.command, notes });
    rows.push({ name: `${c.label}: CPU (user+sys)`, unit: 'ms', summary: summarize(t.map((x) => x.cpuMs)), command: c.command });
  });
  const reproduce = 'npm run bench -- --only gpsdecode';
  const ratio = (seagrid: number, key: keyof Timing): number[] =>
    timings[0]!.map((g, r) => g[key] / timings[seagrid]![r]![key]);
  rows.push({ name: 'ratio gpsdecode ÷ seagrid, wall, FILE', unit: '×', summary: summarize(ratio(1, 'wallMs')), command: reproduce, goal: { op: '>', target: 1 } });
  rows.push({ name: 'ratio gpsdecode ÷ seagrid, wall, stdin', unit: '×', summary: summarize(ratio(2, 'wallMs')), command: reproduce, goal: { op: '>', target: 1 } });
  rows.push({ name: 'ratio gpsdecode ÷ seagrid, CPU, FILE', unit: '×', summary: summarize(ratio(1, 'cpuMs')), command: reproduce, notes: 'Node counts its JIT and GC threads here' });
  rows.push({ name: 'ratio gpsdecode ÷ seagrid, CPU, stdin', unit: '×', summary: summarize(ratio(2, 'cpuMs')), command: reproduce });
  if (extraCa !== undefined) {
    rows.push({ name: 'ratio gpsdecode ÷ seagrid, wall, FILE, with NODE_EXTRA_CA_CERTS', unit: '×', summary: summarize(ratio(3, 'wallMs')), command: reproduce, notes: 'seagrid started as this shell starts Node: with the CA bundle parse' });
  }
  return { title, about, rows };
}

function whyUnavailable(repoRoot: string): string | undefined {
  if (spawnSync('bash', ['-c', 'command -v gpsdecode'], { stdio: 'ignore' }).status !== 0) {
    return '`gpsdecode` is not installed (Debian/Ubuntu: `apt-get install gpsd-clients`).';
  }
  if (!existsSync(path.join(repoRoot, 'dist/app/main.js'))) return '`dist/app/main.js` is missing: run `npm run build` first.';
  if (!existsSync(path.join(repoRoot, CAPTURE))) return `\`${CAPTURE}\` is missing.`;
  return undefined;
}

function countOutputLines(cwd: string, command: string): { lines: number; error?: string } {
  const r = spawnSync('bash', ['-c', `${command} 2>/dev/null`], { cwd, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) return { lines: 0, error: `exit ${r.status ?? r.signal}` };
  let lines = 0;
  for (let i = r.stdout.indexOf('\n'); i >= 0; i = r.stdout.indexOf('\n', i + 1)) lines++;
  if (lines === 0) return { lines, error: 'printed nothing' };
  return { lines };
}

function time(cwd: string, command: string): Timing {
  const script = `s=$EPOCHREALTIME; ${command}; rc=$?; e=$EPOCHREALTIME; times; echo "$s $e $rc"`;
  const startedNs = process.hrtime.bigint();
  const out = execFileSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const outerMs = Number(process.hrtime.bigint() - startedNs) / 1e6;
  const lines = out.trim().split('\n');
  const children = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[1] ?? '');
  const [s, e, rc] = (lines[2] ?? '').split(' ');
  if (children === null || rc !== '0') throw new Error(`timing \`${command}\` failed: ${out}`);
  const cpuMs =
    (Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000;
  // bash < 5 has no $EPOCHREALTIME: fall back to the time around bash itself (adds its start-up).
  const wallMs = s !== '' && e !== '' && s !== undefined && e !== undefined ? (Number(e) - Number(s)) * 1000 : outerMs;
  return { wallMs, cpuMs };
}
