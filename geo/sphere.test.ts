import { describe, expect, it } from 'vitest';
import { arcDistanceRad, distanceM, distanceNm, initialBearingDeg, unitVector, vectorAngle } from './sphere.js';

const DEG = Math.PI / 180;

describe('sphere', () => {
  it('distanceM: one minute of latitude is about one nautical mile; the antimeridian is crossed the short way', () => {
    // Along a meridian or the equator the arc is R·Δ (R = 6,371,008.8 m): a minute is 1853.2513 m.
    const minute = (6_371_008.8 * Math.PI) / 10_800;
    expect(distanceM(30, 122, 30 + 1 / 60, 122)).toBeCloseTo(minute, 6);
    expect(distanceM(0, 179.99, 0, -179.99)).toBeCloseTo(1.2 * minute, 6);
    expect(distanceNm(30, 122, 31, 122)).toBeCloseTo((60 * minute) / 1852, 9);
  });

  it('initialBearingDeg: the cardinal directions, and the aviation formulary LAX → JFK example (65.89°)', () => {
    expect(initialBearingDeg(0, 0, 1, 0)).toBeCloseTo(0, 9);
    expect(initialBearingDeg(0, 0, 0, 1)).toBeCloseTo(90, 9);
    expect(initialBearingDeg(0, 0, -1, 0)).toBeCloseTo(180, 9);
    expect(initialBearingDeg(0, 0, 0, -1)).toBeCloseTo(270, 9);
    // Across the antimeridian eastwards is still east.
    expect(initialBearingDeg(0, 179.5, 0, -179.5)).toBeCloseTo(90, 9);
    // Ed Williams, Aviation Formulary: LAX (33°57′N 118°24′W) to JFK (40°38′N 73°47′W), tc1 = 1.150035 rad.
    expect(initialBearingDeg(33 + 57 / 60, -(118 + 24 / 60), 40 + 38 / 60, -(73 + 47 / 60))).toBeCloseTo(1.150035 / DEG, 3);
  });

  it('vectorAngle of unit vectors agrees with the haversine, from centimetres to antipodes', () => {
    const pairs: [number, number, number, number][] = [
      [30, 122, 30 + 1e-7, 122 + 1e-7],
      [30, 122, 30.01, 122.02],
      [30, 122, 45, -170],
      [10, 20, -10, -160 + 1e-3],
    ];
    for (const [a, b, c, d] of pairs) {
      const u = unitVector(a, b);
      const v = unitVector(c, d);
      const h = arcDistanceRad(a, b, c, d);
      expect(Math.abs(vectorAngle(...u, ...v) - h), `${a},${b} → ${c},${d}`).toBeLessThan(1e-12 + 1e-9 * h);
    }
    expect(unitVector(90, 0)[2]).toBe(1);
    expect(unitVector(0, 90)[1]).toBe(1);
  });
});
