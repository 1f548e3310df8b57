/**
 * Test helpers for the alert rules, written from textbook formulas rather than from the code
 * under test, so the tests that use them are independent checks.
 */
import { EARTH_RADIUS_M, RAD } from '../geo/index.js';

/**
 * The direct problem on the sphere: the point `distM` from (lat, lon) along the great circle that
 * starts on `bearingDeg` (a negative distance runs the same circle backwards).
 */
export function destination(lat: number, lon: number, bearingDeg: number, distM: number): { lat: number; lon: number } {
  const p1 = lat * RAD;
  const b = bearingDeg * RAD;
  const d = distM / EARTH_RADIUS_M;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = lon * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { lat: p2 / RAD, lon: ((((l2 / RAD + 180) % 360) + 360) % 360) - 180 };
}

/** Initial great-circle bearing from p to q, degrees. */
export function bearing(p: { lat: number; lon: number }, q: { lat: number; lon: number }): number {
  const p1 = p.lat * RAD;
  const p2 = q.lat * RAD;
  const dl = (q.lon - p.lon) * RAD;
  return Math.atan2(Math.sin(dl) * Math.cos(p2), Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl)) / RAD;
}
