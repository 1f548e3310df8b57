/**
 * Alerts out over MQTT through a real broker (the embedded one): what a device that subscribes
 * late receives as an alert's fleets change and when it is resolved. Topics are written out by
 * hand from docs/CONTRACTS.md's `{prefix}alerts/v1/{fleetId|none}/{kind}/{alertId}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher, MqttSource, startEmbeddedBroker, type EmbeddedBroker, type RawFrame } from '../ingest/adapters.js';
import type { Alert, AlertAction, AlertChange, AlertId, FleetId, VesselId } from '../model/index.js';
import { AlertsOut, alertTopics } from './alerts-out.js';

let broker: EmbeddedBroker;
let pub: MqttPublisher;
beforeAll(async () => {
  broker = await startEmbeddedBroker({ port: 0 });
  pub = await MqttPublisher.connect(broker.url);
});
afterAll(async () => {
  await pub.close();
  await broker.close();
});

/** What a fresh subscriber gets on subscribing: the retained messages under `filter`, by topic. */
async function retainedUnder(filter: string, url = broker.url): Promise<Record<string, string>> {
  const got: RawFrame[] = [];
  const sub = new MqttSource({ url, clientId: `late-${Math.random().toString(36).slice(2)}`, topics: [filter], qos: 1, onFrame: (f) => got.push(f) });
  await sub.start();
  await new Promise((r) => setTimeout(r, 300));
  await sub.stop();
  return Object.fromEntries(got.map((f) => [f.topic, f.payload.toString()]));
}

const T0 = Date.UTC(2025, 6, 1, 8);
function change(seq: number, action: AlertAction, state: Alert['state'], fleetIds: string[]): AlertChange {
  const alert: Alert = {
    id: 'collision-1x2y-abc' as AlertId,
    kind: 'collision',
    severity: 'danger',
    state,
    vesselIds: ['412000001', '412000002'] as VesselId[],
    ...(fleetIds.length === 0 ? {} : { fleetId: fleetIds[0] as FleetId, fleetIds: fleetIds as FleetId[] }),
    raisedAtMs: T0,
    updatedAtMs: T0 + seq,
    details: {},
    seq,
  };
  return { alertId: alert.id, seq, action, atMs: T0 + seq, actor: seq === 1 ? 'system' : 'local', alert };
}

