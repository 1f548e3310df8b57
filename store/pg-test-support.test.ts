import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresMajor, startPostgres, type Postgres } from './pg-test-support.js';

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return (await c.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

describe.skipIf(!postgresAvailable())('needs Debian postgresql: throwaway PostgreSQL cluster', () => {
  let server: Postgres;

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('serves the Debian major version on its loopback port, trust auth', async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const [row] = await query(server.url, 'select current_setting($$server_version_num$$)::int / 10000 as major, current_user');
    expect(row).toEqual({ major: postgresMajor(), current_user: 'postgres' });
  });

  it('runs the postmaster as a non-root user', () => {
    const pid = server.pid();
    expect(pid).toBeTypeOf('number');
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    expect(Number(uid)).not.toBe(0);
  });

  it('stops (connections refused), restarts on the same port with the same data', async () => {
    await query(server.url, 'create table kept(n int); insert into kept values (1), (2), (3)');
    const port = server.port;
    await server.stop();
    expect(server.running()).toBe(false);
    expect(server.pid()).toBeUndefined();
    await expect(query(server.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.running()).toBe(true);
    expect(server.port).toBe(port);
    expect(await query(server.url, 'select sum(n)::int as s from kept')).toEqual([{ s: 6 }]);
  });

  it('dispose removes its temp dir', async () => {
    const other = await startPostgres();
    expect(existsSync(`${other.dir}/data/PG_VERSION`)).toBe(true);
    await other.dispose();
    expect(other.running()).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
  });
});

describe.skipIf(!postgresAvailable())('needs Debian postgresql: a persistent cluster directory', () => {
  it('is initialised once, reused by the next start, and kept by dispose', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-pg-keep-'));
    try {
      const first = await startPostgres({ dir });
      await query(first.url, 'create table kept(n int); insert into kept values (42)');
      await first.dispose();
      expect(existsSync(`${dir}/data/PG_VERSION`)).toBe(true);
      const second = await startPostgres({ dir });
      try {
        expect(await query(second.url, 'select n from kept')).toEqual([{ n: 42 }]);
      } finally {
        await second.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
