import { describe, expect, it } from 'vitest';
import { band, circleSides, ORIGIN, ringShape, shipShape, toCommon } from './ground-shapes.js';

/** Web Mercator to screen pixels at `zoom` (512 px world at zoom 0), written out from the projection's definition. */
function px([lon, lat]: [number, number], zoom: number): [number, number] {
  const world = 512 * 2 ** zoom;
  const y = Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [((lon + 180) / 360) * world, (world / 2) * (1 - y / Math.PI)];
}
/** A point in common space to screen pixels, as deck.gl places it: ORIGIN (the layers' coordinateOrigin) added, y north, 2^zoom px a unit. */
function pxOf([x, y]: [number, number], zoom: number): [number, number] {
  return [(ORIGIN[0] + x) * 2 ** zoom, (512 - (ORIGIN[1] + y)) * 2 ** zoom];
}
const dist = (a: [number, number], b: [number, number]): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe('screen-sized ground shapes', () => {
  it('a ship 16 px tall heading east is 16 px long on screen, nose east of its stern, at zoom 7.4 and 12', () => {
    for (const zoom of [7.4, 12]) {
      const r = shipShape(122.5, 30, 90, 16, zoom).map((p) => pxOf(p, zoom));
      expect(r).toHaveLength(4); // a closed triangle
      const nose = r[0]!;
      const sternMid: [number, number] = [(r[1]![0] + r[2]![0]) / 2, (r[1]![1] + r[2]![1]) / 2];
      expect(dist(nose, sternMid)).toBeCloseTo(16 * 0.92, 1);
      expect(nose[0] - sternMid[0]).toBeCloseTo(16 * 0.92, 1); // east: screen x grows
      expect(Math.abs(nose[1] - sternMid[1])).toBeLessThan(0.01);
    }
  });

  it('a place in common space is where Web Mercator puts it on screen, to a thousandth of a pixel at zoom 16', () => {
    for (const [lon, lat] of [[123, 30], [121.9, 29.95], [116.5, 23.4], [132.7, 37.8]] as [number, number][]) {
      const want = px([lon, lat], 16);
      const got = pxOf(toCommon(lon, lat), 16);
      expect(dist(got, want)).toBeLessThan(1e-3);
    }
  });

  it("a ship sits where its vessel is: its shape's centre on the vessel's screen place", () => {
    const zoom = 10;
    const c = px([122.5, 30], zoom);
    const r = shipShape(122.5, 30, null, 10, zoom).map((p) => pxOf(p, zoom));
    const mid: [number, number] = [r.slice(0, -1).reduce((s, p) => s + p[0], 0) / (r.length - 1), r.slice(0, -1).reduce((s, p) => s + p[1], 0) / (r.length - 1)];
    expect(dist(mid, c)).toBeLessThan(1e-6);
  });

  it('a ship heading north points up the screen (screen y shrinks)', () => {
    const r = shipShape(122.5, 30, 0, 20, 9).map((p) => pxOf(p, 9));
    expect(r[0]![1]).toBeLessThan(r[1]![1] - 15);
  });

  it('a 2 px band is 2 px wide across a diagonal segment', () => {
    const zoom = 10;
    const r = band([122.4, 29.9], [122.5, 30.0], 2, zoom).map((p) => pxOf(p, zoom));
    // Opposite corners at the same end are one width apart.
    expect(dist(r[0]!, r[3]!)).toBeCloseTo(2, 2);
    expect(dist(r[1]!, r[2]!)).toBeCloseTo(2, 2);
  });

  it('a ring of radius 5 px and stroke 2 px spans 4 to 6 px from its centre', () => {
    const zoom = 8;
    const [outer, inner] = ringShape(123, 30.5, 5, 2, zoom);
    const c = px([123, 30.5], zoom);
    for (const p of outer!) expect(dist(pxOf(p, zoom), c)).toBeCloseTo(6, 2);
    for (const p of inner!) expect(dist(pxOf(p, zoom), c)).toBeCloseTo(4, 2);
  });

  it('a ring keeps within half a pixel of its circle however large, with no more sides than that needs', () => {
    const zoom = 8;
    const c = px([123, 30.5], zoom);
    for (const radius of [5, 16, 40]) {
      const [outer] = ringShape(123, 30.5, radius, 2, zoom);
      const r = radius + 1;
      const pts = outer!.map((p) => pxOf(p, zoom));
      // Each side's midpoint is where the polygon falls furthest inside the circle.
      for (let i = 1; i < pts.length; i++) expect(r - dist([(pts[i - 1]![0] + pts[i]![0]) / 2, (pts[i - 1]![1] + pts[i]![1]) / 2], c)).toBeLessThan(0.5 + 1e-3);
      // One side fewer would not: its sagitta r(1 - cos(pi / (n - 1))) is over half a pixel (or n is the floor of 8).
      const n = pts.length - 1;
      expect(n === 8 || r * (1 - Math.cos(Math.PI / (n - 1))) > 0.5).toBe(true);
    }
    expect(circleSides(6)).toBe(8);
  });
});
