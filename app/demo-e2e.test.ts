import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView, GridEventView, VesselView } from '../web/index.js';
import { inMultiPolygon } from './polygon-test-support.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm start`'s demo, end to end: the built-in simulator publishes the Zhoushan fleet in real time
 * into the embedded broker; the service decodes, locates and stores it. Fleet footprints must follow
 * their fleets and grid events must appear as vessels cross boundaries.
 */
describe('seagrid serve with the demo feed', () => {
  let serve: ServeUnderTest;
  const get = async <T>(p: string): Promise<T> => (await (await fetch(serve.base + p)).json()) as T;

  beforeAll(async () => {
    serve = await startServe({ DEMO: '1' });
    await until(async () => ((await get<VesselView[]>('/api/vessels?limit=10000')).length > 2000 ? true : undefined), 60_000, 'the demo placing 2,000 vessels');
  });

  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
    serve.dispose();
  });

  it('fleet footprints hold their members and follow them; grid events appear as vessels cross boundaries', async () => {
    const first = new Map((await get<FleetView[]>('/api/fleets')).map((f) => [f.fleetId, f]));
    expect(first.size).toBeGreaterThan(700);
    await sleep(25_000);
    const vessels = new Map((await get<VesselView[]>('/api/vessels?limit=10000')).map((v) => [v.vesselId, v]));
    const later = await get<FleetView[]>('/api/fleets');

    let moved = 0;
    let checkedMembers = 0;
    for (const f of later) {
      const before = first.get(f.fleetId);
      if (f.centroid !== null && before?.centroid != null && (f.centroid.lat !== before.centroid.lat || f.centroid.lon !== before.centroid.lon)) moved++;
      const coords = (f.footprint as { coordinates: [number, number][][][] }).coordinates;
      for (const id of f.members) {
        const v = vessels.get(id);
        if (v === undefined || f.stale.includes(id) || f.missing.includes(id)) continue;
        // The footprint was built from the members' fixes at or before this read of the vessels.
        if (v.grids.fleet === f.fleetId && inMultiPolygon(coords, v.lon, v.lat)) checkedMembers++;
        else if (Date.parse(v.at) <= Date.parse(f.at ?? '')) throw new Error(`${id} at ${v.lat},${v.lon} outside the footprint of ${f.fleetId}`);
      }
    }
    expect(moved).toBeGreaterThan(100);
    expect(checkedMembers).toBeGreaterThan(1000);

    // Events are stored in batches: give the writer its flush interval.
    await sleep(1000);
    const events = await get<GridEventView[]>('/api/grid-events?limit=100000');
    const exits = events.filter((e) => e.kind === 'exit');
    expect(exits.length).toBeGreaterThan(5);
    // A crossing of the 渔区 lattice is a handover: the exit and the enter come at the same fix.
    const handovers = exits.filter((x) => x.layer === 'fishingZone' && events.some((e) => e.kind === 'enter' && e.layer === 'fishingZone' && e.vesselId === x.vesselId && e.at === x.at));
    expect(handovers.length).toBeGreaterThan(0);
    // A vessel's current grids agree with its latest events.
    const x = handovers[handovers.length - 1]!;
    const v = await get<VesselView>(`/api/vessels/${x.vesselId}`);
    if (v.at === x.at) expect(v.grids.fishingZone).not.toBe(x.gridId);
    const grids = await get<{ features: { properties: { id: string; occupancy: number } }[] }>('/api/grids');
    expect(grids.features.find((f) => f.properties.id === 'SG-03')!.properties.occupancy).toBeGreaterThan(100);
  });
});
