/**
 * The server's CPU with 20 consoles connected (issue 13): a real `seagrid serve` process with the
 * full demo feed (DEMO=1: the built-in simulator's 8,000 fishing vessels and merchant ships in real
 * time into its embedded broker, every grid, fleet and alert rule, the embedded PostgreSQL), and
 * 20 real `ws` clients reading every message in a process of their own (dist/bench/e2e-ws-clients.js,
 * the end-to-end harness's readers), so their reading is not in the server's figure.
 *
 * Each round: the server's CPU over a window with no client, then over a window with the 20
 * clients connected (after every one has its snapshot). CPU is the node process's own (utime +
 * stime from /proc/PID/stat; the embedded PostgreSQL's processes are not in it), as % of one core.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../ingest/mqtt-test-support.js';

export const title = 'seagrid serve with the demo feed: CPU with 20 /ws consoles';

interface Result {
  name: string;
  value: number;
  unit: string;
  notes?: string;
}

const CLIENTS = 20;
/** The measured windows (ms): without clients, then with them. */
const QUIET_MS = 6_000;
const CONNECTED_MS = 10_000;
/** The server is stopped this long after the last round (the runner calls rounds back to back). */
const IDLE_CLOSE_MS = 2_000;

/** What bench/e2e-ws-clients.ts sends its parent (its own type lives in bench/, which app/ may not import). */
type ClientsEvent = { type: 'ready' } | { type: 'seen' } | { type: 'totals'; bytes: number; messages: number; closed: number };

interface State {
  readonly serve: ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  readonly vessels: number;
}
let state: State | undefined;
let closeTimer: NodeJS.Timeout | undefined;

/** utime + stime of one process in seconds (/proc/PID/stat fields 14 and 15, after the command name). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function vesselCount(port: number): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/vessels?limit=10000`);
    return r.ok ? ((await r.json()) as unknown[]).length : 0;
  } catch {
    return 0;
  }
}

async function setup(): Promise<State> {
  const main = path.resolve('dist/app/main.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-serve-ws-bench-'));
  const port = await freePort();
  const serve = spawn(process.execPath, [main, 'serve'], {
    env: { ...process.env, DEMO: '1', HTTP_PORT: String(port), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // The demo places its fleet over the first seconds: wait until the count holds still.
  let last = -1;
  for (const end = Date.now() + 180_000; ; ) {
    if (serve.exitCode !== null) throw new Error(`seagrid serve exited with ${serve.exitCode}`);
    if (Date.now() > end) throw new Error('the demo did not place its vessels within 180 s');
    const n = await vesselCount(port);
    if (n > 1000 && n === last) return { serve, port, dataDir, vessels: n };
    last = n;
    await sleep(3000);
  }
}

async function close(): Promise<void> {
  const s = state;
  state = undefined;
  if (s === undefined) return;
  const exited = new Promise((r) => s.serve.once('exit', r));
  s.serve.kill('SIGTERM');
  await exited;
  rmSync(s.dataDir, { recursive: true, force: true });
}

/** 20 readers in their own process; resolves once every one has its snapshot. */
async function connectClients(port: number): Promise<{ stop(): Promise<{ bytes: number; messages: number; closed: number }> }> {
  const child = fork(path.resolve('dist/bench/e2e-ws-clients.js'), [String(port), String(CLIENTS)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let ready: () => void = () => undefined;
  let totals: (t: { bytes: number; messages: number; closed: number }) => void = () => undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  const gotTotals = new Promise<{ bytes: number; messages: number; closed: number }>((r) => (totals = r));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the ws clients exited with ${code}`))));
  exited.catch(() => undefined);
  child.on('message', (e: ClientsEvent) => {
    if (e.type === 'ready') ready();
    else if (e.type === 'totals') totals(e);
  });
  await Promise.race([isReady, exited]);
  return {
    stop: async () => {
      child.send('stop');
      const t = await Promise.race([gotTotals, exited]);
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      return t;
    },
  };
}

/** The bytes of /ws payload the server has sent (its own counter on /metrics). */
async function wsBytesSent(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^seagrid_ws_sent_bytes_total\s+(\S+)/m.exec(text)?.[1] ?? NaN);
}

/** The server's CPU over `ms` (% of one core) and the seconds it took. */
async function cpuOver(pid: number, ms: number): Promise<{ percent: number; seconds: number }> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(ms);
  const seconds = (performance.now() - t0) / 1000;
  return { percent: (100 * (cpuSeconds(pid) - c0)) / seconds, seconds };
}

export async function run(): Promise<Result[]> {
  if (closeTimer !== undefined) clearTimeout(closeTimer);
  state ??= await setup();
  const { serve, port, vessels } = state;
  const pid = serve.pid!;
  const quiet = await cpuOver(pid, QUIET_MS);
  const clients = await connectClients(port);
  // From here every client has its snapshot: what follows is the feed's deltas.
  const b0 = await wsBytesSent(port);
  const connected = await cpuOver(pid, CONNECTED_MS);
  const b1 = await wsBytesSent(port);
  const totals = await clients.stop();
  closeTimer = setTimeout(() => void close(), IDLE_CLOSE_MS);
  const notes = `${vessels} vessels in the live picture (DEMO=1, real time); CPU of the node process (/proc/PID/stat), its embedded PostgreSQL not included; the clients read in a process of their own`;
  return [
    { name: 'server CPU, demo feed, no client', value: quiet.percent, unit: '% of one core', notes },
    { name: `server CPU, demo feed, ${CLIENTS} clients (all vessels)`, value: connected.percent, unit: '% of one core', notes },
    {
      name: `bytes per client per second, demo feed, ${CLIENTS} clients (all vessels)`,
      value: (b1 - b0) / CLIENTS / connected.seconds,
      unit: 'B/s',
      notes: `the server's seagrid_ws_sent_bytes_total after every snapshot; ${totals.closed} of ${CLIENTS} sockets closed early`,
    },
  ];
}
