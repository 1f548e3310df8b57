/**
 * A COPY that fails (server cancel, backend killed, a server that stops answering) rejects its
 * promise and does nothing more. After a client-side query timeout the copy stream emits 'error'
 * a second time when its connection is closed; with its one listener gone (`once`) that killed
 * `seagrid serve` — found by `npm run bench:e2e` on a loaded machine: "Emitted 'error' event on
 * CopyStreamQuery instance … Connection terminated". The first case fails without the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from './pg.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';

describe.skipIf(!postgresAvailable())('needs Debian postgresql: a failed COPY', () => {
  let pg: Postgres;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown): void => void uncaught.push(e);

  beforeAll(async () => {
    pg = await startPostgres();
    const setup = openDb({ url: pg.url });
    // Each row sleeps 0.3 s in a trigger: far past the 100 ms statement timeout below.
    await setup.query('create table slow_copy (x int)');
    await setup.query("create function slow_row() returns trigger language plpgsql as $$ begin perform pg_sleep(0.3); return new; end $$");
    await setup.query('create trigger slow before insert on slow_copy for each row execute function slow_row()');
    await setup.end();
    process.on('uncaughtException', onUncaught);
  }, 60_000);
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await pg?.dispose();
  }, 60_000);

  it('a server that stops answering mid-COPY (client-side query timeout), then closes the connection: the promise rejects, nothing uncaught, the pool still works', async () => {
    // query_timeout is the statement timeout + 5 s (store/pg.ts): 5.2 s here.
    const db = openDb({ url: pg.url, max: 1, statementTimeoutMs: 200 });
    const admin = openDb({ url: pg.url, max: 1 });
    let stopped: number | undefined;
    try {
      const settled = db.copyFrom('copy slow_copy from stdin', Buffer.from('1\n2\n3\n')).then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 100));
      // The backend frozen (SIGSTOP) before its statement timeout: what a server starved of CPU looks like.
      stopped = (await admin.query<{ pid: number }>("select pid from pg_stat_activity where query like 'copy slow_copy%' and pid <> pg_backend_pid()"))[0]!.pid;
      process.kill(stopped, 'SIGSTOP');
      expect(await settled).toMatchObject({ message: 'Query read timeout' });
      // It wakes, reads the client's Terminate and closes: the copy stream hears of it once more.
      process.kill(stopped, 'SIGCONT');
      stopped = undefined;
      await new Promise((r) => setTimeout(r, 1_500));
      expect(uncaught).toEqual([]);
      expect(await db.query<{ n: number }>('select 1 as n')).toEqual([{ n: 1 }]);
    } finally {
      if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
      await db.end();
      await admin.end();
    }
  }, 60_000);

  it('a backend terminated mid-COPY: the promise rejects (57P01), nothing uncaught, the pool still works', async () => {
    const db = openDb({ url: pg.url, max: 1 });
    const admin = openDb({ url: pg.url, max: 1 });
    try {
      const copying = db.copyFrom('copy slow_copy from stdin', Buffer.from('1\n2\n3\n'));
      const settled = copying.then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 300));
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where query like 'copy slow_copy%' and pid <> pg_backend_pid()");
      expect(await settled).toMatchObject({ code: '57P01' });
      await new Promise((r) => setTimeout(r, 500));
      expect(uncaught).toEqual([]);
      expect(await db.query<{ n: number }>('select 1 as n')).toEqual([{ n: 1 }]);
    } finally {
      await db.end();
      await admin.end();
    }
  }, 60_000);

  it('rejects with the server\'s cancel (57014), raises nothing uncaught, and the pool still works', async () => {
    const db = openDb({ url: pg.url, max: 1, statementTimeoutMs: 100 });
    try {
      await expect(db.copyFrom('copy slow_copy from stdin', Buffer.from('1\n2\n3\n'))).rejects.toMatchObject({ code: '57014' });
      // Let the destroyed connection's late events fire.
      await new Promise((r) => setTimeout(r, 500));
      expect(uncaught).toEqual([]);
      expect(await db.query<{ n: number }>('select 1 as n')).toEqual([{ n: 1 }]);
    } finally {
      await db.end();
    }
  }, 60_000);
});
