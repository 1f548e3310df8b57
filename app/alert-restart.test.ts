/**
 * Alerts survive a restart and a `kill -9` mid-incident (issue 12 §7): the lifecycle is rebuilt
 * from the store's open alerts, so the same alert goes on with its history, seq continuing, and
 * nothing is recorded twice. Real PostgreSQL: the embedded server for a clean restart, Debian's for
 * a process killed with SIGKILL (which would orphan an embedded server). Expected timelines are
 * read off the default policy by hand: danger raises at once, a clear holds 60 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lifecycle, type Signal } from '../alerts/index.js';
import type { AlertChange, AlertId, VesselId } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const S = 1000;
const T0 = Date.UTC(2025, 6, 1, 8);
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'seagrid-alert-restart-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pair = (): [VesselId, VesselId] => {
  const n = 412_000_000 + Math.floor(Math.random() * 900_000);
  return [String(n) as VesselId, String(n + 1) as VesselId];
};
const signal = ([a, b]: [VesselId, VesselId], tS: number, danger: boolean): Signal => ({
  kind: 'collision',
  key: `collision:${a}|${b}`,
  severity: danger ? 'danger' : undefined,
  vesselIds: [a, b],
  atMs: T0 + tS * S,
  details: { cpaNm: 0.05, tcpaMin: 3 },
});

async function record(store: Store, changes: readonly AlertChange[]): Promise<void> {
  for (const c of changes) await store.recordAlertChange(c);
}

const restored = async (store: Store): Promise<Lifecycle> => Lifecycle.restore(await store.alerts({ state: 'open', limit: 100_000 }));

describe('alerts across a restart (embedded PostgreSQL)', () => {
  it('t=0 raised, acknowledged … restart … cleared at 190 s, resolved: one alert, seq 1–4, nothing doubled', async () => {
    const dataDir = tempDir();
    const vessels = pair();
    let store = await openStore({ dataDir });
    let id: AlertId;
    try {
      const lc = new Lifecycle();
      for (let t = 0; t <= 60; t += 10) await record(store, lc.decide([signal(vessels, t, true)]));
      [id] = [...lc.openAlerts()].map((a) => a.id) as [AlertId];
      const ack = lc.acknowledge(id, 'officer-7', T0 + 65 * S);
      if (!ack.ok) throw new Error(ack.code);
      await store.recordAlertChange(ack.value);
      await store.recordAlertChange(ack.value); // the app retried: kept once
    } finally {
      await store.close();
    }

    store = await openStore({ dataDir });
    try {
      const lc = await restored(store);
      expect(lc.openCount).toBe(1);
      for (let t = 70; t <= 120; t += 10) await record(store, lc.decide([signal(vessels, t, true)]));
      await record(store, lc.decide([signal(vessels, 130, false)]));
      await record(store, lc.tick(T0 + 200 * S));
      const done = lc.resolve(id, 'officer-7', T0 + 300 * S, 'passed clear');
      if (!done.ok) throw new Error(done.code);
      await store.recordAlertChange(done.value);

      const history = await store.alertHistory(id);
      expect(history.map((c) => [c.seq, c.action, c.actor, (c.atMs - T0) / S])).toEqual([
        [1, 'raise', 'system', 0],
        [2, 'acknowledge', 'officer-7', 65],
        [3, 'update', 'system', 190],
        [4, 'resolve', 'officer-7', 300],
      ]);
      expect(history[2]!.alert).toMatchObject({ state: 'acknowledged', cleared: true, seq: 3 });
      const all = await store.alerts({ state: 'all', vesselId: vessels[0] });
      expect(all.map((a) => [a.id, a.state, a.seq, a.cleared])).toEqual([[id, 'resolved', 4, true]]);
    } finally {
      await store.close();
    }
  }, 120_000);
});

/** One life of the service: restore, feed signals for [fromS, toS] (danger until clearAtS), record each change, then hang. */
const CHILD = `
const [root, url, dataDir, a, b, t0, fromS, toS, clearAtS] = JSON.parse(process.argv[1]);
const { openStore } = await import(root + '/store/index.ts');
const { Lifecycle } = await import(root + '/alerts/index.ts');
const store = await openStore({ databaseUrl: url, dataDir, log: { info() {}, warn() {}, error() {} } });
const lc = Lifecycle.restore(await store.alerts({ state: 'open', limit: 100000 }));
for (let t = fromS; t <= toS; t += 10) {
  const s = { kind: 'collision', key: 'collision:' + a + '|' + b, severity: t < clearAtS ? 'danger' : undefined,
              vesselIds: [a, b], atMs: t0 + t * 1000, details: { cpaNm: 0.05, tcpaMin: 3 } };
  for (const c of lc.decide([s])) {
    await store.recordAlertChange(c);
    console.log(JSON.stringify({ alertId: c.alertId, seq: c.seq, action: c.action }));
  }
}
console.log('READY');
setInterval(() => {}, 60000);
`;

/** Runs one life and kills it with SIGKILL once it has recorded its changes: no close, no flush. */
async function lifeKilled(args: readonly unknown[]): Promise<{ alertId: string; seq: number; action: string }[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
  const deadline = Date.now() + 60_000;
  while (!out.includes('READY')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`child did not get ready; stderr:\n${err.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { alertId: string; seq: number; action: string });
}

describe.skipIf(!postgresAvailable())('needs Debian postgresql: alerts across kill -9', () => {
  let pg: Postgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.dispose();
  }, 60_000);

  it('killed mid-incident twice: the open alert continues with its history, seq contiguous, none doubled', async () => {
    const [a, b] = pair();
    const base = [pathToFileURL(ROOT).href, pg.url, tempDir(), a, b, T0];
    // Life 1: danger from t=0 → raised at 0; killed while it is open.
    const one = await lifeKilled([...base, 0, 60, 1e9]);
    // Life 2: danger again to 120, gone from 130 → cleared at 190 (60 s hold) when t=190 is seen; killed.
    const two = await lifeKilled([...base, 70, 200, 130]);
    // Life 3: the condition is back at 300, within the 10 min re-raise window: the same alert, updated.
    const three = await lifeKilled([...base, 300, 320, 1e9]);
    expect([...one, ...two, ...three].map((c) => [c.seq, c.action])).toEqual([
      [1, 'raise'],
      [2, 'update'],
      [3, 'update'],
    ]);
    const id = one[0]!.alertId as AlertId;
    expect(new Set([...one, ...two, ...three].map((c) => c.alertId))).toEqual(new Set([id]));

    const store = await openStore({ databaseUrl: pg.url, dataDir: tempDir() });
    try {
      const history = await store.alertHistory(id);
      expect(history.map((c) => [c.seq, c.action, (c.atMs - T0) / S, c.alert.cleared === true])).toEqual([
        [1, 'raise', 0, false],
        [2, 'update', 190, true],
        [3, 'update', 300, false],
      ]);
      const open = await store.alerts({ vesselId: a });
      expect(open.map((x) => [x.id, x.state, x.seq, x.cleared])).toEqual([[id, 'raised', 3, undefined]]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
