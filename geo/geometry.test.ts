import { describe, expect, it } from 'vitest';
import { arcDistanceRad } from './sphere.js';
import { capBox, minDistanceToRingCirclesRad, polygonContains, polygonEdgesMeetBox, preparePolygon, segmentMeetsBox } from './geometry.js';

const EARTH_M = 6_371_008.8; // IUGG mean radius

describe('polygonContains: half-open rectangle [west, east) × [south, north)', () => {
  const rect = preparePolygon([
    [
      [121.5, 30.5],
      [122, 30.5],
      [122, 31],
      [121.5, 31],
      [121.5, 30.5],
    ],
  ]);
  it('south and west edges in, north and east edges out, corners by the same rule', () => {
    expect(polygonContains(rect, 121.75, 30.5)).toBe(true);
    expect(polygonContains(rect, 121.5, 30.75)).toBe(true);
    expect(polygonContains(rect, 121.75, 31)).toBe(false);
    expect(polygonContains(rect, 122, 30.75)).toBe(false);
    expect(polygonContains(rect, 121.5, 30.5)).toBe(true); // SW corner
    expect(polygonContains(rect, 122, 31)).toBe(false); // NE corner
    expect(polygonContains(rect, 122, 30.5)).toBe(false); // SE corner
    expect(polygonContains(rect, 121.5, 31)).toBe(false); // NW corner
  });
  it('the same answers whatever the ring winding (the fixture anchorage is clockwise)', () => {
    const cw = preparePolygon([
      [
        [121.5, 30.5],
        [121.5, 31],
        [122, 31],
        [122, 30.5],
        [121.5, 30.5],
      ],
    ]);
    for (const [lon, lat] of [[121.75, 30.5], [121.5, 30.75], [121.75, 31], [122, 30.75], [121.7, 30.7], [123, 30.7]] as const) {
      expect(polygonContains(cw, lon, lat)).toBe(polygonContains(rect, lon, lat));
    }
  });
});

describe('segmentMeetsBox / polygonEdgesMeetBox', () => {
  it('crossing, touching, inside and missing segments', () => {
    expect(segmentMeetsBox(-1, 0.5, 2, 0.5, 0, 0, 1, 1)).toBe(true); // crosses
    expect(segmentMeetsBox(0.2, 0.2, 0.3, 0.3, 0, 0, 1, 1)).toBe(true); // wholly inside
    expect(segmentMeetsBox(1, -1, 1, 2, 0, 0, 1, 1)).toBe(true); // along the east side
    expect(segmentMeetsBox(-1, 0, 1, 2, 0, 0, 1, 1)).toBe(true); // touches the NW corner (y = x + 1)
    expect(segmentMeetsBox(-1, 0.01, 1, 2.01, 0, 0, 1, 1)).toBe(false); // just misses it
    expect(segmentMeetsBox(2, 0, 3, 1, 0, 0, 1, 1)).toBe(false);
  });
  it('a small polygon wholly inside a box meets it; a box wholly inside a polygon does not', () => {
    const small = preparePolygon([
      [
        [0.4, 0.4],
        [0.6, 0.4],
        [0.6, 0.6],
        [0.4, 0.4],
      ],
    ]);
    expect(polygonEdgesMeetBox(small, 0, 0, 1, 1)).toBe(true);
    expect(polygonEdgesMeetBox(small, 0.45, 0.41, 0.5, 0.42)).toBe(false);
  });
});

describe('sphere helpers', () => {
  it('arcDistanceRad: one minute of latitude is one nautical mile (1852 m) within 0.5 %', () => {
    const m = arcDistanceRad(30, 122, 30 + 1 / 60, 122) * EARTH_M;
    expect(Math.abs(m - 1852) / 1852).toBeLessThan(0.005);
  });
  it('capBox holds every point of the cap (points on its rim in 360 directions)', () => {
    const r = 2_000 / EARTH_M;
    const [w, s, e, n] = capBox(30.3, 122.1, r);
    const φ = (30.3 * Math.PI) / 180;
    for (let deg = 0; deg < 360; deg++) {
      const θ = (deg * Math.PI) / 180;
      // Destination point on the sphere (standard formula), distance r, bearing θ.
      const φ2 = Math.asin(Math.sin(φ) * Math.cos(r) + Math.cos(φ) * Math.sin(r) * Math.cos(θ));
      const λ2 = (122.1 * Math.PI) / 180 + Math.atan2(Math.sin(θ) * Math.sin(r) * Math.cos(φ), Math.cos(r) - Math.sin(φ) * Math.sin(φ2));
      const lat = (φ2 * 180) / Math.PI;
      const lon = (λ2 * 180) / Math.PI;
      expect(lat >= s && lat <= n && lon >= w && lon <= e, `bearing ${deg}`).toBe(true);
    }
  });
  it('minDistanceToRingCirclesRad of a 1°-ish square around its centre is about half its side', () => {
    const ring: [number, number][] = [
      [121.5, 29.5],
      [122.5, 29.5],
      [122.5, 30.5],
      [121.5, 30.5],
      [121.5, 29.5],
    ];
    const d = minDistanceToRingCirclesRad(30, 122, ring) * EARTH_M;
    // East/west sides: 0.5° of longitude at 30°N ≈ 48.2 km (great circles through the corners bow
    // towards the pole, so a little less); north/south: 0.5° of latitude ≈ 55.6 km.
    expect(d).toBeGreaterThan(47_000);
    expect(d).toBeLessThan(48_300);
  });
});
