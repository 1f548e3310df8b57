import { describe, expect, it } from 'vitest';
import { distanceM, M_PER_NM, RAD } from '../geo/index.js';
import { seededRandom } from '../model/index.js';
import { cpa, CONFIDENCE_HALF_LIFE_MS, type CpaFound, type MotionFix } from './cpa.js';
import { bearing, destination } from './test-support.js';

const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

/** Where a fix's vessel is at time t: dead reckoning on the sphere along its great circle. */
function sailed(f: MotionFix, tMs: number): { lat: number; lon: number } {
  const run = ((f.sogKn ?? 0) * M_PER_NM * (tMs - f.atMs)) / 3_600_000;
  return destination(f.lat, f.lon, f.cogDeg ?? 0, run);
}

function sphereDistM(a: MotionFix, b: MotionFix, tMs: number): number {
  const p = sailed(a, tMs);
  const q = sailed(b, tMs);
  return distanceM(p.lat, p.lon, q.lat, q.lon);
}

/**
 * Brute force: the distance of the two dead-reckoned tracks on the sphere sampled every 5 s over
 * [t − w, t + w], then the best sample's neighbourhood narrowed by ternary search to 1 ms (the
 * distance of two steady tracks has one minimum, so the narrowing cannot leave it). `edge`: the
 * minimum lies at the window's end (the true one is outside).
 */
function bruteForce(a: MotionFix, b: MotionFix, tMs: number, wMs: number): { distM: number; atMs: number; edge: boolean } {
  const step = 5_000;
  let best = tMs - wMs;
  let bestD = Infinity;
  for (let t = tMs - wMs; t <= tMs + wMs; t += step) {
    const d = sphereDistM(a, b, t);
    if (d < bestD) {
      bestD = d;
      best = t;
    }
  }
  if (best <= tMs - wMs || best >= tMs + wMs) return { distM: bestD, atMs: best, edge: true };
  let lo = best - step;
  let hi = best + step;
  while (hi - lo > 1) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (sphereDistM(a, b, m1) < sphereDistM(a, b, m2)) hi = m2;
    else lo = m1;
  }
  const at = (lo + hi) / 2;
  return { distM: sphereDistM(a, b, at), atMs: at, edge: false };
}

function found(r: ReturnType<typeof cpa>): CpaFound {
  if (r.kind !== 'cpa') throw new Error(`expected a CPA, got ${r.kind}`);
  return r;
}

describe('cpa against a brute-force search on the sphere', () => {
  /*
   * Why 1 m and 1 s are reachable: cpa.ts works in the gnomonic plane about the pair's midpoint,
   * where great circles are straight lines; what is left is second order in the distance from the
   * midpoint (≈ (d/R)² ≈ 1e-5 relative at 12 nm). So the pairs are drawn as the collision rule
   * sees them — within 12 nm (the neighbour index's largest tested radius), up to 30 kn each, fixes
   * up to 3 min old (a BeiDou interval) — and the search window is ±20 min around the evaluation
   * time (the alert horizon is 10 min): seen at up to 60 kn closing that is 20 nm of relative run.
   * Measured: ≤ 0.05 m and ≤ 0.2 s (≤ 0.1 m and ≤ 0.9 s over ±30 min). TCPA is the touchier
   * figure: at a slow relative speed a small shift of the tracks moves the minimum along a flat valley.
   */
  it('agrees within 1 m (CPA and meeting point) and 1 s (TCPA) on 10,000 random pairs', () => {
    const rand = seededRandom(20260601);
    const W = 20 * 60_000;
    let compared = 0;
    let atEdge = 0;
    let worstD = 0;
    let worstT = 0;
    let worstMeet = 0;
    while (compared < 10_000) {
      const lat = -70 + 140 * rand();
      const lon = -180 + 360 * rand();
      const other = destination(lat, lon, 360 * rand(), 12 * M_PER_NM * rand());
      const a: MotionFix = { lat, lon, sogKn: 30 * rand(), cogDeg: 360 * rand(), atMs: T0 - 180_000 * rand() };
      const b: MotionFix = { lat: other.lat, lon: other.lon, sogKn: 30 * rand(), cogDeg: 360 * rand(), atMs: T0 - 180_000 * rand() };
      const r = found(cpa(a, b, T0));
      const brute = bruteForce(a, b, T0, W);
      const predictedAt = T0 + r.tcpaMin * 60_000;
      if (brute.edge) {
        // The minimum is outside the window: cpa must put it outside on the same side.
        atEdge++;
        expect(Math.abs(predictedAt - T0)).toBeGreaterThan(W - 5_000);
        expect(Math.sign(predictedAt - T0)).toBe(Math.sign(brute.atMs - T0));
        continue;
      }
      compared++;
      const dD = Math.abs(brute.distM - r.cpaNm * M_PER_NM);
      const dT = Math.abs(brute.atMs - predictedAt) / 1000;
      // The meeting point: midway between the two vessels on the sphere at the predicted time.
      const pa = sailed(a, predictedAt);
      const pb = sailed(b, predictedAt);
      const mid = destination(pa.lat, pa.lon, bearing(pa, pb), distanceM(pa.lat, pa.lon, pb.lat, pb.lon) / 2);
      const dMeet = distanceM(mid.lat, mid.lon, r.meetLat, r.meetLon);
      worstD = Math.max(worstD, dD);
      worstT = Math.max(worstT, dT);
      worstMeet = Math.max(worstMeet, dMeet);
    }
    expect(worstD).toBeLessThanOrEqual(1);
    expect(worstT).toBeLessThanOrEqual(1);
    expect(worstMeet).toBeLessThanOrEqual(1);
    expect(atEdge).toBeGreaterThan(0);
  }, 60_000);
});

