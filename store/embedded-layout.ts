/**
 * Where the embedded PostgreSQL runs from. PostgreSQL refuses to run as root, so as root the server
 * runs as the `postgres` user, and that user must reach both the binaries and the cluster. A clone
 * under a 0700 directory (root's home) holds neither where it can, so as root:
 * - binaries are used in place when `postgres` can execute them, else staged once into
 *   `<shared>/bin-<version>-<hash>`: hard links (copies across filesystems) in a root-owned,
 *   world-readable directory, keyed by a hash of the package's file list, so every clone of one
 *   version shares it and an upgrade stages anew. Never symlinks: the server finds its `share/`
 *   and `lib/` from its own resolved path.
 * - the cluster is `DATA_DIR/pg` when `postgres` can reach DATA_DIR (DATA_DIR itself gets o+x,
 *   search only, not listing); else `<shared>/clusters/<hash of DATA_DIR's real path>` with
 *   `DATA_DIR/pg` a symlink to it, so the data still belong to DATA_DIR: a restart follows the link
 *   to the same cluster, and `ls -l DATA_DIR` shows where it is.
 * Nothing above DATA_DIR is ever chmod-ed. As a normal user everything stays in place.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import type { StoreLog } from './types.js';

/** The account the server runs as when we are root. */
export interface RunAs {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

export interface EmbeddedLayout {
  /** Holds `initdb` and `postgres` (with `../lib`, `../share` beside it). */
  readonly binDir: string;
  /** Real path handed to the server (`-D`). */
  readonly clusterDir: string;
  /** True when the binaries were staged outside node_modules for the `postgres` user. */
  readonly stagedBinaries: boolean;
  /** True when the cluster lives outside DATA_DIR, reached through the symlink `DATA_DIR/pg`. */
  readonly linkedCluster: boolean;
}

/** Root-owned home of staged binaries and of clusters that cannot live in their DATA_DIR. */
export const DEFAULT_SHARED_ROOT = '/var/lib/seagrid';

export interface LayoutOptions {
  /** DATA_DIR, absolute. */
  readonly dataDir: string;
  /** The binaries package's `native/` dir (bin/, lib/, share/). */
  readonly nativeDir: string;
  /** Set when we are root: the server runs as this user. */
  readonly runAs?: RunAs;
  readonly sharedRoot?: string;
  readonly log?: StoreLog;
}

/** Decides (and prepares) where the binaries and the cluster are. Throws a clear error when it cannot. */
export function planLayout(o: LayoutOptions): EmbeddedLayout {
  const native = path.resolve(o.nativeDir);
  const link = path.join(o.dataDir, 'pg');
  if (o.runAs === undefined) return { binDir: path.join(native, 'bin'), clusterDir: link, stagedBinaries: false, linkedCluster: false };
  const runAs = o.runAs;
  const shared = path.resolve(o.sharedRoot ?? DEFAULT_SHARED_ROOT);

  const inPlace = ['initdb', 'postgres'].every((b) => canAccess(path.join(native, 'bin', b), runAs, 5));
  const binDir = inPlace ? path.join(native, 'bin') : path.join(stageBinaries(native, sharedDir(shared), o.log), 'bin');

  const cluster = clusterFor(o.dataDir, link, runAs, shared, o.log);
  return { binDir, clusterDir: cluster.dir, stagedBinaries: !inPlace, linkedCluster: cluster.linked };
}

function clusterFor(dataDir: string, link: string, runAs: RunAs, shared: string, log?: StoreLog): { dir: string; linked: boolean } {
  const st = lstatOrUndefined(link);
  if (st?.isSymbolicLink()) {
    // Made by an earlier start (or by the user): the cluster is wherever it points.
    const target = path.resolve(dataDir, readlinkSync(link));
    if (!canAccess(path.dirname(target), runAs, 1)) {
      throw new Error(`embedded store: ${link} points to ${target}, which the '${runAs.user}' user cannot reach`);
    }
    return { dir: target, linked: true };
  }
  // Search permission on DATA_DIR alone then lets the server reach `pg` below it. Given only to
  // a DATA_DIR holding nothing but ours: o+x on a home would open every 0644 file in it by name.
  if (canAccess(dataDir, runAs, 1)) return { dir: link, linked: false };
  if (canAccess(path.dirname(realpathSync(dataDir)), runAs, 1) && onlyOurs(dataDir)) {
    allowSearch(dataDir);
    return { dir: link, linked: false };
  }

  if (st !== undefined) {
    if (!st.isDirectory() || readdirSync(link).length > 0) {
      throw new Error(
        `embedded store: running as root, PostgreSQL runs as the '${runAs.user}' user, which cannot reach the existing cluster ${link} ` +
          `(a directory above it is closed to other users); move it to a directory that user can reach and leave a symlink at ${link}`,
      );
    }
    rmdirSync(link); // an empty leftover: replaced by the link
  }
  const key = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const clusters = sharedDir(path.join(sharedDir(shared), 'clusters'));
  const target = path.join(clusters, key);
  if (lstatOrUndefined(target) !== undefined) setOrphanAside(clusters, key, log);
  symlinkSync(target, link);
  return { dir: target, linked: true };
}

/**
 * A cluster already at the path keyed by this DATA_DIR, while DATA_DIR has no link to it: it was made
 * for an earlier DATA_DIR at the same path that has since been deleted (a clone removed and cloned
 * again), whose credentials went with it. Moved aside, not deleted (deleting data is the operator's
 * call), so the new DATA_DIR starts afresh.
 */
function setOrphanAside(clusters: string, key: string, log?: StoreLog): void {
  const aside = path.join(sharedDir(path.join(clusters, 'orphaned')), `${key}-${new Date().toISOString().replace(/[:.]/g, '')}`);
  renameSync(path.join(clusters, key), aside);
  log?.warn({ movedTo: aside }, 'embedded postgres: a cluster left by an earlier, deleted data directory at this path was moved aside; remove it when it is not needed');
}

/**
 * Whether `who` may search every directory on the way to `p` and has the `need` bits (4 r, 2 w,
 * 1 x) on `p` itself, by the kernel's rule: owner class, else group class (the primary group only:
 * a uid-switched child keeps no supplementary groups), else other. ACLs are not read.
 */
export function canAccess(p: string, who: RunAs, need: number): boolean {
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    return false;
  }
  for (let d = path.dirname(real); ; d = path.dirname(d)) {
    if (!allowed(statSync(d), who, 1)) return false;
    if (path.dirname(d) === d) break;
  }
  return allowed(statSync(real), who, need);
}

