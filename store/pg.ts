/**
 * The one home of `pg`: a small pool behind a narrow interface, so the rest of store/ speaks SQL
 * and plain rows. The same code path serves a production DATABASE_URL and the embedded server.
 */
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';

/** Anything that runs a parameterised statement: the pool or one transaction's connection. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** BEGIN … COMMIT on one connection; ROLLBACK and rethrow when `fn` throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * `COPY … FROM STDIN` with `data` as the whole body, in its own (implicit) transaction: all rows
   * or none. Resolves with the row count once the server has committed.
   */
  copyFrom(sql: string, data: Buffer): Promise<number>;
  /** Connections open / idle / callers waiting, for health. */
  stats(): { total: number; idle: number; waiting: number };
  end(): Promise<void>;
}

export interface DbOptions {
  readonly url: string;
  /** Pool size; the writer uses at most two at once, reads take the rest. */
  readonly max?: number;
  /** Server-side `statement_timeout` for every statement (ms); 0 = none. */
  readonly statementTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** A connection died while idle (server restart, network): reported, never thrown. */
  readonly onError?: (err: Error) => void;
}

export function openDb(o: DbOptions): Db {
  const statementTimeout = o.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max ?? 4,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    // Server-side limit, plus a client-side one a little longer for a server that stops answering.
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout === 0 ? undefined : statementTimeout + 5_000,
    application_name: 'seagrid',
  });
  // Without a listener an idle client's error (the server went away) would crash the process.
  pool.on('error', (err) => o.onError?.(err));

  const run = async <R extends object>(c: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<R[]> => {
    const res = await c.query<R>(sql, params as unknown[] | undefined);
    return res.rows;
  };

  return {
    query: (sql, params) => run(pool, sql, params),
    async tx(fn) {
      const client = await pool.connect();
      // A client-level error between statements must not go unhandled either.
      const onClientError = (err: Error): void => o.onError?.(err);
      client.on('error', onClientError);
      let broken = false;
      try {
        await client.query('begin');
        const out = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('commit');
        return out;
      } catch (e) {
        try {
          await client.query('rollback');
        } catch {
          broken = true; // the connection is gone; do not return it to the pool
        }
        throw e;
      } finally {
        client.off('error', onClientError);
        client.release(broken);
      }
    },
    async copyFrom(sql, data) {
      const client = await pool.connect();
      const onClientError = (err: Error): void => o.onError?.(err);
      client.on('error', onClientError);
      let failed = false;
      try {
        const stream = client.query(copyFromStdin(sql));
        await new Promise<void>((resolve, reject) => {
          // `on`, not `once`: after a client-side query timeout the stream errs again when its
          // connection is closed, and an 'error' nobody listens to ends the process (bench:e2e, loaded).
          stream.on('error', reject);
          stream.once('finish', resolve);
          stream.end(data);
        });
        return stream.rowCount;
      } catch (e) {
        // Rare (a duplicate key, a refused value, a lost server): a fresh connection is cheaper
        // than reasoning about the state of one that was mid-COPY.
        failed = true;
        throw e;
      } finally {
        client.off('error', onClientError);
        client.release(failed);
      }
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    end: () => pool.end(),
  };
}

/** `postgres://user:password@127.0.0.1:port/db` with the parts escaped. */
export function pgUrl(p: { user: string; password: string; host: string; port: number; database: string }): string {
  return `postgres://${encodeURIComponent(p.user)}:${encodeURIComponent(p.password)}@${p.host}:${p.port}/${encodeURIComponent(p.database)}`;
}

/** One connection of its own, for state that lives with a session (advisory locks: store/lease.ts). */
export interface DbSession extends Queryable {
  /** Closes the connection (its session's locks go with it). */
  end(): Promise<void>;
}

/**
 * A single connection, not pooled: a pool may close an idle connection, and a session lock with it.
 * `onLost` hears once that the connection ended or failed (server gone, killed, network).
 */
export async function openSession(o: { readonly url: string; readonly applicationName: string; readonly connectTimeoutMs?: number; readonly onLost: (err: Error) => void }): Promise<DbSession> {
  const client = new pg.Client({ connectionString: o.url, application_name: o.applicationName, connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000, statement_timeout: 10_000 });
  let lost = false;
  const lose = (err: Error): void => {
    if (lost) return;
    lost = true;
    o.onLost(err);
  };
  client.on('error', lose);
  client.on('end', () => lose(new Error('connection ended')));
  await client.connect();
  return {
    query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows,
    end: async () => {
      lost = true;
      await client.end();
    },
  };
}
