import type { LatLon } from '../model/index.js';
import { cosLat, normDeg, type PathPoint, Polyline } from './flat-earth.js';

/**
 * A vessel's motion is a sequence of legs, each a closed-form function of time: a straight run,
 * a turn at constant rate, a hold (moored, at anchor), or a run along a polyline. Reports evaluate
 * the leg that covers their time, so a report costs a few multiplications whatever the step.
 *
 * `side` shifts a position abeam (nm, + to starboard): the two boats of a pair trawl follow one
 * leg sequence on either side of it, and on a turn they sit on concentric arcs.
 */

/** Kinematic state at one instant; reused by the simulator to avoid allocation. */
export interface Kin {
  lat: number;
  lon: number;
  sogKn: number;
  /** Undefined when not moving (AIS sends "not available"). */
  cogDeg: number | undefined;
  /** Heading of the hull; for a hold, the way she lies. */
  headingDeg: number;
  /** °/min, + to starboard; 0 on straight legs. */
  rotDegMin: number;
  turning: boolean;
  navStatus: number;
}

export function newKin(): Kin {
  return { lat: 0, lon: 0, sogKn: 0, cogDeg: undefined, headingDeg: 0, rotDegMin: 0, turning: false, navStatus: 15 };
}

/** AIS navigational status values the simulator uses. */
export const NAV = { underWay: 0, atAnchor: 1, notUnderCommand: 2, moored: 5, fishing: 7 } as const;

const RAD = Math.PI / 180;
/** nm per ms at 1 kn. */
export const KN = 1 / 3_600_000;

interface LegBase {
  readonly t0: number;
  readonly t1: number;
  readonly navStatus: number;
}

export interface LineLeg extends LegBase {
  readonly kind: 'line';
  readonly lat0: number;
  readonly lon0: number;
  readonly cos0: number;
  readonly sogKn: number;
  readonly cogDeg: number;
  /** Unit vector of the course, north and east. */
  readonly dn: number;
  readonly de: number;
}

export interface ArcLeg extends LegBase {
  readonly kind: 'arc';
  readonly clat: number;
  readonly clon: number;
  readonly cosC: number;
  readonly radiusNm: number;
  /** Bearing (rad) from the centre to the track at t0. */
  readonly theta0: number;
  /** rad/ms, + clockwise (a starboard turn). */
  readonly omega: number;
}

export interface HoldLeg extends LegBase {
  readonly kind: 'hold';
  readonly lat: number;
  readonly lon: number;
  readonly headingDeg: number;
  /** Swinging at anchor: heading ± amplitude over a period. */
  readonly swingDeg: number;
  readonly swingPeriodMs: number;
}

export interface PathLeg extends LegBase {
  readonly kind: 'path';
  readonly path: Polyline;
  /** Arc length at t0, nm. */
  readonly s0: number;
  /** Signed nm/ms: negative walks the path backwards. */
  readonly speed: number;
  /** Segment index hint, updated as the leg is walked. */
  hint: number;
}

/** A leg that follows a shared fishing unit (a single boat or a pair) at an abeam offset. */
export interface UnitLeg extends LegBase {
  readonly kind: 'unit';
  readonly unit: LegSource;
  readonly side: number;
}

export type Leg = LineLeg | ArcLeg | HoldLeg | PathLeg | UnitLeg;

/** Anything that can say where it (or a boat `side` nm abeam of it) is at time t. */
export interface LegSource {
  evaluate(t: number, side: number, out: Kin): void;
}

export function lineLeg(t0: number, t1: number, from: LatLon, cogDeg: number, sogKn: number, navStatus: number): LineLeg {
  return {
    kind: 'line',
    t0,
    t1,
    navStatus,
    lat0: from.lat,
    lon0: from.lon,
    cos0: cosLat(from.lat),
    sogKn,
    cogDeg: normDeg(cogDeg),
    dn: Math.cos(cogDeg * RAD),
    de: Math.sin(cogDeg * RAD),
  };
}

/** A straight leg from `from` at t0 to `to` at t1 (speed follows). */
export function lineLegTo(t0: number, t1: number, from: LatLon, to: LatLon, navStatus: number): LineLeg {
  const c = cosLat(from.lat);
  const dn = (to.lat - from.lat) * 60;
  const de = (to.lon - from.lon) * 60 * c;
  const dist = Math.sqrt(dn * dn + de * de);
  const cog = dist > 0 ? Math.atan2(de, dn) / RAD : 0;
  return lineLeg(t0, t1, from, cog, t1 > t0 ? dist / ((t1 - t0) * KN) : 0, navStatus);
}

/**
 * A turn of `turnDeg` (+ starboard) starting at `from` on course `cogDeg`, at `sogKn`, with
 * radius `radiusNm`. Its duration follows from the speed.
 */