describe('AlertsOut', () => {
  it('retains an open alert once per fleet, clears a fleet that leaves it, and clears every topic on resolve', async () => {
    const errors: unknown[] = [];
    const out = new AlertsOut('zs/', (e) => errors.push(e), pub);
    const idTopic = (fleet: string): string => `zs/alerts/v1/${fleet}/collision/collision-1x2y-abc`;
    out.publish(change(1, 'raise', 'raised', ['PT-17', 'PT-18']));
    await pub.flush();
    const open = await retainedUnder('zs/alerts/v1/#');
    expect(Object.keys(open).sort()).toEqual([idTopic('PT-17'), idTopic('PT-18')]);
    expect(JSON.parse(open[idTopic('PT-18')]!)).toMatchObject({ alertId: 'collision-1x2y-abc', seq: 1, action: 'raise', alert: { fleetIds: ['PT-17', 'PT-18'] } });
    // A fleet leader subscribes to his fleet's subtree only.
    expect(Object.keys(await retainedUnder('zs/alerts/v1/PT-17/#'))).toEqual([idTopic('PT-17')]);

    out.publish(change(2, 'acknowledge', 'acknowledged', ['PT-17']));
    await pub.flush();
    const after = await retainedUnder('zs/alerts/v1/#');
    expect(Object.keys(after)).toEqual([idTopic('PT-17')]);
    expect(JSON.parse(after[idTopic('PT-17')]!)).toMatchObject({ seq: 2, action: 'acknowledge', actor: 'local' });

    out.publish(change(3, 'resolve', 'resolved', ['PT-17']));
    await pub.flush();
    expect(await retainedUnder('zs/alerts/v1/#')).toEqual({});
    expect(out.retainedAlerts).toBe(0);
    expect(out.counters).toEqual({ published: 4, cleared: 2, failed: 0, coalesced: 0 });
    expect(errors).toEqual([]);
  });

  it('after a restart it retains the open alerts again, and a resolve clears them, also under a fleet the resolving change no longer names', async () => {
    // Restored before the publisher is attached (as at the service's start): sent once it is.
    const restarted = new AlertsOut('r/', () => undefined);
    restarted.restore([change(1, 'raise', 'raised', ['PT-1', 'PT-2']), change(4, 'resolve', 'resolved', [])]);
    restarted.attach(pub);
    await pub.flush();
    expect(Object.keys(await retainedUnder('r/alerts/v1/#')).sort()).toEqual(['r/alerts/v1/PT-1/collision/collision-1x2y-abc', 'r/alerts/v1/PT-2/collision/collision-1x2y-abc']);
    restarted.publish(change(2, 'resolve', 'resolved', ['PT-1']));
    await pub.flush();
    expect(await retainedUnder('r/alerts/v1/#')).toEqual({});
  });

  it('while the broker is away a flood waits bounded (latest per topic; a resolve and its clear kept), and every alert is right once it is back', async () => {
    const own = await startEmbeddedBroker({ port: 0 });
    const port = Number(new URL(own.url).port);
    const p = await MqttPublisher.connect(own.url, { reconnect: { minMs: 50, maxMs: 200 } });
    let back: EmbeddedBroker | undefined;
    try {
      const out = new AlertsOut('f/', () => undefined, p, 20);
      await own.close(); // the broker goes away; the publisher keeps retrying
      const ALERTS = 50;
      const UPDATES = 200;
      const withId = (c: AlertChange, i: number): AlertChange => ({ ...c, alertId: `a-${i}` as AlertId, alert: { ...c.alert, id: `a-${i}` as AlertId } });
      for (let seq = 1; seq <= UPDATES; seq++) for (let i = 0; i < ALERTS; i++) out.publish(withId(change(seq, seq === 1 ? 'raise' : 'update', 'raised', [`PT-${i % 5}`]), i));
      // The even alerts are resolved during the outage: their resolve and the clear after it must both survive.
      for (let i = 0; i < ALERTS; i += 2) out.publish(withId(change(UPDATES + 1, 'resolve', 'resolved', [`PT-${i % 5}`]), i));
      // 10,000 updates + 25 resolves handed to the outbox; at most `window` in flight, the rest one or two per topic.
      expect(out.waiting).toBeLessThanOrEqual(ALERTS * 2);
      expect(out.counters.coalesced).toBeGreaterThan(ALERTS * (UPDATES - 2));

      back = await startEmbeddedBroker({ port });
      const sub = new MqttSource({ url: back.url, clientId: `live-${Math.random().toString(36).slice(2)}`, topics: ['f/alerts/v1/#'], qos: 1, onFrame: (f) => live.push(f) });
      const live: RawFrame[] = [];
      await sub.start();
      const t0 = Date.now();
      while ((out.waiting > 0 || p.state().inFlight > 0) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
      await p.flush();
      await new Promise((r) => setTimeout(r, 300));
      await sub.stop();
      // A live device saw each resolve (unretained) before its clear.
      const resolves = live.filter((f) => f.payload.length > 0 && JSON.parse(f.payload.toString()).action === 'resolve');
      expect(new Set(resolves.map((f) => f.topic)).size).toBe(ALERTS / 2);
      // A late device finds exactly the open (odd) alerts, each at its latest seq.
      const retained = await retainedUnder('f/alerts/v1/#', back.url);
      const expected: Record<string, number> = {};
      for (let i = 1; i < ALERTS; i += 2) expected[`f/alerts/v1/PT-${i % 5}/collision/a-${i}`] = UPDATES;
      expect(Object.fromEntries(Object.entries(retained).map(([t, v]) => [t, JSON.parse(v).seq as number]))).toEqual(expected);
    } finally {
      await p.close(2_000);
      await back?.close();
    }
  }, 40_000);

  it('an alert of no fleet goes under `none`; MQTT-reserved characters in ids are percent-encoded, one level each', () => {
    const a = change(1, 'raise', 'raised', []).alert;
    expect(alertTopics('', a)).toEqual(['alerts/v1/none/collision/collision-1x2y-abc']);
    const odd = { ...a, id: 'a/b+c#d%e' as AlertId, fleetIds: ['F/1', 'F+2'] as FleetId[] };
    expect(alertTopics('p/', odd)).toEqual(['p/alerts/v1/F%2F1/collision/a%2Fb%2Bc%23d%25e', 'p/alerts/v1/F%2B2/collision/a%2Fb%2Bc%23d%25e']);
  });
});
