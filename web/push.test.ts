import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import type { AlertChangeView, AlertView, VesselView, WsBbox, WsDelta, WsPong, WsServerMessage, WsSnapshot } from './protocol.js';
import { WS_CLOSE, WS_MAX_CLIENT_MESSAGE_BYTES } from './protocol.js';
import { PushHub, type PushFeed, type PushOptions } from './push.js';
import { startWebServer, type WebServer } from './server.js';
import { connectWs, type TestWsClient } from './ws-test-support.js';

/**
 * `/ws` over a real server and real `ws` clients. The world is the test's own: vessels and alert
 * changes it makes up, so what each client must end up holding is known independently of the hub.
 */
class World {
  readonly vessels = new Map<string, VesselView>();
  readonly open = new Map<string, AlertView>();
  readonly changes: AlertChangeView[] = [];

  place(id: string, lat: number, lon: number, at = 0, name = `浙普渔${id}`): VesselView {
    const v: VesselView = {
      vesselId: id, mmsi: null, beidouCard: null, name, shipType: 30, fleetId: 'PT-SJM-017', lat, lon, sogKn: 8, cogDeg: 90, headingDeg: 90,
      at: new Date(1_760_000_000_000 + at).toISOString(), source: 'ais',
      grids: { static: ['ZS-01'], control: [], patrol: [], fishingZone: null, fleet: 'PT-SJM-017', h3: null, zones: [] },
    };
    this.vessels.set(id, v);
    return v;
  }

  /** The next change of alert `id` (its seq one more than the last), as the lifecycle would number it. */
  change(id: string, action: string, vesselIds: string[] = ['1', '2']): AlertChangeView {
    const seq = this.changes.filter((c) => c.alertId === id).length + 1;
    const alert: AlertView = {
      id, kind: 'collision', severity: 'danger', state: action === 'resolve' ? 'resolved' : 'raised', vesselIds, fleetId: null,
      raisedAt: '2025-10-12T03:15:00.000Z', updatedAt: '2025-10-12T03:15:00.000Z', assignee: null, details: {}, fleetIds: [], cleared: false, seq, responders: [],
    };
    if (alert.state === 'resolved') this.open.delete(id);
    else this.open.set(id, alert);
    const c: AlertChangeView = { alertId: id, seq, action, at: alert.updatedAt, actor: 'rule', note: null, alert };
    this.changes.push(c);
    return c;
  }

  feed = {
    vessels: (bbox: WsBbox | null) => [...this.vessels.values()].filter((v) => bbox === null || (v.lon >= bbox[0] && v.lon <= bbox[2] && v.lat >= bbox[1] && v.lat <= bbox[3])),
    vessel: (id: string) => this.vessels.get(id),
    openAlerts: () => [...this.open.values()],
  };
}

/** What a client holds after applying every message it received, as the map client does. */
function held(messages: readonly WsServerMessage[]): { vessels: Map<string, VesselView>; alerts: Map<string, AlertView>; changes: AlertChangeView[] } {
  const vessels = new Map<string, VesselView>();
  const alerts = new Map<string, AlertView>();
  const changes: AlertChangeView[] = [];
  for (const m of messages) {
    if (m.type === 'snapshot') {
      vessels.clear();
      alerts.clear();
      for (const v of m.vessels) vessels.set(v.vesselId, v);
      for (const a of m.alerts) alerts.set(a.id, a);
    } else if (m.type === 'delta') {
      for (const v of m.vessels) vessels.set(v.vesselId, v);
      for (const id of m.removed) vessels.delete(id);
      for (const c of m.alerts) {
        changes.push(c);
        if (c.alert.state === 'resolved') alerts.delete(c.alertId);
        else alerts.set(c.alertId, c.alert);
      }
    }
  }
  return { vessels, alerts, changes };
}

