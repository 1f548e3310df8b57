/**
 * The one sphere every distance in seagrid is measured on: the IUGG mean earth radius, the
 * international nautical mile, and the haversine in the one operation order that makes "within r"
 * agree exactly between the live picture, the neighbour index and the fleet grids. The hot loops
 * call `havTerm` and `arcOfHav` with precomputed cosines; V8 inlines both.
 */

/** IUGG mean radius R₁, metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** The international nautical mile, metres. */
export const M_PER_NM = 1852;
export const RAD = Math.PI / 180;

/** sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2), from radians and the two latitudes' cosines. */
export function havTerm(phi1: number, phi2: number, cosPhi1: number, cosPhi2: number, dLonRad: number): number {
  const sLat = Math.sin((phi2 - phi1) / 2);
  const sLon = Math.sin(dLonRad / 2);
  return sLat * sLat + cosPhi1 * cosPhi2 * sLon * sLon;
}

/** Central angle (radians) of a haversine term; clamped against rounding past 1. */
export function arcOfHav(h: number): number {
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** sin²(θ/2): the haversine term of a central angle. */
export function havOfArc(angleRad: number): number {
  const s = Math.sin(angleRad / 2);
  return s * s;
}

/** Great-circle distance between two points, radians of arc. */
export function arcDistanceRad(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  return arcOfHav(havTerm(p1, p2, Math.cos(p1), Math.cos(p2), (lon2 - lon1) * RAD));
}

/** Great-circle distance, metres. */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return EARTH_RADIUS_M * arcDistanceRad(lat1, lon1, lat2, lon2);
}

/** Great-circle distance, nautical miles. */
export function distanceNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return distanceM(lat1, lon1, lat2, lon2) / M_PER_NM;
}

/** Initial great-circle bearing from the first point to the second, degrees true in [0, 360). */
export function initialBearingDeg(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dl = (lon2 - lon1) * RAD;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  const deg = Math.atan2(y, x) / RAD;
  return deg < 0 ? deg + 360 : deg >= 360 ? deg - 360 : deg;
}

/** A point as a unit vector: x towards (0°, 0°), y towards (0°, 90°E), z towards the north pole. */
export function unitVector(lat: number, lon: number): [number, number, number] {
  const p = lat * RAD;
  const l = lon * RAD;
  return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
}

/** Angle between unit vectors, radians: atan2 of |u×v| and u·v, accurate at small angles (acos of u·v is not). */
export function vectorAngle(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.hypot(cx, cy, cz), ax * bx + ay * by + az * bz);
}
