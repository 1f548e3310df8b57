import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asMmsi, seededRandom, type PositionReport, type VesselId } from '../model/index.js';
import { datasetLabel, expectedRows, fixesPerDay, insertSql, TRACK_DATA, vesselIdOf, type TrackKind } from './bench-track-data.js';
import { MAX_TRACK_POINTS, openStore, type Store } from './index.js';
import { loadMigrations } from './migrate.js';
import { openDb, type Db } from './pg.js';
import { postgresAvailable, postgresMajor, startPostgres, type Postgres } from './pg-test-support.js';

/**
 * The store against a real PostgreSQL (the system's Debian server in a cluster the bench keeps
 * in `$SEAGRID_BENCH_PG_DIR`, default `.bench-data/pg`; fsync and synchronous commit on, as in
 * production):
 *
 * - writes: 1 M positions a round through the real writer (`store.writePosition`, default
 *   batches of 20,000 by binary COPY, at most two in flight) from 8,000 vessels reporting every 10 s, timed
 *   from the first write to `flush()` resolving. The feed waits while the writer's memory queue is
 *   over half full (a pipeline cannot outrun its database for long without spooling), sleeping 1 ms
 *   between looks: a busy wait (setImmediate) burned a whole core the server needs (node CPU per
 *   1 M rows 5.9 s instead of 2.4 s). The round fails if anything was spooled or dropped.
 * - track reads: `store.track(vessel, from, from + 24 h)` — the route's read path, default
 *   downsampling to 5,000 points — over a 25 M-row table (bench-track-data.ts: 4,000 hulls for two
 *   days at the cadence of their kind), random vessels and windows, median per round. The table is
 *   built once (about 4 minutes) and reused while its label matches.
 */
export const title = 'store: PostgreSQL writes and 24 h track reads';

interface Result {
  name: string;
  value: number;
  unit: string;
  notes?: string;
  goal?: { op: '>=' | '<'; target: number };
}

const WRITE_VESSELS = 8000;
const WRITE_STEPS = 125;
const WRITE_ROWS = WRITE_VESSELS * WRITE_STEPS;
const QUERIES_PER_KIND = 25;
const DAY_MS = 86_400_000;

interface State {
  readonly server: Postgres;
  readonly writeUrl: string;
  readonly trackUrl: string;
  readonly trackRows: number;
  readonly buildNote: string;
  /** Next fix time of the write feed: later every round, so no row repeats a key. */
  writeClockMs: number;
  rng: () => number;
}

let state: State | undefined;

/**
 * The bench cluster's settings beyond Debian's defaults; fsync, synchronous_commit and
 * full_page_writes stay on. wal_compression: the writer's index inserts land all over the
 * primary key, so after each checkpoint most WAL is full-page images, which lz4 shrinks.
 */
export const BENCH_PG_CONFIG = [
  "shared_buffers = '1GB'",
  "maintenance_work_mem = '1GB'",
  "max_wal_size = '4GB'",
  "checkpoint_timeout = '15min'",
  'wal_compression = lz4',
];

export async function run(): Promise<Result[]> {
  if (!postgresAvailable()) throw new Error('needs Debian postgresql (apt-get install postgresql)');
  state ??= await setup();
  const s = state;
  return [await writeRound(s), await serverInsertRound(s), ...(await trackRound(s))];
}

