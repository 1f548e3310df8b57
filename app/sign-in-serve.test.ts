/**
 * Sign-in in the real service (issue 14, "Done when"): `seagrid serve` as a process refuses a
 * non-loopback HTTP_HOST without users; with USERS_FILE it guards the API, and after sign-ins
 * (failed ones included) neither its log (every level) nor its store holds a clear password.
 * `seagrid user add|list|passwd` then work on the same store. The embedded PostgreSQL, as deployed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../ingest/mqtt-test-support.js';
import { openStore } from '../store/index.js';
import { embeddedAvailable } from '../store/embedded.js';
import { hashPassword } from '../web/index.js';
import { runCli } from './cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  readonly child: ChildProcess;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<number>;
}

async function serve(dataDir: string, env: Record<string, string>): Promise<Run> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HTTP_PORT: String(port), MQTT_PORT: String(await freePort()), DEMO: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))));
  return { child, port, stdout: () => out, stderr: () => err, exited };
}

async function within<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what()}`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const PASSWORDS = { wang: 'Officer-clear-4417', li: 'Leader-clear-8830', root: 'Admin-clear-2291' };

describe.skipIf(!embeddedAvailable())('needs the embedded PostgreSQL: sign-in in seagrid serve', () => {
  it('HTTP_HOST=0.0.0.0 with no users exits non-zero and says why, having bound nothing', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-noauth-'));
    dirs.push(dataDir);
    const run = await serve(dataDir, { HTTP_HOST: '0.0.0.0' });
    try {
      const code = await within(run.exited, 90_000, run.stderr);
      expect(code).not.toBe(0);
      expect(run.stderr()).toMatch(/HTTP_HOST=0\.0\.0\.0 is not a loopback address and no users are configured/);
      expect(run.stdout()).not.toMatch(/command map and API on/);
    } finally {
      run.child.kill('SIGTERM');
    }
  }, 120_000);

  it('with USERS_FILE the API needs a session; after sign-ins the log and the store hold no clear password; seagrid user works on the store', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-auth-serve-'));
    dirs.push(dataDir);
    const usersFile = path.join(dataDir, 'users.csv');
    const rows = await Promise.all([
      ['wang', 'officer', ''],
      ['li', 'fleet_leader', 'PT-SJM-017'],
      ['root', 'admin', ''],
    ].map(async ([u, role, fleets]) => `${u},${role},${fleets},${await hashPassword(PASSWORDS[u as keyof typeof PASSWORDS])}`));
    writeFileSync(usersFile, `username,role,fleets,passwordHash\n${rows.join('\n')}\n`);
    // trace: every line the service can write is in the check below.
    const run = await serve(dataDir, { USERS_FILE: usersFile, LOG_LEVEL: 'trace' });
    const base = `http://127.0.0.1:${run.port}`;
    const login = (username: string, password: string): Promise<Response> =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, session: 'bearer' }) });
    try {
      await within(
        (async () => {
          for (;;) {
            try {
              if ((await fetch(`${base}/health`)).status > 0) return;
            } catch {
              await new Promise((r) => setTimeout(r, 200));
            }
          }
        })(),
        90_000,
        run.stderr,
      );
      expect(run.stdout()).not.toMatch(/no users configured/);
      expect((await fetch(`${base}/api/vessels`)).status).toBe(401);
      expect((await login('wang', 'Officer-WRONG-0001')).status).toBe(401);
      expect((await login('nobody', 'Nobody-clear-7777')).status).toBe(401);
      const ok = await login('wang', PASSWORDS.wang);
      expect(ok.status).toBe(200);
      const { token } = (await ok.json()) as { token: string };
      expect((await fetch(`${base}/api/vessels`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const admin = ((await (await login('root', PASSWORDS.root)).json()) as { token: string }).token;
      const made = await fetch(`${base}/api/users`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhao', role: 'analyst', password: 'Analyst-clear-6402' }) });
      expect(made.status).toBe(201);
      // A file user is changed in the file, not through the API.
      expect((await fetch(`${base}/api/users/li`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } })).status).toBe(409);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await within(run.exited, 30_000, run.stderr)).toBe(0);

    const store = await openStore({ dataDir });
    let dump: string;
    try {
      dump = JSON.stringify([await store.users(), await store.sessions(Date.now()), await store.audit({ limit: 10_000 })]);
    } finally {
      await store.close();
    }
    expect(dump).toContain('"username":"zhao"');
    expect(dump).toContain('"action":"sign-in"');
    const log = run.stdout() + run.stderr();
    expect(log).toMatch(/users file loaded/);
    for (const pw of [...Object.values(PASSWORDS), 'Officer-WRONG-0001', 'Nobody-clear-7777', 'Analyst-clear-6402']) {
      expect({ pw, inStore: dump.includes(pw), inLog: log.includes(pw) }).toEqual({ pw, inStore: false, inLog: false });
    }

    // The command line on the same store, the service stopped.
    const cli = async (argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> => {
      const input = new PassThrough();
      input.end(stdin);
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await runCli({ argv, env: { DATA_DIR: dataDir }, stdin: input, stdout, stderr, nowMs: Date.now, stopSignal: new Promise(() => undefined) });
      return { code, out, err };
    };
    expect(await cli(['user', 'add', 'wu', '--role', 'fleet_leader', '--fleets', 'PT-SJM-018'], 'Leader-cli-5150\n')).toMatchObject({ code: 0 });
    expect((await cli(['user', 'add', 'wu', '--role', 'analyst'], 'Whatever-pass-1\n')).code).toBe(1);
    expect((await cli(['user', 'add', 'x', '--role', 'fleet_leader'], 'Whatever-pass-1\n')).code).toBe(2);
    expect((await cli(['user', 'passwd', 'wu'], 'short\n')).code).toBe(1);
    expect((await cli(['user', 'passwd', 'li'], 'Leader-cli-6160\n')).err).toMatch(/USERS_FILE/);
    expect(await cli(['user', 'passwd', 'wu'], 'Leader-cli-7272\n')).toMatchObject({ code: 0 });
    const list = await cli(['user', 'list']);
    expect(list.out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').slice(0, 4).join(' '))).toEqual([
      'li fleet_leader PT-SJM-017 file',
      'root admin  file',
      'wang officer  file',
      'wu fleet_leader PT-SJM-018 store',
      'zhao analyst  store',
    ]);
    // The broker's acl_file from the same users: each leader his fleet's topics, the service its own account.
    const acl = await cli(['user', 'acl', '--service', 'svc']);
    expect(acl.code).toBe(0);
    expect(acl.out).toContain('user wu\ntopic read alerts/v1/PT-SJM-018/#\ntopic read dispatch/v1/PT-SJM-018/#\n');
    expect(acl.out).toContain('user li\ntopic read alerts/v1/PT-SJM-017/#\ntopic read dispatch/v1/PT-SJM-017/#\n');
    expect(acl.out).toContain('user svc\ntopic read ais/raw/#\ntopic read beidou/raw/#\ntopic write alerts/v1/#\n');
    expect(acl.out).toContain('user wang\ntopic read alerts/v1/#\n');
    const hash = await cli(['user', 'hash'], 'Hash-me-please-1\n');
    expect(hash.out).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash.out).not.toContain('Hash-me-please-1');
  }, 240_000);
});
