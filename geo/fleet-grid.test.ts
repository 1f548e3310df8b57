import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { VesselRegistry, type FleetGridView, type FleetId, type VesselFile, type VesselId } from '../model/index.js';
import { cellCenter, cellDisk, latLonToCell } from './cells.js';
import { FleetGrids } from './fleet-grid.js';

/**
 * Hand-made fleets around C = (30°N, 122.5°E). Offsets are great-circle distances on the sphere
 * of radius R = 6,371,008.8 m: 1 nm = θ = 1852 / R = 2.906918e-4 rad = 0.0166554131°.
 * North/south offsets are exact along the meridian; east/west ones use the destination formula.
 */
const R_M = 6_371_008.8;
const NM = 1852;
const DEG_PER_NM = (NM / R_M) * (180 / Math.PI); // 0.016655413136…
const LAT0 = 30;
const LON0 = 122.5;
const T0 = Date.parse('2025-10-12T03:00:00Z');
const MIN = 60_000;

/** Destination point (Movable Type's "direct" formula), for the east/west members. */
function destination(lat: number, lon: number, bearingDeg: number, distNm: number): { lat: number; lon: number } {
  const r = Math.PI / 180;
  const d = (distNm * NM) / R_M;
  const t = bearingDeg * r;
  const p1 = lat * r;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 = lon * r + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lat: p2 / r, lon: l2 / r };
}

const id = (s: string): VesselId => s as VesselId;
const F1 = 'zs-001' as FleetId;
const F2 = 'zs-002' as FleetId;
const F3 = 'zs-003' as FleetId;

function registry(): VesselRegistry {
  const files: VesselFile[] = [];
  for (const v of ['n1', 's1', 'e1', 'w1', 'n20', 's20', 'late', 'never']) files.push({ vesselId: id(v), name: v, fleetId: F1 });
  for (const v of ['a', 'b', 'c', 'd', 'far']) files.push({ vesselId: id(v), name: v, fleetId: F2 });
  for (const v of ['p', 'q']) files.push({ vesselId: id(v), name: v, fleetId: F3 });
  files.push({ vesselId: id('lonely'), name: 'lonely' });
  return new VesselRegistry(files);
}

/** A compass rose around (lat, lon): 1 nm N, S, E, W. */
function rose(lat: number, lon: number): Record<'n' | 's' | 'e' | 'w', { lat: number; lon: number }> {
  return {
    n: { lat: lat + DEG_PER_NM, lon },
    s: { lat: lat - DEG_PER_NM, lon },
    e: destination(lat, lon, 90, 1),
    w: destination(lat, lon, 270, 1),
  };
}

function inFootprint(view: FleetGridView, lat: number, lon: number): boolean {
  return booleanPointInPolygon([lon, lat], { type: 'MultiPolygon', coordinates: view.footprint.coordinates });
}

function setUp(): FleetGrids {
  const g = new FleetGrids(registry());
  const r = rose(LAT0, LON0);
  g.update(id('n1'), r.n.lat, r.n.lon, T0);
  g.update(id('s1'), r.s.lat, r.s.lon, T0);
  g.update(id('e1'), r.e.lat, r.e.lon, T0);
  g.update(id('w1'), r.w.lat, r.w.lon, T0);
  g.update(id('n20'), LAT0 + 20 * DEG_PER_NM, LON0, T0);
  g.update(id('s20'), LAT0 - 20 * DEG_PER_NM, LON0, T0);
  g.update(id('late'), LAT0, LON0 + 0.01, T0 - 11 * MIN); // older than the 10 min default at T0
  // F2: the same rose plus one vessel 30 nm north.
  g.update(id('a'), r.n.lat, r.n.lon, T0);
  g.update(id('b'), r.s.lat, r.s.lon, T0);
  g.update(id('c'), r.e.lat, r.e.lon, T0);
  g.update(id('d'), r.w.lat, r.w.lon, T0);
  g.update(id('far'), LAT0 + 30 * DEG_PER_NM, LON0, T0);
  // F3: a pair 20 nm apart.
  g.update(id('p'), LAT0, LON0, T0);
  g.update(id('q'), LAT0 + 20 * DEG_PER_NM, LON0, T0);
  g.tick(T0);
  return g;
}

