/**
 * Partition leases on Debian's PostgreSQL: two holders split the partitions with none twice; a
 * holder in a child process killed with SIGKILL loses its locks with its connection and the survivor
 * takes them at its next check. Skipped by name when PostgreSQL is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionLease } from './lease.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PARTS = ['p0', 'p1', 'p2', 'p3', 'p4'].map((name, i) => ({ name, key: 1000 + i }));

/** A lease in a child process: prints its owned set as a JSON line after each change, checks every 200 ms. */
const CHILD = `
const { PartitionLease } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'store/lease.ts')).href)});
const [url, parts] = JSON.parse(process.argv[1]);
const lease = new PartitionLease({ url, cluster: 'test', partitions: parts, startAt: 0, onChange: (owned) => console.log(JSON.stringify([...owned].sort())) });
setInterval(() => void lease.check(), 200);
`;

describe.skipIf(!postgresAvailable())('partition lease (PostgreSQL advisory locks, Debian PostgreSQL)', () => {
  let pg: Postgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.dispose();
  });

  const lease = (startAt: number, log: string[][]): PartitionLease =>
    new PartitionLease({ url: pg.url, cluster: 'test', partitions: PARTS, startAt, onChange: (owned) => log.push([...owned].sort()) });

  it('one holder takes all; a second one joining gets a fair share after the first releases its excess; none held twice', async () => {
    const la: string[][] = [];
    const lb: string[][] = [];
    const a = lease(0, la);
    const b = lease(3, lb);
    try {
      await a.check();
      expect([...a.owned()].sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      await b.check(); // 2 sessions → share 3: a holds 5, all locked, b gets none yet
      expect(b.owned().size).toBe(0);
      await a.check(); // a releases down to 3
      await b.check(); // b takes the 2 freed
      expect(a.owned().size).toBe(3);
      expect(b.owned().size).toBe(2);
      const all = [...a.owned(), ...b.owned()].sort();
      expect(all).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      expect(la.at(-1)).toEqual([...a.owned()].sort());
      await a.close();
      expect(a.owned().size).toBe(0);
      await b.check();
      expect([...b.owned()].sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    } finally {
      await a.close();
      await b.close();
    }
  }, 30_000);

  it('kill -9 of the holder: its locks go with its connection and the survivor takes every partition', async () => {
    let child: ChildProcess | undefined;
    const survivor = lease(2, []);
    try {
      child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, JSON.stringify([pg.url, PARTS])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const lines = (): string[][] => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string[]);
      const until = async (ok: () => boolean, what: string): Promise<void> => {
        const deadline = Date.now() + 30_000;
        while (!ok()) {
          if (Date.now() > deadline) throw new Error(`timed out: ${what}; child stdout ${out} stderr ${err}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await until(() => lines().at(-1)?.length === 5, 'the child holds all five');
      // Both check until each holds its share (the child releases two, we take them).
      await until(() => {
        void survivor.check();
        return survivor.owned().size === 2 && lines().at(-1)?.length === 3;
      }, 'a 3/2 split');
      const childHeld = lines().at(-1)!;
      expect([...childHeld, ...survivor.owned()].sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      await until(() => {
        void survivor.check();
        return survivor.owned().size === 5;
      }, 'the survivor holds all five');
      expect([...survivor.owned()].sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    } finally {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await survivor.close();
    }
  }, 60_000);
});
