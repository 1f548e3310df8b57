/**
 * Test-only: a real Debian Mosquitto on a free loopback port, in its own temp dir with its own
 * config and persistence file, that tests can stop and restart on the same port. Suites use
 * `describe.skipIf(!mosquittoAvailable())('needs Debian mosquitto: …')` so a machine without it
 * reports them skipped by name. Runtime code never imports this file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

function findExecutable(name: string, extra: readonly string[] = []): string | undefined {
  const dirs = [...extra, ...(process.env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== '')];
  for (const dir of dirs) {
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The broker binary: Debian puts it in /usr/sbin, which is not on every PATH. */
export function mosquittoPath(): string | undefined {
  return findExecutable('mosquitto', ['/usr/sbin']);
}

/** `mosquitto_pub` from mosquitto-clients. */
export function mosquittoPubPath(): string | undefined {
  return findExecutable('mosquitto_pub', ['/usr/bin']);
}

export function mosquittoAvailable(): boolean {
  return mosquittoPath() !== undefined && mosquittoPubPath() !== undefined;
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  /** Temp dir holding mosquitto.conf and the persistence file. */
  readonly dir: string;
  pid(): number | undefined;
  running(): boolean;
  /** SIGTERM and wait for exit (Mosquitto writes its persistence file on the way out). */
  stop(): Promise<void>;
  /** Starts again on the same port and persistence dir; resolves when it accepts connections. */
  restart(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
  /** The broker's recent log lines, for failure messages. */
  log(): string;
}

export interface MosquittoOptions {
  /** Extra config lines (e.g. `max_inflight_messages 100`). */
  readonly extraConfig?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** Every broker started here, so an aborted test run does not leave one behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export async function startMosquitto(o: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = mosquittoPath();
  if (bin === undefined) throw new Error('mosquitto is not installed (apt-get install mosquitto mosquitto-clients)');
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-mosquitto-'));
  const readyMs = o.readyTimeoutMs ?? 10_000;
  let logLines: string[] = [];
  let child: ChildProcess | undefined;
  let port = 0;

  const writeConfig = (): string => {
    const file = path.join(dir, 'mosquitto.conf');
    const lines = [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'persistence_file mosquitto.db',
      'autosave_interval 1',
      // The default (1000) drops QoS 1 messages queued for an offline persistent session beyond
      // that many; a restart test (and a real deployment's reconnect window) needs more.
      'max_queued_messages 1000000',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      // As root Mosquitto drops to user `mosquitto`, which could not write our temp dir.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      ...(o.extraConfig ?? []),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  const launch = async (): Promise<void> => {
    const conf = writeConfig();
    const c = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    live.add(c);
    const keep = (chunk: Buffer): void => {
      logLines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      if (logLines.length > 200) logLines = logLines.slice(-100);
    };
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    const exited = new Promise<never>((_, reject) => {
      c.once('exit', (code, signal) => {
        live.delete(c);
        reject(new Error(`mosquitto exited (code ${code}, signal ${signal}):\n${logLines.slice(-20).join('\n')}`));
      });
    });
    exited.catch(() => undefined);
    await Promise.race([waitForPort(port, readyMs), exited]);
  };

  // The free port can be taken between probing and binding: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (e) {
      if (child !== undefined && child.exitCode === null) await terminate(child);
      if (attempt >= 4) {
        rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c !== undefined) await terminate(c);
  };
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    pid: () => child?.pid,
    running: () => child !== undefined && child.exitCode === null,
    stop,
    restart: async () => {
      await stop();
      // A previous listener's socket may linger briefly; Mosquitto retries nothing itself.
      for (let attempt = 0; ; attempt++) {
        try {
          await launch();
          return;
        } catch (e) {
          if (child !== undefined && child.exitCode === null) await terminate(child);
          child = undefined;
          if (attempt >= 10) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => logLines.join('\n'),
  };
}

/** SIGTERM to this child's PID and wait for it to exit (SIGKILL after 10 s). */
function terminate(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    c.once('exit', () => {
      clearTimeout(timer);
      live.delete(c);
      resolve();
    });
    c.kill('SIGTERM');
  });
}

/** A port the kernel just handed out on loopback (closed again, so there is a small race). */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once a TCP connection to the port succeeds. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
