import { describe, expect, it } from 'vitest';
import { seededRandom, type LatLon } from '../model/index.js';
import { crossTrackNm } from './route.js';
import { distanceNm } from './sphere.js';

/** A minute of arc on the IUGG mean sphere, nm: R·(π/10,800)/1852, worked by hand. */
const MINUTE_NM = (6_371_008.8 * Math.PI) / 10_800 / 1852;

/**
 * The independent answer: the route's legs walked in small steps, each step's point placed
 * linearly in lat/lon (the legs' definition) and measured by the haversine; coarse steps find
 * each leg's nearest stretch, fine steps (0.0005 nm) settle it. No tangent plane, no projection.
 */
function bruteForceNm(route: readonly LatLon[], p: LatLon): number {
  let best = distanceNm(p.lat, p.lon, route[0]!.lat, route[0]!.lon);
  for (let i = 0; i + 1 < route.length; i++) {
    const a = route[i]!;
    const b = route[i + 1]!;
    const at = (t: number): number => distanceNm(p.lat, p.lon, a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t);
    const lengthNm = distanceNm(a.lat, a.lon, b.lat, b.lon);
    const coarse = Math.max(1, Math.ceil(lengthNm / 0.05));
    let k = 0;
    for (let j = 1; j <= coarse; j++) if (at(j / coarse) < at(k / coarse)) k = j;
    const lo = Math.max(0, (k - 1) / coarse);
    const hi = Math.min(1, (k + 1) / coarse);
    const fine = Math.max(1, Math.ceil(((hi - lo) * lengthNm) / 0.0005));
    for (let j = 0; j <= fine; j++) best = Math.min(best, at(lo + ((hi - lo) * j) / fine));
  }
  return best;
}

describe('crossTrackNm', () => {
  it('worked by hand: north of a leg along the 30th parallel it is the meridian arc, 0.1° = 6 minutes', () => {
    const leg = [
      { lat: 30, lon: 122 },
      { lat: 30, lon: 122.5 },
    ];
    expect(crossTrackNm(leg, 30.1, 122.25)).toBeCloseTo(6 * MINUTE_NM, 9);
    expect(crossTrackNm(leg, 29.9, 122.25)).toBeCloseTo(6 * MINUTE_NM, 9);
    expect(crossTrackNm(leg, 30, 122.3)).toBe(0);
  });

  it('past the end of the route it is the distance to that end; a one-point route is that point', () => {
    const route = [
      { lat: 30, lon: 122 },
      { lat: 30.2, lon: 122.1 },
      { lat: 30.3, lon: 122.4 },
    ];
    for (const p of [
      { lat: 30.35, lon: 122.6 },
      { lat: 29.8, lon: 121.9 },
    ]) {
      const end = p.lat > 30.1 ? route[2]! : route[0]!;
      const expected = distanceNm(p.lat, p.lon, end.lat, end.lon);
      expect(Math.abs(crossTrackNm(route, p.lat, p.lon) - expected)).toBeLessThan(expected * 1e-3);
    }
    const one = [{ lat: 30, lon: 122 }];
    expect(Math.abs(crossTrackNm(one, 30.05, 122.05) - distanceNm(30.05, 122.05, 30, 122))).toBeLessThan(1e-3 * distanceNm(30.05, 122.05, 30, 122));
  });

  it('an empty route is a programmer error', () => {
    expect(() => crossTrackNm([], 30, 122)).toThrow(RangeError);
  });

  it('agrees with a brute-force search along the legs within 0.1 % + 0.001 nm: 300 random routes off Zhoushan, points within 10 nm', () => {
    const rnd = seededRandom(0x0c7_0011);
    const range = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
    let worstRel = 0;
    for (let n = 0; n < 300; n++) {
      // 2–4 legs of 2–30 nm in any direction from a start in the East China Sea (29–31.5°N, 121.5–124°E).
      const route: LatLon[] = [{ lat: range(29, 31.5), lon: range(121.5, 124) }];
      for (let legs = 1 + Math.floor(rnd() * 3); legs > 0; legs--) {
        const last = route.at(-1)!;
        const lengthNm = range(2, 30);
        const course = range(0, 2 * Math.PI);
        route.push({ lat: last.lat + (lengthNm * Math.cos(course)) / 60, lon: last.lon + (lengthNm * Math.sin(course)) / (60 * Math.cos((last.lat * Math.PI) / 180)) });
      }
      // A point near a random stretch of the route, up to 10 nm off it in any direction.
      const i = Math.floor(rnd() * (route.length - 1));
      const t = range(-0.2, 1.2);
      const a = route[i]!;
      const b = route[i + 1]!;
      const offNm = range(0, 10) ** 2 / 10; // more points close in, where corridors are judged
      const dir = range(0, 2 * Math.PI);
      const p = {
        lat: a.lat + (b.lat - a.lat) * t + (offNm * Math.cos(dir)) / 60,
        lon: a.lon + (b.lon - a.lon) * t + (offNm * Math.sin(dir)) / (60 * Math.cos((a.lat * Math.PI) / 180)),
      };
      const truth = bruteForceNm(route, p);
      if (truth > 10) continue;
      const ours = crossTrackNm(route, p.lat, p.lon);
      expect(Math.abs(ours - truth), `route ${JSON.stringify(route)} point ${JSON.stringify(p)}`).toBeLessThanOrEqual(truth * 1e-3 + 1e-3);
      if (truth > 0.5) worstRel = Math.max(worstRel, Math.abs(ours - truth) / truth);
    }
    console.log(`crossTrackNm against brute force: worst relative difference beyond 0.5 nm ${(worstRel * 100).toFixed(4)} %`);
  });
});