async function setup(): Promise<State> {
  const dir = process.env['SEAGRID_BENCH_PG_DIR'] ?? path.join(repoRoot(), '.bench-data', 'pg');
  const server = await startPostgres({
    dir,
    durable: true,
    unref: true,
    extraConfig: BENCH_PG_CONFIG,
  });
  const admin = openDb({ url: server.url, max: 1, statementTimeoutMs: 0 });
  try {
    // Writes go into a fresh database each bench process; the track data is kept.
    await admin.query('drop database if exists bench_write');
    await admin.query('create database bench_write');
    const exists = (await admin.query(`select 1 from pg_database where datname = 'bench_track'`)).length > 0;
    if (!exists) await admin.query('create database bench_track');
  } finally {
    await admin.end();
  }
  const writeUrl = withDatabase(server.url, 'bench_write');
  const trackUrl = withDatabase(server.url, 'bench_track');
  const built = await ensureTrackData(trackUrl);
  return {
    server,
    writeUrl,
    trackUrl,
    trackRows: built.rows,
    buildNote: built.buildMs === 0 ? 'reused' : `built in ${Math.round(built.buildMs / 1000)} s this run`,
    writeClockMs: Date.parse('2025-11-01T00:00:00Z'),
    rng: seededRandom(20251123),
  };
}

// ---- writes ---------------------------------------------------------------------------------

async function writeRound(s: State): Promise<Result> {
  const spool = mkdtempSync(path.join(tmpdir(), 'seagrid-bench-spool-'));
  const store = await openStore({ databaseUrl: s.writeUrl, dataDir: spool });
  try {
    const before = await tableRows(s.writeUrl);
    const t0Ms = s.writeClockMs;
    s.writeClockMs += WRITE_STEPS * 10_000;
    // Back-pressure at half the writer's memory queue (default 100,000 rows).
    const highWater = 50_000;
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let step = 0; step < WRITE_STEPS; step++) {
      for (let i = 0; i < WRITE_VESSELS; i++) {
        const r = writeReport(i, t0Ms + step * 10_000 + (i % 10_000));
        store.writePosition(r.vesselId, r.p);
        if ((i & 1023) === 1023) while (store.health().queuedRows > highWater) await new Promise((res) => setTimeout(res, 1));
      }
      await new Promise((res) => setImmediate(res));
    }
    await store.flush();
    const ns = Number(process.hrtime.bigint() - start);
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const c = store.counters();
    if (c.spooledRows > 0 || c.droppedRows > 0) throw new Error(`writer spooled ${c.spooledRows} / dropped ${c.droppedRows} rows: the figure would not be database writes`);
    const added = (await tableRows(s.writeUrl)) - before;
    if (added !== WRITE_ROWS) throw new Error(`expected ${WRITE_ROWS} new rows, the table has ${added}`);
    return {
      name: 'sustained position writes, first write to flush complete',
      value: Math.round((WRITE_ROWS * 1e9) / ns),
      unit: 'rows/s',
      goal: { op: '>=', target: 150_000 },
      notes:
        `PostgreSQL ${postgresMajor()} (Debian; ${BENCH_PG_CONFIG.join(', ')}; fsync, synchronous_commit, full_page_writes on), no TimescaleDB; ` +
        `${WRITE_ROWS.toLocaleString('en')} rows a round from ${WRITE_VESSELS.toLocaleString('en')} vessels at 10 s, default batches of 20,000 by binary COPY, two in flight, ` +
        `into a table of ${before.toLocaleString('en')} rows before the round; node CPU ${(cpuS).toFixed(1)} s of ${(ns / 1e9).toFixed(1)} s; ${c.insertFallbackBatches} batches fell back to INSERT`,
    };
  } finally {
    await store.close();
    rmSync(spool, { recursive: true, force: true });
  }
}

/**
 * The same kind of rows inserted by the server itself (`INSERT … SELECT generate_series … ON
 * CONFLICT DO NOTHING` into the same table and indexes): no client, no wire. Not a store figure —
 * the ceiling this machine puts on any writer, to read the one above against.
 */
