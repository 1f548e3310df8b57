import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LivePicture, SeaGridIndex, SeaPicture } from '../geo/index.js';
import { fixtureSeaGrids } from '../geo/test-support.js';
import { asMmsi, parseRegistry, seededRandom, VesselRegistry, type BeidouCard, type VesselId } from '../model/index.js';
import { startWebServer, type VesselView, type WebServer } from '../web/index.js';
import { vesselPage } from './vessel-query.js';

/**
 * `/api/vessels` over a real HTTP server, a real live picture and sea picture: every filter, walked
 * page by page through the Link header, gives exactly the vessels a brute-force pass over the whole
 * picture gives, each once.
 */
describe('GET /api/vessels: pages and filters against brute force', () => {
  let web: WebServer;
  let live: LivePicture;
  let sea: SeaPicture;
  const T0 = Date.parse('2025-10-12T03:00:00Z');

  beforeAll(async () => {
    const parsed = parseRegistry(readFileSync('fixtures/registry/zhoushan-example.csv', 'utf8'), 'csv');
    if (!parsed.ok) throw new Error(parsed.detail);
    const registry = new VesselRegistry(parsed.value);
    const grids = fixtureSeaGrids();
    if (!grids.ok) throw new Error(JSON.stringify(grids.problems));
    sea = new SeaPicture(registry, SeaGridIndex.build(grids.grids, { res: 7 }));
    live = new LivePicture(registry, { maxFutureMs: Infinity });
    live.onTrackPoint = (id, r, moved) => {
      if (moved) sea.locate(id, r.lat, r.lon, r.atMs);
    };
    const rnd = seededRandom(10);
    const at = (lat: number, lon: number) => ({ atMs: T0, receivedAtMs: T0, lat, lon, sogKn: 5, cogDeg: 90, source: 'ais' as const, utcSecond: 0 });
    // 3,000 unregistered vessels over 29–31.5°N, 121–123.5°E, and the registry's hulls among them.
    for (let i = 0; i < 3000; i++) live.applyPosition({ ...at(29 + rnd() * 2.5, 121 + rnd() * 2.5), mmsi: asMmsi(412_000_000 + i) });
    live.applyPosition({ ...at(30.0, 122.3), mmsi: asMmsi(412412345) });
    live.applyPosition({ ...at(30.01, 122.31), source: 'beidou', beidouCard: '2000001' as BeidouCard, utcSecond: undefined });
    live.applyPosition({ ...at(30.4, 122.4), mmsi: asMmsi(413456789) });
    web = await startWebServer('127.0.0.1', 0, {
      health: () => ({ status: 'ok' }),
      metrics: () => '',
      vessels: (q) => vesselPage(live, sea, registry, q),
      vessel: () => undefined,
      track: () => undefined,
    });
  });
  afterAll(async () => web.close());

  /** Follows the next links from `path`; returns every vessel id in order and the number of pages. */
  async function walk(path: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next !== undefined && pages < 1000) {
      const r = await fetch(`http://127.0.0.1:${web.port}${next}`);
      expect(r.status).toBe(200);
      ids.push(...((await r.json()) as VesselView[]).map((v) => v.vesselId));
      pages++;
      next = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') ?? '')?.[1];
    }
    return { ids, pages };
  }

  it('no filter: 3,003 vessels in pages of 1,000 by default, each once', async () => {
    const { ids, pages } = await walk('/api/vessels');
    expect(pages).toBe(4);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(live.all().map((v) => v.vesselId).sort());
  });

  it('bbox, fleet and grid filters give what a pass over every vessel gives', async () => {
    const all = live.all();
    const box = { minLon: 122.1, minLat: 29.8, maxLon: 122.5, maxLat: 30.1 };
    const inBox = all.filter((v) => v.lat >= box.minLat && v.lat <= box.maxLat && v.lon >= box.minLon && v.lon <= box.maxLon).map((v) => v.vesselId);
    expect(inBox.length).toBeGreaterThan(20);
    // The bbox is answered from the neighbour index: a superset of the box's vessels, far fewer than all.
    const candidates = new Set(sea.vesselsInBox(box, 100_000));
    expect(inBox.every((id) => candidates.has(id as VesselId))).toBe(true);
    expect(candidates.size).toBeLessThan(all.length / 4);
    expect(sea.vesselsInBox({ minLon: -180, minLat: -80, maxLon: 180, maxLat: 80 }, 100_000)).toBeUndefined();
    expect(sea.vesselsInBox(box, 5)).toBeUndefined();
    const b = await walk(`/api/vessels?limit=7&bbox=${box.minLon},${box.minLat},${box.maxLon},${box.maxLat}`);
    expect(b.ids.sort()).toEqual(inBox.sort());

    const fleet = await walk('/api/vessels?fleetId=PT-SJM-017&limit=1');
    expect(fleet.ids).toEqual(['412412345', 'bd2000001']);
    expect((await walk('/api/vessels?fleetId=NO-SUCH')).ids).toEqual([]);

    // The grid with most vessels, as a brute-force count of memberships says.
    const counts = new Map<string, number>();
    for (const v of all) for (const g of sea.membership(v.vesselId as VesselId)?.control ?? []) counts.set(g, (counts.get(g) ?? 0) + 1);
    const [grid] = [...counts].sort((x, y) => y[1] - x[1])[0]!;
    const inGrid = all.filter((v) => sea.membership(v.vesselId as VesselId)?.control.includes(grid)).map((v) => v.vesselId);
    const g = await walk(`/api/vessels?limit=100&gridId=${grid}`);
    expect(g.ids.sort()).toEqual(inGrid.sort());
    // A 渔区 sub-zone (its 30′ zone's extent picks the candidates) and an id that names no grid.
    const fzCounts = new Map<string, number>();
    for (const v of all) {
      const fz = sea.membership(v.vesselId as VesselId)?.fishingZone;
      if (fz !== undefined) fzCounts.set(fz, (fzCounts.get(fz) ?? 0) + 1);
    }
    const [fz] = [...fzCounts].sort((x, y) => y[1] - x[1])[0]!;
    const inFz = all.filter((v) => sea.membership(v.vesselId as VesselId)?.fishingZone === fz).map((v) => v.vesselId);
    expect(inFz.length).toBeGreaterThan(2);
    expect((await walk(`/api/vessels?limit=2&gridId=${fz}`)).ids.sort()).toEqual(inFz.sort());
    expect((await walk('/api/vessels?gridId=NO-SUCH-GRID')).ids).toEqual([]);
    // Combined: bbox and grid.
    const both = await walk(`/api/vessels?limit=3&gridId=${grid}&bbox=${box.minLon},${box.minLat},${box.maxLon},${box.maxLat}`);
    expect(both.ids.sort()).toEqual(inGrid.filter((id) => inBox.includes(id)).sort());
  });
});
