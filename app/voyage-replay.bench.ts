/**
 * Voyage replay (issue 15) loaded from PostgreSQL: `voyageReplay()` — the store's one statement
 * for every track, the alerts with their changes, the grid events, the turn-keeping downsampling —
 * and the JSON text the route sends, over the store bench's table of 24,960,000 fixes
 * (store/bench-track-data.ts: 4,000 hulls × 2 days at the cadence of their kind, built server-side
 * by the bench itself when absent, in the Debian PostgreSQL cluster the store bench keeps).
 *
 * - a fleet's day: 15 class A vessels under way at 10 s (8,640 fixes each a day), 24 h windows
 *   starting at random times of the first day;
 * - a grid's hour: a 1° × 1° grid holding ~1,000 of the hulls (all kinds), 1 h windows; the
 *   vessels are the grid's picture at the start (every vessel's last fix, the box test) plus those
 *   the grid's entry/exit events name.
 *
 * Each window also holds 40 alerts (raise, acknowledge, dispatch, resolve) and the grid's crossing
 * events, written here. EXPLAIN ANALYZE of the track statement, run after each round, says how much
 * of the time is the database's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom, type Alert, type AlertChange, type AlertId, type FleetId, type GridEvent, type VesselId } from '../model/index.js';
import { TRACK_DATA, vesselIdOf } from '../store/bench-track-data.js';
import { openStore, type Store } from '../store/index.js';
import { openDb } from '../store/pg.js';
import { REPLAY_TRACKS_AT_START_SQL, REPLAY_TRACKS_SQL } from '../store/replay-reads.js';
import { DEFAULT_LOOKBACK_MS } from '../store/reads.js';
import { postgresAvailable, postgresMajor, startPostgres } from '../store/pg-test-support.js';
import { BENCH_PG_CONFIG, ensureTrackData, repoRoot, withDatabase } from '../store/store.bench.js';
import { voyageReplay, type ReplayDeps } from './voyage-replay.js';

export const title = 'voyage replay: a fleet’s day and a grid’s hour from PostgreSQL';

interface Result {
  name: string;
  value: number;
  unit: string;
  notes?: string;
  goal?: { op: '<'; target: number };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse(TRACK_DATA.t0Iso);
const FLEET: VesselId[] = Array.from({ length: 15 }, (_, i) => vesselIdOf(i * 61) as VesselId); // class A: indices < 1,000
/** The grid: 29.5–30.5°N, 122.5–123.5°E (the dataset spreads its hulls over 29–31°N, 122–124°E). */
const inGrid = (lat: number, lon: number): boolean => lat >= 29.5 && lat < 30.5 && lon >= 122.5 && lon < 123.5;
const GRID = 'BENCH-GRID';
const QUERIES = 5;

interface State {
  readonly url: string;
  readonly store: Store;
  readonly note: string;
  readonly rng: () => number;
}
let state: State | undefined;

export async function run(): Promise<Result[]> {
  if (!postgresAvailable()) throw new Error('needs Debian postgresql (apt-get install postgresql)');
  state ??= await setup();
  const s = state;
  const deps: ReplayDeps = {
    store: s.store,
    fleetMembers: (id) => (id === 'BENCH-FLEET' ? FLEET : []),
    inGridAt: (g, lat, lon) => g === GRID && inGrid(lat, lon),
    gridBox: (g) => (g === GRID ? [122.5, 29.5, 123.5, 30.5] : undefined),
    fileOf: () => ({ name: null, fleetId: null }),
  };
  const fleet = await rounds(s, deps, { fleetId: 'BENCH-FLEET' }, DAY);
  const grid = await rounds(s, deps, { gridId: GRID }, HOUR);
  const common = `PostgreSQL ${postgresMajor()} (Debian), no TimescaleDB, positions ${s.note}; median of ${QUERIES} random windows; machine shared with other sessions`;
  return [
    { name: "a fleet's day (15 vessels, 24 h)", value: fleet.ms, unit: 'ms', goal: { op: '<', target: 200 }, notes: `${fleet.note}; ${common}` },
    { name: "a fleet's day: database execution of the track statement", value: fleet.dbMs, unit: 'ms', notes: 'EXPLAIN (ANALYZE, TIMING OFF) of the same statement right after (warm): the index-only scans and the binary aggregation, without the wire, decoding and downsampling' },
    { name: "a grid's hour (≈1,000 vessels, 1 h)", value: grid.ms, unit: 'ms', goal: { op: '<', target: 200 }, notes: `${grid.note}; ${common}` },
    { name: "a grid's hour: database execution of the track statement", value: grid.dbMs, unit: 'ms', notes: 'EXPLAIN (ANALYZE, TIMING OFF) of the same statement right after (warm): the index-only scans and the binary aggregation, without the wire, decoding and downsampling' },
  ];
}

async function rounds(s: State, deps: ReplayDeps, subject: { fleetId: string } | { gridId: string }, spanMs: number): Promise<{ ms: number; dbMs: number; note: string }> {
  const times: number[] = [];
  const db: number[] = [];
  let note = '';
  for (let q = 0; q < QUERIES; q++) {
    const from = T0 + Math.floor(s.rng() * (TRACK_DATA.days * DAY - spanMs) / 1000) * 1000;
    const start = process.hrtime.bigint();
    const r = (await voyageReplay(deps, subject, from, from + spanMs))!;
    const body = JSON.stringify(r);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const fixes = r.vessels.reduce((n, v) => n + v.fixes, 0);
    const kept = r.vessels.reduce((n, v) => n + v.t.length, 0);
    if (r.vessels.length === 0 || r.alerts.length === 0) throw new Error(`empty replay for ${JSON.stringify(subject)} at ${new Date(from).toISOString()}: is the dataset there?`);
    note = `${r.vessels.length} vessels, ${fixes.toLocaleString('en')} stored fixes read, ${kept.toLocaleString('en')} kept (turns kept, ${r.toleranceM} m), ${r.alerts.length} alerts, ${r.gridEvents.length} grid events, ${(body.length / 1e6).toFixed(2)} MB of JSON`;
    db.push(await explainMs(s.url, r.vessels.map((v) => v.vesselId), from, from + spanMs, 'gridId' in subject));
  }
  return { ms: Math.round(median(times) * 100) / 100, dbMs: Math.round(median(db) * 100) / 100, note };
}