async function serverInsertRound(s: State): Promise<Result> {
  const rows = 250_000;
  const db = openDb({ url: s.writeUrl, max: 1, statementTimeoutMs: 0 });
  try {
    const t0Ms = s.writeClockMs;
    s.writeClockMs += Math.ceil(rows / WRITE_VESSELS) * 10_000;
    const start = process.hrtime.bigint();
    await db.query(
      `insert into positions (vessel_id, at, source, lat, lon, sog_kn, cog_deg, heading_deg, rot_deg_min, nav_status, mmsi, receiver, received_at)
       select (413000000 + g % ${WRITE_VESSELS})::text, to_timestamp(($1::float8 + (g / ${WRITE_VESSELS}) * 10000 + g % ${WRITE_VESSELS}) / 1000),
              'ais', 29 + (g % 2000) / 1000.0, 122 + (g % 1999) / 1000.0, 7, 90, 90, 0, 0, 413000000 + g % ${WRITE_VESSELS}, 'rx1',
              to_timestamp(($1::float8 + (g / ${WRITE_VESSELS}) * 10000 + g % ${WRITE_VESSELS} + 700) / 1000)
         from generate_series(0, ${rows - 1}) g
       on conflict do nothing`,
      [t0Ms],
    );
    const ns = Number(process.hrtime.bigint() - start);
    return {
      name: 'reference: server-side INSERT … SELECT of the same rows (no client)',
      value: Math.round((rows * 1e9) / ns),
      unit: 'rows/s',
      notes: `${rows.toLocaleString('en')} rows generated and inserted by one backend into the same table, indexes and settings: the machine's ceiling for one writer`,
    };
  } finally {
    await db.end();
  }
}

function writeReport(i: number, atMs: number): { vesselId: VesselId; p: PositionReport } {
  const mmsi = 413_000_000 + i;
  const phase = (atMs / 3_600_000) % 2;
  return {
    vesselId: String(mmsi) as VesselId,
    p: {
      source: 'ais',
      mmsi: asMmsi(mmsi),
      atMs,
      receivedAtMs: atMs + 700,
      lat: 29 + ((i * 7919) % 2000) / 1000 + 0.05 * Math.sin(phase * Math.PI),
      lon: 122 + ((i * 104729) % 2000) / 1000 + 0.05 * Math.cos(phase * Math.PI),
      sogKn: 5 + (i % 8),
      cogDeg: (i * 37) % 360,
      headingDeg: (i * 37) % 360,
      rotDegMin: 0,
      navStatus: 0,
      receiver: `rx${i % 7}`,
      utcSecond: Math.floor(atMs / 1000) % 60,
    },
  };
}

// ---- track reads ----------------------------------------------------------------------------

async function trackRound(s: State): Promise<Result[]> {
  const spool = mkdtempSync(path.join(tmpdir(), 'seagrid-bench-spool-'));
  const store = await openStore({ databaseUrl: s.trackUrl, dataDir: spool });
  const t0 = Date.parse(TRACK_DATA.t0Iso);
  const windowStarts = TRACK_DATA.days * DAY_MS - DAY_MS;
  try {
    const out: Result[] = [];
    for (const kind of TRACK_DATA.kinds) {
      const times: number[] = [];
      let returned = 0;
      for (let q = 0; q < QUERIES_PER_KIND; q++) {
        const vessel = vesselIdOf(kind.from + Math.floor(s.rng() * (kind.to - kind.from))) as VesselId;
        const from = t0 + Math.floor(s.rng() * windowStarts);
        const start = process.hrtime.bigint();
        const points = await store.track(vessel, from, from + DAY_MS);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        returned = Math.max(returned, points.length);
        if (points.length === 0) throw new Error(`no track for ${vessel}: is the dataset there?`);
      }
      out.push(trackResult(kind, median(times), returned, s));
    }
    out.push(...(await fullResolution(s, store)));
    return out;
  } finally {
    await store.close();
    rmSync(spool, { recursive: true, force: true });
  }
}

/**
 * Class A at full resolution (all 8,640 fixes), through store.track and, for the split between
 * database and client, the server's own execution time of the raw query (EXPLAIN ANALYZE).
 */
