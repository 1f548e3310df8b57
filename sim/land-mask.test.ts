import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LatLon } from '../model/index.js';
import { distanceNm } from './flat-earth.js';
import { FISHING_GROUNDS, GATES, HOME_PORTS, ISLAND_CORES, LANES } from './geography.js';
import { newKin } from './legs.js';
import { offsetPath } from './merchant.js';
import { Rng } from './rng.js';
import { createScenario } from './scenario.js';
import { FleetSimulator } from './simulator.js';

/**
 * The offline check of the simulator's geography against a real land mask. The mask is not part
 * of the project (ODbL data, 87 MB): point SEAGRID_LAND_MASK at the `map.geo.json` of the npm
 * package @geo-maps/countries-land-250m@0.6.0 (`npm pack` it anywhere) to run this; otherwise it
 * is skipped. fixtures/scenarios/README.md records the last result.
 */
const MASK = process.env.SEAGRID_LAND_MASK;

type Ring = readonly (readonly [number, number])[];
interface Poly {
  readonly outer: Ring;
  readonly holes: readonly Ring[];
  readonly bbox: readonly [number, number, number, number];
}

const REGION = { latMin: 26, latMax: 33, lonMin: 119.5, lonMax: 128.5 };
const STEP = 0.002;

function loadMask(file: string): { onLand: (lat: number, lon: number) => boolean; exact: (lat: number, lon: number) => boolean } {
  const geo = JSON.parse(readFileSync(file, 'utf8')) as { features: { geometry: { type: string; coordinates: unknown } | null }[] };
  const polys: Poly[] = [];
  for (const f of geo.features) {
    const g = f.geometry;
    if (g === null) continue;
    const list = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as Ring[][];
    for (const p of list) {
      const outer = p[0]!;
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of outer) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      if (x1 < REGION.lonMin || x0 > REGION.lonMax || y1 < REGION.latMin || y0 > REGION.latMax) continue;
      polys.push({ outer, holes: p.slice(1), bbox: [x0, y0, x1, y1] });
    }
  }
  const inRing = (r: Ring, x: number, y: number): boolean => {
    let c = false;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  // A raster (scanline fill of each polygon at 0.002°) answers; its land cells are confirmed exactly.
  const rows = Math.ceil((REGION.latMax - REGION.latMin) / STEP);
  const cols = Math.ceil((REGION.lonMax - REGION.lonMin) / STEP);
  const grid = new Uint8Array(rows * cols);
  for (const p of polys) {
    const r0 = Math.max(0, Math.floor((p.bbox[1] - REGION.latMin) / STEP) - 1);
    const r1 = Math.min(rows - 1, Math.ceil((p.bbox[3] - REGION.latMin) / STEP) + 1);
    const xs: number[][] = Array.from({ length: r1 - r0 + 1 }, () => []);
    for (const r of [p.outer, ...p.holes]) {
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const [xa, ya] = r[j]!;
        const [xb, yb] = r[i]!;
        if (ya === yb) continue;
        const lo = Math.min(ya, yb);
        const hi = Math.max(ya, yb);
        const from = Math.max(r0, Math.floor((lo - REGION.latMin) / STEP) - 1);
        const to = Math.min(r1, Math.ceil((hi - REGION.latMin) / STEP) + 1);
        for (let row = from; row <= to; row++) {
          const y = REGION.latMin + (row + 0.5) * STEP;
          if (y >= lo && y < hi) xs[row - r0]!.push(xa + ((y - ya) * (xb - xa)) / (yb - ya));
        }
      }
    }
    xs.forEach((list, k) => {
      list.sort((a, b) => a - b);
      for (let i = 0; i + 1 < list.length; i += 2) {
        const c0 = Math.max(0, Math.ceil((list[i]! - REGION.lonMin) / STEP - 0.5));
        const c1 = Math.min(cols - 1, Math.floor((list[i + 1]! - REGION.lonMin) / STEP - 0.5));
        for (let c = c0; c <= c1; c++) grid[(k + r0) * cols + c] = 1;
      }
    });
  }
  const exact = (lat: number, lon: number): boolean =>
    polys.some((p) => lon >= p.bbox[0] && lon <= p.bbox[2] && lat >= p.bbox[1] && lat <= p.bbox[3] && inRing(p.outer, lon, lat) && !p.holes.some((h) => inRing(h, lon, lat)));
  return {
    exact,
    onLand(lat, lon) {
      const r = Math.floor((lat - REGION.latMin) / STEP);
      const c = Math.floor((lon - REGION.lonMin) / STEP);
      if (r < 0 || c < 0 || r >= rows || c >= cols) return false;
      // Land in the raster (cell centre), confirmed exactly: misses at most a cell's width of coast.
      return grid[r * cols + c] === 1 && exact(lat, lon);
    },
  };
}