/**
 * A console zoomed on one area over a real server and real `ws` clients: it must hold exactly the
 * vessels the test last placed inside its box, never be sent one outside, and cost fewer bytes
 * than a console that sees everything. The expected sets come from the positions the test itself
 * placed (a plain comparison of each with the box's edges), not from the hub.
 */
const AREA: WsBbox = [122, 29, 124, 31];
const BOX: WsBbox = [122.5, 29.5, 123.5, 30.5]; // a quarter of AREA
const VESSELS = 400;

function vessel(i: number, lat: number, lon: number, at: number): VesselView {
  return {
    vesselId: String(412_000_000 + i), mmsi: 412_000_000 + i, beidouCard: null, name: `浙岱渔${10000 + i}`, shipType: 30, fleetId: null, lat, lon, sogKn: 8, cogDeg: 90, headingDeg: 90,
    at: new Date(1_760_000_000_000 + at).toISOString(), source: 'ais', grids: { static: [], control: [], patrol: [], fishingZone: null, fleet: null, h3: null, zones: [] },
  };
}

const inside = (v: VesselView, b: WsBbox): boolean => v.lon >= b[0] && v.lon <= b[2] && v.lat >= b[1] && v.lat <= b[3];

/** Vessel ids a client holds after applying its messages in order, and every vessel state it was sent after its last snapshot's box was set. */
function heldIds(messages: readonly WsServerMessage[]): { ids: Set<string>; sent: VesselView[]; lastBox: WsBbox | null } {
  const ids = new Set<string>();
  let sent: VesselView[] = [];
  let lastBox: WsBbox | null = null;
  for (const m of messages) {
    if (m.type === 'snapshot') {
      ids.clear();
      lastBox = m.bbox;
      sent = [...m.vessels];
      for (const v of m.vessels) ids.add(v.vesselId);
    } else if (m.type === 'delta') {
      for (const v of m.vessels) ids.add(v.vesselId);
      for (const id of m.removed) ids.delete(id);
      sent.push(...m.vessels);
    }
  }
  return { ids, sent, lastBox };
}