/**
 * The server's own time for the tracks statement (store/replay-reads.ts, the same text), as EXPLAIN
 * ANALYZE reports it: a grid's is the one with each vessel's fix at the start, here over the
 * vessels played (the replay ran it over its candidates, in parts).
 */
async function explainMs(url: string, ids: readonly string[], fromMs: number, toMs: number, atStart: boolean): Promise<number> {
  const c = openDb({ url, max: 1, statementTimeoutMs: 0 });
  try {
    const [row] = await c.query<{ 'QUERY PLAN': unknown }>(
      `explain (analyze, timing off, format json) ${atStart ? REPLAY_TRACKS_AT_START_SQL : REPLAY_TRACKS_SQL}`,
      atStart ? [ids, fromMs, toMs, fromMs - DEFAULT_LOOKBACK_MS] : [ids, fromMs, toMs],
    );
    const json = row!['QUERY PLAN'];
    return ((typeof json === 'string' ? JSON.parse(json) : json) as { 'Execution Time': number }[])[0]!['Execution Time'];
  } finally {
    await c.end();
  }
}

async function setup(): Promise<State> {
  const dir = process.env['SEAGRID_BENCH_PG_DIR'] ?? path.join(repoRoot(), '.bench-data', 'pg');
  const server = await startPostgres({ dir, durable: true, unref: true, extraConfig: BENCH_PG_CONFIG });
  const admin = openDb({ url: server.url, max: 1, statementTimeoutMs: 0 });
  try {
    if ((await admin.query(`select 1 from pg_database where datname = 'bench_track'`)).length === 0) await admin.query('create database bench_track');
  } finally {
    await admin.end();
  }
  const url = withDatabase(server.url, 'bench_track');
  const built = await ensureTrackData(url);
  const spool = mkdtempSync(path.join(tmpdir(), 'seagrid-bench-spool-'));
  const store = await openStore({ databaseUrl: url, dataDir: spool });
  process.once('exit', () => rmSync(spool, { recursive: true, force: true }));
  await seedAlertsAndEvents(url, store);
  return { url, store, note: `${built.rows.toLocaleString('en')} rows (${built.buildMs === 0 ? 'reused' : `built in ${Math.round(built.buildMs / 1000)} s this run`})`, rng: seededRandom(20261203) };
}

/**
 * Every 20 min of the dataset an alert on two fleet vessels and one on two grid vessels (raise,
 * acknowledge 2 min later, dispatch 5 min, resolve 30 min), and grid crossings of the grid (a
 * hundred vessels entering and leaving every hour). Rewritten each bench process: small.
 */
async function seedAlertsAndEvents(url: string, store: Store): Promise<void> {
  const db = openDb({ url, max: 1, statementTimeoutMs: 0 });
  try {
    await db.query(`delete from alert_changes where alert_id like 'bench-%'`);
    await db.query(`delete from alerts where alert_id like 'bench-%'`);
    await db.query(`delete from grid_events where grid_id = $1`, [GRID]);
  } finally {
    await db.end();
  }
  const gridVessels = Array.from({ length: 2000 }, (_, i) => i).filter((i) => inGrid(29.0 + ((i * 7919) % 2000) / 1000, 122.0 + ((i * 104729) % 2000) / 1000)).map((i) => vesselIdOf(i) as VesselId);
  const steps: [AlertChange['action'], Alert['state'], number][] = [['raise', 'raised', 0], ['acknowledge', 'acknowledged', 2], ['dispatch', 'acknowledged', 5], ['resolve', 'resolved', 30]];
  let n = 0;
  for (let t = T0; t < T0 + TRACK_DATA.days * DAY; t += 20 * 60_000) {
    for (const pair of [[FLEET[n % 15]!, FLEET[(n + 1) % 15]!], [gridVessels[n % gridVessels.length]!, gridVessels[(n + 7) % gridVessels.length]!]]) {
      const id = `bench-${n++}` as AlertId;
      let seq = 0;
      for (const [action, st, min] of steps) {
        const at = t + min * 60_000;
        const alert: Alert = { id, kind: 'collision', severity: 'danger', state: st, vesselIds: pair, fleetIds: ['BENCH-FLEET' as FleetId], raisedAtMs: t, updatedAtMs: at, details: { cpaNm: 0.2, tcpaMin: 8 }, seq: ++seq };
        await store.recordAlertChange({ alertId: id, seq, action, atMs: at, actor: action === 'raise' ? 'system' : 'bench', alert });
      }
    }
  }
  const events: GridEvent[] = [];
  for (let h = 0; h < TRACK_DATA.days * 24; h++)
    for (let k = 0; k < 100; k++) {
      const v = vesselIdOf(2000 + ((h * 100 + k) % 2000)) as VesselId;
      events.push({ vesselId: v, layer: 'static', gridId: GRID, kind: 'enter', atMs: T0 + h * HOUR + k * 30_000, lat: 30, lon: 123 });
      events.push({ vesselId: v, layer: 'static', gridId: GRID, kind: 'exit', atMs: T0 + h * HOUR + k * 30_000 + 600_000, lat: 30, lon: 123 });
    }
  store.recordGridEvents(events);
  await store.flush();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