export function arcLeg(t0: number, from: LatLon, cogDeg: number, sogKn: number, radiusNm: number, turnDeg: number, navStatus: number): ArcLeg {
  const sign = turnDeg >= 0 ? 1 : -1;
  const cosF = cosLat(from.lat);
  // The centre lies abeam, on the side of the turn.
  const toCentre = (cogDeg + 90 * sign) * RAD;
  const clat = from.lat + (radiusNm * Math.cos(toCentre)) / 60;
  const clon = from.lon + (radiusNm * Math.sin(toCentre)) / (60 * cosF);
  const omega = (sign * sogKn * KN) / radiusNm;
  const duration = Math.abs((turnDeg * RAD) / omega);
  return {
    kind: 'arc',
    t0,
    t1: t0 + duration,
    navStatus,
    clat,
    clon,
    cosC: cosF,
    radiusNm,
    theta0: toCentre + Math.PI,
    omega,
  };
}

export function holdLeg(t0: number, t1: number, at: LatLon, headingDeg: number, navStatus: number, swingDeg = 0, swingPeriodMs = 6 * 3_600_000): HoldLeg {
  return { kind: 'hold', t0, t1, navStatus, lat: at.lat, lon: at.lon, headingDeg, swingDeg, swingPeriodMs };
}

export function pathLeg(t0: number, t1: number, path: Polyline, s0: number, speedKn: number, navStatus: number): PathLeg {
  return { kind: 'path', t0, t1, navStatus, path, s0, speed: speedKn * KN, hint: s0 <= 0 ? 0 : path.points.length };
}

const scratch: PathPoint = { lat: 0, lon: 0, courseDeg: 0 };

/** Writes the state at t (t0 ≤ t ≤ t1, or a little outside: legs extrapolate) into `out`. */
export function evaluateLeg(leg: Leg, t: number, side: number, out: Kin): void {
  out.navStatus = leg.navStatus;
  out.rotDegMin = 0;
  out.turning = false;
  switch (leg.kind) {
    case 'line': {
      const d = (t - leg.t0) * leg.sogKn * KN;
      const north = d * leg.dn - side * leg.de;
      const east = d * leg.de + side * leg.dn;
      out.lat = leg.lat0 + north / 60;
      out.lon = leg.lon0 + east / (60 * leg.cos0);
      out.sogKn = leg.sogKn;
      out.cogDeg = leg.sogKn > 0 ? leg.cogDeg : undefined;
      out.headingDeg = leg.cogDeg;
      return;
    }
    case 'arc': {
      const theta = leg.theta0 + leg.omega * (t - leg.t0);
      const sign = leg.omega >= 0 ? 1 : -1;
      // Starboard is toward the centre on a starboard turn.
      const r = leg.radiusNm - side * sign;
      out.lat = leg.clat + (r * Math.cos(theta)) / 60;
      out.lon = leg.clon + (r * Math.sin(theta)) / (60 * leg.cosC);
      out.sogKn = (Math.abs(leg.omega) * r) / KN;
      const cog = normDeg(theta / RAD + 90 * sign);
      out.cogDeg = cog;
      out.headingDeg = cog;
      out.rotDegMin = (leg.omega / RAD) * 60_000;
      out.turning = true;
      return;
    }
    case 'hold': {
      const h = leg.swingDeg === 0 ? leg.headingDeg : leg.headingDeg + leg.swingDeg * Math.sin((2 * Math.PI * t) / leg.swingPeriodMs);
      const hr = h * RAD;
      out.lat = leg.lat + (-side * Math.sin(hr)) / 60;
      out.lon = leg.lon + (side * Math.cos(hr)) / (60 * cosLat(leg.lat));
      out.sogKn = 0;
      out.cogDeg = undefined;
      out.headingDeg = normDeg(h);
      return;
    }
    case 'path': {
      const s = leg.s0 + leg.speed * (t - leg.t0);
      leg.hint = leg.path.pointAt(s, scratch, leg.hint);
      out.lat = scratch.lat;
      out.lon = scratch.lon;
      const sog = Math.abs(leg.speed) / KN;
      const cog = leg.speed >= 0 ? scratch.courseDeg : normDeg(scratch.courseDeg + 180);
      out.sogKn = sog;
      out.cogDeg = sog > 0 ? cog : undefined;
      out.headingDeg = cog;
      return;
    }
    case 'unit':
      // The unit's own leg decides the status (fishing, turning, repositioning).
      leg.unit.evaluate(t, leg.side + side, out);
      return;
  }
}

/**
 * A lazily extended run of legs. `next` appends legs (it is called until one covers the time
 * asked for); old legs are dropped, since the simulator only moves forward (it keeps a few for
 * look-backs of up to a report interval).
 */
export class LegTrack implements LegSource {
  private legs: Leg[] = [];
  private cursor = 0;

  constructor(private readonly next: (last: Leg | undefined) => Leg) {}

  evaluate(t: number, side: number, out: Kin): void {
    evaluateLeg(this.legAt(t), t, side, out);
  }

  legAt(t: number): Leg {
    let legs = this.legs;
    while (legs.length === 0 || legs[legs.length - 1]!.t1 <= t) {
      legs.push(this.next(legs[legs.length - 1]));
      if (legs.length > 48) {
        this.legs = legs = legs.slice(24);
        this.cursor = Math.max(0, this.cursor - 24);
      }
    }
    let i = Math.min(this.cursor, legs.length - 1);
    while (i > 0 && legs[i]!.t0 > t) i--;
    while (i < legs.length - 1 && legs[i]!.t1 <= t) i++;
    this.cursor = i;
    return legs[i]!;
  }
}