describe('FleetGrids on hand-made fleets', () => {
  it('symmetric fleet: centroid at C, spread 20 nm, the two 20 nm members outside, stale and missing listed', () => {
    const v = setUp().fleet(F1)!;
    // By symmetry the unit vectors sum along C: N/S pairs mirror in the parallel plane through C,
    // E/W pairs mirror in C's meridian plane. Distances from C: 1, 1, 1, 1, 20, 20 nm; median 1;
    // straggler radius max(3, 3 × 1) = 3 nm.
    expect(v.centroid!.lat).toBeCloseTo(LAT0, 9);
    expect(v.centroid!.lon).toBeCloseTo(LON0, 9);
    expect(v.spreadNm).toBeCloseTo(20, 6);
    expect(v.stragglerRadiusNm).toBeCloseTo(3, 9);
    expect(v.outside).toEqual(['n20', 's20']);
    expect(v.stale).toEqual(['late']);
    expect(v.missing).toEqual(['never']);
    expect(v.located).toBe(6);
    expect(v.members).toEqual(['n1', 's1', 'e1', 'w1', 'n20', 's20', 'late', 'never']);
    expect(v.atMs).toBe(T0);
  });

  it('a straggler pulls the centroid: hand-computed values', () => {
    const v = setUp().fleet(F2)!;
    // θ = 1 nm, Θ = 30 nm (angles). Sum of unit vectors = (4 cos θ + cos Θ)·C + sin Θ·N̂ (the E/W
    // terms ± sin θ·Ê cancel), so the centroid is on C's meridian, α north of C with
    // α = atan2(sin Θ, 4 cos θ + cos Θ) = 1.7441402e-3 rad = 5.9999637 nm = 0.0999319°.
    // Distances from it: N member α − θ = 4.9999637 nm, S α + θ = 6.9999637 nm, far Θ − α =
    // 24.0000363 nm, E and W (right angle at C) acos(cos α cos θ) = 6.0827266 nm.
    // Median of the five: 6.0827266 → radius 3 × 6.0827266 = 18.2481799 nm: only `far` is outside.
    expect(v.centroid!.lat).toBeCloseTo(LAT0 + 0.0999319, 6);
    expect(v.centroid!.lon).toBeCloseTo(LON0, 9);
    expect(v.spreadNm).toBeCloseTo(24.0000363, 5);
    expect(v.stragglerRadiusNm).toBeCloseTo(18.2481799, 5);
    expect(v.outside).toEqual(['far']);
    expect(v.stale).toEqual([]);
    expect(v.missing).toEqual([]);
  });

  it('a pair 20 nm apart: spread 10 nm, nobody outside (who strayed from whom?)', () => {
    const v = setUp().fleet(F3)!;
    // Midpoint on the meridian: 10 nm from each; median 10 → radius 30 nm.
    expect(v.centroid!.lat).toBeCloseTo(LAT0 + 10 * DEG_PER_NM, 9);
    expect(v.spreadNm).toBeCloseTo(10, 6);
    expect(v.outside).toEqual([]);
  });

  it('footprint: every fresh member cell and its ring inside, the stale member left out', () => {
    const g = setUp();
    const v = g.fleet(F1)!;
    const members: [string, number, number][] = [];
    const r = rose(LAT0, LON0);
    members.push(['n1', r.n.lat, r.n.lon], ['s1', r.s.lat, r.s.lon], ['e1', r.e.lat, r.e.lon], ['w1', r.w.lat, r.w.lon]);
    members.push(['n20', LAT0 + 20 * DEG_PER_NM, LON0], ['s20', LAT0 - 20 * DEG_PER_NM, LON0]);
    const cells = new Set(members.map(([, lat, lon]) => latLonToCell(lat, lon, 6)));
    expect(new Set(v.cells)).toEqual(cells);
    expect(v.footprint.type).toBe('MultiPolygon');
    for (const [, lat, lon] of members) expect(inFootprint(v, lat, lon)).toBe(true);
    for (const c of cells) for (const n of cellDisk(c, 1)) expect(inFootprint(v, cellCenter(n).lat, cellCenter(n).lon)).toBe(true);
    // Two cells out (≈ 2 × 6.5 km) is beyond the ring: 8 nm due east of the centre rose is outside.
    const east = destination(LAT0, LON0, 90, 8);
    expect(inFootprint(v, east.lat, east.lon)).toBe(false);
    // n20 and s20 are 40 nm apart: two separate polygons besides the centre one.
    expect(v.footprint.coordinates.length).toBe(3);
  });

  it('moves with its members; changedSince reports only the fleets that changed', () => {
    const g = setUp();
    const before = g.fleet(F1)!;
    const cursor = g.cursor;
    expect(g.changedSince(cursor).fleets).toEqual([]);
    // Everyone fresh sails 25 nm east in 2 h 30 min (10 kn).
    const t1 = T0 + 150 * MIN;
    const r = rose(LAT0, LON0);
    const moved: [string, { lat: number; lon: number }][] = [
      ['n1', r.n],
      ['s1', r.s],
      ['e1', r.e],
      ['w1', r.w],
      ['n20', { lat: LAT0 + 20 * DEG_PER_NM, lon: LON0 }],
      ['s20', { lat: LAT0 - 20 * DEG_PER_NM, lon: LON0 }],
    ];
    for (const [v, p] of moved) {
      const q = destination(p.lat, p.lon, 90, 25);
      expect(g.update(id(v), q.lat, q.lon, t1)).toBe(true);
    }
    g.tick(t1);
    const changes = g.changedSince(cursor);
    // F1 moved; F2 and F3 had no fix, but all their members went stale at t1: also changed.
    expect(changes.fleets.map((f) => f.fleetId).sort()).toEqual([F1, F2, F3]);
    const after = g.fleet(F1)!;
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(after.footprintSeq).toBeGreaterThan(before.footprintSeq);
    for (const [, p] of moved) {
      const q = destination(p.lat, p.lon, 90, 25);
      expect(inFootprint(after, q.lat, q.lon)).toBe(true);
      expect(inFootprint(after, p.lat, p.lon)).toBe(false);
    }
    // The fleet is symmetric about the great circle heading east from C, and each member sailed
    // 25 nm on its own eastward great circle: the centroid is 25 nm east of C up to second-order
    // convergence terms ((20 nm / R)² × 25 nm ≈ 2 m), well inside 5e-5° (≈ 5 m).
    const c = destination(LAT0, LON0, 90, 25);
    expect(after.centroid!.lat).toBeCloseTo(c.lat, 4);
    expect(after.centroid!.lon).toBeCloseTo(c.lon, 4);
    const f2 = g.fleet(F2)!;
    expect(f2.located).toBe(0);
    expect(f2.centroid).toBeNull();
    expect(f2.cells).toEqual([]);
    expect(f2.footprint.coordinates).toEqual([]);
    expect(f2.stale).toEqual(['a', 'b', 'c', 'd', 'far']);
    // Nothing new since: no changes, and the same view object (no recomputation).
    const again = g.changedSince(changes.cursor);
    expect(again.fleets).toEqual([]);
    expect(g.fleet(F1)).toBe(after);
  });

  it('ignores vessels in no fleet and fixes older than the member’s last; small moves keep the outline', () => {
    const g = setUp();
    expect(g.update(id('lonely'), LAT0, LON0, T0)).toBe(false);
    expect(g.update(id('n1'), LAT0, LON0, T0 - 1)).toBe(false);
    expect(g.fleetOf(id('n1'))).toBe(F1);
    expect(g.fleetOf(id('lonely'))).toBeUndefined();
    const v = g.fleet(F1)!;
    const outlines = g.counters.footprints;
    // 50 m north: the same cell, a new centroid, the same outline object.
    expect(g.update(id('n1'), LAT0 + DEG_PER_NM + 0.00045, LON0, T0 + 10_000)).toBe(true);
    const w = g.fleet(F1)!;
    expect(w).not.toBe(v);
    expect(w.footprint).toBe(v.footprint);
    expect(w.footprintSeq).toBe(v.footprintSeq);
    expect(g.counters.footprints).toBe(outlines);
    expect(w.centroid!.lat).toBeGreaterThan(v.centroid!.lat);
  });

  it('a stale member that reports again rejoins the grid', () => {
    const g = setUp();
    expect(g.fleet(F1)!.stale).toEqual(['late']);
    g.update(id('late'), LAT0, LON0 + 0.01, T0 + 1000);
    const v = g.fleet(F1)!;
    expect(v.stale).toEqual([]);
    expect(v.located).toBe(7);
    expect(g.all().map((f) => f.fleetId)).toEqual([F1, F2, F3]);
  });
});
