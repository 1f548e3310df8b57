/**
 * Test-only: `seagrid serve` in this process on free loopback ports, an embedded broker and an
 * embedded PostgreSQL in a fresh temp DATA_DIR. Runtime code never imports this file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { freePort } from '../ingest/mqtt-test-support.js';
import { runCli } from './cli.js';

export interface ServeUnderTest {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly mqttPort: number;
  readonly dataDir: string;
  /** What the service printed on stdout so far. */
  printed(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number>;
  /** Remove the data dir (after stop). */
  dispose(): void;
}

/** Starts the service with `env` on top of free ports and a temp DATA_DIR. */
export async function startServe(env: Readonly<Record<string, string>>): Promise<ServeUnderTest> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-serve-'));
  const port = await freePort();
  const mqttPort = await freePort();
  let signal: (s: string) => void = () => {};
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (d: Buffer) => (printed += d.toString()));
  const running = runCli({
    argv: ['serve'],
    env: { HTTP_PORT: String(port), MQTT_PORT: String(mqttPort), LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env },
    stdin: new PassThrough(),
    stdout,
    stderr: new PassThrough(),
    nowMs: () => Date.now(),
    stopSignal: new Promise((r) => (signal = r)),
  });
  return {
    base: `http://127.0.0.1:${port}`,
    mqttPort,
    dataDir,
    printed: () => printed,
    stop: () => {
      signal('SIGTERM');
      return running;
    },
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Polls until `probe` answers something other than undefined (the embedded PostgreSQL initialises its cluster on first start). */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A bearer token for a user of the service under test (`POST /api/auth/login`, session `bearer`). */
export async function signInBearer(base: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, session: 'bearer' }) });
  if (!r.ok) throw new Error(`sign-in of ${username}: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

/** Whether a program is on PATH (a Debian tool a suite or bench needs, to skip by name without it). */
export function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(path.join(d, bin)));
}

/** `deploy/stack.sh`'s record of what `up` started (DIR/stack.env: KEY=VALUE lines). */
export function readStackEnv(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path.join(dir, 'stack.env'), 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
