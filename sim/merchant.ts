import type { LatLon } from '../model/index.js';
import { cosLat, offsetNm, toRad, Polyline } from './flat-earth.js';
import type { Lane } from './geography.js';
import { arcLeg, holdLeg, KN, LegTrack, lineLeg, lineLegTo, NAV, pathLeg, type Leg, type LegSource } from './legs.js';
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
      /**
       * Her inbound and outbound lines, nm abeam of the lane axis (+ to starboard going inbound;
       * inbound ≥ outbound). She crosses between them with a port turn at each end; on one line
       * (both 0) she simply reverses.
       */
      readonly inboundOffsetNm: number;
      readonly outboundOffsetNm: number;
      readonly speedKn: number;
      /** Arc length on the line of her direction at `startMs`, and the direction (+1 inbound, toward the port end). */
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
  return offsetPathBy(points, points.map(() => offsetNmValue));
}

/** The polyline moved abeam by `offsets[i]` nm at vertex i (+ to starboard of the way it runs), mitred at the bends. */
export function offsetPathBy(points: readonly LatLon[], offsets: readonly number[]): Polyline {
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
      const off = offsets[i]!;
      if (off === 0) return p;
      const n1 = normals[Math.max(0, i - 1)]!;
      const n2 = normals[Math.min(normals.length - 1, i)]!;
      let n = n1.n + n2.n;
      let e = n1.e + n2.e;
      const len = Math.hypot(n, e);
      n /= len;
      e /= len;
      const scale = off / (n * n1.n + e * n1.e);
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
  const inbound = offsetPath(plan.lane.points, plan.inboundOffsetNm);
  const outbound = offsetPath(plan.lane.points, plan.outboundOffsetNm);
  const turnRadius = (plan.inboundOffsetNm - plan.outboundOffsetNm) / 2;
  const speedKn = plan.speedKn;
  const v = speedKn * KN;
  const queue: Leg[] = [];
  let t = plan.startMs;
  let dir = plan.direction;
  let s = plan.s0Nm;
  let deviation = plan.deviation;
  return new LegTrack(() => {
    const queued = queue.shift();
    if (queued !== undefined) return queued;
    const path = dir > 0 ? inbound : outbound;
    const end = dir > 0 ? path.lengthNm : 0;
    if (Math.abs(end - s) < 1e-9) {
      // At the port end she anchors a while, then turns out; at the sea end she turns straight back.
      const at = { lat: 0, lon: 0, courseDeg: 0 };
      path.pointAt(end, at);
      const course = dir > 0 ? at.courseDeg : at.courseDeg + 180;
      dir = dir > 0 ? -1 : 1;
      s = dir > 0 ? 0 : outbound.lengthNm;
      if (end > 0) {
        const hold = holdLeg(t, t + rng.range(1, 3) * HOUR, at, course, NAV.atAnchor, rng.range(10, 30));
        t = hold.t1;
        if (turnRadius > 0) {
          const turn = arcLeg(t, at, course, 5, turnRadius, -180, NAV.underWay);
          queue.push(turn);
          t = turn.t1;
        }
        return hold;
      }
      if (turnRadius > 0) {
        const turn = arcLeg(t, at, course, speedKn, turnRadius, -180, NAV.underWay);
        t = turn.t1;
        return turn;
      }
      return nextAlong();
    }
    return nextAlong();

    function nextAlong(): Leg {
      const p = dir > 0 ? inbound : outbound;
      const e = dir > 0 ? p.lengthNm : 0;
      const t1 = t + Math.abs(e - s) / v;
      if (deviation !== undefined && deviation.atMs >= t && deviation.atMs < t1) {
        const d = deviation;
        deviation = undefined;
        queue.push(...deviationLegs(speedKn, p, t, s, dir, d));
        const sDev = s + dir * (d.atMs - t) * v;
        t = queue[queue.length - 1]!.t1;
        s = Math.min(p.lengthNm, Math.max(0, sDev + dir * d.rejoinAheadNm));
        return queue.shift()!;
      }
      const leg = pathLeg(t, t1, p, s, dir * speedKn, NAV.underWay);
      t = t1;
      s = e;
      return leg;
    }
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
