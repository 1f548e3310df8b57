import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MqttPublisher } from '../ingest/adapters.js';
import { rmcSentence } from '../sim/index.js';
import type { VesselId } from '../model/index.js';
import { openStore } from '../store/index.js';
import { runCli } from './cli.js';
import { startServe, until } from './serve-test-support.js';

describe('seagrid serve', () => {
  it('starts on the embedded broker and embedded store, answers /health and the API, and stops cleanly on a signal', async () => {
    const serve = await startServe({ DEMO: '0' });
    const base = serve.base;
    const health = await until(async () => (await fetch(`${base}/health`)).json(), 30_000, 'health');
    expect(health).toMatchObject({ status: 'ok', broker: { connected: true, embedded: true }, store: { connected: true, kind: 'embedded' } });
    // Where the embedded server runs from: a DATA_DIR the server's user can reach keeps its cluster.
    expect((health as { store: { embedded?: unknown } }).store.embedded).toEqual({ binDir: expect.stringMatching(/\/bin$/), clusterDir: `${serve.dataDir}/pg` });
    expect(await (await fetch(`${base}/api/vessels`)).json()).toEqual([]);
    expect((await fetch(`${base}/api/vessels/412000001`)).status).toBe(404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('seagrid_mqtt_connected 1');
    expect(metrics).toContain('seagrid_store_connected 1');
    // Event-loop delay in seconds: present, a number, and under a second on an idle service.
    const p99 = /seagrid_event_loop_delay_seconds\{quantile="0\.99"\} ([0-9.e+-]+)/.exec(metrics);
    expect(p99).not.toBeNull();
    expect(Number(p99![1])).toBeGreaterThan(0);
    expect(Number(p99![1])).toBeLessThan(1);
    expect(await (await fetch(`${base}/api/alerts`)).json()).toEqual([]);
    expect(await serve.stop()).toBe(0);
    expect(serve.printed()).toContain('stopped');
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    serve.dispose();
  });

  it('records every fix it accepted: stopped right after a feed, the store holds all of it (shutdown flushes)', async () => {
    const serve = await startServe({ DEMO: '0' });
    const base = serve.base;
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000, 'health');
    // 40 BeiDou terminals, 25 fixes each, 10 s apart, sailing north at 12 kn off Shenjiamen.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 250_000;
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    for (let k = 0; k < 25; k++)
      for (let c = 0; c < 40; c++) {
        const line = rmcSentence({ talker: 'BD', atMs: t0 + k * 10_000, lat: 29.9 + (k * 12 * 10) / 3600 / 60, lon: 122.3 + c * 0.01, sogKn: 12, cogDeg: 0 });
        await pub.publish(`beidou/raw/${3_000_000 + c}`, line + '\r\n');
      }
    await pub.close();
    // Stop as soon as the live picture has the last fixes: the batches still queued must reach the database.
    for (let i = 0; i < 200; i++) {
      const vs = (await (await fetch(`${base}/api/vessels`)).json()) as { at: string }[];
      if (vs.length === 40 && vs.every((v) => Date.parse(v.at) === t0 + 24 * 10_000)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await serve.stop()).toBe(0);
    const store = await openStore({ dataDir: serve.dataDir });
    try {
      let rows = 0;
      for (let c = 0; c < 40; c++) rows += (await store.track(`bd${3_000_000 + c}` as VesselId, t0 - 1, t0 + 300_000)).length;
      expect(rows).toBe(1000);
    } finally {
      await store.close();
      serve.dispose();
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
