/**
 * Routes: a planned track as a polyline of legs, each straight in lat/lon — GeoJSON's reading of a
 * LineString (RFC 7946 §3.1.1), and within metres of the rhumb line a helmsman steers over the tens
 * of miles a leg spans here. The route-deviation rule judges a vessel by its cross-track distance;
 * the simulator scripts its route departure with the same function.
 */
import type { LatLon } from '../model/index.js';
import { EARTH_RADIUS_M, M_PER_NM, RAD } from './sphere.js';

/** Nautical miles in one degree of arc on seagrid's sphere (≈ 60.04). */
const NM_PER_DEG = (EARTH_RADIUS_M * RAD) / M_PER_NM;

/**
 * Distance, nm, from a point to the nearest point of a route (a leg's end included, so past either
 * end of the route it is the distance to that end). Measured in the tangent plane at the point,
 * east scaled by its latitude's cosine: a leg straight in lat/lon stays straight there, and within
 * 10 nm of the route the answer is within 0.1 % of the great-circle distance (geo/route.test.ts),
 * which is where corridors (fractions of a mile to a few miles) are judged. No great-circle
 * trigonometry per leg, so a route of many legs costs little per fix. Longitudes are not wrapped:
 * a route across ±180° is out of scope. An empty route is a programmer error.
 */
export function crossTrackNm(route: readonly LatLon[], lat: number, lon: number): number {
  if (route.length === 0) throw new RangeError('a route needs at least one point');
  const kx = NM_PER_DEG * Math.cos(lat * RAD);
  const first = route[0]!;
  let bestSq = sq((first.lon - lon) * kx) + sq((first.lat - lat) * NM_PER_DEG);
  for (let i = 0; i + 1 < route.length; i++) {
    const a = route[i]!;
    const b = route[i + 1]!;
    const ax = (a.lon - lon) * kx;
    const ay = (a.lat - lat) * NM_PER_DEG;
    const dx = (b.lon - a.lon) * kx;
    const dy = (b.lat - a.lat) * NM_PER_DEG;
    const len2 = dx * dx + dy * dy;
    // The leg's point nearest the origin (the vessel): a + t·d with t clamped to the leg.
    const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
    const d2 = sq(ax + t * dx) + sq(ay + t * dy);
    if (d2 < bestSq) bestSq = d2;
  }
  return Math.sqrt(bestSq);
}

function sq(x: number): number {
  return x * x;
}
