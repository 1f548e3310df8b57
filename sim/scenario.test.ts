import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LatLon } from '../model/index.js';
import { distanceNm } from './flat-earth.js';
import { ANCHORAGES, FISHING_GROUNDS, GATES, HOME_PORTS, ISLAND_CORES, LANES, XIAZHIMEN_HALF_WIDTH_NM, XIAZHIMEN_ROUTE, type Box } from './geography.js';
import { isValidImo } from './identity.js';
import { newKin } from './legs.js';
import { createScenario } from './scenario.js';

const full = createScenario({ seed: 2025 });
const fishing = full.vessels.filter((v) => v.kind === 'fishing');
const merchants = full.vessels.filter((v) => v.kind === 'merchant');

describe('createScenario (default: 8,000 fishing vessels, 770 fleets)', () => {
  it('has 8,000 fishing vessels in 770 fleets of 5–15, and ~200 merchant ships', () => {
    expect(fishing).toHaveLength(8000);
    expect(full.fleets).toHaveLength(770);
    expect(merchants).toHaveLength(200);
    for (const f of full.fleets) {
      expect(f.members.length).toBeGreaterThanOrEqual(5);
      expect(f.members.length).toBeLessThanOrEqual(15);
      expect(f.members[0]).toBe(f.leaderVesselId);
      expect(f.name).toMatch(/^(沈家门|定海|岱山|衢山|嵊泗|嵊山|东极)第\d{3}编组$/);
    }
    const all = full.fleets.flatMap((f) => f.members);
    expect(new Set(all).size).toBe(8000);
  });

  it('pair trawlers come in pairs: even fleets, consecutive registry numbers, side by side while fishing', () => {
    const pairFleets = full.fleets.filter((f) => f.gear === 'pair-trawl');
    expect(pairFleets.length).toBeGreaterThan(150);
    const byId = new Map(full.vessels.map((v) => [v.vesselId, v]));
    const motion = full.createMotion();
    const a = newKin();
    const b = newKin();
    let checked = 0;
    for (const f of pairFleets) {
      expect(f.members.length % 2).toBe(0);
      expect(f.pairs).toHaveLength(f.members.length / 2);
      for (const [p, q] of f.pairs) {
        const vp = byId.get(p)!;
        const vq = byId.get(q)!;
        const serials = [Number(vp.file.registryNo!.slice(3)), Number(vq.file.registryNo!.slice(3))].sort((x, y) => x - y);
        expect(serials[1]! - serials[0]!).toBe(1);
        expect(serials[0]! % 2).toBe(0);
        // 0.15–0.35 nm apart (about 300–650 m: one net between them) while both fish, abeam on concentric turns.
        for (let h = 0; h < 48; h += 6) {
          const t = full.startMs + h * 3_600_000;
          motion.trackOf(vp.index).evaluate(t, 0, a);
          motion.trackOf(vq.index).evaluate(t, 0, b);
          if (a.navStatus === 5 && b.navStatus === 5) continue; // both moored at the berth
          const d = distanceNm(a, b);
          if (a.navStatus === 7 && b.navStatus === 7) {
            expect(d).toBeGreaterThanOrEqual(0.15 - 1e-6);
            expect(d).toBeLessThanOrEqual(0.35 + 1e-6);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('vessel ids follow docs/CONTRACTS.md: the 9-digit MMSI when there is one, else bd{card}', () => {
    for (const v of full.vessels) {
      if (v.mmsi !== undefined) expect(v.vesselId).toBe(String(v.mmsi).padStart(9, '0'));
      else expect(v.vesselId).toBe(`bd${v.beidouCard}`);
      expect(v.file.vesselId).toBe(v.vesselId);
    }
    expect(new Set(full.vessels.map((v) => v.vesselId)).size).toBe(full.vessels.length);
  });

  it('fishing identities: county registry numbers, MMSI 412/413, 7-digit BeiDou cards, about 15/60/25 % class A/B/BeiDou-only', () => {
    const share = (c: string): number => fishing.filter((v) => v.aisClass === c).length / fishing.length;
    expect(share('A')).toBeGreaterThan(0.12);
    expect(share('A')).toBeLessThan(0.18);
    expect(share('B')).toBeGreaterThan(0.56);
    expect(share('B')).toBeLessThan(0.64);
    expect(share('none')).toBeGreaterThan(0.21);
    expect(share('none')).toBeLessThan(0.29);
    const regs = new Set<string>();
    const cards = new Set<string>();
    const problems: string[] = [];
    const want = (ok: boolean, what: string, v: { vesselId: string }): void => {
      if (!ok && problems.length < 20) problems.push(`${v.vesselId}: ${what}`);
    };
    const prefix = { putuo: '浙普渔', dinghai: '浙定渔', daishan: '浙岱渔', shengsi: '浙嵊渔' };
    const gears = ['pair-trawl', 'single-trawl', 'beam-trawl', 'gillnet', 'stow-net', 'purse-seine'];
    for (const v of fishing) {
      const f = v.file;
      want(/^浙(普|定|岱|嵊)渔\d{5}$/.test(f.registryNo ?? ''), `registry number ${f.registryNo}`, v);
      want(f.name === f.registryNo, 'name is the registry number', v);
      regs.add(f.registryNo!);
      want(/^\d{7}$/.test(v.beidouCard ?? '') && f.beidouCard === v.beidouCard, `card ${v.beidouCard}`, v);
      cards.add(v.beidouCard!);
      want(v.aisClass === 'none' ? v.mmsi === undefined : /^41[23]\d{6}$/.test(String(v.mmsi)), `mmsi ${v.mmsi}`, v);
      want(/^ZHE(PU|DING|DAI|SHENG)YU\d{5}$/.test(v.aisName ?? ''), `AIS name ${v.aisName}`, v);
      want(/^\p{Script=Han}{2,3}$/u.test(f.owner ?? '') && /^\p{Script=Han}{2,3}$/u.test(f.liaison ?? ''), 'owner and liaison names', v);
      want(/^1[3-9]\d{9}$/.test(f.ownerPhone ?? '') && /^1[3-9]\d{9}$/.test(f.liaisonPhone ?? ''), 'phones', v);
      want(f.lengthM! >= 15 && f.lengthM! <= 55, `length ${f.lengthM}`, v);
      want(f.shipType === 30 && gears.includes(f.gear ?? '') && f.fleetId === v.fleetId, 'type, gear, fleet', v);
      // The registry number's county is the home port's.
      const port = HOME_PORTS.find((p) => p.nameZh === f.homePort);
      want(port !== undefined && f.registryNo!.startsWith(prefix[port.county]), `home port ${f.homePort}`, v);
    }
    expect(problems).toEqual([]);
    expect(regs.size).toBe(8000);
    expect(cards.size).toBe(8000);
  });

  it('merchant ships: class A, ship type 70/80, valid IMO numbers, lanes as planned routes', () => {
    for (const v of merchants) {
      expect(v.aisClass).toBe('A');
      expect([70, 80]).toContain(v.shipType);
      expect(isValidImo(v.imo!)).toBe(true);
      expect(v.aisName).toMatch(/^[A-Z0-9 ]{1,20}$/);
      expect(v.beidouCard).toBeUndefined();
    }
    expect(full.routes.map((r) => r.routeId).sort()).toEqual(LANES.map((l) => l.id).sort());
    const onRoutes = full.routes.flatMap((r) => r.vesselIds);
    expect(onRoutes.length).toBeGreaterThan(150);
    expect(full.routes.find((r) => r.routeId === 'LANE-XZM-BEILUN')!.corridorHalfWidthNm).toBeCloseTo(350 / 1852, 9);
  });

  it('rejects fleet counts that cannot hold the vessels', () => {
    expect(() => createScenario({ vessels: 40, fleets: 10 })).toThrow(RangeError);
    expect(() => createScenario({ vessels: 200, fleets: 10 })).toThrow(RangeError);
    const small = createScenario({ vessels: 40, fleets: 5, seed: 7 });
    expect(small.fleets.reduce((s, f) => s + f.members.length, 0)).toBe(40);
  });
});

describe('geography', () => {
  const geo = (name: string): string => readFileSync(new URL(`../fixtures/geo/${name}`, import.meta.url), 'utf8');

  it('port places are the points of fixtures/geo/zhoushan-places.csv', () => {
    const rows = new Map(
      geo('zhoushan-places.csv')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => [...l.matchAll(/("[^"]*"|[^,]*)(,|$)/g)].map((m) => m[1]!))
        .map((c) => [c[0]!, { nameZh: c[1]!, lat: Number(c[4]), lon: Number(c[5]) }]),
    );
    for (const p of HOME_PORTS) {
      const row = rows.get(p.id);
      expect(row, p.id).toBeDefined();
      expect({ nameZh: p.nameZh, lat: p.place.lat, lon: p.place.lon }).toEqual(row);
    }
  });

  it('ground rectangles, the Xiazhimen route and the anchorages are those of the fixtures', () => {
    const grounds = JSON.parse(geo('ecs-fishing-grounds-approx.geojson')) as { features: { properties: Record<string, unknown> }[] };
    for (const g of FISHING_GROUNDS) {
      const f = grounds.features.find((x) => x.properties.id === g.id)!;
      expect(f.properties).toMatchObject({ code: g.code, name_zh: g.nameZh, latMin: g.bounds.latMin, latMax: g.bounds.latMax, lonMin: g.bounds.lonMin, lonMax: g.bounds.lonMax });
      const inside = (b: Box, o: Box): boolean => b.latMin >= o.latMin && b.latMax <= o.latMax && b.lonMin >= o.lonMin && b.lonMax <= o.lonMax;
      expect(inside(g.spots, g.bounds)).toBe(true);
    }
    const lanes = JSON.parse(geo('zhoushan-anchorages-lanes.geojson')) as {
      features: { properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][] | number[][][] } }[];
    };
    const route = lanes.features.find((f) => f.properties.id === 'LANE-XZM-BEILUN')!;
    expect(XIAZHIMEN_ROUTE.map((p) => [p.lon, p.lat])).toEqual(route.geometry.coordinates);
    expect(XIAZHIMEN_HALF_WIDTH_NM * 1852).toBeCloseTo(route.properties.corridorHalfWidth_m as number, 9);
    for (const a of ANCHORAGES) {
      const f = lanes.features.find((x) => x.properties.id === a.id)!;
      const ring = (f.geometry.coordinates as number[][][])[0]!.slice(0, -1);
      expect(a.ring.map((p) => [p.lon, p.lat])).toEqual(ring);
    }
  });

  it('no planned path, port exit or lane crosses an island core (segment–box test)', () => {
    const crosses = (a: LatLon, b: LatLon, box: Box): boolean => {
      // Sampled every ~50 m: the cores are hundreds of metres across.
      const n = Math.ceil(distanceNm(a, b) / 0.025) + 1;
      for (let i = 0; i <= n; i++) {
        const lat = a.lat + ((b.lat - a.lat) * i) / n;
        const lon = a.lon + ((b.lon - a.lon) * i) / n;
        if (lat >= box.latMin && lat <= box.latMax && lon >= box.lonMin && lon <= box.lonMax) return true;
      }
      return false;
    };
    const polylines: { name: string; points: readonly LatLon[] }[] = [
      ...HOME_PORTS.map((p) => ({ name: p.id, points: [...p.exit, ...p.gates.map((g) => GATES[g])] })),
      ...LANES.map((l) => ({ name: l.id, points: l.points })),
      ...full.fleets.map((f) => ({ name: f.fleetId, points: [f.spot, GATES.E] })),
    ];
    const hits: string[] = [];
    for (const pl of polylines) {
      for (let i = 0; i + 1 < pl.points.length; i++) {
        for (const core of ISLAND_CORES) if (crosses(pl.points[i]!, pl.points[i + 1]!, core)) hits.push(`${pl.name} ${i} ${core.name}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