describe('cpa on the published ARPA accuracy scenarios', () => {
  /*
   * Source: IMO Resolution A.823(19), "Performance standards for automatic radar plotting aids
   * (ARPAs)", Appendix, Annex 2 "Operational scenarios" — the four encounters the ARPA accuracy
   * requirements of its §3.7 are stated for (text as published at
   * https://www.imorules.com/GUID-8A345595-A1F8-477D-B9AB-CDE810E906CA.html). Each gives own ship's
   * course and speed and the target's range, bearing, relative course and relative speed.
   *
   * Expected values from those numbers by relative-motion geometry, not from cpa.ts: the target's
   * true velocity is own velocity + relative velocity; a relative course pointing back along the
   * bearing (180° on 000°, 225° on 045°) runs straight at own ship, so CPA 0 and TCPA = range ÷
   * relative speed = 8 nm ÷ 20 kn = 24 min, meeting where own ship is then; a relative course square
   * to the bearing (090° on 000°) is at its CPA now: CPA = range = 1 nm, TCPA 0.
   *
   * Placed on the equator: the scenarios are plane geometry and cpa.ts sails great circles on the
   * sphere. Where meridians run parallel (to first order) the two agree to third order, ≈ d³/R²
   * ≈ 0.1 m over these 8 nm; at 30°N the convergence of the meridians alone parts them by ≈ 10 m
   * (the brute-force test above is the check of the sphere itself). So 1 m and 1 s here.
   */
  const scenarios = [
    { n: 1, ownCourse: 0, ownSpeed: 10, range: 8, bearing: 0, relCourse: 180, relSpeed: 20, cpaNm: 0, tcpaMin: 24 },
    { n: 2, ownCourse: 0, ownSpeed: 10, range: 1, bearing: 0, relCourse: 90, relSpeed: 10, cpaNm: 1, tcpaMin: 0 },
    { n: 3, ownCourse: 0, ownSpeed: 5, range: 8, bearing: 45, relCourse: 225, relSpeed: 20, cpaNm: 0, tcpaMin: 24 },
    { n: 4, ownCourse: 0, ownSpeed: 25, range: 8, bearing: 45, relCourse: 225, relSpeed: 20, cpaNm: 0, tcpaMin: 24 },
  ] as const;
  for (const s of scenarios) {
    it(`scenario ${s.n}: own ${s.ownCourse}°/${s.ownSpeed} kn, target ${s.bearing}° ${s.range} nm, relative ${s.relCourse}°/${s.relSpeed} kn → CPA ${s.cpaNm} nm, TCPA ${s.tcpaMin} min`, () => {
      const own: MotionFix = { lat: 0, lon: 122.4, sogKn: s.ownSpeed, cogDeg: s.ownCourse, atMs: T0 };
      const ve = s.ownSpeed * Math.sin(s.ownCourse * RAD) + s.relSpeed * Math.sin(s.relCourse * RAD);
      const vn = s.ownSpeed * Math.cos(s.ownCourse * RAD) + s.relSpeed * Math.cos(s.relCourse * RAD);
      const at = destination(own.lat, own.lon, s.bearing, s.range * M_PER_NM);
      const target: MotionFix = { ...at, sogKn: Math.hypot(ve, vn), cogDeg: ((Math.atan2(ve, vn) / RAD) + 360) % 360, atMs: T0 };
      const r = found(cpa(own, target));
      expect(Math.abs(r.cpaNm - s.cpaNm) * M_PER_NM).toBeLessThan(1);
      expect(Math.abs(r.tcpaMin - s.tcpaMin) * 60).toBeLessThan(1);
      expect(Math.abs(r.rangeNm - s.range) * M_PER_NM).toBeLessThan(1);
      // Meeting point: own ship's position at TCPA (with CPA 0 the target is there too).
      const ownThen = destination(own.lat, own.lon, s.ownCourse, (s.ownSpeed * M_PER_NM * s.tcpaMin) / 60);
      const halfCpaM = (s.cpaNm * M_PER_NM) / 2;
      expect(Math.abs(distanceM(ownThen.lat, ownThen.lon, r.meetLat, r.meetLon) - halfCpaM)).toBeLessThan(1);
      expect(r.confidence).toBe(1);
    });
  }
});

