import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('seagrid serve', () => {
  it('starts on the embedded broker and embedded store, answers /health and the API, and stops cleanly on a signal', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-serve-'));
    const port = await freePort();
    const mqttPort = await freePort();
    let stop: (s: string) => void = () => {};
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (d: Buffer) => (printed += d.toString()));
    const running = runCli({
      argv: ['serve'],
      env: { HTTP_PORT: String(port), MQTT_PORT: String(mqttPort), DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir },
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      nowMs: () => Date.now(),
      stopSignal: new Promise((r) => (stop = r)),
    });
    let health: unknown;
    // The embedded PostgreSQL initialises its cluster on first start.
    for (let i = 0; i < 600 && health === undefined; i++) {
      try {
        health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(health).toMatchObject({ status: 'ok', broker: { connected: true, embedded: true }, store: { connected: true, kind: 'embedded' } });
    expect(await (await fetch(`http://127.0.0.1:${port}/api/vessels`)).json()).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${port}/api/vessels/412000001`)).status).toBe(404);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('seagrid_mqtt_connected 1');
    expect(metrics).toContain('seagrid_store_connected 1');
    expect(await (await fetch(`http://127.0.0.1:${port}/api/alerts`)).json()).toEqual([]);
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(printed).toContain('stopped');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad configuration with every problem listed', async () => {
    const stderr = new PassThrough();
    let printed = '';
    stderr.on('data', (d: Buffer) => (printed += d.toString()));
    const code = await runCli({
      argv: ['serve'],
      env: { HTTP_PORT: 'x', LOG_LEVEL: 'loud' },
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr,
      nowMs: () => Date.now(),
      stopSignal: new Promise(() => {}),
    });
    expect(code).toBe(2);
    expect(printed).toMatch(/HTTP_PORT/);
    expect(printed).toMatch(/LOG_LEVEL/);
  });
});