describe(MASK === undefined ? 'geography against the 250 m land mask (skipped: SEAGRID_LAND_MASK names none)' : 'geography against the 250 m land mask', () => {
  it.skipIf(MASK === undefined)('ways, lanes, spots and simulated positions are at sea; island cores are land', () => {
    const mask = loadMask(MASK!);
    const problems: string[] = [];
    const segment = (a: LatLon, b: LatLon, what: string): void => {
      const n = Math.ceil(distanceNm(a, b) / 0.02) + 1;
      for (let i = 0; i <= n; i++) {
        if (mask.onLand(a.lat + ((b.lat - a.lat) * i) / n, a.lon + ((b.lon - a.lon) * i) / n)) {
          problems.push(`${what} crosses land`);
          return;
        }
      }
    };
    for (const port of HOME_PORTS) {
      for (let i = 0; i + 1 < port.exit.length; i++) segment(port.exit[i]!, port.exit[i + 1]!, `${port.id} exit ${i}`);
      for (const g of port.gates) segment(port.exit[port.exit.length - 1]!, GATES[g], `${port.id} to gate ${g}`);
    }
    segment(GATES.E, GATES.N, 'gate E-N');
    segment(GATES.E, GATES.S, 'gate E-S');
    for (const lane of LANES) {
      for (const off of [...lane.inboundOffsetNm, ...lane.outboundOffsetNm, 0]) {
        const p = offsetPath(lane.points, off).points;
        for (let i = 0; i + 1 < p.length; i++) segment(p[i]!, p[i + 1]!, `${lane.id} at ${off} nm, segment ${i}`);
      }
    }
    const rng = new Rng(1);
    for (const g of FISHING_GROUNDS) {
      for (let k = 0; k < 200; k++) {
        const spot = { lat: rng.range(g.spots.latMin, g.spots.latMax), lon: rng.range(g.spots.lonMin, g.spots.lonMax) };
        segment(GATES[g.gate], spot, `${g.id} gate to spot`);
        for (let r = 1; r <= 8; r++) {
          for (let a = 0; a < 24; a++) {
            const t = (a * Math.PI) / 12;
            if (mask.onLand(spot.lat + (r * Math.cos(t)) / 60, spot.lon + (r * Math.sin(t)) / (60 * Math.cos((spot.lat * Math.PI) / 180)))) {
              problems.push(`${g.id} spot ${spot.lat.toFixed(3)},${spot.lon.toFixed(3)} has land within ${r} nm`);
            }
          }
        }
      }
    }
    for (const c of ISLAND_CORES) {
      for (let lat = c.latMin; lat <= c.latMax; lat += 0.002) for (let lon = c.lonMin; lon <= c.lonMax; lon += 0.002) if (!mask.exact(lat, lon)) problems.push(`${c.name} core has water`);
    }
    let positions = 0;
    const check = (lat: number, lon: number, what: string): void => {
      positions++;
      if (mask.onLand(lat, lon) && problems.length < 50) problems.push(`${what} on land at ${lat.toFixed(4)},${lon.toFixed(4)}`);
    };
    const full = createScenario({ seed: 2025 });
    const sim = new FleetSimulator(full, { onReport: (r) => check(r.lat, r.lon, `report of ${r.vesselId}`) });
    sim.start();
    for (let s = 1; s <= 600; s++) sim.advance(full.startMs + s * 1000);
    for (const seed of [1, 2, 3]) {
      const sc = createScenario({ vessels: 2000, fleets: 190, merchants: 60, seed });
      const motion = sc.createMotion();
      const k = newKin();
      for (let t = sc.startMs; t <= sc.startMs + 8 * 86_400_000; t += 600_000) {
        for (const v of sc.vessels) {
          motion.trackOf(v.index).evaluate(t, 0, k);
          check(k.lat, k.lon, `seed ${seed} ${v.vesselId}`);
        }
      }
    }
    expect([...new Set(problems)].slice(0, 30)).toEqual([]);
    expect(positions).toBeGreaterThan(7_000_000);
  }, 900_000);
});
