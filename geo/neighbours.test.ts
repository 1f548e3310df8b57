import { seededRandom } from '../model/index.js';
import { cellToLatLng, getPentagons } from 'h3-js';
import { describe, expect, it } from 'vitest';
import type { H3Cell, VesselId } from '../model/index.js';
import { cellDisk, cellEdgeLengthsKm, cellRing, edgeLengthAvgKm, latLonToCell } from './cells.js';
import { distanceM } from './sphere.js';
import { cellCap, inCap, NeighbourIndex, ringSizeEstimate } from './neighbours.js';

/**
 * The index against brute force. "Within the radius" is `distanceM(a, b) ≤ r · 1852` (the
 * haversine the rest of geo/ uses); the brute force below computes it for every pair that is not
 * ruled out by latitude alone (a great-circle distance is never less than R·|Δφ|), with no H3.
 */

const R_M = 6_371_008.8;
const NM = 1852;
const RADII_NM = [0.5, 1, 2, 6, 12];

const rng = seededRandom;

/**
 * Destination point given start, bearing and distance on a sphere (the "direct" formula of
 * Movable Type's "Calculate distance, bearing and more between Latitude/Longitude points").
 */
function destination(lat: number, lon: number, bearingDeg: number, distM: number): { lat: number; lon: number } {
  const r = Math.PI / 180;
  const d = distM / R_M;
  const t = bearingDeg * r;
  const p1 = lat * r;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 = lon * r + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lat: p2 / r, lon: l2 / r };
}

interface Fleet {
  readonly ids: VesselId[];
  readonly lat: number[];
  readonly lon: number[];
}

/**
 * ≥ 10,000 positions over the Zhoushan grounds and the East China Sea: a thin uniform spread
 * (26–34°N, 119.5–128°E), dense clusters off the ports and anchorages (σ 0.3–3 km), and for
 * every radius vessels placed at exactly that distance from another (and at r·(1 ± 1e-7)).
 */
function makeFleet(seed: number): Fleet {
  const rand = rng(seed);
  const f: Fleet = { ids: [], lat: [], lon: [] };
  const add = (lat: number, lon: number): void => {
    f.ids.push(`v${f.ids.length}` as VesselId);
    f.lat.push(lat);
    f.lon.push(lon);
  };
  for (let i = 0; i < 4400; i++) add(26 + 8 * rand(), 119.5 + 8.5 * rand());
  const ports = [
    [29.93, 122.3], // Shenjiamen
    [30.02, 122.1],
    [29.73, 122.25],
    [30.25, 122.45],
    [30.72, 122.45], // Shengsi
    [28.9, 122.3],
    [29.5, 122.9],
    [30.5, 123.4],
    [31.0, 124.0],
    [28.0, 121.5],
  ];
  for (let c = 0; c < 25; c++) {
    const [plat, plon] = ports[c % ports.length]!;
    const clat = plat! + (rand() - 0.5) * 0.2;
    const clon = plon! + (rand() - 0.5) * 0.2;
    const sigmaM = 300 + 2700 * rand();
    for (let i = 0; i < 200; i++) {
      // Box–Muller, then east/north metres to degrees near the cluster.
      const g = Math.sqrt(-2 * Math.log(1 - rand())) * sigmaM;
      const p = destination(clat, clon, 360 * rand(), g);
      add(p.lat, p.lon);
    }
  }
  const bases = f.ids.length;
  for (const r of RADII_NM) {
    for (let i = 0; i < 160; i++) {
      const b = Math.floor(rand() * bases);
      const factor = i % 3 === 0 ? 1 : i % 3 === 1 ? 1 - 1e-7 : 1 + 1e-7;
      const p = destination(f.lat[b]!, f.lon[b]!, 360 * rand(), r * NM * factor);
      add(p.lat, p.lon);
    }
  }
  return f;
}

