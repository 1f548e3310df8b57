import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MqttPublisher, rmcSentence } from '../ingest/adapters.js';
import type { VesselId } from '../model/index.js';
import { openStore } from '../store/index.js';
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

  it('records every fix it accepted: stopped right after a feed, the store holds all of it (shutdown flushes)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-serve-'));
    const port = await freePort();
    const mqttPort = await freePort();
    let stop: (s: string) => void = () => {};
    const running = runCli({
      argv: ['serve'],
      env: { HTTP_PORT: String(port), MQTT_PORT: String(mqttPort), DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir },
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      nowMs: () => Date.now(),
      stopSignal: new Promise((r) => (stop = r)),
    });
    for (let i = 0; i < 600; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // 40 BeiDou terminals, 25 fixes each, 10 s apart, sailing north at 12 kn off Shenjiamen.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 250_000;
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${mqttPort}`);
    for (let k = 0; k < 25; k++)
      for (let c = 0; c < 40; c++) {
        const line = rmcSentence({ talker: 'BD', atMs: t0 + k * 10_000, lat: 29.9 + (k * 12 * 10) / 3600 / 60, lon: 122.3 + c * 0.01, sogKn: 12, cogDeg: 0 });
        await pub.publish(`beidou/raw/${3_000_000 + c}`, line + '\r\n');
      }
    await pub.close();
    // Stop as soon as the live picture has the last fixes: the batches still queued must reach the database.
    for (let i = 0; i < 200; i++) {
      const vs = (await (await fetch(`http://127.0.0.1:${port}/api/vessels`)).json()) as { at: string }[];
      if (vs.length === 40 && vs.every((v) => Date.parse(v.at) === t0 + 24 * 10_000)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    stop('SIGTERM');
    expect(await running).toBe(0);
    const store = await openStore({ dataDir });
    try {
      let rows = 0;
      for (let c = 0; c < 40; c++) rows += (await store.track(`bd${3_000_000 + c}` as VesselId, t0 - 1, t0 + 300_000)).length;
      expect(rows).toBe(1000);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
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
