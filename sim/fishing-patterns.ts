import type { LatLon } from '../model/index.js';
import { destination, normDeg, offsetNm, toRad } from './flat-earth.js';
import type { Box } from './geography.js';
import { arcLeg, evaluateLeg, holdLeg, KN, LegTrack, lineLegTo, NAV, newKin, type Kin, type Leg, type LegSource } from './legs.js';
import type { Rng } from './rng.js';
import { clampInto } from './working-boxes.js';

/**
 * How a fishing unit (one boat, or the two boats of a pair trawl) works its ground, as an endless
 * leg generator. Every straight leg ends inside the unit's fence (its fleet's working box, cut back
 * by `fenceInsetNm`), so the whole fleet stays in its own box (sim/working-boxes.ts).
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
  /** Every leg of the unit's own track ends in here (the fleet's box cut back by `fenceInsetNm`). */
  readonly fence: Box;
}

/** Clear water kept between any boat and the edge of its fleet's box, nm (two fleets' boats stay ≥ 1 nm apart). */
export const BOX_MARGIN_NM = 0.5;
/** Fastest turn of a trawl, degrees per minute: with the slowest, it sets the widest turning circle. */
const TRAWL_RATE_DEG_MIN: readonly [number, number] = [10, 20];
/** Purse-seine shooting circle radius, nm. */
const SEINE_RADIUS_NM: readonly [number, number] = [0.15, 0.25];

/**
 * How far inside the box a unit's own track must end its straight legs, nm: the margin, a pair's
 * half-gap (the boats sail abeam of the track), and how far its turns and circles bulge past a leg's end.
 */
export function fenceInsetNm(gear: Gear, pairGapNm: number): number {
  const bulge = (maxKn: number, minRadiusNm: number): number => Math.max(minRadiusNm, pairGapNm / 2 + 0.15, maxKn / 60 / toRad(TRAWL_RATE_DEG_MIN[0]));
  switch (gear) {
    case 'pair-trawl':
    case 'beam-trawl':
      return BOX_MARGIN_NM + pairGapNm / 2 + bulge(3.5, 0.2);
    case 'single-trawl':
      return BOX_MARGIN_NM + bulge(4.2, 0.15);
    case 'purse-seine':
      return BOX_MARGIN_NM + 2 * SEINE_RADIUS_NM[1];
    case 'gillnet':
    case 'stow-net':
      return BOX_MARGIN_NM;
  }
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
 * Trawling: tows back and forth along the axis (each ending 1.5–3 nm from the origin, or at the
 * fence), joined by 180° turns that step sideways; the stepping direction reverses at the fence.
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
    const sog = rng.range(minKn, maxKn);
    if (towNext) {
      towNext = false;
      const target = (forward ? 1 : -1) * rng.range(1.5, 3);
      const dist = Math.max(1, Math.abs(target - along));
      return fencedRun(t, at, forward ? axis : axis + 180, dist, sog, NAV.fishing, plan.fence);
    }
    towNext = true;
    const rateDegMin = rng.range(TRAWL_RATE_DEG_MIN[0], TRAWL_RATE_DEG_MIN[1]);
    const radius = Math.max(minRadiusNm, plan.pairGapNm / 2 + 0.15, (sog / 60) / toRad(rateDegMin));
    // Step the other way when this step would end outside the fence (+cross is to starboard of the axis).
    const step = (dir: number): LatLon => offsetNm(at, -dir * 2 * radius * ae, dir * 2 * radius * an);
    const ahead = step(stepDir);
    const inside = clampInto(plan.fence, ahead);
    if (inside.lat !== ahead.lat || inside.lon !== ahead.lon) stepDir = -stepDir;
    // A starboard turn heading along the axis steps to +cross; heading back, to −cross.
    const turn = 180 * stepDir * (forward ? 1 : -1);
    forward = !forward;
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
        return timedRun(t, at, shootDeg, rng.range(4, 6), rng.range(20, 35) * MIN, NAV.fishing, plan.fence);
      }
      case 1:
        return timedRun(t, at, plan.currentDeg + rng.range(-15, 15), rng.range(0.3, 1.0), rng.range(90, 180) * MIN, NAV.fishing, plan.fence);
      case 2:
        return timedRun(t, at, shootDeg + 180, rng.range(1, 2), rng.range(45, 90) * MIN, NAV.fishing, plan.fence);
      default: {
        const back = clampInto(plan.fence, offsetNm(plan.origin, rng.range(-1, 1), rng.range(-1, 1)));
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
    const site = clampInto(plan.fence, offsetNm(plan.origin, rng.range(-1.5, 1.5), rng.range(-1.5, 1.5)));
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
        const spot = clampInto(plan.fence, destination(plan.origin, rng.range(0, 360), rng.range(0, 3)));
        return runTo(t, at, spot, rng.range(6, 9), NAV.underWay);
      }
      case 1:
        return arcLeg(t, at, course, rng.range(6, 8), rng.range(SEINE_RADIUS_NM[0], SEINE_RADIUS_NM[1]), rng.chance(0.5) ? 360 : -360, NAV.fishing);
      default:
        return timedRun(t, at, plan.currentDeg, rng.range(0.2, 0.5), rng.range(60, 120) * MIN, NAV.fishing, plan.fence);
    }
  };
}

/** A straight run of `distNm` on `courseDeg` at `sogKn`, cut short at the fence. */
function fencedRun(t: number, from: LatLon, courseDeg: number, distNm: number, sogKn: number, navStatus: number, fence: Box): Leg {
  return runTo(t, from, clampInto(fence, destination(from, courseDeg, distNm)), sogKn, navStatus);
}

/** `durMs` on `courseDeg` at `sogKn` (drifting, shooting, hauling), cut short at the fence. */
function timedRun(t: number, from: LatLon, courseDeg: number, sogKn: number, durMs: number, navStatus: number, fence: Box): Leg {
  return fencedRun(t, from, courseDeg, sogKn * KN * durMs, sogKn, navStatus, fence);
}

/** A straight run to `to` at `sogKn` (at least a minute long). */
export function runTo(t: number, from: LatLon, to: LatLon, sogKn: number, navStatus: number): Leg {
  const dn = (to.lat - from.lat) * 60;
  const de = (to.lon - from.lon) * 60 * Math.cos(toRad(from.lat));
  const dist = Math.sqrt(dn * dn + de * de);
  return lineLegTo(t, t + Math.max(MIN, dist / (sogKn * KN)), from, to, navStatus);
}