describe('cpa: what it decides', () => {
  const base: MotionFix = { lat: 30, lon: 122.5, sogKn: 10, cogDeg: 90, atMs: T0 };

  it('a vessel without SOG, or under way without COG, is not predicted; which side is reported', () => {
    expect(cpa(base, { ...base, lat: 30.01, sogKn: undefined })).toEqual({ kind: 'motion-unknown', a: false, b: true });
    expect(cpa({ ...base, cogDeg: undefined }, { ...base, lat: 30.01 })).toEqual({ kind: 'motion-unknown', a: true, b: false });
    expect(cpa({ ...base, sogKn: undefined }, { ...base, cogDeg: undefined })).toEqual({ kind: 'motion-unknown', a: true, b: true });
  });

  it('a vessel whose SOG says it is stopped needs no COG: it is a fixed point', () => {
    // Stopped target 2 nm due east on own ship's track at 10 kn: CPA 0 in 12 min.
    const east = destination(30, 122.5, 90, 2 * M_PER_NM);
    const r = found(cpa(base, { ...east, sogKn: 0, atMs: T0 - 600_000 }));
    expect(r.cpaNm * M_PER_NM).toBeLessThan(1);
    expect(Math.abs(r.tcpaMin - 12) * 60).toBeLessThan(1);
  });

  it('same velocity (or both stopped): the range never changes, TCPA 0 and CPA the present range', () => {
    const north = destination(30, 122.5, 0, 0.3 * M_PER_NM);
    const moving = found(cpa(base, { ...base, ...north }));
    expect(moving.tcpaMin).toBe(0);
    expect(moving.cpaNm).toBeCloseTo(0.3, 4);
    const stopped = found(cpa({ ...base, sogKn: 0 }, { ...north, sogKn: 0.1, atMs: T0 }));
    expect(stopped.tcpaMin).toBe(0);
    expect(stopped.cpaNm).toBeCloseTo(0.3, 4);
  });

  it('a stale fix is dead-reckoned to the evaluation time and halves the confidence per 3 min of age', () => {
    // B reported 3 min ago 1.5 nm west of A's present position, sailing east at 10 kn: it is now at A.
    const west = destination(30, 122.5, 270, 0.5 * M_PER_NM);
    const a: MotionFix = { lat: 30, lon: 122.5, sogKn: 0, atMs: T0 };
    const b: MotionFix = { ...west, sogKn: 10, cogDeg: 90, atMs: T0 - CONFIDENCE_HALF_LIFE_MS };
    const r = found(cpa(a, b));
    expect(r.rangeNm * M_PER_NM).toBeLessThan(1);
    expect(r.ageAMs).toBe(0);
    expect(r.ageBMs).toBe(180_000);
    expect(r.confidence).toBeCloseTo(0.5, 12);
  });

  it('pairs across the antimeridian and near the pole are measured like any other', () => {
    const a: MotionFix = { lat: 10, lon: 179.99, sogKn: 12, cogDeg: 90, atMs: T0 };
    const b: MotionFix = { lat: 10, lon: -179.95, sogKn: 12, cogDeg: 270, atMs: T0 };
    const r = found(cpa(a, b));
    const brute = bruteForce(a, b, T0, 20 * 60_000);
    expect(Math.abs(r.cpaNm * M_PER_NM - brute.distM)).toBeLessThan(1);
    expect(Math.abs(T0 + r.tcpaMin * 60_000 - brute.atMs)).toBeLessThan(1000);
    expect(Math.abs(r.meetLon)).toBeGreaterThan(179.9);
    const p: MotionFix = { lat: 89.99, lon: 0, sogKn: 8, cogDeg: 0, atMs: T0 };
    const q: MotionFix = { lat: 89.99, lon: 180, sogKn: 8, cogDeg: 0, atMs: T0 };
    const rp = found(cpa(p, q));
    const bp = bruteForce(p, q, T0, 20 * 60_000);
    expect(Math.abs(rp.cpaNm * M_PER_NM - bp.distM)).toBeLessThan(1);
  });
});
