/**
 * The simulator's feed stops within its grace even when the broker is gone for good (Debian
 * Mosquitto killed mid-stream): unacknowledged messages are given up, not waited for forever.
 */
import { describe, expect, it } from 'vitest';
import { mosquittoAvailable, startMosquitto } from '../ingest/mqtt-test-support.js';
import { MqttSource } from '../ingest/adapters.js';
import { subscriptionFilters } from '../ingest/index.js';
import { createSimFeed } from './sim-feed.js';

describe.skipIf(!mosquittoAvailable())('needs Debian mosquitto: the simulator feed', () => {
  it('stops within its 10 s grace after the broker was killed mid-stream, counting only acknowledged messages', async () => {
    const broker = await startMosquitto();
    const feed = createSimFeed({ brokerUrl: broker.url, topicPrefix: '', vessels: 300, fleets: 30, rate: 600, now: Date.now, maxInFlight: 50 });
    await feed.start();
    await new Promise((r) => setTimeout(r, 1_000));
    await broker.dispose(); // SIGKILL: no goodbye to the client
    await new Promise((r) => setTimeout(r, 1_000));
    const t0 = Date.now();
    await feed.stop();
    expect(Date.now() - t0).toBeLessThan(16_000);
    const s = feed.stats();
    expect(s.published).toBeGreaterThan(300); // every vessel's first report went out before the kill
    expect(s.published).toBeLessThanOrEqual(s.payloads + 50);
  }, 60_000);

  it('stopped while behind its schedule: what it generated but never handed over is counted apart, and a subscriber receives exactly what the broker acknowledged', async () => {
    const broker = await startMosquitto();
    let received = 0;
    const source = new MqttSource({ url: broker.url, clientId: 'sim-feed-count', topics: subscriptionFilters(), onFrame: () => received++ });
    try {
      await source.start();
      // One message in flight at a time at 3,600× over 2,000 vessels: far more is due than can go out.
      const feed = createSimFeed({ brokerUrl: broker.url, topicPrefix: '', vessels: 2_000, fleets: 200, rate: 3_600, now: Date.now, maxInFlight: 1 });
      await feed.start();
      await new Promise((r) => setTimeout(r, 1_500));
      await feed.stop();
      const s = feed.stats();
      expect(s.unsent).toBeGreaterThan(0);
      // The broker was there: what was handed over was acknowledged, except a send still waiting for
      // the window when the stop closed the publisher (failed, never on the wire).
      expect(s.failed).toBeLessThanOrEqual(1);
      expect(s.published + s.failed).toBe(s.payloads);
      // Everything acknowledged reaches the subscriber; nothing counted that was never sent.
      for (let waited = 0; received < s.published && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      expect(received).toBe(s.published);
    } finally {
      await source.stop();
      await broker.dispose();
    }
  }, 60_000);
});
