/**
 * The outage the issue demands, against a real Debian PostgreSQL: a steady feed of positions
 * (with duplicates on purpose), PostgreSQL stopped mid-feed and restarted, then every
 * position published is counted in the table: each exactly once. A second case closes the store
 * while the database is down (everything left goes to the disk spool) and a new store object on
 * the same data dir replays it. Slow by design: explicit timeouts.
 *
 * The outage lasts 20 s by default, four times the store's 5 s backoff cap, so every retry path runs
 * at its cap; `SEAGRID_FAULT_OUTAGE_S=60` runs the 60 s of the operations issue (it cost `npm test` 96 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asMmsi, type AlertChange, type AlertId, type PositionReport, type VesselId } from '../model/index.js';
import { openStore, type Store, type StoreLog } from './index.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';

const VESSELS = 200;
const MMSI0 = 412_100_000;
const OUTAGE_MS = 1_000 * Number(process.env.SEAGRID_FAULT_OUTAGE_S ?? 20);

/** Published positions: the n-th distinct fix is vessel n mod 200 at t0 + 5n ms (1 fix/s per vessel at 200/s). */
class Feed {
  next = 0;
  duplicatesSent = 0;
  constructor(
    readonly t0: number,
    readonly store: () => Store,
  ) {}

  report(n: number, receiver: string): { vesselId: VesselId; p: PositionReport } {
    const i = n % VESSELS;
    const atMs = this.t0 + n * 5;
    return {
      vesselId: String(MMSI0 + i) as VesselId,
      p: {
        source: 'ais',
        mmsi: asMmsi(MMSI0 + i),
        atMs,
        receivedAtMs: atMs + 300,
        lat: 29.5 + (n % 1000) / 10_000,
        lon: 122.2 + i / 1000,
        sogKn: 8.5,
        cogDeg: (n * 7) % 360,
        receiver,
      },
    };
  }

  /** `count` new fixes, and a second copy of every tenth one heard by another receiver (same key). */
  publish(count: number): void {
    const s = this.store();
    for (let k = 0; k < count; k++) {
      const n = this.next++;
      const r = this.report(n, 'rx1');
      s.writePosition(r.vesselId, r.p);
      if (n % 10 === 0) {
        // The copy goes out a little later: an earlier fix, sometimes from before the outage.
        const old = this.report(Math.max(0, n - 2000), 'rx2');
        s.writePosition(old.vesselId, old.p);
        this.duplicatesSent++;
      }
    }
  }

  /** Keys `vesselId|atMs` of every distinct fix published. */
  keys(): Set<string> {
    const out = new Set<string>();
    for (let n = 0; n < this.next; n++) out.add(`${MMSI0 + (n % VESSELS)}|${this.t0 + n * 5}`);
    return out;
  }
}

/** Feeds `perSecond` distinct fixes a second, in 20 ms ticks that catch up when a timer fires late. */
function feedSteadily(feed: Feed, perSecond: number): { stop(): void } {
  const start = Date.now();
  const first = feed.next;
  const timer = setInterval(() => {
    const due = first + Math.floor(((Date.now() - start) * perSecond) / 1000);
    if (due > feed.next) feed.publish(due - feed.next);
  }, 20);
  return { stop: () => clearInterval(timer) };
}

interface TableCount {
  rows: number;
  duplicateKeys: number;
  keys: Set<string>;
}

async function countTable(url: string): Promise<TableCount> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const [dups] = (
      await c.query<{ n: number }>(
        `select count(*)::int as n from (select 1 from positions group by vessel_id, at, source having count(*) > 1) d`,
      )
    ).rows;
    const all = await c.query<{ vessel_id: string; ms: string }>(`select vessel_id, (extract(epoch from at) * 1000)::bigint::text as ms from positions`);
    return { rows: all.rowCount ?? 0, duplicateKeys: dups!.n, keys: new Set(all.rows.map((r) => `${r.vessel_id}|${r.ms}`)) };
  } finally {
    await c.end();
  }
}

