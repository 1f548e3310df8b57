/**
 * Issue 16 §3 in `npm test`: `kill -9` of `seagrid serve` mid-feed on real parts (Debian Mosquitto
 * with persistence, Debian PostgreSQL, the service as a process), then started again on the same
 * DATA_DIR: every position the feed published is in the table, none missing. The receipt journal is
 * what makes it so (ingest/receipt-journal.ts): with RECEIPT_JOURNAL_MB=0 the same run loses the fixes
 * acknowledged but still in the store's memory queue. Small on purpose (200 vessels, 12 s of feed,
 * about 40 s of wall time); bench/faults.ts runs the issue's full figures on the production stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../ingest/adapters.js';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import { encodePositionA, tagBlock, vdmSentences } from '../sim/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { until } from './serve-test-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VESSELS = 200;
const MMSI0 = 413_200_000;
const FEED_S = 12;
const KILL_AT_S = 5;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One MQTT frame per receiver and second: each vessel's fix of second `s` (tag-block time), 40 vessels a receiver. */
function frames(t0S: number, s: number): { topic: string; payload: string; keys: string[] }[] {
  const out: { topic: string; payload: string; keys: string[] }[] = [];
  for (let rx = 0; rx < VESSELS / 40; rx++) {
    const lines: string[] = [];
    const keys: string[] = [];
    for (let v = rx * 40; v < rx * 40 + 40; v++) {
      const mmsi = MMSI0 + v;
      // 6 kn due east: about 3 m a second, well within any plausibility check.
      const p = encodePositionA({ mmsi, navStatus: 0, sogKn: 6, cogDeg: 90, headingDeg: 90, lat: 29.8 + v * 0.002, lon: 122.3 + s * 0.00003, second: (t0S + s) % 60 });
      for (const l of vdmSentences(p)) lines.push(`${tagBlock({ source: `rx${rx}`, timeS: t0S + s })}${l}`);
      keys.push(`${mmsi}|${(t0S + s) * 1000}`);
    }
    out.push({ topic: `ais/raw/rx${rx}`, payload: `${lines.join('\r\n')}\r\n`, keys });
  }
  return out;
}

describe.skipIf(!mosquittoAvailable() || !postgresAvailable())('needs Debian mosquitto and postgresql: faults on real parts', () => {
  let broker: Mosquitto;
  let server: Postgres;
  const dirs: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [broker, server] = await Promise.all([startMosquitto(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await broker?.dispose();
    await server?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** `seagrid serve` as a process (tsx, as bin/seagrid.js runs dist/), its HTTP base once /health answers. */
  async function serve(env: Record<string, string>, httpPort: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts', 'serve'], { cwd: ROOT, env: { ...process.env, ...env, HTTP_PORT: String(httpPort) }, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    await until(async () => ((await fetch(`http://127.0.0.1:${httpPort}/health`)).status > 0 ? true : undefined), 60_000, 'seagrid serve /health');
    return child;
  }

  async function run(journalMb: number): Promise<{ published: number; stored: Set<string>; lost: string[]; replayed: number }> {
    const dbName = `kill${journalMb}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName}`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(server.url);
    url.pathname = `/${dbName}`;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-kill-'));
    dirs.push(dataDir);
    const httpPort = await freePort();
    const env = {
      MQTT_URL: broker.url,
      MQTT_CLIENT_ID: `seagrid-kill-${journalMb}`,
      DATABASE_URL: url.toString(),
      DATA_DIR: dataDir,
      RECEIPT_JOURNAL_MB: String(journalMb),
      MAX_FIX_AHEAD_S: '0',
      LOG_LEVEL: 'warn',
    };
    let child = await serve(env, httpPort);
    const pub = await MqttPublisher.connect(broker.url);
    const published = new Set<string>();
    const t0S = Math.floor(Date.now() / 1000) - 60;
    try {
      for (let s = 0; s < FEED_S; s++) {
        for (const f of frames(t0S, s)) {
          await pub.send(f.topic, f.payload, 1);
          for (const k of f.keys) published.add(k);
        }
        if (s === KILL_AT_S) {
          // Mid-second of the feed: the store's memory queue holds up to 200 ms of acknowledged fixes.
          await sleep(100);
          child.kill('SIGKILL');
          await new Promise((r) => child.once('exit', r));
          child = await serve(env, httpPort);
        } else await sleep(1000);
      }
      await pub.flush();
    } finally {
      await pub.close();
    }
    // Drained: the table still for 3 s.
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    let stored = new Set<string>();
    try {
      let still = 0;
      let last = -1;
      for (const end = Date.now() + 60_000; Date.now() < end && still < 3; ) {
        await sleep(1000);
        const rows = (await db.query<{ k: string }>(`select vessel_id || '|' || (extract(epoch from at) * 1000)::bigint as k from positions`)).rows;
        stored = new Set(rows.map((r) => r.k));
        still = stored.size === last ? still + 1 : 0;
        last = stored.size;
      }
    } finally {
      await db.end();
    }
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    const replayed = Number(/^seagrid_receipt_journal_replayed_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    return { published: published.size, stored, lost: [...published].filter((k) => !stored.has(k)), replayed };
  }

  it('kill -9 mid-feed and a restart on the same DATA_DIR: every published position stored (receipt journal)', async () => {
    const r = await run(16);
    console.log(`kill -9: ${r.published} positions published, ${r.stored.size} stored, ${r.lost.length} lost; ${r.replayed} journaled frames replayed at the restart`);
    expect(r.published).toBe(VESSELS * FEED_S);
    expect(r.lost).toEqual([]);
    expect(r.stored.size).toBe(r.published);
    expect(r.replayed).toBeGreaterThan(0);
  }, 90_000);
});
