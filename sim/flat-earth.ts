/**
 * Flat-earth navigation in nautical miles (60 to a degree of latitude, east scaled by the cosine of
 * the latitude): good to a fraction of a percent over the tens of miles one leg spans at these
 * latitudes, and cheap enough for every report of 8,000 vessels: one cosine per step, no
 * spherical trigonometry (the simulator makes over 100,000 reports a second on one core,
 * BENCHMARKS.md). This is the simulator's own kinematics, the ground truth it moves vessels by; what
 * seagrid measures (distances, cross-track) is geo's, and sim/ uses geo's where it predicts what
 * seagrid will see (incidents.ts: route departure).
 */
import type { LatLon } from '../model/index.js';

const RAD = Math.PI / 180;

export function cosLat(latDeg: number): number {
  return Math.cos(latDeg * RAD);
}

/** Distance in nm, with the longitude scale of the mean latitude. */
export function distanceNm(a: LatLon, b: LatLon): number {
  const dn = (b.lat - a.lat) * 60;
  const de = (b.lon - a.lon) * 60 * cosLat((a.lat + b.lat) / 2);
  return Math.sqrt(dn * dn + de * de);
}

/** True course from a to b, degrees 0–360. */
export function courseDeg(a: LatLon, b: LatLon): number {
  const dn = b.lat - a.lat;
  const de = (b.lon - a.lon) * cosLat((a.lat + b.lat) / 2);
  return normDeg(Math.atan2(de, dn) / RAD);
}

/** The point `northNm`/`eastNm` away. */
export function offsetNm(p: LatLon, northNm: number, eastNm: number): LatLon {
  return { lat: p.lat + northNm / 60, lon: p.lon + eastNm / (60 * cosLat(p.lat)) };
}

/** The point `distNm` away on `course`. */
export function destination(p: LatLon, course: number, distNm: number): LatLon {
  return offsetNm(p, distNm * Math.cos(course * RAD), distNm * Math.sin(course * RAD));
}

export function normDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}

/** Signed smallest difference b − a, in (−180, 180]. */
export function angleDiff(a: number, b: number): number {
  const d = normDeg(b - a);
  return d > 180 ? d - 360 : d;
}

export function toRad(deg: number): number {
  return deg * RAD;
}

/** Where a polyline is at arc length s: position and the course of the segment there. */
export interface PathPoint {
  lat: number;
  lon: number;
  courseDeg: number;
}

/**
 * A polyline walked by arc length. Each segment is interpolated linearly in lat/lon (a constant
 * course), and lengths use the segment's mean latitude, so speeds derived from it are consistent.
 * Before 0 and past the end it continues along the first and last segment.
 */
export class Polyline {
  readonly points: readonly LatLon[];
  /** Cumulative nm at each vertex. */
  readonly at: readonly number[];
  readonly courses: readonly number[];
  readonly lengthNm: number;

  constructor(points: readonly LatLon[]) {
    if (points.length < 2) throw new RangeError('a polyline needs two points');
    this.points = points;
    const at = [0];
    const courses: number[] = [];
    for (let i = 1; i < points.length; i++) {
      at.push(at[i - 1]! + distanceNm(points[i - 1]!, points[i]!));
      courses.push(courseDeg(points[i - 1]!, points[i]!));
    }
    this.at = at;
    this.courses = courses;
    this.lengthNm = at[at.length - 1]!;
  }

  /** Writes the point at arc length `s` into `out`; `hint` is a segment index to start looking from. */
  pointAt(s: number, out: PathPoint, hint = 0): number {
    const last = this.points.length - 2;
    let i = Math.min(Math.max(hint, 0), last);
    while (i > 0 && s < this.at[i]!) i--;
    while (i < last && s > this.at[i + 1]!) i++;
    const a = this.points[i]!;
    const b = this.points[i + 1]!;
    const len = this.at[i + 1]! - this.at[i]!;
    const t = len > 0 ? (s - this.at[i]!) / len : 0;
    out.lat = a.lat + (b.lat - a.lat) * t;
    out.lon = a.lon + (b.lon - a.lon) * t;
    out.courseDeg = this.courses[i]!;
    return i;
  }

  reversed(): Polyline {
    return new Polyline([...this.points].reverse());
  }
}