function memoryLog(): StoreLog & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  return {
    lines,
    info: (_o, msg) => lines.push({ level: 'info', msg }),
    warn: (_o, msg) => lines.push({ level: 'warn', msg }),
    error: (_o, msg) => lines.push({ level: 'error', msg }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until the store is connected with nothing queued or spooled. */
async function drained(store: Store, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await store.flush();
    const h = store.health();
    if (h.connected && h.queuedRows === 0 && h.spooledRows === 0) return;
    if (Date.now() > deadline) throw new Error(`store not drained after ${timeoutMs} ms: ${JSON.stringify(h)}`);
    await sleep(250);
  }
}

describe.skipIf(!postgresAvailable())('needs Debian postgresql: the store through a PostgreSQL outage', () => {
  let server: Postgres;
  const dirs: string[] = [];
  const stores: Store[] = [];
  const dataDir = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'seagrid-fault-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    if (!server.running()) await server.restart();
  });
  afterAll(async () => {
    await server?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it(`stopped for ${OUTAGE_MS / 1000} s mid-feed at 1,000 fixes/s: every position published is in the table exactly once`, async () => {
    // A fresh database per case so counts are this case's alone.
    const url = await freshDatabase(server.url, 'outage');
    const log = memoryLog();
    const store = await openStore({ databaseUrl: url, dataDir: dataDir(), log, batchRows: 1000, flushIntervalMs: 100, retryMs: 250, statementTimeoutMs: 5000 });
    stores.push(store);
    const feed = new Feed(Date.now() - 3_600_000, () => store);
    let spoolPeak = 0;
    let sawDown = false;
    const sampler = setInterval(() => {
      const h = store.health();
      spoolPeak = Math.max(spoolPeak, h.spooledRows);
      if (!h.connected) sawDown = true;
    }, 100);
    const feeding = feedSteadily(feed, 1000);
    try {
      await sleep(5000);
      const beforeOutage = feed.next;
      await server.stop();
      await sleep(OUTAGE_MS);
      const duringOutage = feed.next - beforeOutage;
      const spooledAtRestart = store.health().spooledRows;
      await server.restart();
      await sleep(5000);
      feeding.stop();
      await drained(store, 90_000);
      clearInterval(sampler);

      const c = store.counters();
      const t = await countTable(url);
      const published = feed.keys();
      const missing = [...published].filter((k) => !t.keys.has(k));
      const extra = [...t.keys].filter((k) => !published.has(k));
      // Reported in the test output: the figures the issue asks for.
      console.log(
        `outage: ${feed.next} distinct published (+${feed.duplicatesSent} duplicate copies), ${duringOutage} during the ${OUTAGE_MS / 1000} s outage; ` +
          `table ${t.rows} rows, ${t.duplicateKeys} duplicate keys; spool peak ${spoolPeak} rows (${spooledAtRestart} at restart); ` +
          `counters ${JSON.stringify(c)}`,
      );
      // 1,000 fixes/s: one per millisecond of outage, less a little for timer drift.
      expect(duringOutage).toBeGreaterThan(0.95 * OUTAGE_MS);
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
      expect(t.rows).toBe(feed.next);
      expect(t.duplicateKeys).toBe(0);
      // It noticed, spooled, warned, and replayed; nothing dropped.
      expect(sawDown).toBe(true);
      expect(spoolPeak).toBeGreaterThan(0.8 * OUTAGE_MS);
      expect(c.spooledRows).toBeGreaterThan(0.8 * OUTAGE_MS);
      expect(c.replayedRows).toBe(c.spooledRows);
      expect(c.droppedRows).toBe(0);
      expect(log.lines.some((l) => l.level === 'warn' && /spool/i.test(l.msg))).toBe(true);
    } finally {
      feeding.stop();
      clearInterval(sampler);
    }
  }, 240_000);

  it('closed while the database is down: a new store object on the same data dir replays the spool exactly once', async () => {
    const url = await freshDatabase(server.url, 'restart');
    const dir = dataDir();
    const first = await openStore({ databaseUrl: url, dataDir: dir, batchRows: 500, flushIntervalMs: 100, retryMs: 250, statementTimeoutMs: 5000 });
    stores.push(first);
    const feed = new Feed(Date.now() - 7_200_000, () => first);
    feed.publish(3000);
    await first.flush();
    expect((await countTable(url)).rows).toBe(3000);

    await server.stop();
    feed.publish(5000); // includes copies of fixes already in the table
    await first.close();
    const left = first.health();
    expect(left.spooledRows).toBeGreaterThanOrEqual(5000);
    expect(first.counters().droppedRows).toBe(0);

    await server.restart();
    const second = await openStore({ databaseUrl: url, dataDir: dir, batchRows: 500, flushIntervalMs: 100, retryMs: 250, statementTimeoutMs: 5000 });
    stores.push(second);
    await drained(second, 60_000);
    const t = await countTable(url);
    console.log(`restart: ${feed.next} distinct published (+${feed.duplicatesSent} copies); ${left.spooledRows} spooled at close; table ${t.rows} rows, ${t.duplicateKeys} duplicate keys; replayed ${second.counters().replayedRows}`);
    expect(t.rows).toBe(8000);
    expect(t.duplicateKeys).toBe(0);
    expect([...feed.keys()].filter((k) => !t.keys.has(k))).toEqual([]);
    expect(second.counters().replayedRows).toBe(left.spooledRows);
    expect(second.counters().droppedRows).toBe(0);
  }, 120_000);

  it('closed while a long spool replays with the database up: close leaves the rest on disk, the next store replays it, nothing lost or doubled', async () => {
    const url = await freshDatabase(server.url, 'closing');
    const dir = dataDir();
    const first = await openStore({ databaseUrl: url, dataDir: dir, batchRows: 500, flushIntervalMs: 100, retryMs: 250, statementTimeoutMs: 5000 });
    stores.push(first);
    const feed = new Feed(Date.now() - 7_200_000, () => first);
    await server.stop();
    feed.publish(60_000); // all spooled: the database is down
    await first.flush().catch(() => undefined);
    await server.restart();
    // The store finds the database again and starts replaying 60k rows; stop it early on.
    const t0 = Date.now();
    while (first.counters().replayedRows === 0 && Date.now() - t0 < 30_000) await sleep(20);
    await first.close();
    const atClose = first.counters();
    // Before: close() replayed the whole spool first (replayed = spooled); now the rest waits on disk.
    expect(atClose.replayedRows).toBeGreaterThan(0);
    expect(atClose.replayedRows).toBeLessThan(atClose.spooledRows);
    expect(first.health().spooledRows).toBeGreaterThan(0);

    const second = await openStore({ databaseUrl: url, dataDir: dir, batchRows: 500, flushIntervalMs: 100, retryMs: 250, statementTimeoutMs: 5000 });
    stores.push(second);
    await drained(second, 60_000);
    const t = await countTable(url);
    expect(t.rows).toBe(feed.next);
    expect(t.duplicateKeys).toBe(0);
    expect([...feed.keys()].filter((k) => !t.keys.has(k))).toEqual([]);
    expect(first.counters().droppedRows + second.counters().droppedRows).toBe(0);
  }, 120_000);

  it('spool full while the database is down: positions past the bound are dropped and counted, not one alert change is', async () => {
    const url = await freshDatabase(server.url, 'spoolfull');
    const opts = { databaseUrl: url, dataDir: dataDir(), batchRows: 500, flushIntervalMs: 100, retryMs: 250, statementTimeoutMs: 5000, spoolMaxBytes: 64 * 1024 };
    const store = await openStore(opts);
    stores.push(store);
    const feed = new Feed(Date.now() - 3_600_000, () => store);
    await server.stop();
    // Alert changes in between the positions, as a rule raises them while the feed runs.
    const changes: AlertChange[] = [];
    for (let i = 0; i < 300; i++) {
      feed.publish(100);
      changes.push(alertChange(i, feed.t0 + i * 500));
      void store.recordAlertChange(changes[i]!);
    }
    await store.flush().catch(() => undefined);
    const c = store.counters();
    // 33,000 position rows (copies included) cannot fit 64 KiB: most were dropped, and counted.
    expect(c.droppedByReason.spool_full).toBeGreaterThan(20_000);
    await server.restart();
    await drained(store, 60_000);
    const t = await countTable(url);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const stored = (await db.query<{ alert_id: string }>('select alert_id from alert_changes order by alert_id')).rows.map((r) => r.alert_id);
      expect(stored).toEqual(changes.map((x) => x.alertId).sort());
    } finally {
      await db.end();
    }
    const after = store.counters();
    console.log(`spool full: ${feed.next} positions published, ${t.rows} stored, ${after.droppedByReason.spool_full} dropped as spool_full; ${changes.length} alert changes, all stored`);
    // Every position is either in the table or counted as dropped (copies of stored keys aside).
    expect(t.rows + after.droppedByReason.spool_full).toBeGreaterThanOrEqual(feed.next);
    expect(after.droppedRows).toBe(after.droppedByReason.spool_full);
  }, 120_000);
});

/** Alert change number `i`: a raise, about the size a collision's is. */
function alertChange(i: number, atMs: number): AlertChange {
  const id = `fault-${String(i).padStart(4, '0')}` as AlertId;
  const vesselIds = [String(MMSI0 + (i % VESSELS)) as VesselId, String(MMSI0 + ((i + 1) % VESSELS)) as VesselId];
  return {
    alertId: id,
    seq: 1,
    action: 'raise',
    atMs,
    actor: 'system',
    alert: { id, kind: 'collision', severity: 'danger', state: 'raised', vesselIds, key: `collision:${vesselIds.join('|')}`, seq: 1, raisedAtMs: atMs, updatedAtMs: atMs, details: { cpaNm: 0.05, tcpaMin: 3 } },
  };
}

/** A new empty database on the server, its URL. */
async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`drop database if exists ${name}`);
    await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
