/**
 * `/ws` through the real service (issue 13 §2): vessels published over MQTT reach a connected
 * client as deltas, a collision they sail into reaches it as an alert change, and an officer's
 * acknowledgement over HTTP reaches every connected console within a second; a console that
 * connects later gets it in its snapshot. Positions are the ones published (expected by hand),
 * the collision geometry as in alerts-serve.test.ts (head-on, 1.56 nm apart at 20 kn closing).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../ingest/adapters.js';
import { encodePositionA, vdmSentences } from '../sim/index.js';
import type { VesselView, WsDelta, WsServerMessage, WsSnapshot } from '../web/index.js';
import { connectWs, type TestWsClient } from '../web/ws-test-support.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

const A = 412_000_201;
const B = 412_000_202;

function report(mmsi: number, lon: number, cogDeg: number): string {
  return `${vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat: 30, lon, sogKn: 10, cogDeg, headingDeg: cogDeg, second: 0 })).join('\r\n')}\r\n`;
}

const isSnapshot = (m: WsServerMessage): m is WsSnapshot => m.type === 'snapshot';

let serve: ServeUnderTest | undefined;
const clients: TestWsClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  if (serve !== undefined) {
    await serve.stop();
    serve.dispose();
    serve = undefined;
  }
});

describe('seagrid serve: /ws', () => {
  it('pushes published vessels and the alert they raise; an acknowledgement on one console shows on every console within a second', async () => {
    serve = await startServe({ DEMO: '0' });
    const base = serve.base;
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000, 'health');
    const port = Number(new URL(base).port);
    const one = await connectWs(port);
    const two = await connectWs(port);
    clients.push(one, two);
    expect(await one.next(isSnapshot)).toMatchObject({ vessels: [], alerts: [] });
    await two.next(isSnapshot);

    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    await pub.publish('ais/raw/rx-ws', report(A, 122.5, 90));
    await pub.publish('ais/raw/rx-ws', report(B, 122.53, 270));
    await pub.close();

    const seen = new Map<string, VesselView>();
    const raised = await one.next((m): m is WsDelta => {
      if (m.type !== 'delta') return false;
      for (const v of m.vessels) seen.set(v.vesselId, v);
      return m.alerts.some((c) => c.action === 'raise' && c.alert.kind === 'collision');
    }, 20_000);
    for (const d of one.messages) if (d.type === 'delta') for (const v of d.vessels) seen.set(v.vesselId, v);
    expect(seen.get(String(A))).toMatchObject({ lat: 30, lon: 122.5, sogKn: 10, cogDeg: 90, source: 'ais' });
    expect(seen.get(String(B))).toMatchObject({ lat: 30, lon: 122.53, sogKn: 10, cogDeg: 270, source: 'ais' });
    const change = raised.alerts.find((c) => c.action === 'raise')!;
    expect([...change.alert.vesselIds].sort()).toEqual([String(A), String(B)]);

    const sentAt = Date.now();
    const ack = await fetch(`${base}/api/alerts/${change.alertId}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: '已联系两船' }) });
    expect(ack.status).toBe(200);
    const acked = (m: WsServerMessage): m is WsDelta => m.type === 'delta' && m.alerts.some((c) => c.alertId === change.alertId && c.action === 'acknowledge');
    for (const c of [one, two]) {
      const d = await c.next(acked, 1_000);
      expect(d.alerts.find((x) => x.action === 'acknowledge')).toMatchObject({ actor: 'local', note: '已联系两船', alert: { state: 'acknowledged' } });
    }
    expect(Date.now() - sentAt).toBeLessThan(1_000);

    const late = await connectWs(port);
    clients.push(late);
    const snap = await late.next(isSnapshot);
    expect(snap.alerts.map((a) => [a.id, a.state])).toEqual([[change.alertId, 'acknowledged']]);
    expect(snap.vessels.map((v) => v.vesselId).sort()).toEqual([String(A), String(B)]);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('seagrid_ws_connections 3');
    expect(metrics).toMatch(/seagrid_ws_messages_sent_total\{type="snapshot"\} 3/);
    expect(metrics).toMatch(/seagrid_ws_messages_sent_total\{type="delta"\} [1-9]/);
    expect(metrics).toMatch(/seagrid_ws_sent_bytes_total [1-9]/);
  }, 120_000);
});
