import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Where and when the figures were taken: they mean little without it. */
export interface MachineInfo {
  readonly date: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
  readonly commit: string;
  /** 1-minute load average at the start: other work on a shared machine skews the figures. */
  readonly loadAvg1: number;
}

export function machineInfo(repoRoot: string, now: Date): MachineInfo {
  return {
    date: now.toISOString(),
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    commit: gitCommit(repoRoot),
    loadAvg1: os.loadavg()[0] ?? 0,
  };
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1] !== undefined) return m[1].trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function gitCommit(repoRoot: string): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short=12', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return dirty ? `${head} (working tree has uncommitted changes)` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
