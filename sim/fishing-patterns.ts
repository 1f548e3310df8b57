import type { LatLon } from '../model/index.js';
import { destination, normDeg, offsetNm, toRad } from './flat-earth.js';
import { arcLeg, evaluateLeg, holdLeg, KN, LegTrack, lineLeg, lineLegTo, NAV, newKin, type Kin, type Leg, type LegSource } from './legs.js';
import type { Rng } from './rng.js';

/**
 * How a fishing unit (one boat, or the two boats of a pair trawl) works its ground, as an endless
 * leg generator. Every pattern stays within a few miles of the unit's origin, so a fleet keeps
 * together while fishing.
 */
export type Gear = 'pair-trawl' | 'single-trawl' | 'beam-trawl' | 'gillnet' | 'stow-net' | 'purse-seine';

export const GEARS: readonly Gear[] = ['pair-trawl', 'single-trawl', 'beam-trawl', 'gillnet', 'stow-net', 'purse-seine'];

export interface UnitPlan {
  readonly gear: Gear;
  readonly startMs: number;
  readonly origin: LatLon;
  /** Towing axis of the fleet, degrees. */
  readonly axisDeg: number;
  /** Direction the tidal current sets, degrees (gillnets drift with it). */
  readonly currentDeg: number;
  /** Pair trawl: the distance between the two boats, nm (0 for one boat). */
  readonly pairGapNm: number;
}

const MIN = 60_000;

export class FishingUnit implements LegSource {
  private readonly track: LegTrack;

  constructor(plan: UnitPlan, rng: Rng) {
    const next = patternFor(plan, rng);
    this.track = new LegTrack(next);
  }

  evaluate(t: number, side: number, out: Kin): void {
    this.track.evaluate(t, side, out);
  }
}

/** Side offsets of the boats of a unit: one boat sits on the track; a pair straddles it. */
export function unitSides(plan: UnitPlan): readonly number[] {
  return plan.pairGapNm > 0 ? [-plan.pairGapNm / 2, plan.pairGapNm / 2] : [0];
}

/** Where a boat `side` nm abeam starts the first fishing leg: the origin, on the axis. */
export function unitStart(plan: UnitPlan, side: number): LatLon {
  return offsetNm(plan.origin, -side * Math.sin(toRad(plan.axisDeg)), side * Math.cos(toRad(plan.axisDeg)));
}

function patternFor(plan: UnitPlan, rng: Rng): (last: Leg | undefined) => Leg {
  switch (plan.gear) {
    case 'pair-trawl':
      return trawl(plan, rng, 2.5, 3.5, 0.2);
    case 'single-trawl':
      return trawl(plan, rng, 3.0, 4.2, 0.15);
    case 'beam-trawl':
      return trawl(plan, rng, 2.5, 3.5, 0.15);
    case 'gillnet':
      return gillnet(plan, rng);
    case 'stow-net':
      return stowNet(plan, rng);
    case 'purse-seine':
      return purseSeine(plan, rng);
  }
}

/** The end of the previous leg (position and course), or the start of the pattern. */
function endOf(last: Leg | undefined, plan: UnitPlan, kin: Kin): { at: LatLon; t: number; course: number } {
  if (last === undefined) return { at: plan.origin, t: plan.startMs, course: plan.axisDeg };
  // Side 0: the unit's own track.
  evaluateLeg(last, last.t1, 0, kin);
  return { at: { lat: kin.lat, lon: kin.lon }, t: last.t1, course: kin.cogDeg ?? kin.headingDeg };
}

/**
 * Trawling: tows back and forth along the axis (each ending 1.5–3 nm from the origin), joined by
 * 180° turns that step sideways; the stepping direction reverses 2.5 nm off the origin.
 */
function trawl(plan: UnitPlan, rng: Rng, minKn: number, maxKn: number, minRadiusNm: number): (last: Leg | undefined) => Leg {
  const kin = newKin();
  const axis = plan.axisDeg;
  const an = Math.cos(toRad(axis));
  const ae = Math.sin(toRad(axis));
  let stepDir = rng.chance(0.5) ? 1 : -1;
  let forward = true;
  let towNext = true;
  return (last) => {
    const { at, t } = endOf(last, plan, kin);
    const dn = (at.lat - plan.origin.lat) * 60;
    const de = (at.lon - plan.origin.lon) * 60 * Math.cos(toRad(plan.origin.lat));
    const along = dn * an + de * ae;
    const cross = -dn * ae + de * an;
    const sog = rng.range(minKn, maxKn);
    if (towNext) {
      towNext = false;
      const target = (forward ? 1 : -1) * rng.range(1.5, 3);
      const dist = Math.max(1, Math.abs(target - along));
      return lineLeg(t, t + dist / (sog * KN), at, forward ? axis : axis + 180, sog, NAV.fishing);
    }
    towNext = true;
    if (Math.abs(cross) > 2.5) stepDir = cross > 0 ? -1 : 1;
    // A starboard turn heading along the axis steps to +cross; heading back, to −cross.
    const turn = 180 * stepDir * (forward ? 1 : -1);
    forward = !forward;
    const rateDegMin = rng.range(10, 20);
    const radius = Math.max(minRadiusNm, plan.pairGapNm / 2 + 0.15, (sog / 60) / toRad(rateDegMin));
    return arcLeg(t, at, forward ? axis + 180 : axis, sog, radius, turn, NAV.fishing);
  };
}

