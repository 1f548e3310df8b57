/**
 * The production stack (issue 16 §4). No Docker engine runs here: compose.yaml is validated offline
 * by Debian's docker-compose (`config`, which checks the file against the Compose schema), and the
 * same broker and database configuration runs from Debian packages through deploy/stack.sh — a real
 * Mosquitto with TLS, passwords and an ACL, a real PostgreSQL with the two roles, the service as the
 * role that may only read and write rows.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { mosquittoAvailable, mosquittoPubPath } from '../ingest/mqtt-test-support.js';
import { postgresAvailable } from '../store/pg-test-support.js';
import { onPath, readStackEnv, signInBearer, until } from './serve-test-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

describe.skipIf(!onPath('docker-compose'))('needs Debian docker-compose: compose.yaml validated offline', () => {
  it('passes `docker-compose config` (the Compose schema), and a misspelt key in a copy does not', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-compose-'));
    try {
      await run('docker-compose', ['-f', path.join(ROOT, 'compose.yaml'), 'config', '-q'], { cwd: ROOT });
      // The validator is not a rubber stamp: the same file with one key misspelt is refused.
      const broken = readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8').replace('    healthcheck:', '    healthchek:');
      writeFileSync(path.join(dir, 'compose.yaml'), broken);
      await expect(run('docker-compose', ['-f', path.join(dir, 'compose.yaml'), 'config', '-q'], { cwd: dir })).rejects.toThrow(/healthchek/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compose.yaml mounts what the repository holds', () => {
  it('every ./deploy file it mounts exists, and the service images are pinned', () => {
    const text = readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8');
    const mounted = [...text.matchAll(/- \.\/(deploy\/[^:]+):/g)].map((m) => m[1]!);
    expect(mounted.length).toBeGreaterThanOrEqual(3);
    for (const f of mounted) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    for (const m of text.matchAll(/image: (\S+)/g)) expect(m[1], 'pinned image').toMatch(/:(?!latest)[\w.-]+$/);
  });
});

const stackTools = mosquittoAvailable() && postgresAvailable() && onPath('openssl') && onPath('mosquitto_passwd');

describe.skipIf(!stackTools)('needs Debian mosquitto, postgresql, openssl: deploy/stack.sh runs the production configuration', () => {
  it('up: a feeder publishes over TLS with its password, the fix reaches the API and the table; anonymous and plaintext clients are refused; the service role may create nothing; down stops every process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-stack-'));
    // Run from the sources (no build needed), the way the other process tests do.
    const env = { ...process.env, SEAGRID_CMD: `${process.execPath} --import tsx ${path.join(ROOT, 'app/main.ts')}`, LOG_LEVEL: 'warn' };
    const stack = path.join(ROOT, 'deploy/stack.sh');
    let started = false;
    try {
      await run(stack, ['up', dir], { cwd: ROOT, env, timeout: 150_000 });
      started = true;
      const rec = readStackEnv(dir);
      const secret = (name: string): string => readFileSync(path.join(dir, 'secrets', name), 'utf8').trim();
      const pub = (extra: string[]): Promise<unknown> =>
        run(mosquittoPubPath()!, ['-h', '127.0.0.1', '-p', rec.MQTT_PORT!, '-q', '1', '-t', 'ais/raw/stack-rx', ...extra], { timeout: 15_000 });

      // The first single-part type 1 report of gpsd's check file, and its MMSI from gpsd's JSON for it.
      const { line, mmsi } = gpsdTypeOne();
      await pub(['--cafile', rec.CA_FILE!, '-u', 'feeder', '-P', secret('mqtt_feeder_password'), '-m', line]);
      await expect(pub(['--cafile', rec.CA_FILE!, '-m', line])).rejects.toMatchObject({ code: 5 }); // not authorised
      await expect(pub(['-u', 'feeder', '-P', secret('mqtt_feeder_password'), '-m', line])).rejects.toBeTruthy(); // no TLS

      const base = `http://127.0.0.1:${rec.HTTP_PORT}`;
      const token = await signInBearer(base, 'admin', secret('admin_password'));
      const vessel = await until(
        async () => {
          const r = await fetch(`${base}/api/vessels/${mmsi}`, { headers: { authorization: `Bearer ${token}` } });
          return r.ok ? ((await r.json()) as { mmsi: number; lat: number }) : undefined;
        },
        20_000,
        'the published vessel in the API',
      );
      expect(vessel.mmsi).toBe(mmsi);

      const app = new pg.Client({ connectionString: rec.APP_DATABASE_URL });
      await app.connect();
      try {
        await until(async () => ((await app.query('select count(*)::int as n from positions')).rows[0].n > 0 ? true : undefined), 20_000, 'the fix stored');
        await expect(app.query('create table intruder (x int)')).rejects.toMatchObject({ code: '42501' });
      } finally {
        await app.end();
      }

      const pids = ['SEAGRID_PID', 'MQTT_PID', 'PG_PID'].map((k) => Number(rec[k]));
      await run(stack, ['down', dir], { cwd: ROOT, env, timeout: 90_000 });
      started = false;
      for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    } finally {
      if (started) await run(stack, ['down', dir], { cwd: ROOT, env, timeout: 90_000 }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

function gpsdTypeOne(): { line: string; mmsi: number } {
  const lines = readFileSync(path.join(ROOT, 'fixtures/ais/gpsd/ais-nmea.log.chk'), 'utf8').split('\n');
  const i = lines.findIndex((l) => /^!AIVDM,1,1,[^,]*,[AB],1/.test(l));
  const json = JSON.parse(lines[i + 1]!) as { type: number; mmsi: number };
  expect(json.type).toBe(1);
  return { line: lines[i]!, mmsi: json.mmsi };
}

/** Running and not a zombie (the stack's processes are reaped by init, not by us). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

