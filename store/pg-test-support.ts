/**
 * Test-only: a throwaway cluster of the system's Debian PostgreSQL on a free loopback port, in its
 * own temp dir (data + unix socket), trust auth, that tests can stop and restart on the same port
 * and data. Suites use `describe.skipIf(!postgresAvailable())('needs Debian postgresql: …')` so a
 * machine without it reports them skipped by name. Runtime code never imports this file.
 *
 * Durability is switched off (`fsync`, `synchronous_commit`, `full_page_writes`): a fast shutdown
 * still writes everything, and a test that wants real crash behaviour passes `durable: true`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './embedded.js';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** `/usr/lib/postgresql/<highest major>/bin` when it holds initdb, pg_ctl and postgres. */
export function postgresBinDir(): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync(DEBIAN_ROOT).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return undefined;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(DEBIAN_ROOT, v, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((n) => executable(path.join(bin, n)))) return bin;
  }
  return undefined;
}

export function postgresAvailable(): boolean {
  return postgresBinDir() !== undefined && (process.getuid?.() !== 0 || postgresUser() !== undefined);
}

/** The server's major version (e.g. 15), from the Debian directory name. */
export function postgresMajor(): number | undefined {
  const bin = postgresBinDir();
  return bin === undefined ? undefined : Number(path.basename(path.dirname(bin)));
}

export interface Postgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, no password). */
  readonly url: string;
  /** Holds `data/` (the cluster) and the unix socket. */
  readonly dir: string;
  /** PID of the postmaster while it runs. */
  pid(): number | undefined;
  running(): boolean;
  /** Fast shutdown (SIGINT: abort sessions, checkpoint) and wait for the postmaster to exit. */
  stop(): Promise<void>;
  /** Starts again on the same port and data; resolves when it accepts connections. */
  restart(): Promise<void>;
  /** Stop and remove the temp dir (a caller-given `dir` is kept). */
  dispose(): Promise<void>;
  /** The server's recent log lines, for failure messages. */
  log(): string;
}

export interface PostgresOptions {
  /** Extra `postgresql.conf` lines, applied last (e.g. `max_connections = 20`). */
  readonly extraConfig?: readonly string[];
  /** Keep fsync and friends on (off by default: tests do not survive power loss). */
  readonly durable?: boolean;
  /**
   * A persistent directory instead of a temp one (the bench keeps its 20 M rows between runs):
   * initialised when `data/` is absent, reused otherwise, never removed by `dispose`.
   */
  readonly dir?: string;
  /** Port for a persistent dir (default: a free one each start). */
  readonly port?: number;
  /**
   * Let Node exit while the server runs (a bench module has no teardown): the postmaster and its
   * pipes do not hold the event loop, and at process exit it is sent a fast shutdown it finishes alone.
   */
  readonly unref?: boolean;
  readonly readyTimeoutMs?: number;
}

/**
 * Every postmaster started here, so an aborted test run does not leave one behind: a throwaway
 * one gets an immediate shutdown (SIGQUIT), a persistent one a fast shutdown (SIGINT: checkpoint,
 * so its next start needs no recovery).
 */
const live = new Map<ChildProcess, NodeJS.Signals>();
let exitHookInstalled = false;

