import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import { LatLonGrid } from './lat-lon-grid.js';

/**
 * The grid's runs against brute force: every point inside a box (longitudes wrapping across
 * ±180° included) is in one of the runs the grid gives for it, each point at most once.
 */
describe('LatLonGrid', () => {
  function check(lat: Float64Array, lon: Float64Array, n: number, cellKm: number, boxes: [number, number, number, number][]): number {
    const grid = new LatLonGrid(lat, lon, n, cellKm);
    const out = new Int32Array(2 * grid.maxRuns);
    let inside = 0;
    for (const [la0, la1, lo0, lo1] of boxes) {
      const seen = new Set<number>();
      const k = grid.runs(la0, la1, lo0, lo1, out);
      for (let r = 0; r < k; r++) for (let j = out[2 * r]!; j < out[2 * r + 1]!; j++) {
        const i = grid.order[j]!;
        expect(seen.has(i)).toBe(false);
        seen.add(i);
      }
      for (let i = 0; i < n; i++) {
        const wrapped = (lon[i]! >= lo0 && lon[i]! <= lo1) || (lon[i]! + 360 >= lo0 && lon[i]! + 360 <= lo1) || (lon[i]! - 360 >= lo0 && lon[i]! - 360 <= lo1);
        if (lat[i]! >= la0 && lat[i]! <= la1 && wrapped) {
          inside++;
          expect([i, seen.has(i)]).toEqual([i, true]);
        }
      }
    }
    return inside;
  }

  it('a sea-sized spread: every point of a box is in its runs', () => {
    const rand = seededRandom(5);
    const n = 5_000;
    const lat = new Float64Array(n).map(() => 27 + 6 * rand());
    const lon = new Float64Array(n).map(() => 121 + 6 * rand());
    const boxes: [number, number, number, number][] = [];
    for (let b = 0; b < 200; b++) {
      const c = [26.5 + 7 * rand(), 120.5 + 7 * rand()] as const;
      const h = 0.5 * rand();
      boxes.push([c[0] - h, c[0] + h, c[1] - 2 * h, c[1] + 2 * h]);
    }
    expect(check(lat, lon, n, 2, boxes)).toBeGreaterThan(1_000);
  });

  it('the whole world, boxes across the antimeridian and to the poles, more than 2n cells asked', () => {
    const rand = seededRandom(6);
    const n = 3_000;
    const lat = new Float64Array(n).map(() => -89.9 + 179.8 * rand());
    const lon = new Float64Array(n).map(() => -180 + 360 * rand());
    // Some right at the antimeridian.
    for (let i = 0; i < 100; i++) lon[i] = i % 2 === 0 ? 179.99 : -179.99;
    const boxes: [number, number, number, number][] = [
      [-10, 10, 170, 190],
      [-10, 10, -190, -170],
      [80, 95, -200, 200],
      [-95, -80, -180, 180],
    ];
    for (let b = 0; b < 100; b++) {
      const la = -90 + 180 * rand();
      const lo = -180 + 360 * rand();
      const h = 20 * rand();
      boxes.push([la - h, la + h, lo - 2 * h, lo + 2 * h]);
    }
    expect(check(lat, lon, n, 2, boxes)).toBeGreaterThan(1_000);
  });
});