async function fullResolution(s: State, store: Store): Promise<Result[]> {
  const kind = TRACK_DATA.kinds[0];
  const t0 = Date.parse(TRACK_DATA.t0Iso);
  const db = openDb({ url: s.trackUrl, max: 1, statementTimeoutMs: 0 });
  const client: number[] = [];
  const route: number[] = [];
  const server: number[] = [];
  let returned = 0;
  let routeReturned = 0;
  try {
    for (let q = 0; q < QUERIES_PER_KIND; q++) {
      const vessel = vesselIdOf(kind.from + Math.floor(s.rng() * (kind.to - kind.from))) as VesselId;
      const from = t0 + Math.floor(s.rng() * (TRACK_DATA.days * DAY_MS - DAY_MS));
      const start = process.hrtime.bigint();
      const points = await store.track(vessel, from, from + DAY_MS, { maxPoints: MAX_TRACK_POINTS });
      client.push(Number(process.hrtime.bigint() - start) / 1e6);
      returned = Math.max(returned, points.length);
      // What GET /api/vessels/{id}/track?maxPoints=50000 reads: the route's fields only.
      const startRoute = process.hrtime.bigint();
      const routePoints = await store.track(vessel, from, from + DAY_MS, { maxPoints: MAX_TRACK_POINTS, fields: 'route' });
      route.push(Number(process.hrtime.bigint() - startRoute) / 1e6);
      routeReturned = Math.max(routeReturned, routePoints.length);
      const plan = await db.query<{ 'QUERY PLAN': unknown }>(
        `explain (analyze, format json) select vessel_id, at, source, lat, lon, sog_kn, cog_deg, heading_deg, nav_status, receiver
           from positions where vessel_id = $1 and at between to_timestamp($2::float8 / 1000) and to_timestamp($3::float8 / 1000) order by at, source`,
        [vessel, from, from + DAY_MS],
      );
      const json = plan[0]!['QUERY PLAN'];
      const top = (typeof json === 'string' ? JSON.parse(json) : json) as { 'Execution Time': number }[];
      server.push(top[0]!['Execution Time']);
    }
  } finally {
    await db.end();
  }
  return [
    {
      name: `24 h track of one vessel, ${kind.name}, full resolution`,
      value: Math.round(median(client) * 100) / 100,
      unit: 'ms',
      notes: `store.track(…, {maxPoints: 50000}): all ${returned.toLocaleString('en')} fixes, median of ${QUERIES_PER_KIND}`,
    },
    {
      name: `24 h track of one vessel, ${kind.name}, full resolution, the track route's fields`,
      value: Math.round(median(route) * 100) / 100,
      unit: 'ms',
      goal: { op: '<', target: 20 },
      notes: `store.track(…, {maxPoints: 50000, fields: 'route'}) as GET /api/vessels/{id}/track reads it: all ${routeReturned.toLocaleString('en')} fixes (time, source, lat, lon, speed, course) from the covering primary key, index-only, median of ${QUERIES_PER_KIND}; table ${s.trackRows.toLocaleString('en')} rows`,
    },
    {
      name: `24 h track of one vessel, ${kind.name}, full resolution: database execution only`,
      value: Math.round(median(server) * 100) / 100,
      unit: 'ms',
      notes: 'EXPLAIN ANALYZE of the same vessels/windows, run right after (warm; the rest is wire, row parsing and mapping in Node); PK index + heap, rows scattered over the heap as a live feed writes them',
    },
  ];
}

function trackResult(kind: TrackKind, ms: number, returned: number, s: State): Result {
  const fixes = fixesPerDay(kind);
  const head = kind.every === 1;
  return {
    name: `24 h track of one vessel, ${kind.name} (${fixes.toLocaleString('en')} fixes)`,
    value: Math.round(ms * 100) / 100,
    unit: 'ms',
    ...(head ? { goal: { op: '<' as const, target: 20 } } : {}),
    notes:
      `store.track() median of ${QUERIES_PER_KIND} random vessels/windows; returns ${returned.toLocaleString('en')} points` +
      (returned < fixes ? ' (downsampled, default maxPoints 5,000)' : '') +
      (head ? `; table ${s.trackRows.toLocaleString('en')} rows (${TRACK_DATA.vessels.toLocaleString('en')} vessels × ${TRACK_DATA.days} days, ${s.buildNote}), PostgreSQL ${postgresMajor()} without TimescaleDB` : ''),
  };
}

