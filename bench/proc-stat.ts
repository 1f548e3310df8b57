/**
 * CPU and memory of the processes a load bench drives, read from /proc (Linux): CPU as ticks of
 * user + system time, memory as PSS (a page shared by a postmaster and its backends is split
 * between them instead of counted in each, as RSS would).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ on Linux: /proc reports CPU time in these. */
export const TICKS_PER_S = 100;

/** utime + stime of one process (all its threads). Throws when it has ended. */
export function cpuTicks(pid: number): number {
  // /proc/PID/stat: fields 14 and 15 are utime and stime, after the parenthesised command name.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** Proportional set size in bytes (/proc/PID/smaps_rollup); 0 when it has ended or cannot be read. */
export function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m === null ? 0 : Number(m[1]) * 1024;
  } catch {
    return 0;
  }
}

interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly cmd: string;
}

function processes(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      out.push({ pid: Number(name), ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? -1), cmd: readFileSync(`/proc/${name}/cmdline`, 'utf8') });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * A server and its direct children (a postmaster's backends, WAL writer, checkpointer): the roots
 * are the processes whose command line names `marker`, or the pid given.
 */
export function processGroup(root: number | string): number[] {
  const all = processes();
  const roots = new Set(typeof root === 'number' ? [root] : all.filter((p) => p.cmd.includes(root)).map((p) => p.pid));
  return all.filter((p) => roots.has(p.pid) || roots.has(p.ppid)).map((p) => p.pid);
}

/**
 * CPU ticks of a group over time, its members' last readings kept: a member that ends before the
 * window does (the simulator at the end of its run, a PostgreSQL backend) keeps the ticks it had
 * at its last reading instead of taking them out of the sum (a step once showed the simulator at
 * −7.6 % of a core). Read it at the start, at every sample, and at the end.
 */
export class CpuTally {
  private readonly last = new Map<number, number>();

  read(pids: readonly number[]): number {
    for (const pid of pids) {
      try {
        this.last.set(pid, cpuTicks(pid));
      } catch {
        // ended: its last reading stands
      }
    }
    let ticks = 0;
    for (const t of this.last.values()) ticks += t;
    return ticks;
  }
}

export function pssOf(pids: readonly number[]): number {
  return pids.reduce((a, pid) => a + pssBytes(pid), 0);
}
