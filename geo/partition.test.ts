import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import type { H3Cell } from '../model/index.js';
import { cellCenter, cellDisk, cellRing } from './cells.js';
import { anchorVessel, PartitionMap } from './partition.js';
import { distanceNm } from './sphere.js';

/** Points of a partition's region: a fine lattice over its bounding box, kept where the map says p. */
function regionSamples(map: PartitionMap, p: H3Cell, step: number): { lat: number; lon: number }[] {
  const b = boxOf(map.inner(p));
  const out: { lat: number; lon: number }[] = [];
  for (let lat = b.minLat; lat <= b.maxLat; lat += step) for (let lon = b.minLon; lon <= b.maxLon; lon += step) if (map.partitionOf(lat, lon) === p) out.push({ lat, lon });
  return out;
}

function boxOf(cells: readonly H3Cell[]): { minLat: number; minLon: number; maxLat: number; maxLon: number } {
  const pts = cells.flatMap((c) => cellRing(c));
  return {
    minLat: Math.min(...pts.map((q) => q[1])),
    maxLat: Math.max(...pts.map((q) => q[1])),
    minLon: Math.min(...pts.map((q) => q[0])),
    maxLon: Math.max(...pts.map((q) => q[0])),
  };
}

describe('partition map: halo against brute force over distances', () => {
  it.each([
    ['default plan (res 5 topics, res 3 partitions, 13 nm)', {}],
    ['res 6 topics, res 4 partitions, 12 nm', { topicRes: 6, partitionRes: 4, haloNm: 12 }],
  ] as const)('%s: every point within haloNm of the region lies in an inner or halo cell; cells far beyond are not taken', (_n, plan) => {
    const map = new PartitionMap(plan);
    const p = map.partitionOf(30.0, 122.5); // off Zhoushan
    const inner = new Set(map.inner(p));
    const halo = new Set(map.halo(p));
    for (const h of halo) expect(inner.has(h)).toBe(false);
    const region = regionSamples(map, p, map.partitionRes === 3 ? 0.02 : 0.008);
    expect(region.length).toBeGreaterThan(500);
    const b = boxOf([...inner]);
    const padDeg = (map.haloNm + 5) / 60 / Math.cos((30 * Math.PI) / 180);
    const rnd = seededRandom(16);
    let within = 0;
    for (let i = 0; i < 4000; i++) {
      const lat = b.minLat - padDeg + rnd() * (b.maxLat - b.minLat + 2 * padDeg);
      const lon = b.minLon - padDeg + rnd() * (b.maxLon - b.minLon + 2 * padDeg);
      const cell = map.topicCellOf(lat, lon);
      if (inner.has(cell)) continue;
      // The lattice's nearest point is no nearer than the region's: a distance ≤ haloNm here is one truly.
      let d = Infinity;
      for (const q of region) d = Math.min(d, distanceNm(lat, lon, q.lat, q.lon));
      if (d <= map.haloNm) {
        within++;
        expect(halo.has(cell), `${cell} at ${d.toFixed(2)} nm`).toBe(true);
      }
    }
    expect(within).toBeGreaterThan(300);
    // Not everything: a topic cell whose centre is 3 cell widths beyond the reach is left out.
    const edgeNm = Math.max(...[...inner].slice(0, 1).map((c) => Math.max(...cellRing(c).map(([lo, la]) => distanceNm(cellCenter(c).lat, cellCenter(c).lon, la, lo)))));
    for (const h of halo) {
      const c = cellCenter(h);
      let d = Infinity;
      for (const q of region) d = Math.min(d, distanceNm(c.lat, c.lon, q.lat, q.lon));
      expect(d).toBeLessThanOrEqual(map.haloNm + 3 * edgeNm);
    }
  });

  it('haloNm 0: the halo is exactly the cells adjacent to the region', () => {
    const map = new PartitionMap({ haloNm: 0 });
    const p = map.partitionOf(30.0, 122.5);
    const inner = new Set(map.inner(p));
    const adjacent = new Set([...inner].flatMap((c) => cellDisk(c, 1)).filter((c) => !inner.has(c)));
    expect(new Set(map.halo(p))).toEqual(adjacent);
  });

  it('the partitions covering a box hold every point in it, each with its own lease key', () => {
    const map = new PartitionMap();
    const box = { minLat: 27, minLon: 120, maxLat: 33, maxLon: 126 };
    const parts = map.partitionsCovering(box);
    const set = new Set(parts);
    const rnd = seededRandom(3);
    for (let i = 0; i < 2000; i++) {
      const lat = box.minLat + rnd() * (box.maxLat - box.minLat);
      const lon = box.minLon + rnd() * (box.maxLon - box.minLon);
      expect(set.has(map.partitionOf(lat, lon))).toBe(true);
    }
    expect(new Set(parts.map((c) => map.leaseKey(c))).size).toBe(parts.length);
  });

  it('the anchor is the lowest vessel id whatever the order', () => {
    const ids = ['412000123', '412000009', 'bd0042', '300000001'];
    const brute = [...ids].sort()[0];
    expect(anchorVessel(ids)).toBe(brute);
    expect(anchorVessel([...ids].reverse())).toBe(brute);
    expect(anchorVessel([])).toBeUndefined();
  });
});
