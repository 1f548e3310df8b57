/**
 * `seagrid serve` as a process with its real signal handling (main.ts, run through tsx the way
 * bin/seagrid.js runs the built dist/app/main.js): a start that cannot complete exits non-zero
 * with a clear message, having stopped what it started; a SIGTERM during the start stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../ingest/mqtt-test-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcess;
  readonly dataDir: string;
  stdout(): string;
  stderr(): string;
  /** Exit code (or 128 + signal number), once the process ended. */
  readonly exited: Promise<number>;
}

/** `seagrid serve` against a broker port nobody listens on, its own DATA_DIR and HTTP port. */
async function serveWithoutBroker(env: Record<string, string>): Promise<Run> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-proc-'));
  dirs.push(dataDir);
  const closedPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, MQTT_URL: `mqtt://127.0.0.1:${closedPort}`, HTTP_PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))));
  return { child, dataDir, stdout: () => out, stderr: () => err, exited };
}

/** The exit code, or a failure naming what the process said, if it has not exited within `ms`. */
async function exitWithin(run: Run, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // A second signal forces the exit, which still stops the embedded server; SIGKILL would orphan it.
      run.child.kill('SIGTERM');
      setTimeout(() => run.child.kill('SIGTERM'), 500);
      reject(new Error(`seagrid serve still running after ${ms} ms; stderr:\n${run.stderr().slice(-2000)}`));
    }, ms);
  });
  try {
    return await Promise.race([run.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('seagrid serve with MQTT_URL unreachable', () => {
  it('exits 1 with a clear message once MQTT_START_TIMEOUT_S has passed, the store stopped, nothing left running', async () => {
    const run = await serveWithoutBroker({ MQTT_START_TIMEOUT_S: '2' });
    // Bounded: the embedded store's first start (initdb) plus the 2 s MQTT timeout, with room for a slow machine.
    const code = await exitWithin(run, 60_000);
    expect(code).toBe(1);
    expect(run.stderr()).toMatch(/seagrid: start failed: MQTT mqtt:\/\/127\.0\.0\.1:\d+\/? not ready within 2000 ms: connect ECONNREFUSED/);
    // Everything started was stopped, not left to the exit: the server removed its pid file on a clean shutdown.
    expect(run.stderr()).not.toMatch(/still busy/);
    expect(existsSync(path.join(run.dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(run.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);

  it('stops at the first SIGTERM while it is still waiting for the broker', async () => {
    const run = await serveWithoutBroker({ MQTT_START_TIMEOUT_S: '600' });
    // Connection refused is logged once the store is open and the MQTT client is retrying.
    await until(() => /"msg":"mqtt"/.test(run.stderr()), 60_000, 'the MQTT client retrying');
    run.child.kill('SIGTERM');
    const code = await exitWithin(run, 20_000);
    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/seagrid: stopped/);
    expect(run.stderr()).not.toMatch(/still busy|start failed/);
    expect(existsSync(path.join(run.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);
});

describe('seagrid serve with a bad ALERT_POLICY_FILE', () => {
  it('exits 1 naming the file, the code and the misspelt setting, having stopped the store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-policy-'));
    dirs.push(dir);
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ collision: { warning: { cpaNm: 0.3 } }, collisionOverrides: [{ gridId: 'ANCH-XZM-N', dangerOnly: true, levles: {} }] }));
    const run = await serveWithoutBroker({ MQTT_START_TIMEOUT_S: '600', ALERT_POLICY_FILE: file });
    const code = await exitWithin(run, 60_000);
    expect(code).toBe(1);
    expect(run.stderr()).toContain(`seagrid: start failed: ALERT_POLICY_FILE ${file}: policy.field: collisionOverrides[0].levles: no such setting`);
    expect(existsSync(path.join(run.dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);
});