/** Every pair within maxNm, by brute force over a latitude-sorted list. Keys i·N + j, i < j. */
function bruteForce(f: Fleet, maxNm: number): Map<number, number> {
  const n = f.ids.length;
  const order = [...Array(n).keys()].sort((a, b) => f.lat[a]! - f.lat[b]!);
  const dLatDeg = ((maxNm * NM) / R_M) * (180 / Math.PI) * 1.000001;
  const out = new Map<number, number>();
  for (let x = 0; x < n; x++) {
    const a = order[x]!;
    for (let y = x + 1; y < n && f.lat[order[y]!]! - f.lat[a]! <= dLatDeg; y++) {
      const b = order[y]!;
      const d = distanceM(f.lat[a]!, f.lon[a]!, f.lat[b]!, f.lon[b]!);
      if (d <= maxNm * NM) out.set(Math.min(a, b) * n + Math.max(a, b), d);
    }
  }
  return out;
}

const fleet = makeFleet(20251012);
const N = fleet.ids.length;
const indexOf = new Map(fleet.ids.map((id, i) => [id, i]));
// A little beyond the largest radius, so pairs just outside it are in the truth too.
const truth = bruteForce(fleet, Math.max(...RADII_NM) * 1.001);

function expectedPairs(radiusNm: number): Set<number> {
  const s = new Set<number>();
  for (const [k, d] of truth) if (d <= radiusNm * NM) s.add(k);
  return s;
}

function diff(got: Set<number>, want: Set<number>): { missed: number; extra: number } {
  let missed = 0;
  let extra = 0;
  for (const k of want) if (!got.has(k)) missed++;
  for (const k of got) if (!want.has(k)) extra++;
  return { missed, extra };
}

describe('NeighbourIndex vs brute force', () => {
  it('has a fleet worth testing: ≥ 10,000 vessels, pairs at every radius, many right at it', () => {
    expect(N).toBeGreaterThanOrEqual(10_000);
    for (const r of RADII_NM) expect(expectedPairs(r).size).toBeGreaterThan(1000);
    // Vessels placed at r·(1 ± 1e-7): on both sides of every radius.
    for (const r of RADII_NM) {
      let justIn = 0;
      let justOut = 0;
      for (const d of truth.values()) {
        if (d <= r * NM && d > r * NM * (1 - 2e-7)) justIn++;
        if (d > r * NM && d < r * NM * (1 + 2e-7)) justOut++;
      }
      expect(justIn).toBeGreaterThan(50);
      expect(justOut).toBeGreaterThan(30);
    }
  });

  // 12 nm at res 7 (k = 13, 547 cells a disk) is left out: nobody would run that combination.
  for (const [res, radii] of [[5, RADII_NM], [6, RADII_NM], [7, RADII_NM.filter((r) => r <= 6)]] as const) {
    describe(`res ${res}`, () => {
      const index = new NeighbourIndex({ res });
      for (let i = 0; i < N; i++) index.upsert(fleet.ids[i]!, fleet.lat[i]!, fleet.lon[i]!);

      it.each(radii)('sweep at %s nm: zero missed pairs, none beyond, each pair once', (r) => {
        const got = new Set<number>();
        let visits = 0;
        let maxDistErr = 0;
        const stats = index.sweep(r, (a, b, dNm) => {
          const i = indexOf.get(a)!;
          const j = indexOf.get(b)!;
          const k = Math.min(i, j) * N + Math.max(i, j);
          got.add(k);
          visits++;
          maxDistErr = Math.max(maxDistErr, Math.abs(dNm * NM - truth.get(k)!));
        });
        const want = expectedPairs(r);
        expect(diff(got, want)).toEqual({ missed: 0, extra: 0 });
        expect(visits).toBe(got.size);
        expect(stats.pairsFound).toBe(want.size);
        expect(maxDistErr).toBeLessThan(1e-6); // metres: only the nm → m round trip
        expect(stats.allPairs).toBe((N * (N - 1)) / 2);
        expect(stats.pairsExamined).toBeLessThan(stats.allPairs);
      });

      it.each(radii)('near(vessel) at %s nm equals brute force, nearest first', (r) => {
        const want = expectedPairs(r);
        const got = new Set<number>();
        // Every vessel at res 6; every 5th at the others (each pair is still asked from one end or both).
        const step = res === 6 ? 1 : 5;
        let unsorted = 0;
        let selfHits = 0;
        for (let i = 0; i < N; i += step) {
          const hits = index.near(fleet.ids[i]!, r);
          for (let h = 0; h < hits.length; h++) {
            if (h > 0 && hits[h]!.distanceNm < hits[h - 1]!.distanceNm) unsorted++;
            const j = indexOf.get(hits[h]!.vesselId)!;
            if (j === i) selfHits++;
            got.add(Math.min(i, j) * N + Math.max(i, j));
          }
        }
        const wantAsked = new Set([...want].filter((k) => Math.floor(k / N) % step === 0 || (k % N) % step === 0));
        expect(diff(got, wantAsked)).toEqual({ missed: 0, extra: 0 });
        expect({ unsorted, selfHits }).toEqual({ unsorted: 0, selfHits: 0 });
      });
    });
  }

  it('near(point) finds the same vessels as brute force around arbitrary points', () => {
    const index = new NeighbourIndex();
    for (let i = 0; i < N; i++) index.upsert(fleet.ids[i]!, fleet.lat[i]!, fleet.lon[i]!);
    const rand = rng(7);
    for (let q = 0; q < 300; q++) {
      const lat = 28.5 + 3 * rand();
      const lon = 121 + 3 * rand();
      const r = RADII_NM[q % RADII_NM.length]!;
      const want = new Set<string>();
      for (let i = 0; i < N; i++) if (distanceM(lat, lon, fleet.lat[i]!, fleet.lon[i]!) <= r * NM) want.add(fleet.ids[i]!);
      const got = new Set(index.near({ lat, lon }, r).map((h) => h.vesselId));
      expect(got).toEqual(want);
    }
  });
});