function allowed(st: Stats, who: RunAs, need: number): boolean {
  const bits = st.uid === who.uid ? (st.mode >> 6) & 7 : st.gid === who.gid ? (st.mode >> 3) & 7 : st.mode & 7;
  return (bits & need) === need;
}

/** What the service keeps in DATA_DIR (the store's cluster, its credentials, the write spool). */
const OURS = new Set(['pg', 'pg-auth.json', 'spool']);

function onlyOurs(dir: string): boolean {
  return readdirSync(dir).every((n) => OURS.has(n));
}

function allowSearch(dir: string): void {
  const mode = statSync(dir).mode;
  if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
}

/**
 * `dir`, created 0755 if missing, checked to be root's and writable by no one else: the server's
 * binaries and cluster below it must not be replaceable by another local user.
 */
function sharedDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`embedded store: ${dir} must be a directory owned by root and writable only by root (it holds the server's binaries and data)`);
  }
  if ((st.mode & 0o005) !== 0o005) chmodSync(dir, (st.mode & 0o7777) | 0o755);
  return dir;
}

const COMPLETE = '.seagrid-staged';

/** Stages `native/` under `shared` once per content; returns the staged copy of `native/`. */
function stageBinaries(native: string, shared: string, log?: StoreLog): string {
  const files = listTree(native);
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.rel}\0${f.kind}\0${f.size}\0${f.mode & 0o777}\0${f.target}\n`);
  const dest = path.join(shared, `bin-${packageVersion(native)}-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(path.join(dest, COMPLETE))) return dest;

  const t0 = performance.now();
  const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  let linked = 0;
  try {
    mkdirSync(tmp, { mode: 0o755 });
    for (const f of files) {
      const from = path.join(native, f.rel);
      const to = path.join(tmp, f.rel);
      if (f.kind === 'dir') mkdirSync(to, { mode: 0o755 });
      else if (f.kind === 'link') symlinkSync(f.target, to);
      else if (copyOrLink(from, to, f.mode)) linked++;
    }
    writeFileSync(path.join(tmp, COMPLETE), `${native}\n`);
    try {
      renameSync(tmp, dest);
    } catch (e) {
      // Another start staged the same content first: theirs is as good as ours.
      if (!existsSync(path.join(dest, COMPLETE))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`embedded store: cannot stage the PostgreSQL binaries into ${dest} for the server's user: ${e instanceof Error ? e.message : String(e)}`);
  }
  log?.info({ from: native, to: dest, files: files.length, hardLinked: linked, ms: Math.round(performance.now() - t0) }, 'embedded postgres: binaries staged where the postgres user can run them');
  return dest;
}

/**
 * A hard link when the file is already readable (and, for an executable, runnable) by others;
 * otherwise, or across filesystems, a copy given those bits. Returns true when linked.
 */
function copyOrLink(from: string, to: string, mode: number): boolean {
  const exec = (mode & 0o100) !== 0;
  const want = exec ? 0o005 : 0o004;
  if ((mode & want) === want) {
    try {
      linkSync(from, to);
      return true;
    } catch {
      // EXDEV, EPERM (protected hard links): copy instead
    }
  }
  copyFileSync(from, to);
  chmodSync(to, (mode & 0o7777) | (exec ? 0o555 : 0o444));
  return false;
}

interface TreeEntry {
  readonly rel: string;
  readonly kind: 'dir' | 'file' | 'link';
  readonly size: number;
  readonly mode: number;
  readonly target: string;
}

/** Every entry below `root`, parents before children, in a stable order. */
function listTree(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel === '' ? name : path.join(rel, name);
      const st = lstatSync(path.join(root, r));
      if (st.isSymbolicLink()) out.push({ rel: r, kind: 'link', size: 0, mode: 0, target: readlinkSync(path.join(root, r)) });
      else if (st.isDirectory()) {
        out.push({ rel: r, kind: 'dir', size: 0, mode: st.mode, target: '' });
        walk(r);
      } else if (st.isFile()) out.push({ rel: r, kind: 'file', size: st.size, mode: st.mode, target: '' });
    }
  };
  walk('');
  return out;
}

/** The binaries package's version (`native/../package.json`), for a readable staged-dir name. */
function packageVersion(native: string): string {
  try {
    const v = (JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version?: unknown }).version;
    if (typeof v === 'string' && /^[\w.+-]+$/.test(v)) return v;
  } catch {
    // no package.json beside it (a test's binaries dir)
  }
  return 'local';
}

/** Makes `dir` (created 0700 if missing) the server user's own: initdb then fills it. */
export function ownClusterDir(dir: string, runAs: RunAs | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
