/**
 * The simulator's feed stops within its grace even when the broker is gone for good (Debian
 * Mosquitto killed mid-stream): unacknowledged messages are given up, not waited for forever.
 */
import { describe, expect, it } from 'vitest';
import { mosquittoAvailable, startMosquitto } from '../ingest/mqtt-test-support.js';
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
});
