import { cosLat, offsetNm, toRad, type LatLon, Polyline } from './flat-earth.js';
import type { Lane } from './geography.js';
import { holdLeg, KN, LegTrack, lineLeg, lineLegTo, NAV, pathLeg, type Leg, type LegSource } from './legs.js';
import { forkRng } from './rng.js';

/**
 * Merchant ships: up and down their lane at service speed (each on its own line, a fixed offset
 * from the lane axis), anchoring a while at the port end and turning back at the sea end; or
 * lying at anchor in an anchorage. A ship may carry a scripted deviation from its lane.
 */

const HOUR = 3_600_000;

/** Leaves the lane: turns `turnDeg` off it at `atMs`, holds that course, then rejoins the lane ahead. */
export interface DeviationScript {
  readonly atMs: number;
  readonly turnDeg: number;
  readonly durationMs: number;
  readonly rejoinAheadNm: number;
}

export type MerchantPlan =
  | {
      readonly mode: 'lane';
      readonly vesselIndex: number;
      readonly seed: number;
      readonly lane: Lane;
      /** The ship's own line: the lane shifted `offsetNm` to starboard of the inbound direction. */
      readonly path: Polyline;
      readonly offsetNm: number;
      readonly speedKn: number;
      /** Arc length at `startMs` and direction (+1 inbound, toward the port end). */
      readonly s0Nm: number;
      readonly direction: 1 | -1;
      readonly startMs: number;
      readonly deviation?: DeviationScript;
    }
  | {
      readonly mode: 'anchored';
      readonly vesselIndex: number;
      readonly at: LatLon;
      readonly headingDeg: number;
      readonly swingDeg: number;
    };

/** The lane shifted abeam by `offsetNm` (+ starboard going inbound), with mitred corners so the line stays continuous. */
export function offsetPath(points: readonly LatLon[], offsetNmValue: number): Polyline {
  if (offsetNmValue === 0) return new Polyline(points);
  const normals: { n: number; e: number }[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const dn = (b.lat - a.lat) * 60;
    const de = (b.lon - a.lon) * 60 * cosLat((a.lat + b.lat) / 2);
    const len = Math.hypot(dn, de);
    normals.push({ n: -de / len, e: dn / len });
  }
  return new Polyline(
    points.map((p, i) => {
      const n1 = normals[Math.max(0, i - 1)]!;
      const n2 = normals[Math.min(normals.length - 1, i)]!;
      let n = n1.n + n2.n;
      let e = n1.e + n2.e;
      const len = Math.hypot(n, e);
      n /= len;
      e /= len;
      const scale = offsetNmValue / (n * n1.n + e * n1.e);
      return offsetNm(p, n * scale, e * scale);
    }),
  );
}

export function merchantTrack(plan: MerchantPlan): LegSource {
  if (plan.mode === 'anchored') {
    const leg = holdLeg(-Infinity, Infinity, plan.at, plan.headingDeg, NAV.atAnchor, plan.swingDeg);
    return new LegTrack(() => leg);
  }
  const rng = forkRng(plan.seed, 'merchant');
  const path = plan.path;
  const v = plan.speedKn * KN;
  const queue: Leg[] = [];
  let t = plan.startMs;
  let s = plan.s0Nm;
  let dir = plan.direction;
  let deviation = plan.deviation;
  return new LegTrack(() => {
    const queued = queue.shift();
    if (queued !== undefined) return queued;
    const end = dir > 0 ? path.lengthNm : 0;
    if (Math.abs(end - s) < 1e-9) {
      // At the port end she anchors a while; at the sea end she is simply on her way back.
      dir = dir > 0 ? -1 : 1;
      if (end > 0) {
        const p = { lat: 0, lon: 0, courseDeg: 0 };
        path.pointAt(end, p);
        const hold = holdLeg(t, t + rng.range(1, 3) * HOUR, p, p.courseDeg, NAV.atAnchor, rng.range(10, 30));
        t = hold.t1;
        return hold;
      }
    }
    const t1 = t + Math.abs(end - s) / v;
    if (deviation !== undefined && deviation.atMs >= t && deviation.atMs < t1) {
      const d = deviation;
      deviation = undefined;
      queue.push(...deviationLegs(plan.speedKn, path, t, s, dir, d));
      const sDev = s + dir * (d.atMs - t) * v;
      t = queue[queue.length - 1]!.t1;
      s = Math.min(path.lengthNm, Math.max(0, sDev + dir * d.rejoinAheadNm));
      return queue.shift()!;
    }
    const leg = pathLeg(t, t1, path, s, dir * plan.speedKn, NAV.underWay);
    t = t1;
    s = end;
    return leg;
  });
}

/** Along the lane until `atMs`, off it on a course `turnDeg` away, then straight back to the lane ahead. */
function deviationLegs(speedKn: number, path: Polyline, t: number, s: number, dir: 1 | -1, d: DeviationScript): Leg[] {
  const v = speedKn * KN;
  const sDev = s + dir * (d.atMs - t) * v;
  const along = pathLeg(t, d.atMs, path, s, dir * speedKn, NAV.underWay);
  const at = { lat: 0, lon: 0, courseDeg: 0 };
  path.pointAt(sDev, at);
  const course = dir > 0 ? at.courseDeg : at.courseDeg + 180;
  const off = lineLeg(d.atMs, d.atMs + d.durationMs, at, course + d.turnDeg, speedKn, NAV.underWay);
  const offEnd = {
    lat: at.lat + (speedKn * KN * d.durationMs * Math.cos(toRad(course + d.turnDeg))) / 60,
    lon: at.lon + (speedKn * KN * d.durationMs * Math.sin(toRad(course + d.turnDeg))) / (60 * cosLat(at.lat)),
  };
  const rejoin = { lat: 0, lon: 0, courseDeg: 0 };
  path.pointAt(sDev + dir * d.rejoinAheadNm, rejoin);
  const dn = (rejoin.lat - offEnd.lat) * 60;
  const de = (rejoin.lon - offEnd.lon) * 60 * cosLat(offEnd.lat);
  const back = lineLegTo(off.t1, off.t1 + Math.hypot(dn, de) / v, offEnd, rejoin, NAV.underWay);
  return [along, off, back];
}