/**
 * The track table: migrated by the store itself, filled server-side with the indexes dropped and
 * rebuilt afterwards (one sort instead of 25 M random index inserts), then VACUUM ANALYZE.
 */
/** Also the voyage-replay bench's table (app/voyage-replay.bench.ts reads the same 25 M rows). */
export async function ensureTrackData(url: string): Promise<{ rows: number; buildMs: number }> {
  const db = openDb({ url, max: 1, statementTimeoutMs: 0 });
  try {
    const label = datasetLabel(schemaDigest());
    const have = await db.query<{ label: string }>(`select label from bench_meta`).catch(() => []);
    if (have[0]?.label === label) return { rows: expectedRows(), buildMs: 0 };
    process.stderr.write(`bench: building the track dataset (${expectedRows().toLocaleString('en')} rows, about 4 minutes, once) …\n`);
    const started = Date.now();
    // Everything the migrations made, whatever they made (a list of tables missed users, sessions
    // and audit once 004 added them: the rebuild then failed on "relation users already exists").
    await db.query('drop schema public cascade');
    await db.query('create schema public');
    const spool = mkdtempSync(path.join(tmpdir(), 'seagrid-bench-spool-'));
    try {
      await (await openStore({ databaseUrl: url, dataDir: spool })).close();
    } finally {
      rmSync(spool, { recursive: true, force: true });
    }
    const constraints = await db.query<{ name: string; def: string }>(
      `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'positions'::regclass and contype in ('p', 'u')`,
    );
    const indexes = await db.query<{ name: string; def: string }>(
      `select indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and tablename = 'positions'
         and indexname not in (select conname from pg_constraint where conrelid = 'positions'::regclass)`,
    );
    for (const c of constraints) await db.query(`alter table positions drop constraint ${c.name}`);
    for (const i of indexes) await db.query(`drop index ${i.name}`);
    await db.query(insertSql());
    for (const c of constraints) await db.query(`alter table positions add constraint ${c.name} ${c.def}`);
    for (const i of indexes) await db.query(i.def);
    await db.query('vacuum analyze positions');
    const [n] = await db.query<{ n: number }>('select count(*)::int as n from positions');
    if (n!.n !== expectedRows()) throw new Error(`track dataset has ${n!.n} rows, expected ${expectedRows()}`);
    await db.query('create table bench_meta (label text not null)');
    await db.query('insert into bench_meta values ($1)', [label]);
    const buildMs = Date.now() - started;
    process.stderr.write(`bench: track dataset built in ${Math.round(buildMs / 1000)} s\n`);
    return { rows: n!.n, buildMs };
  } finally {
    await db.end();
  }
}

// ---- helpers --------------------------------------------------------------------------------

/** The migrations the store applies, as a short digest: the track table is rebuilt when it changes. */
function schemaDigest(): string {
  const h = createHash('sha256');
  for (const m of loadMigrations()) h.update(`${m.version}\0${m.sql}\0`);
  return h.digest('hex').slice(0, 12);
}

async function tableRows(url: string): Promise<number> {
  const db: Db = openDb({ url, max: 1, statementTimeoutMs: 0 });
  try {
    const [r] = await db.query<{ n: number }>('select count(*)::int as n from positions');
    return r!.n;
  } finally {
    await db.end();
  }
}

export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The package root, from src (`store/`) or the build (`dist/store/`). */
export function repoRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error('package.json not found above the bench module');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
