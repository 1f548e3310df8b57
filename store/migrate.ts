/**
 * Schema migrations: `store/migrations/NNN-name.sql`, applied once each, in order, each in its own
 * transaction, recorded in `schema_migrations`. A `pg_advisory_xact_lock` serialises concurrent
 * starts (two instances at once apply each file once). A file whose name ends in `-timescale.sql`
 * needs the TimescaleDB extension: it runs only where `pg_available_extensions` lists it, after
 * `create extension if not exists timescaledb`; elsewhere it is skipped (and applied on a later
 * start once the extension is there).
 *
 * A database already up to date is left untouched (no DDL, not even `create table if not exists`),
 * so the service can run as a role that may only read and write rows, with `seagrid migrate` run by
 * the schema's owner before it (compose.yaml). Such a role meeting a pending migration fails with
 * `MigrationPrivilegeError`, which says so.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorText, isPrivilegeError } from './errors.js';
import { openDb, type Db } from './pg.js';
import { timescalePolicySql, type TimescaleRetention } from './timescale-policies.js';
import type { StoreLog } from './types.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly needsTimescale: boolean;
}

export interface MigrationResult {
  readonly applied: readonly number[];
  readonly skipped: readonly number[];
  /** The timescaledb extension is installed in this database and its migration applied. */
  readonly timescale: boolean;
}

/** An arbitrary constant: the key of the advisory lock all seagrid instances take to migrate. */
const LOCK_KEY = 7_734_101;

/**
 * The `.sql` files stay in the source tree (the TypeScript build does not copy them): found next
 * to this module, or from `dist/store/` by walking up to the package root.
 */
export function migrationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const local = path.join(here, 'migrations');
  if (existsSync(local)) return local;
  for (let dir = here; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const candidate = path.join(dir, 'store', 'migrations');
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`store migrations not found from ${here} (expected <package>/store/migrations)`);
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir)) {
    const m = /^(\d+)-([a-z0-9-]+)\.sql$/.exec(file);
    if (m === null) continue;
    out.push({
      version: Number(m[1]),
      name: m[2]!,
      sql: readFileSync(path.join(dir, file), 'utf8'),
      needsTimescale: m[2]!.endsWith('timescale'),
    });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) throw new Error(`two migrations with version ${out[i]!.version}`);
  }
  return out;
}

/** A pending migration the connected role may not apply: the schema's owner must run `seagrid migrate`. */
export class MigrationPrivilegeError extends Error {
  /** Its SQLSTATE, so the store does not take it for a transient error and retry forever. */
  readonly code = '42501';
  constructor(pending: readonly number[], cause: unknown) {
    super(
      `store: migration ${pending.join(', ')} pending and this database role may not apply it (${errorText(cause)}); ` +
        "run 'seagrid migrate' with the schema owner's DATABASE_URL first",
    );
    this.name = 'MigrationPrivilegeError';
  }
}

export async function migrate(db: Db, log?: StoreLog, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationResult> {
  const available = (await db.query('select 1 from pg_available_extensions where name = $1', ['timescaledb'])).length > 0;
  const installed = available && (await hasExtension(db));
  const done = await appliedVersions(db);
  // Pending: not applied, unless it needs an extension this server does not have (skipped, as below).
  const pending = migrations.filter((m) => !done?.has(m.version) && !(m.needsTimescale && !available));
  if (done !== undefined && pending.length === 0) {
    const skipped = migrations.filter((m) => !done.has(m.version)).map((m) => m.version);
    return { applied: [], skipped, timescale: installed && migrations.some((m) => m.needsTimescale) && skipped.length === 0 };
  }
  try {
    return await applyPending(db, log, migrations, available, installed);
  } catch (e) {
    if (isPrivilegeError(e)) throw new MigrationPrivilegeError(pending.map((m) => m.version), e);
    throw e;
  }
}

/**
 * `seagrid migrate`: every pending migration and the retention policy, on a connection of its own,
 * as the schema's owner (the service may then run as a role that only reads and writes rows).
 */
export async function migrateDatabase(url: string, retention: TimescaleRetention, log?: StoreLog): Promise<MigrationResult> {
  const db = openDb({ url, max: 2, statementTimeoutMs: 0 });
  try {
    const m = await migrate(db, log);
    if (m.timescale) await applyRetention(db, retention);
    return m;
  } finally {
    await db.end();
  }
}

/** The retention policy (timescale-policies.ts) in one transaction: a setting, applied at every start. */
export async function applyRetention(db: Db, retention: TimescaleRetention): Promise<void> {
  const policies = timescalePolicySql(retention);
  await db.tx(async (q) => {
    for (const sql of policies) await q.query(sql);
  });
}

/** Versions recorded in `schema_migrations`; undefined before the first migration made it. */
async function appliedVersions(db: Db): Promise<Set<number> | undefined> {
  const [t] = await db.query<{ r: string | null }>(`select to_regclass('schema_migrations')::text as r`);
  if (t?.r === null || t?.r === undefined) return undefined;
  return new Set((await db.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
}

async function applyPending(db: Db, log: StoreLog | undefined, migrations: readonly Migration[], available: boolean, installed: boolean): Promise<MigrationResult> {
  await db.tx(async (q) => {
    await q.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await q.query(`create table if not exists schema_migrations (
      version int primary key, name text not null, applied_at timestamptz not null default now())`);
  });
  let extension = installed;

  const applied: number[] = [];
  const skipped: number[] = [];
  for (const m of migrations) {
    if (m.needsTimescale && !extension) {
      if (available) extension = await createExtension(db, log);
      if (!extension) {
        skipped.push(m.version);
        continue;
      }
    }
    const done = await db.tx(async (q) => {
      await q.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const seen = await q.query('select 1 from schema_migrations where version = $1', [m.version]);
      if (seen.length > 0) return false;
      // Migrations may rewrite big tables: no statement timeout inside this transaction.
      await q.query('set local statement_timeout = 0');
      await q.query(m.sql);
      await q.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) {
      applied.push(m.version);
      log?.info({ version: m.version, name: m.name }, 'store migration applied');
    }
  }
  const timescaleApplied = migrations.some((m) => m.needsTimescale) && extension && skipped.length === 0;
  return { applied, skipped, timescale: timescaleApplied };
}

async function hasExtension(db: Db): Promise<boolean> {
  return (await db.query('select 1 from pg_extension where extname = $1', ['timescaledb'])).length > 0;
}

/** Available is not enough: the library must also be preloaded; a failure leaves plain PostgreSQL. */
async function createExtension(db: Db, log?: StoreLog): Promise<boolean> {
  try {
    await db.query('create extension if not exists timescaledb');
    return true;
  } catch (e) {
    log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'timescaledb is available but cannot be created; using plain PostgreSQL');
    return false;
  }
}