const isSnapshot = (m: WsServerMessage): m is WsSnapshot => m.type === 'snapshot';
const isDelta = (m: WsServerMessage): m is WsDelta => m.type === 'delta';
const isPong = (m: WsServerMessage): m is WsPong => m.type === 'pong';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('/ws push', () => {
  let web: WebServer | undefined;
  const clients: TestWsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await web?.close();
    web = undefined;
  });
  const start = (world: World, options: PushOptions = {}): Promise<PushHub> => startFeed(world.feed, options);
  const startFeed = async (feed: PushFeed, options: PushOptions = {}): Promise<PushHub> => {
    const hub = new PushHub(feed, { periodMs: 40, ...options });
    web = await startWebServer('127.0.0.1', 0, { health: () => ({ status: 'ok' }), metrics: () => '', vessels: () => ({ vessels: [], next: undefined }), vessel: () => undefined, track: () => undefined, push: hub });
    return hub;
  };
  const connect = async (): Promise<TestWsClient> => {
    const c = await connectWs(web!.port);
    clients.push(c);
    return c;
  };

  it('sends a snapshot of the vessels and open alerts on connect, then coalesced deltas: latest state, removals, every alert change', async () => {
    const world = new World();
    world.place('412000001', 30.0, 122.1);
    world.place('412000002', 30.1, 122.2);
    world.place('412000003', 30.2, 122.3);
    world.change('A1', 'raise');
    const hub = await start(world);
    const c = await connect();
    const snap = await c.next(isSnapshot);
    expect(snap.bbox).toBeNull();
    expect(snap.vessels.map((v) => v.vesselId).sort()).toEqual(['412000001', '412000002', '412000003']);
    expect(snap.alerts.map((a) => a.id)).toEqual(['A1']);

    // Ten moves of one vessel within one period: one delta carrying only the last.
    for (let i = 1; i <= 10; i++) world.place('412000001', 30.0 + i / 100, 122.1, i * 1000);
    world.vessels.delete('412000003');
    hub.vesselsChanged(['412000001', '412000003']);
    hub.alertChanged(world.change('A1', 'acknowledge'));
    hub.alertChanged(world.change('A2', 'raise', ['412000001', '412000002']));
    // The alert changes go at once, together, ahead of the period, with the latest state of the
    // vessels they name that changed (412000002 did not); the other changes wait for the period.
    const a = await c.next(isDelta);
    expect(a.vessels).toEqual([world.vessels.get('412000001')]);
    expect(a.vessels[0]!.lat).toBeCloseTo(30.1, 9);
    expect(a.removed).toEqual([]);
    expect(a.alerts.map((x) => [x.alertId, x.seq, x.action])).toEqual([['A1', 2, 'acknowledge'], ['A2', 1, 'raise']]);
    const d = await c.next(isDelta);
    expect(d).toMatchObject({ vessels: [], removed: ['412000003'], alerts: [] });
    const now = held(c.messages);
    expect([...now.vessels.keys()].sort()).toEqual(['412000001', '412000002']);
    expect([...now.alerts.keys()].sort()).toEqual(['A1', 'A2']);
    expect(c.binaryFrames()).toBe(0); // JSON text frames only
  });

  it('consoles connecting within one period share one encoded snapshot, and still get every change made after it', async () => {
    const world = new World();
    world.place('412000001', 30.0, 122.1);
    const hub = await start(world, { periodMs: 60_000 }); // flushed by hand below
    const first = await connect();
    await first.next(isSnapshot);
    world.place('412000001', 30.2, 122.1, 5000);
    hub.vesselsChanged(['412000001']);
    const second = await connect();
    const snap = await second.next(isSnapshot);
    expect(snap.vessels[0]!.lat).toBe(30.0); // the shared snapshot, as of the first connect
    expect(hub.counters.bytesSent).toBe(2 * Buffer.byteLength(JSON.stringify(snap)));
    hub.alertChanged(world.change('A1', 'raise')); // goes at once (an alerts-only delta), ahead of the flush
    hub.flush();
    for (const c of [first, second]) {
      await c.next(isDelta);
      const now = held(c.messages);
      expect(now.vessels.get('412000001')!.lat).toBe(30.2);
      expect(now.changes.map((x) => `${x.alertId}#${x.seq}`)).toEqual(['A1#1']);
    }
  });

  it('a viewport subscription answers with a snapshot of the box; vessel deltas keep to it (leaving is a removal), alerts always come', async () => {
    const world = new World();
    world.place('in', 30.0, 122.0);
    world.place('out', 31.0, 123.0);
    const hub = await start(world);
    const c = await connect();
    await c.next(isSnapshot);
    c.send({ type: 'subscribe', bbox: [121.5, 29.5, 122.5, 30.5] });
    const snap = await c.next(isSnapshot);
    expect(snap.bbox).toEqual([121.5, 29.5, 122.5, 30.5]);
    expect(snap.vessels.map((v) => v.vesselId)).toEqual(['in']);
    world.place('out', 31.1, 123.0); // moves, still outside: nothing for this client
    hub.vesselsChanged(['out']);
    hub.alertChanged(world.change('A9', 'raise'));
    const d1 = await c.next(isDelta);
    expect(d1).toMatchObject({ vessels: [], removed: [] });
    expect(d1.alerts.map((a) => a.alertId)).toEqual(['A9']);
    world.place('in', 31.0, 123.0); // leaves the box
    world.place('out', 30.2, 122.2); // comes into it
    hub.vesselsChanged(['in', 'out']);
    const d2 = await c.next(isDelta);
    expect(d2.vessels.map((v) => v.vesselId)).toEqual(['out']);
    expect(d2.removed).toEqual(['in']);
  });

  it('a client that subscribes again and again within a period gets one snapshot then, and one for its last box at the next flush', async () => {
    const world = new World();
    world.place('a', 30.0, 122.0);
    world.place('b', 31.0, 123.0);
    const hub = await start(world, { periodMs: 60_000 }); // flushed by hand below
    const c = await connect();
    await c.next(isSnapshot);
    for (let i = 0; i < 5; i++) c.send({ type: 'subscribe', bbox: [121.5, 29.5, 122.5, 30.5] });
    c.send({ type: 'subscribe', bbox: [122.5, 30.5, 123.5, 31.5] });
    c.send({ type: 'ping', t: 1 });
    await c.next(isPong); // every message before it has been handled
    expect(c.messages.filter(isSnapshot)).toHaveLength(1);
    hub.flush();
    const last = await c.next(isSnapshot);
    expect(last.bbox).toEqual([122.5, 30.5, 123.5, 31.5]);
    expect(last.vessels.map((v) => v.vesselId)).toEqual(['b']);
  });

  it('a server that stops closes its clients with 1001 (going away)', async () => {
    await start(new World());
    const c = await connect();
    await c.next(isSnapshot);
    await web!.close();
    web = undefined;
    expect((await c.closed).code).toBe(WS_CLOSE.goingAway);
  });

  it('answers a ping with a pong echoing t', async () => {
    await start(new World());
    const c = await connect();
    c.send({ type: 'ping', t: 12345 });
    const p = await c.next(isPong);
    expect(p.t).toBe(12345);
  });

  it('a client that stops reading is not sent a growing backlog, and when it reads again it holds the latest vessels and every alert change', async () => {
    const world = new World();
    const N = 1500;
    const fat = '浙普渔'.repeat(40); // ~360 bytes of name: a period's delta is ~0.9 MB
    for (let i = 0; i < N; i++) world.place(`V${i}`, 30, 122 + i / N, 0, fat);
    const bound = 256 * 1024;
    const hub = await start(world, { maxBufferedBytes: bound });
    const fast = await connect();
    const slow = await connect();
    await fast.next(isSnapshot);
    await slow.next(isSnapshot);
    const [fastSide, slowSide] = hub.connected();
    slow.pause();
    let maxBuffered = 0;
    // The largest message the hub can send: every vessel's state and a period's alert changes.
    const largest = Buffer.byteLength(JSON.stringify([...world.vessels.values()])) + 16 * 1024;
    const ids = [...world.vessels.keys()];
    for (let round = 1; round <= 60; round++) {
      for (let i = 0; i < N; i++) world.place(`V${i}`, 30 + round / 1000, 122 + i / N, round * 1000, fat);
      hub.vesselsChanged(ids);
      hub.alertChanged(world.change(`A${round % 7}`, 'update'));
      hub.flush();
      maxBuffered = Math.max(maxBuffered, slowSide!.socket.bufferedAmount);
      await sleep(5);
    }
    // The fast client was sent every period; the slow one stopped once its socket held more than the
    // bound: what the server holds for it never exceeds the bound by more than one message.
    expect(hub.counters.held).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(bound + largest);
    expect(slowSide!.bytesSent).toBeLessThan(fastSide!.bytesSent / 3);
    expect(slowSide!.vessels.size).toBeLessThanOrEqual(N); // one pending state per vessel, not per fix
    slow.resume();
    // Once it drains, its next delta carries the latest of each vessel and the queued alert changes.
    const want = held([{ type: 'snapshot', at: '', bbox: null, vessels: [...world.vessels.values()], alerts: [...world.open.values()] }]);
    for (let t = 0; t < 200; t++) {
      const got = held(slow.messages);
      if (got.changes.length === world.changes.length && [...got.vessels.values()].every((v) => v.at === want.vessels.get(v.vesselId)?.at)) break;
      await sleep(50);
    }
    const got = held(slow.messages);
    expect(got.vessels).toEqual(want.vessels);
    expect(got.changes.map((c) => `${c.alertId}#${c.seq}`)).toEqual(world.changes.map((c) => `${c.alertId}#${c.seq}`));
    expect(held(fast.messages).changes.length).toBe(world.changes.length);
  });

  it('a client whose alert queue overflows while it is not reading is closed with 4001 (resync); the others carry on', async () => {
    const world = new World();
    const N = 1500;
    const fat = '浙普渔'.repeat(40);
    for (let i = 0; i < N; i++) world.place(`V${i}`, 30, 122 + i / N, 0, fat);
    const hub = await start(world, { maxBufferedBytes: 64 * 1024, maxQueuedAlertChanges: 20 });
    const other = await connect();
    const slow = await connect();
    await other.next(isSnapshot);
    await slow.next(isSnapshot);
    slow.pause();
    const ids = [...world.vessels.keys()];
    for (let round = 1; round <= 60 && hub.connections === 2; round++) {
      for (let i = 0; i < N; i++) world.place(`V${i}`, 30 + round / 1000, 122 + i / N, round * 1000, fat);
      hub.vesselsChanged(ids);
      for (let k = 0; k < 3; k++) hub.alertChanged(world.change(`A${round}`, 'update'));
      hub.flush();
      await sleep(5);
    }
    expect(hub.counters.closed.get(WS_CLOSE.resync)).toBe(1);
    slow.resume();
    expect((await slow.closed).code).toBe(WS_CLOSE.resync);
    hub.alertChanged(world.change('after', 'raise'));
    const d = await other.next((m): m is WsDelta => isDelta(m) && m.alerts.some((a) => a.alertId === 'after'));
    expect(d.alerts.at(-1)!.alertId).toBe('after');
    expect(held(other.messages).changes.length).toBe(world.changes.length);
  });

  it('a malformed, oversized or binary message closes only that socket, with its documented code', async () => {
    const world = new World();
    world.place('412000001', 30, 122);
    const hub = await start(world);
    const bystander = await connect();
    await bystander.next(isSnapshot);
    const cases: [string, (c: TestWsClient) => void, number][] = [
      ['not JSON', (c) => c.ws.send('{"type": "sub'), WS_CLOSE.policy],
      ['unknown type', (c) => c.ws.send('{"type": "shout"}'), WS_CLOSE.policy],
      ['bbox of three numbers', (c) => c.ws.send('{"type": "subscribe", "bbox": [1, 2, 3]}'), WS_CLOSE.policy],
      ['west east of east', (c) => c.ws.send('{"type": "subscribe", "bbox": [123, 29, 122, 30]}'), WS_CLOSE.policy],
      ['over the size limit', (c) => c.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(WS_MAX_CLIENT_MESSAGE_BYTES) })), WS_CLOSE.tooBig],
      ['binary', (c) => c.ws.send(Buffer.from('{"type":"ping"}')), WS_CLOSE.unsupported],
    ];
    for (const [what, send, code] of cases) {
      const c = await connect();
      await c.next(isSnapshot);
      send(c);
      expect({ what, code: (await c.closed).code }).toEqual({ what, code });
    }
    // Exactly the limit is read.
    const edge = await connect();
    const ping = JSON.stringify({ type: 'ping', t: 7 });
    edge.ws.send(ping + ' '.repeat(WS_MAX_CLIENT_MESSAGE_BYTES - ping.length));
    expect(await edge.next(isPong)).toMatchObject({ t: 7 });
    // The bystander heard nothing of it and still gets its deltas and pongs.
    world.place('412000001', 30.5, 122.5);
    hub.vesselsChanged(['412000001']);
    expect((await bystander.next(isDelta)).vessels.map((v) => v.lat)).toEqual([30.5]);
    bystander.send({ type: 'ping', t: 1 });
    expect(await bystander.next(isPong)).toMatchObject({ t: 1 });
    expect(hub.connections).toBe(2);
  });

  /** `honest`: whether the feed restricts its snapshot to the box (the hub must not depend on it). */
  async function zoomedRun(honest: boolean): Promise<void> {
    const rnd = seededRandom(13);
    const world = new Map<string, VesselView>();
    const place = (i: number, lat: number, lon: number, at: number): void => void world.set(String(412_000_000 + i), vessel(i, lat, lon, at));
    for (let i = 0; i < VESSELS; i++) place(i, AREA[1] + rnd() * 2, AREA[0] + rnd() * 2, 0);
    const feed: PushFeed = {
      vessels: (b) => [...world.values()].filter((v) => !honest || b === null || inside(v, b)),
      vessel: (id) => world.get(id),
      openAlerts: () => [],
    };
    const hub = await startFeed(feed, { periodMs: 60_000 }); // flushed by hand
    const all = await connect();
    const zoomed = await connect();
    await all.next(isSnapshot);
    await zoomed.next(isSnapshot);
    zoomed.send({ type: 'subscribe', bbox: BOX });
    hub.flush(); // its box's snapshot goes out now or at this flush (one a period)
    const boxSnap = await zoomed.next((m): m is WsSnapshot => isSnapshot(m) && m.bbox !== null);
    expect(boxSnap.vessels.map((v) => v.vesselId).sort()).toEqual([...world.values()].filter((v) => inside(v, BOX)).map((v) => v.vesselId).sort());
    const allFrom = all.bytes();
    const zoomedFrom = zoomed.bytes();

    // 20 periods: every vessel steps up to 0.1° each way, so many cross the box's edges both ways.
    for (let p = 1; p <= 20; p++) {
      const ids: string[] = [];
      for (let i = 0; i < VESSELS; i++) {
        const v = world.get(String(412_000_000 + i))!;
        place(i, Math.min(AREA[3], Math.max(AREA[1], v.lat + (rnd() - 0.5) * 0.2)), Math.min(AREA[2], Math.max(AREA[0], v.lon + (rnd() - 0.5) * 0.2)), p * 1000);
        ids.push(v.vesselId);
      }
      hub.vesselsChanged(ids);
      hub.flush();
    }
    // A pong comes after every message sent before it on the same socket.
    all.send({ type: 'ping', t: 1 });
    zoomed.send({ type: 'ping', t: 2 });
    await all.next(isPong);
    await zoomed.next(isPong);

    const expectedInside = [...world.values()].filter((v) => inside(v, BOX)).map((v) => v.vesselId).sort();
    expect(expectedInside.length).toBeGreaterThan(50);
    expect(expectedInside.length).toBeLessThan(VESSELS / 2);
    const z = heldIds(zoomed.messages);
    expect(z.lastBox).toEqual(BOX);
    expect([...z.ids].sort()).toEqual(expectedInside);
    // Never a state outside the box: what a zoomed console is sent is what it shows.
    expect(z.sent.filter((v) => !inside(v, BOX))).toEqual([]);
    // The console that sees everything holds every vessel at the place last given.
    const a = heldIds(all.messages);
    expect(a.ids.size).toBe(VESSELS);
    const lastAll = new Map<string, VesselView>();
    for (const v of a.sent) lastAll.set(v.vesselId, v);
    expect([...world.values()].every((v) => lastAll.get(v.vesselId)?.lat === v.lat && lastAll.get(v.vesselId)?.lon === v.lon)).toBe(true);
    // About a quarter of the vessels plus removals: well under half the bytes.
    expect(zoomed.bytes() - zoomedFrom).toBeLessThan((all.bytes() - allFrom) / 2);
  }

  it('a zoomed client holds exactly the vessels last placed inside its box, is never sent one outside, and gets fewer bytes than one seeing all', async () => {
    await zoomedRun(true);
  });

  it('the same when the feed hands the hub more than the box (the hub keeps to the box itself)', async () => {
    await zoomedRun(false);
  });
});
