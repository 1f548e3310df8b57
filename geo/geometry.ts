/**
 * Plane and sphere geometry for the sea grids, with no allocation on the hot paths.
 *
 * Grid polygons are GeoJSON: edges are straight lines in the (lon, lat) plane, as GeoJSON (RFC 7946
 * §3.1.1) and turf treat them. Containment is the crossing-number (even–odd) rule with half-open
 * edges, so a point exactly on an edge has one answer, the same one the 渔区 lattice gives: an
 * axis-aligned rectangle [west, east] × [south, north] holds exactly the points with
 * west ≤ lon < east and south ≤ lat < north (south and west edges in, north and east edges out).
 * Two grids sharing an edge therefore never both hold a point on it. Polygons must not cross the
 * antimeridian (none of ours does).
 *
 * This file is the home of @turf/* in the architecture table; the containment here is our own ray
 * test (turf's `booleanPointInPolygon` counts every edge point as inside, which would put a point on
 * a shared edge in both grids). The tests cross-check it against turf on points off the edges.
 */
import type { PolygonRings } from './cells.js';
import { RAD, unitVector } from './sphere.js';

/** A polygon (outer ring + holes) flattened for the ray test: one vertex array, rings delimited. */
export interface PreparedPolygon {
  /** Interleaved lon, lat of every ring vertex, each ring closed (last = first). */
  readonly xy: Float64Array;
  /** Start index (in vertices) of each ring, plus a final entry = vertex count. */
  readonly ringStarts: Int32Array;
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

export function preparePolygon(rings: PolygonRings): PreparedPolygon {
  let count = 0;
  for (const r of rings) count += r.length;
  const xy = new Float64Array(count * 2);
  const ringStarts = new Int32Array(rings.length + 1);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  let v = 0;
  rings.forEach((ring, i) => {
    ringStarts[i] = v;
    for (const [lon, lat] of ring) {
      xy[2 * v] = lon;
      xy[2 * v + 1] = lat;
      v++;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
      if (lat < south) south = lat;
      if (lat > north) north = lat;
    }
  });
  ringStarts[rings.length] = v;
  return { xy, ringStarts, west, south, east, north };
}

/**
 * Crossing-number containment with half-open edges: an edge (a, b) is crossed by the ray going
 * east from p when exactly one of a, b lies strictly north of p and p lies strictly west of the
 * edge's intersection with p's parallel.
 */
export function polygonContains(p: PreparedPolygon, lon: number, lat: number): boolean {
  if (lat < p.south || lat >= p.north || lon < p.west || lon >= p.east) return false;
  const xy = p.xy;
  const starts = p.ringStarts;
  let inside = false;
  for (let r = 0; r + 1 < starts.length; r++) {
    const end = starts[r + 1]!;
    for (let i = starts[r]!; i + 1 < end; i++) {
      const ax = xy[2 * i]!;
      const ay = xy[2 * i + 1]!;
      const bx = xy[2 * i + 2]!;
      const by = xy[2 * i + 3]!;
      if (ay > lat !== by > lat && lon < ax + ((lat - ay) * (bx - ax)) / (by - ay)) inside = !inside;
    }
  }
  return inside;
}

/**
 * Whether any edge of the polygon meets the closed box (edges lying wholly inside the box count).
 * When none does, the box lies wholly inside or wholly outside the polygon, so testing one point of
 * it answers for all of it.
 */
export function polygonEdgesMeetBox(p: PreparedPolygon, west: number, south: number, east: number, north: number): boolean {
  if (p.east < west || p.west > east || p.north < south || p.south > north) return false;
  const xy = p.xy;
  const starts = p.ringStarts;
  for (let r = 0; r + 1 < starts.length; r++) {
    const end = starts[r + 1]!;
    for (let i = starts[r]!; i + 1 < end; i++) {
      if (segmentMeetsBox(xy[2 * i]!, xy[2 * i + 1]!, xy[2 * i + 2]!, xy[2 * i + 3]!, west, south, east, north)) return true;
    }
  }
  return false;
}

/** Liang–Barsky clipping of the segment against the closed box: true when any part survives. */
export function segmentMeetsBox(ax: number, ay: number, bx: number, by: number, west: number, south: number, east: number, north: number): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return clip(-dx, ax - west) && clip(dx, east - ax) && clip(-dy, ay - south) && clip(dy, north - ay) && t0 <= t1;
}


/**
 * Smallest distance (radians of arc) from a point to the great circles through consecutive vertices
 * of a closed ring `[lon, lat][]`. For a cell whose edges are great-circle arcs (h3 cells are: they
 * are straight in the gnomonic projection of their icosahedron face), every boundary point is at
 * least this far from the point, so a disc of this radius around the centre lies inside the cell.
 */
export function minDistanceToRingCirclesRad(lat: number, lon: number, ring: readonly (readonly [number, number])[]): number {
  const c = unitVector(lat, lon);
  let min = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = unitVector(ring[i]![1], ring[i]![0]);
    const b = unitVector(ring[i + 1]![1], ring[i + 1]![0]);
    const nx = a[1] * b[2] - a[2] * b[1];
    const ny = a[2] * b[0] - a[0] * b[2];
    const nz = a[0] * b[1] - a[1] * b[0];
    const len = Math.hypot(nx, ny, nz);
    if (len === 0) continue; // repeated vertex
    const d = Math.asin(Math.min(1, Math.abs((nx * c[0] + ny * c[1] + nz * c[2]) / len)));
    if (d < min) min = d;
  }
  return min;
}

/**
 * A lon/lat box holding every point within `radiusRad` of arc of (lat, lon): the latitude span is the
 * radius itself; the longitude half-width is asin(sin r / cos φ), the widest a spherical cap reaches.
 * Inflated by `1 + 1e-9` against rounding. Returns [west, south, east, north].
 */
export function capBox(lat: number, lon: number, radiusRad: number): [number, number, number, number] {
  const r = radiusRad * (1 + 1e-9);
  const dLat = r / RAD;
  const s = Math.sin(r) / Math.cos(lat * RAD);
  const dLon = s >= 1 ? 180 : Math.asin(s) / RAD;
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}
