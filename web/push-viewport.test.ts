import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import type { VesselView, WsBbox, WsPong, WsServerMessage, WsSnapshot } from './protocol.js';
import { PushHub, type PushFeed } from './push.js';
import { startWebServer, type WebServer } from './server.js';
import { connectWs, type TestWsClient } from './ws-test-support.js';

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
function held(messages: readonly WsServerMessage[]): { ids: Set<string>; sent: VesselView[]; lastBox: WsBbox | null } {
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
const isPong = (m: WsServerMessage): m is WsPong => m.type === 'pong';

describe('/ws viewport subscription', () => {
  let web: WebServer | undefined;
  const clients: TestWsClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await web?.close();
    web = undefined;
  });

  /** `honest`: whether the feed restricts its snapshot to the box (the hub must not depend on it). */
  async function run(honest: boolean): Promise<void> {
    const rnd = seededRandom(13);
    const world = new Map<string, VesselView>();
    const place = (i: number, lat: number, lon: number, at: number): void => void world.set(String(412_000_000 + i), vessel(i, lat, lon, at));
    for (let i = 0; i < VESSELS; i++) place(i, AREA[1] + rnd() * 2, AREA[0] + rnd() * 2, 0);
    const feed: PushFeed = {
      vessels: (b) => [...world.values()].filter((v) => !honest || b === null || inside(v, b)),
      vessel: (id) => world.get(id),
      openAlerts: () => [],
    };
    const hub = new PushHub(feed, { periodMs: 60_000 }); // flushed by hand
    web = await startWebServer('127.0.0.1', 0, { health: () => ({ status: 'ok' }), metrics: () => '', vessels: () => ({ vessels: [], next: undefined }), vessel: () => undefined, track: () => undefined, push: hub });
    const all = await connectWs(web.port);
    const zoomed = await connectWs(web.port);
    clients.push(all, zoomed);
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
    const z = held(zoomed.messages);
    expect(z.lastBox).toEqual(BOX);
    expect([...z.ids].sort()).toEqual(expectedInside);
    // Never a state outside the box: what a zoomed console is sent is what it shows.
    expect(z.sent.filter((v) => !inside(v, BOX))).toEqual([]);
    // The console that sees everything holds every vessel at the place last given.
    const a = held(all.messages);
    expect(a.ids.size).toBe(VESSELS);
    const lastAll = new Map<string, VesselView>();
    for (const v of a.sent) lastAll.set(v.vesselId, v);
    expect([...world.values()].every((v) => lastAll.get(v.vesselId)?.lat === v.lat && lastAll.get(v.vesselId)?.lon === v.lon)).toBe(true);
    // About a quarter of the vessels plus removals: well under half the bytes.
    expect(zoomed.bytes() - zoomedFrom).toBeLessThan((all.bytes() - allFrom) / 2);
  }

  it('a zoomed client holds exactly the vessels last placed inside its box, is never sent one outside, and gets fewer bytes than one seeing all', async () => {
    await run(true);
  });

  it('the same when the feed hands the hub more than the box (the hub keeps to the box itself)', async () => {
    await run(false);
  });
});
