import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migrateDatabase, MigrationPrivilegeError, migrationsDir, type Migration } from './migrate.js';
import { openDb, type Db } from './pg.js';
import { postgresAvailable, postgresBinDir, startPostgres, type Postgres } from './pg-test-support.js';

const ROLES_SQL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../deploy/postgres/roles.sql');

describe('migration files', () => {
  it('are found from the source tree, numbered, the core first', () => {
    expect(migrationsDir()).toMatch(/store[/\\]migrations$/);
    const all = loadMigrations();
    expect(all[0]).toMatchObject({ version: 1, name: 'core', needsTimescale: false });
    for (const m of all) expect(m.needsTimescale).toBe(m.name.endsWith('timescale'));
  });
});

describe.skipIf(!postgresAvailable())('needs Debian postgresql: migrations on a throwaway cluster', () => {
  let pg: Postgres;
  const dbs: Db[] = [];
  let n = 0;
  /** A fresh database in the cluster, so each case starts from nothing. */
  async function freshDb(): Promise<Db> {
    const admin = openDb({ url: pg.url });
    const name = `m${++n}_${process.pid}`;
    await admin.query(`create database ${name}`);
    await admin.end();
    const db = openDb({ url: pg.url.replace(/\/postgres$/, `/${name}`), max: 4 });
    dbs.push(db);
    return db;
  }
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const db of dbs) await db.end();
    await pg?.dispose();
  }, 60_000);

  it('applies each file once, records it, and applies nothing the second time', async () => {
    const db = await freshDb();
    const first = await migrate(db);
    expect(first.applied).toContain(1);
    // No TimescaleDB in Debian's PostgreSQL: its migration is skipped, not failed.
    expect(first.timescale).toBe(false);
    expect(first.skipped).toEqual(loadMigrations().filter((m) => m.needsTimescale).map((m) => m.version));
    const rows = await db.query<{ version: number; name: string }>('select version, name from schema_migrations order by version');
    expect(rows).toEqual(first.applied.map((v) => ({ version: v, name: loadMigrations().find((m) => m.version === v)!.name })));
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    expect(await db.query('select version from schema_migrations')).toHaveLength(rows.length);
  });

  it('serialises concurrent starts: four at once apply every file exactly once', async () => {
    const db = await freshDb();
    const results = await Promise.all([migrate(db), migrate(db), migrate(db), migrate(db)]);
    expect(results.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(loadMigrations().filter((m) => !m.needsTimescale).map((m) => m.version));
  });

  it('rolls a failing migration back whole and leaves it unrecorded', async () => {
    const db = await freshDb();
    const bad: Migration[] = [
      { version: 1, name: 'one', sql: 'create table t1 (x int)', needsTimescale: false },
      { version: 2, name: 'two', sql: 'create table t2 (x int); select no_such_function()', needsTimescale: false },
    ];
    await expect(migrate(db, undefined, bad)).rejects.toThrow(/no_such_function/);
    expect(await db.query('select version from schema_migrations')).toEqual([{ version: 1 }]);
    expect(await db.query(`select 1 from pg_tables where tablename = 't2'`)).toEqual([]);
  });

  it('seagrid_bucket aligns like time_bucket: weeks start on Monday, minutes on the clock', async () => {
    const db = await freshDb();
    await migrate(db);
    const [r] = await db.query<{ week: string; five: string; ninety: string }>(`select
      to_char(seagrid_bucket('1 week', timestamptz '2024-01-10 15:00+00') at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as week,
      to_char(seagrid_bucket('5 minutes', timestamptz '2024-01-01 11:27:00+00') at time zone 'UTC', 'HH24:MI:SS') as five,
      to_char(seagrid_bucket('90 seconds', timestamptz '2024-01-01 11:27:59+00') at time zone 'UTC', 'HH24:MI:SS') as ninety`);
    // 2024-01-10 is a Wednesday; its week began Monday 2024-01-08.
    expect(r).toEqual({ week: '2024-01-08 00:00', five: '11:25:00', ninety: '11:27:00' });
  });

  it("least privilege (deploy/postgres/roles.sql): the owner migrates; the service's role then starts without DDL, writes rows, may create nothing, and a pending migration stops it with the reason", async () => {
    const admin = openDb({ url: pg.url });
    const name = `lp${process.pid}`;
    await admin.query(`create database ${name}`);
    await admin.end();
    // The same file, the same tool as a deployment: psql as the superuser, passwords as variables.
    execFileSync(path.join(postgresBinDir()!, 'psql'), ['-X', '-q', '-d', pg.url, '-v', `dbname=${name}`, '-v', 'owner_password=o-secret', '-v', 'app_password=a-secret', '-f', ROLES_SQL], { stdio: 'pipe' });
    const urlAs = (role: string): string => pg.url.replace('postgres://postgres@', `postgres://${role}@`).replace(/\/postgres$/, `/${name}`);

    const first = await migrateDatabase(urlAs('seagrid_owner'), {});
    expect(first.applied).toEqual(loadMigrations().filter((m) => !m.needsTimescale).map((m) => m.version));

    const app = openDb({ url: urlAs('seagrid_app'), max: 2 });
    dbs.push(app);
    const again = await migrate(app);
    expect(again).toMatchObject({ applied: [], timescale: false });
    await app.query(`insert into vessels (vessel_id) values ('mmsi:412000001')`);
    await app.query(`update vessels set name = 'x' where vessel_id = 'mmsi:412000001'`);
    expect(await app.query(`select vessel_id from vessels`)).toEqual([{ vessel_id: 'mmsi:412000001' }]);
    await expect(app.query('create table intruder (x int)')).rejects.toMatchObject({ code: '42501' });
    await expect(app.query('drop table vessels')).rejects.toMatchObject({ code: '42501' });

    const newer: Migration[] = [...loadMigrations(), { version: 999, name: 'newer', sql: 'create table newer (x int)', needsTimescale: false }];
    const refused = migrate(app, undefined, newer);
    await expect(refused).rejects.toBeInstanceOf(MigrationPrivilegeError);
    await expect(refused).rejects.toThrow(/migration 999 pending.*seagrid migrate/);
  });
});