describe('forEachNear: the visitor form of near', () => {
  it('visits exactly the brute-force set once each, with slotOfVessel as the slot, at every radius (res 6)', () => {
    const index = new NeighbourIndex({ res: 6 });
    for (let i = 0; i < N; i++) index.upsert(fleet.ids[i]!, fleet.lat[i]!, fleet.lon[i]!);
    for (const r of RADII_NM) {
      const want = expectedPairs(r);
      const got = new Set<number>();
      let visits = 0;
      let badSlots = 0;
      let maxDistErr = 0;
      for (let i = 0; i < N; i += 3) {
        const n = index.forEachNear(fleet.ids[i]!, r, (id, dNm, slot) => {
          const j = indexOf.get(id)!;
          const k = Math.min(i, j) * N + Math.max(i, j);
          got.add(k);
          visits++;
          if (index.slotOfVessel(id) !== slot || j === i) badSlots++;
          maxDistErr = Math.max(maxDistErr, Math.abs(dNm * NM - truth.get(k)!));
        });
        expect(n).toBe(index.near(fleet.ids[i]!, r).length);
      }
      const wantAsked = new Set([...want].filter((k) => Math.floor(k / N) % 3 === 0 || (k % N) % 3 === 0));
      expect(diff(got, wantAsked)).toEqual({ missed: 0, extra: 0 });
      expect(badSlots).toBe(0);
      expect(maxDistErr).toBeLessThan(1e-6);
      expect(visits).toBeGreaterThanOrEqual(got.size);
    }
  });

  it('forEachNearPoint (a point up to 6 nm from a vessel) equals brute force around the point, the vessel excluded', () => {
    const index = new NeighbourIndex({ res: 6 });
    for (let i = 0; i < N; i++) index.upsert(fleet.ids[i]!, fleet.lat[i]!, fleet.lon[i]!);
    const rand = rng(31);
    let found = 0;
    for (let q = 0; q < 400; q++) {
      const i = Math.floor(rand() * N);
      const at = destination(fleet.lat[i]!, fleet.lon[i]!, 360 * rand(), 6 * NM * rand());
      const r = RADII_NM[q % 4]!;
      const want = new Set<string>();
      for (let j = 0; j < N; j++) if (j !== i && distanceM(at.lat, at.lon, fleet.lat[j]!, fleet.lon[j]!) <= r * NM) want.add(fleet.ids[j]!);
      const got = new Set<string>();
      index.forEachNearPoint(fleet.ids[i]!, at, r, (id, dNm) => {
        got.add(id);
        expect(Math.abs(dNm * NM - distanceM(at.lat, at.lon, fleet.lat[indexOf.get(id)!]!, fleet.lon[indexOf.get(id)!]!))).toBeLessThan(1e-6);
      });
      expect(got).toEqual(want);
      found += want.size;
    }
    expect(found).toBeGreaterThan(5000);
  });

  // The longitude pre-filter (sin Δλ = sin r / cos φ) is widest near a pole and must wrap at ±180°.
  it.each([
    ['70°N', 70, 10],
    ['across the antimeridian', 52, 179.9],
    ['within 12 nm of the north pole', 89.9, 40],
    ['far south', -78, -179.95],
  ])('equals brute force around points %s', (_name, clat, clon) => {
    const rand = rng(Math.round(clat * 1000 + clon));
    const ids: VesselId[] = [];
    const lat: number[] = [];
    const lon: number[] = [];
    const index = new NeighbourIndex({ res: 5 });
    for (let i = 0; i < 3000; i++) {
      const p = destination(clat, clon, 360 * rand(), 40_000 * Math.sqrt(rand()));
      // Longitudes as a feed gives them: in [−180, 180).
      const l = ((((p.lon + 180) % 360) + 360) % 360) - 180;
      ids.push(`q${i}` as VesselId);
      lat.push(p.lat);
      lon.push(l);
      index.upsert(ids[i]!, p.lat, l);
    }
    let checked = 0;
    for (let q = 0; q < 150; q++) {
      const r = RADII_NM[q % RADII_NM.length]!;
      const from = q % 2 === 0 ? ids[q]! : destination(clat, clon, 360 * rand(), 20_000 * rand());
      const fl = typeof from === 'string' ? lat[q]! : from.lat;
      const fo = typeof from === 'string' ? lon[q]! : from.lon;
      const want = new Set<string>();
      for (let i = 0; i < ids.length; i++) if (ids[i] !== from && distanceM(fl, fo, lat[i]!, lon[i]!) <= r * NM) want.add(ids[i]!);
      const got = new Set<string>();
      index.forEachNear(from, r, (id) => got.add(id));
      expect(got).toEqual(want);
      checked += want.size;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('NeighbourIndex around an H3 pentagon (the worst distortion)', () => {
  // No pentagon is near the East China Sea; this shows the reach is computed, not assumed.
  const [plat, plon] = cellToLatLng(getPentagons(6)[3]!);
  const rand = rng(99);
  const f: Fleet = { ids: [], lat: [], lon: [] };
  for (let i = 0; i < 3000; i++) {
    const p = destination(plat!, plon!, 360 * rand(), 30_000 * Math.sqrt(rand()));
    f.ids.push(`p${i}` as VesselId);
    f.lat.push(p.lat);
    f.lon.push(p.lon);
  }
  const pent = bruteForce(f, 6 * 1.001);
  const index = new NeighbourIndex({ res: 6 });
  for (let i = 0; i < f.ids.length; i++) index.upsert(f.ids[i]!, f.lat[i]!, f.lon[i]!);

  it.each([0.5, 2, 6])('sweep at %s nm equals brute force', (r) => {
    const got = new Set<number>();
    index.sweep(r, (a, b) => {
      const i = Number(a.slice(1));
      const j = Number(b.slice(1));
      got.add(Math.min(i, j) * f.ids.length + Math.max(i, j));
    });
    const want = new Set([...pent].filter(([, d]) => d <= r * NM).map(([k]) => k));
    expect(want.size).toBeGreaterThan(100);
    expect(diff(got, want)).toEqual({ missed: 0, extra: 0 });
  });
});

describe('ring size', () => {
  it('holds against points exactly at the radius from every vertex of cells across the region', () => {
    // Independent of the index's bookkeeping: from each vertex of a cell (the worst place to stand)
    // step exactly r in 72 directions and ask h3 where that lands; it must be in the disk.
    const rand = rng(11);
    let checks = 0;
    for (const res of [5, 6, 7]) {
      const index = new NeighbourIndex({ res });
      for (let c = 0; c < 50; c++) {
        const cell = latLonToCell(22 + 16 * rand(), 117 + 15 * rand(), res);
        const vertices = cellRing(cell).slice(0, -1);
        for (const r of RADII_NM) {
          const disk = new Set(cellDisk(cell, index.ringSize(cell, r)));
          // The bound covers the closed polygon, so a vertex (whichever cell h3 gives it) is a fair start.
          for (const [vlon, vlat] of vertices) {
            for (let b = 0; b < 360; b += 5) {
              const q = destination(vlat, vlon, b, r * NM);
              expect(disk.has(latLonToCell(q.lat, q.lon, res))).toBe(true);
              checks++;
            }
          }
        }
      }
    }
    expect(checks).toBeGreaterThan(100_000);
  });

  it('matches the planar-lattice estimate k = ⌈(2r/e + 1)/3⌉ (e: the cell’s own mean edge) within one ring', () => {
    for (const res of [5, 6, 7]) {
      const index = new NeighbourIndex({ res });
      const cell = latLonToCell(29.95, 122.3, res);
      const edges = cellEdgeLengthsKm(cell);
      const e = edges.reduce((a, b) => a + b, 0) / edges.length;
      for (const r of RADII_NM) expect(Math.abs(index.ringSize(cell, r) - ringSizeEstimate(e, r))).toBeLessThanOrEqual(1);
    }
    // h3's average edges (its published table): 9.854 km (res 5), 3.725 km (res 6), 1.406 km (res 7).
    expect(edgeLengthAvgKm(6)).toBeCloseTo(3.7245, 3);
    // Hand values of the estimate at res 6 (e = 3.7245 km): 2 nm → (2·3.704/3.7245 + 1)/3 = 0.997 → 1;
    // 6 nm → (2·11.112/3.7245 + 1)/3 = 2.32 → 3; 12 nm → (2·22.224/3.7245 + 1)/3 = 4.31 → 5.
    expect(ringSizeEstimate(3.7245, 2)).toBe(1);
    expect(ringSizeEstimate(3.7245, 6)).toBe(3);
    expect(ringSizeEstimate(3.7245, 12)).toBe(5);
  });

  it('the inscribed cap is inside its cell (the fast same-cell test never lies)', () => {
    const rand = rng(5);
    for (let c = 0; c < 200; c++) {
      const res = 5 + (c % 3);
      const cell = latLonToCell(22 + 16 * rand(), 117 + 15 * rand(), res);
      const cap = cellCap(cell);
      let inside = 0;
      for (let i = 0; i < 200; i++) {
        // Points up to 1.3 × the cap radius from the centre, in all directions.
        const rho = 2 * Math.asin(Math.sqrt(cap.hav)) * R_M;
        const q = destination((cap.phi * 180) / Math.PI, cap.lonDeg, 360 * rand(), 1.3 * rho * Math.sqrt(rand()));
        if (inCap(cap, q.lat, q.lon)) {
          inside++;
          expect(latLonToCell(q.lat, q.lon, res)).toBe(cell);
        }
      }
      expect(inside).toBeGreaterThan(50);
    }
  });
});

describe('NeighbourIndex bookkeeping', () => {
  it('moves vessels between buckets, removes them, and reports cell changes', () => {
    const index = new NeighbourIndex();
    const a = 'a' as VesselId;
    const b = 'b' as VesselId;
    expect(index.upsert(a, 29.95, 122.3)).toBe(true);
    expect(index.upsert(a, 29.9501, 122.3001)).toBe(false); // ≈ 15 m: same cell
    const before = index.cellOfVessel(a)!;
    expect(index.upsert(b, 29.96, 122.3)).toBe(true);
    expect(index.near(a, 1).map((h) => h.vesselId)).toEqual([b]);
    // 30 nm north: another cell, and no longer near b.
    expect(index.upsert(a, 30.45, 122.3)).toBe(true);
    expect(index.cellOfVessel(a)).not.toBe(before);
    expect(index.cellOfVessel(a)).toBe(latLonToCell(30.45, 122.3, 6) as H3Cell);
    expect(index.near(a, 1)).toEqual([]);
    expect(index.near(b, 31).map((h) => h.vesselId)).toEqual([a]);
    expect(index.remove(a)).toBe(true);
    expect(index.remove(a)).toBe(false);
    expect(index.size).toBe(1);
    expect(index.near(b, 100)).toEqual([]);
    expect(index.near('nobody' as VesselId, 5)).toEqual([]);
    // A slot freed by `remove` is reused without mixing up ids.
    index.upsert('c' as VesselId, 29.96, 122.3);
    expect(index.near(b, 0.1)).toEqual([{ vesselId: 'c', distanceNm: 0 }]);
    let pairs = 0;
    index.sweep(0, () => pairs++);
    expect(pairs).toBe(1);
  });

  it('hands each visit the numbers carried for that vessel, through moves between cells, a second lane, removal and slot reuse', () => {
    const index = new NeighbourIndex({ res: 6 });
    const rand = rng(11);
    const ids = Array.from({ length: 300 }, (_, i) => `v${i}` as VesselId);
    const place = (): [number, number] => [29.8 + 0.3 * rand(), 122.1 + 0.3 * rand()];
    for (const id of ids) index.upsert(id, ...place());
    // What the test says each vessel carries (lane 1 added later, after some moves).
    const want = new Map<VesselId, number[]>();
    const lane0 = index.reserve(2);
    expect(lane0).toBe(0);
    const set = (id: VesselId, lane: number, xs: number[]): void => {
      expect(index.setCarried(id, -1, lane, xs.length, Float64Array.from(xs), 0)).toBe(true);
      const w = want.get(id) ?? [Number.NaN, Number.NaN, Number.NaN];
      xs.forEach((x, k) => (w[lane + k] = x));
      want.set(id, w);
    };
    ids.forEach((id, i) => set(id, lane0, [i, -i]));
    for (const id of ids.slice(0, 150)) index.upsert(id, ...place()); // many change cells
    const lane1 = index.reserve(1);
    expect(lane1).toBe(2);
    ids.forEach((id, i) => i % 2 === 0 && set(id, lane1, [1000 + i]));
    for (const id of ids.slice(100, 250)) index.upsert(id, ...place());
    // A removed vessel's slot goes to a new one, which carries nothing yet.
    index.remove(ids[7]!);
    want.delete(ids[7]!);
    const fresh = 'fresh' as VesselId;
    index.upsert(fresh, ...place());
    // Written by the slot the caller met it under (as `slotOfVessel` gives it).
    set(ids[9]!, lane0, [-5, -6]);
    expect(index.setCarried(ids[10]!, index.slotOfVessel(ids[10]!)!, lane0, 2, Float64Array.of(77, 78), 0)).toBe(true);
    want.get(ids[10]!)!.splice(0, 2, 77, 78);
    expect(index.setCarried(ids[7]!, -1, lane0, 2, Float64Array.of(1, 2), 0)).toBe(false);
    let visits = 0;
    index.forEachNear({ lat: 29.95, lon: 122.25 }, 30, (id, _d, _slot, carried, at) => {
      visits++;
      const got = [carried[at + lane0]!, carried[at + lane0 + 1]!, carried[at + lane1]!];
      const w = id === fresh ? [Number.NaN, Number.NaN, Number.NaN] : want.get(id)!;
      expect(got, id).toEqual(w);
    });
    expect(visits).toBe(300);
  });

  it('rejects a bad radius or position (programmer errors)', () => {
    const index = new NeighbourIndex();
    expect(() => index.upsert('x' as VesselId, Number.NaN, 1)).toThrow();
    expect(() => index.near({ lat: 30, lon: 122 }, -1)).toThrow();
    expect(() => new NeighbourIndex({ res: 16 })).toThrow();
  });
});