export async function startPostgres(o: PostgresOptions = {}): Promise<Postgres> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(`PostgreSQL is not installed (apt-get install postgresql; looked in ${DEBIAN_ROOT}/*/bin)`);
  // PostgreSQL refuses to run as root: as root, run initdb and the server as Debian's `postgres`.
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (process.getuid?.() === 0 && owner === undefined) throw new Error('running as root and there is no `postgres` system user to run PostgreSQL as');
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      // SIGQUIT: immediate shutdown, the postmaster takes its backends with it.
      for (const [c, signal] of live) c.kill(signal);
    });
  }
  const keepDir = o.dir !== undefined;
  let dir: string;
  if (o.dir !== undefined) {
    dir = path.resolve(o.dir);
    mkdirSync(dir, { recursive: true });
  } else {
    dir = mkdtempSync(path.join(tmpdir(), 'seagrid-pg-'));
  }
  const data = path.join(dir, 'data');
  if (keepDir) await stopLeftover(data);
  const asOwner = owner === undefined ? {} : { uid: owner.uid, gid: owner.gid };
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  try {
    if (!existsSync(path.join(data, 'PG_VERSION'))) {
      rmSync(data, { recursive: true, force: true });
      // --no-sync: nothing here has to survive a power cut; initdb takes 1 s instead of several.
      execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
        ...asOwner,
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    }
  } catch (e) {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${err.stderr?.toString('utf8') ?? err.message}`);
  }

  const readyMs = o.readyTimeoutMs ?? 30_000;
  let logLines: string[] = [];
  let child: ChildProcess | undefined;
  let port = 0;

  const writeConfig = (): void => {
    const lines = [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'max_connections = 50',
      ...(o.durable === true ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
      "log_destination = 'stderr'",
      'logging_collector = off',
      ...(o.extraConfig ?? []),
    ];
    // postgresql.auto.conf is read last, so these win over initdb's postgresql.conf.
    const file = path.join(data, 'postgresql.auto.conf');
    writeFileSync(file, `${lines.join('\n')}\n`);
    if (owner !== undefined) chownSync(file, owner.uid, owner.gid);
  };

  const launch = async (): Promise<void> => {
    writeConfig();
    const c = spawn(path.join(bin, 'postgres'), ['-D', data], { ...asOwner, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    live.set(c, keepDir ? 'SIGINT' : 'SIGQUIT');
    if (o.unref === true) {
      c.unref();
      for (const s of [c.stdout, c.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    }
    let ready: () => void = () => undefined;
    const readyP = new Promise<void>((resolve) => (ready = resolve));
    const keep = (chunk: Buffer): void => {
      const lines = chunk.toString('utf8').split('\n').filter((l) => l !== '');
      logLines.push(...lines);
      if (logLines.length > 400) logLines = logLines.slice(-200);
      if (lines.some((l) => l.includes('ready to accept connections'))) ready();
    };
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) => {
      c.once('exit', (code, signal) => {
        live.delete(c);
        reject(new Error(`postgres exited (code ${code}, signal ${signal}):\n${logLines.slice(-20).join('\n')}`));
      });
    });
    exited.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`postgres not ready after ${readyMs} ms:\n${logLines.slice(-20).join('\n')}`)), readyMs);
    });
    try {
      await Promise.race([readyP, exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c !== undefined) await terminate(c);
  };

  // The free port can be taken between probing and binding: try a few.
  for (let attempt = 0; ; attempt++) {
    port = o.port ?? (await freePort());
    try {
      await launch();
      break;
    } catch (e) {
      await stop();
      if (attempt >= 4) {
        if (!keepDir) rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }

  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    pid: () => child?.pid,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    stop,
    restart: async () => {
      await stop();
      // The old listening socket may linger for a moment.
      for (let attempt = 0; ; attempt++) {
        try {
          await launch();
          return;
        } catch (e) {
          await stop();
          if (attempt >= 10) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    dispose: async () => {
      await stop();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
    log: () => logLines.join('\n'),
  };
}

/**
 * A persistent data dir may still have a postmaster from an earlier run of ours (a bench process
 * that exited leaves it finishing its fast shutdown): wait for it, or shut it down, before starting.
 */
async function stopLeftover(data: string): Promise<void> {
  let pid: number;
  try {
    const lines = readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n');
    // Line 1: PID, line 2: data directory (postmaster.pid's documented layout).
    if (path.resolve(lines[1] ?? '') !== path.resolve(data)) return;
    pid = Number(lines[0]);
  } catch {
    return;
  }
  const alive = (): boolean => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !alive()) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (alive()) {
    if (Date.now() > deadline) throw new Error(`postmaster ${pid} on ${data} did not stop within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGINT (fast shutdown) to this postmaster and wait for it to exit (SIGQUIT after 30 s, then SIGKILL). */
function terminate(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) {
    live.delete(c);
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const quit = setTimeout(() => c.kill('SIGQUIT'), 30_000);
    const kill = setTimeout(() => c.kill('SIGKILL'), 40_000);
    c.once('exit', () => {
      clearTimeout(quit);
      clearTimeout(kill);
      live.delete(c);
      resolve();
    });
    c.kill('SIGINT');
  });
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** uid/gid of the `postgres` system user that Debian's package creates. */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === 'postgres' && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    // no passwd file: not Debian
  }
  return undefined;
}
