import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { MqttPublisher, MqttSource, type RawFrame } from './mqtt-source.js';
import { subscriptionFilters } from './topics.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

async function until(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Bytes that are not UTF-8 and line ends of both kinds: the payload must arrive untouched. */
const AIS_PAYLOAD = Buffer.concat([
  Buffer.from('\\s:r1,c:1700000000*0F\\!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\r\n', 'latin1'),
  Buffer.from('!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5F\n', 'latin1'),
  Buffer.from([0xb0, 0xff, 0x00, 0x0d, 0x0a]),
]);
const BEIDOU_PAYLOAD = '$BDRMC,023044.00,A,2959.9000,N,12210.5000,E,7.5,85.0,150324,,,A*7B\r\n';

describe('embedded broker (aedes) with the mqtt.js source and publisher', () => {
  let broker: EmbeddedBroker;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
  });
  afterAll(async () => {
    await broker.close();
  });

  it('binds a free loopback port when asked for port 0', () => {
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.host).toBe('127.0.0.1');
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
  });

  it('round-trips payloads byte-exact on the contract topics, QoS 0 and 1, and nothing else', async () => {
    const frames: RawFrame[] = [];
    const source = new MqttSource({ url: broker.url, clientId: 'emb-roundtrip', topics: subscriptionFilters(), onFrame: (f) => frames.push(f) });
    await source.start();
    const pub = await MqttPublisher.connect(broker.url);
    try {
      await pub.publish('ais/raw/receiver-7', AIS_PAYLOAD, 1);
      await pub.publish('beidou/raw/10086', BEIDOU_PAYLOAD, 0);
      await pub.publish('other/raw/x', 'not subscribed', 1);
      await pub.publish('ais/raw/receiver-8', 'last', 1);
      await until(() => frames.some((f) => f.topic === 'ais/raw/receiver-8'));
      expect(frames.map((f) => f.topic)).toEqual(['ais/raw/receiver-7', 'beidou/raw/10086', 'ais/raw/receiver-8']);
      expect(frames[0]!.payload.equals(AIS_PAYLOAD)).toBe(true);
      expect(frames[1]!.payload.toString('latin1')).toBe(BEIDOU_PAYLOAD);
      const s = source.state();
      expect(s).toMatchObject({ connected: true, subscribed: true, messages: 3, url: `mqtt://127.0.0.1:${broker.port}` });
      expect(s.bytes).toBe(AIS_PAYLOAD.length + BEIDOU_PAYLOAD.length + 4);
      expect(s.lastMessageAtMs).toBe(frames[2]!.receivedAtMs);
      expect(pub.state()).toMatchObject({ published: 4, acked: 4, failed: 0, inFlight: 0 });
    } finally {
      await pub.close();
      await source.stop();
    }
    expect(source.state().connected).toBe(false);
  });

  it('honours a topic prefix', async () => {
    const frames: RawFrame[] = [];
    const source = new MqttSource({ url: broker.url, clientId: 'emb-prefix', topics: subscriptionFilters('site1/'), onFrame: (f) => frames.push(f) });
    await source.start();
    const pub = await MqttPublisher.connect(broker.url);
    await pub.publish('ais/raw/r1', 'unprefixed', 1);
    await pub.publish('site1/ais/raw/r1', 'prefixed', 1);
    await until(() => frames.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.map((f) => [f.topic, f.payload.toString()])).toEqual([['site1/ais/raw/r1', 'prefixed']]);
    await pub.close();
    await source.stop();
  });

  it('keeps a persistent session: QoS 1 messages published while the source was away arrive', async () => {
    const seen: string[] = [];
    const opts = { url: broker.url, clientId: 'emb-persistent', topics: subscriptionFilters(), onFrame: (f: RawFrame) => seen.push(f.payload.toString()) };
    const first = new MqttSource(opts);
    await first.start();
    await first.stop();
    const pub = await MqttPublisher.connect(broker.url);
    for (let i = 0; i < 20; i++) await pub.send('ais/raw/r1', `m${i}`, 1);
    await pub.flush();
    const second = new MqttSource(opts);
    await second.start();
    await until(() => seen.length >= 20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    await pub.close();
    await second.stop();
  });

  it('bounds the publisher’s in-flight window (send waits, flush drains)', async () => {
    const frames: RawFrame[] = [];
    const source = new MqttSource({ url: broker.url, clientId: 'emb-window', topics: subscriptionFilters(), onFrame: (f) => frames.push(f) });
    await source.start();
    const pub = await MqttPublisher.connect(broker.url, { maxInFlight: 4 });
    let maxSeen = 0;
    for (let i = 0; i < 200; i++) {
      await pub.send('ais/raw/w', String(i), 1);
      maxSeen = Math.max(maxSeen, pub.state().inFlight);
    }
    await pub.flush();
    expect(maxSeen).toBe(4);
    expect(pub.state()).toMatchObject({ inFlight: 0, published: 200, acked: 200 });
    await until(() => frames.length >= 200);
    expect(frames.map((f) => Number(f.payload.toString()))).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await pub.close();
    await source.stop();
  });

  it('isolates a throwing onFrame: counted, reported, the message still acknowledged', async () => {
    const got: string[] = [];
    const errors: string[] = [];
    const source = new MqttSource({
      url: broker.url,
      clientId: 'emb-throwing',
      topics: subscriptionFilters(),
      onFrame: (f) => {
        const text = f.payload.toString();
        if (text === 'boom') throw new Error('handler bug');
        got.push(text);
      },
      onError: (e) => errors.push(e.message),
    });
    await source.start();
    const pub = await MqttPublisher.connect(broker.url);
    await pub.publish('ais/raw/r1', 'boom', 1);
    await pub.publish('ais/raw/r1', 'fine', 1);
    await until(() => got.length === 1);
    expect(got).toEqual(['fine']);
    expect(errors).toEqual(['handler bug']);
    expect(source.state()).toMatchObject({ handlerErrors: 1, messages: 2, connected: true });
    await pub.close();
    await source.stop();
  });

  it('publisher close() is bounded when the broker is gone: unacknowledged messages fail, nothing hangs', async () => {
    const own = await startEmbeddedBroker({ port: 0 });
    const pub = await MqttPublisher.connect(own.url, { reconnect: { minMs: 50, maxMs: 100 } });
    await own.close();
    await until(() => !pub.state().connected);
    const pending = pub.publish('ais/raw/r1', 'queued while offline', 1);
    const started = Date.now();
    await pub.close(300);
    await expect(pending).rejects.toThrow(/closed before the broker acknowledged/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(pub.state()).toMatchObject({ published: 1, acked: 0, failed: 1, inFlight: 0 });
  });

  it('refuses a port that is taken', async () => {
    await expect(startEmbeddedBroker({ port: broker.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('closes cleanly: a process that used it exits on its own (no open handles)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-embedded-'));
    const script = path.join(dir, 'exit-check.mts');
    const brokerUrl = pathToFileURL(path.join(HERE, 'embedded-broker.ts')).href;
    const sourceUrl = pathToFileURL(path.join(HERE, 'mqtt-source.ts')).href;
    const topicsUrl = pathToFileURL(path.join(HERE, 'topics.ts')).href;
    writeFileSync(
      script,
      `import { startEmbeddedBroker } from '${brokerUrl}';
import { MqttPublisher, MqttSource } from '${sourceUrl}';
import { subscriptionFilters } from '${topicsUrl}';
const b = await startEmbeddedBroker({ port: 0 });
let got = 0;
const src = new MqttSource({ url: b.url, clientId: 'exit-check', topics: subscriptionFilters(), onFrame: () => { got++; } });
await src.start();
const pub = await MqttPublisher.connect(b.url);
await pub.publish('ais/raw/r1', 'x', 1);
await pub.publish('beidou/raw/1', 'y', 1);
while (got < 2) await new Promise((r) => setTimeout(r, 10));
await pub.close();
await src.stop();
await b.close();
console.log('closed', got);
// No process.exit(): the event loop must drain by itself.
`,
    );
    try {
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
      expect(r.error, r.stderr).toBeUndefined();
      expect(r.stdout.trim(), r.stderr).toBe('closed 2');
      expect(r.status).toBe(0);
      // Loading tsx takes a moment; a leaked timer (aedes heartbeat: 60 s) would hit the timeout.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