/** Drift gillnet: shoot the net across the origin, drift with the current, haul back along it, run back. */
function gillnet(plan: UnitPlan, rng: Rng): (last: Leg | undefined) => Leg {
  const kin = newKin();
  const an = Math.cos(toRad(plan.axisDeg));
  const ae = Math.sin(toRad(plan.axisDeg));
  let stage = 0;
  let shootDeg = plan.axisDeg;
  return (last) => {
    const { at, t } = endOf(last, plan, kin);
    const s = stage;
    stage = (stage + 1) % 4;
    switch (s) {
      case 0: {
        // Shoot toward the origin's side of the axis, so the net line stays near it.
        const along = (at.lat - plan.origin.lat) * 60 * an + (at.lon - plan.origin.lon) * 60 * Math.cos(toRad(plan.origin.lat)) * ae;
        shootDeg = (along > 0 ? plan.axisDeg + 180 : plan.axisDeg) + rng.range(-20, 20);
        return lineLeg(t, t + rng.range(20, 35) * MIN, at, shootDeg, rng.range(4, 6), NAV.fishing);
      }
      case 1:
        return lineLeg(t, t + rng.range(90, 180) * MIN, at, plan.currentDeg + rng.range(-15, 15), rng.range(0.3, 1.0), NAV.fishing);
      case 2:
        return lineLeg(t, t + rng.range(45, 90) * MIN, at, shootDeg + 180, rng.range(1, 2), NAV.fishing);
      default: {
        const back = offsetNm(plan.origin, rng.range(-1, 1), rng.range(-1, 1));
        return runTo(t, at, back, rng.range(6, 8), NAV.underWay);
      }
    }
  };
}

/** Stow net: lies at anchor by the nets for hours, then shifts to the next set of stakes. */
function stowNet(plan: UnitPlan, rng: Rng): (last: Leg | undefined) => Leg {
  const kin = newKin();
  let hold = true;
  return (last) => {
    const { at, t } = endOf(last, plan, kin);
    if (hold) {
      hold = false;
      return holdLeg(t, t + rng.range(180, 360) * MIN, at, normDeg(plan.currentDeg + 180), NAV.atAnchor, rng.range(5, 25));
    }
    hold = true;
    const site = offsetNm(plan.origin, rng.range(-1.5, 1.5), rng.range(-1.5, 1.5));
    return runTo(t, at, site, rng.range(4, 6), NAV.underWay);
  };
}

/** Purse seine: search, shoot the net in a full circle, purse and haul while drifting. */
function purseSeine(plan: UnitPlan, rng: Rng): (last: Leg | undefined) => Leg {
  const kin = newKin();
  let stage = 0;
  return (last) => {
    const { at, t, course } = endOf(last, plan, kin);
    const s = stage;
    stage = (stage + 1) % 3;
    switch (s) {
      case 0: {
        const spot = destination(plan.origin, rng.range(0, 360), rng.range(0, 3));
        return runTo(t, at, spot, rng.range(6, 9), NAV.underWay);
      }
      case 1:
        return arcLeg(t, at, course, rng.range(6, 8), rng.range(0.15, 0.25), rng.chance(0.5) ? 360 : -360, NAV.fishing);
      default:
        return lineLeg(t, t + rng.range(60, 120) * MIN, at, plan.currentDeg, rng.range(0.2, 0.5), NAV.fishing);
    }
  };
}

/** A straight run to `to` at `sogKn` (at least a minute long). */
export function runTo(t: number, from: LatLon, to: LatLon, sogKn: number, navStatus: number): Leg {
  const dn = (to.lat - from.lat) * 60;
  const de = (to.lon - from.lon) * 60 * Math.cos(toRad(from.lat));
  const dist = Math.sqrt(dn * dn + de * de);
  return lineLegTo(t, t + Math.max(MIN, dist / (sogKn * KN)), from, to, navStatus);
}
