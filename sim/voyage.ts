import type { LatLon } from '../model/index.js';
import { destination, Polyline } from './flat-earth.js';
import { FishingUnit, fenceInsetNm, unitStart, type Gear, type UnitPlan } from './fishing-patterns.js';
import type { Box, FishingGround, GateId, HomePort } from './geography.js';
import { evaluateLeg, holdLeg, KN, LegTrack, lineLeg, lineLegTo, NAV, newKin, pathLeg, type Kin, type Leg, type LegSource } from './legs.js';
import { forkRng, type Rng } from './rng.js';
import { fence, gatePoint, trunkLon, wayInFromGate, type WorkingBox } from './working-boxes.js';

/**
 * A fleet's voyages: moored at home → out in column along the port's way to sea and on to the
 * ground → each unit spreads to its own patch → fishing → the fleet gathers behind the spot →
 * home in column → moored, and again. Every member's position is a pure function of time, except
 * the fishing itself, whose legs are drawn lazily from per-unit streams; all of it is a function
 * of the seed alone.
 */

const MIN = 60_000;
const HOUR = 3_600_000;
/** From the last boat's arrival to the start of fishing: the units spread to their patches. */
export const SPREAD_MS = 25 * MIN;
/** The fleet gathers in column behind the spot before heading home. */
export const GATHER_MS = 75 * MIN;

export interface MemberPlan {
  readonly vesselIndex: number;
  readonly unit: number;
  /** Abeam offset in the unit (pair trawl: ∓ half the gap). */
  readonly side: number;
  /** Distance behind the leader in column, nm. */
  readonly alongNm: number;
}

export interface UnitSpec {
  readonly origin: LatLon;
  readonly pairGapNm: number;
}

export type InitialPhase =
  | { readonly phase: 'port'; readonly departInMs: number }
  | { readonly phase: 'outbound'; readonly centreNm: number }
  | { readonly phase: 'fishing'; readonly fraction: number }
  | { readonly phase: 'gathering'; readonly fraction: number }
  | { readonly phase: 'return'; readonly fraction: number };

/** Engine failure: the member stops following the fleet and drifts, then limps home. */
export interface StragglerScript {
  readonly vesselIndex: number;
  readonly atMs: number;
  readonly driftKn: number;
  readonly driftDeg: number;
  readonly driftMs: number;
}

export interface FleetPlan {
  readonly fleetIndex: number;
  readonly seed: number;
  readonly port: HomePort;
  readonly ground: FishingGround;
  /** The fleet's own working box (sim/working-boxes.ts); every boat stays in it while fishing. */
  readonly box: Box;
  readonly spot: LatLon;
  readonly gear: Gear;
  readonly outPath: Polyline;
  readonly retPath: Polyline;
  readonly speedKn: number;
  readonly axisDeg: number;
  readonly currentDeg: number;
  readonly members: readonly MemberPlan[];
  readonly units: readonly UnitSpec[];
  readonly alongMaxNm: number;
  readonly initial: InitialPhase;
  readonly startMs: number;
  readonly straggler?: StragglerScript;
}

export interface Cycle {
  readonly index: number;
  readonly tDep: number;
  /** The last boat reaches the spot. */
  readonly tArrLast: number;
  /** Fishing starts (units at their patches). */
  readonly tFish: number;
  /** Fishing ends; the fleet gathers. */
  readonly tGather: number;
  /** The column leaves for home. */
  readonly tHome: number;
  readonly tHomeLast: number;
  readonly tNextDep: number;
}

/** Past the exit channel's last point, the fleets' lanes at sea fan out to their offsets over this, nm (open water there). */
export const OFFING_NM = 1.5;

/**
 * The way out: exit channel, the offing (OFFING_NM on toward the first gate), gates, then the
 * trunk and corridor to the fleet's box (working-boxes.ts), ending at its spot.
 */
export function fleetPath(port: HomePort, box: WorkingBox, grounds: readonly FishingGround[]): Polyline {
  const via: readonly GateId[] = port.gates.includes(box.gate) ? [box.gate] : box.gate === 'E' ? ['E'] : ['E', box.gate];
  const gates = [gatePoint(port, via[0]!)];
  if (via.length === 2) {
    // On from gate E to the other gate along E's trunk (west of every box), not across the ways into E.
    const trunk = trunkLon('E', grounds);
    const next = gatePoint(port, via[1]!);
    gates.push({ lat: gates[0]!.lat, lon: trunk }, { lat: next.lat, lon: trunk }, next);
  }
  const end = port.exit[port.exit.length - 1]!;
  const offing = destination(end, new Polyline([end, gates[0]!]).courses[0]!, OFFING_NM);
  return new Polyline([...port.exit, offing, ...gates, ...wayInFromGate(box, gates[gates.length - 1]!, grounds)]);
}

/** Voyage timetable of a fleet, extended cycle by cycle from its own stream. */
export class FleetTimetable {
  private readonly cycles: Cycle[] = [];
  private readonly rng: Rng;
  readonly transitMs: number;
  /** The way home is the fleet's own lane, not the way out reversed (scenario.ts fleetLanes). */
  readonly returnMs: number;
  readonly columnMs: number;

  constructor(readonly plan: FleetPlan) {
    this.rng = forkRng(plan.seed, 'cycles');
    const v = plan.speedKn * KN;
    this.transitMs = plan.outPath.lengthNm / v;
    this.returnMs = plan.retPath.lengthNm / v;
    this.columnMs = plan.alongMaxNm / v;
  }

  cycle(k: number): Cycle {
    while (this.cycles.length <= k) this.cycles.push(this.make(this.cycles.length));
    return this.cycles[k]!;
  }

  private make(k: number): Cycle {
    const fishMs = this.rng.range(18, 72) * HOUR;
    const dwellMs = this.rng.range(6, 30) * HOUR;
    const leg = this.transitMs + this.columnMs;
    let tDep: number;
    if (k > 0) tDep = this.cycles[k - 1]!.tNextDep;
    else {
      const t0 = this.plan.startMs;
      const init = this.plan.initial;
      switch (init.phase) {
        case 'port':
          tDep = t0 + init.departInMs;
          break;
        case 'outbound':
          tDep = t0 - init.centreNm / (this.plan.speedKn * KN);
          break;
        case 'fishing':
          tDep = t0 - init.fraction * fishMs - SPREAD_MS - leg;
          break;
        case 'gathering':
          tDep = t0 - init.fraction * GATHER_MS - fishMs - SPREAD_MS - leg;
          break;
        case 'return':
          tDep = t0 - init.fraction * (this.returnMs + this.columnMs) - GATHER_MS - fishMs - SPREAD_MS - leg;
          break;
      }
    }
    const tArrLast = tDep + leg;
    const tFish = tArrLast + SPREAD_MS;
    const tGather = tFish + fishMs;
    const tHome = tGather + GATHER_MS;
    const tHomeLast = tHome + this.returnMs + this.columnMs;
    return { index: k, tDep, tArrLast, tFish, tGather, tHome, tHomeLast, tNextDep: tHomeLast + dwellMs };
  }
}

/** The moving parts of one fleet in one run: its timetable, fishing units per cycle and member tracks. */
export class FleetMotion {
  readonly timetable: FleetTimetable;
  private readonly unitsByCycle = new Map<number, FishingUnit[]>();

  constructor(readonly plan: FleetPlan) {
    this.timetable = new FleetTimetable(plan);
  }

  unitPlan(k: number, u: number): UnitPlan {
    const spec = this.plan.units[u]!;
    return {
      gear: this.plan.gear,
      startMs: this.timetable.cycle(k).tFish,
      origin: spec.origin,
      axisDeg: this.plan.axisDeg,
      currentDeg: this.plan.currentDeg,
      pairGapNm: spec.pairGapNm,
      fence: fence(this.plan.box, fenceInsetNm(this.plan.gear, spec.pairGapNm)),
    };
  }

  unit(k: number, u: number): FishingUnit {
    let units = this.unitsByCycle.get(k);
    if (units === undefined) {
      units = this.plan.units.map((_, i) => new FishingUnit(this.unitPlan(k, i), forkRng(this.plan.seed, `unit:${k}:${i}`)));
      this.unitsByCycle.set(k, units);
      // Earlier cycles are over for good.
      for (const old of this.unitsByCycle.keys()) if (old < k - 1) this.unitsByCycle.delete(old);
    }
    return units[u]!;
  }

  track(m: MemberPlan): LegSource {
    return new LegTrack(memberLegs(this, m));
  }
}

type Stage = 'moored' | 'out' | 'spread' | 'fish' | 'gather' | 'home';

/** The leg generator of one fleet member. */
function memberLegs(fleet: FleetMotion, m: MemberPlan): (last: Leg | undefined) => Leg {
  const plan = fleet.plan;
  const tt = fleet.timetable;
  const lag = m.alongNm / (plan.speedKn * KN);
  const berth = plan.outPath.points[0]!;
  const kin: Kin = newKin();
  const straggler = plan.straggler?.vesselIndex === m.vesselIndex ? plan.straggler : undefined;
  /** Legs decided ahead (the straggler's script). */
  const queue: Leg[] = [];
  let k = 0;
  let stage: Stage = 'moored';
  let mooredSince = -Infinity;

  return () => {
    const queued = queue.shift();
    if (queued !== undefined) return queued;
    const c = tt.cycle(k);
    switch (stage) {
      case 'moored':
        stage = 'out';
        return holdLeg(mooredSince, c.tDep + lag, berth, plan.outPath.courses[0]! + 180, NAV.moored);
      case 'out': {
        stage = 'spread';
        const t0 = c.tDep + lag;
        const t1 = t0 + tt.transitMs;
        if (straggler !== undefined && straggler.atMs > t0 && straggler.atMs < t1) {
          queue.push(...stragglerLegs(plan, straggler, t0));
          return queue.shift()!;
        }
        return pathLeg(t0, t1, plan.outPath, 0, plan.speedKn, NAV.underWay);
      }
      case 'spread':
        stage = 'fish';
        return lineLegTo(c.tDep + lag + tt.transitMs, c.tFish, plan.spot, unitStart(fleet.unitPlan(k, m.unit), m.side), NAV.underWay);
      case 'fish':
        stage = 'gather';
        return { kind: 'unit', t0: c.tFish, t1: c.tGather, navStatus: NAV.fishing, unit: fleet.unit(k, m.unit), side: m.side };
      case 'gather': {
        stage = 'home';
        fleet.unit(k, m.unit).evaluate(c.tGather, m.side, kin);
        // Fall in behind the spot on the way home: where the home leg starts for this place in column.
        const target = { lat: 0, lon: 0, courseDeg: 0 };
        plan.retPath.pointAt(-m.alongNm, target);
        return lineLegTo(c.tGather, c.tHome, { lat: kin.lat, lon: kin.lon }, target, NAV.underWay);
      }
      case 'home': {
        stage = 'moored';
        const t1 = c.tHome + tt.returnMs + lag;
        mooredSince = t1;
        k++;
        return pathLeg(c.tHome, t1, plan.retPath, -m.alongNm, plan.speedKn, NAV.underWay);
      }
    }
  };
}

/** The out leg cut at the failure, a drift, then home alone at 6 kn and moored for good. */
export function stragglerLegs(plan: FleetPlan, sc: StragglerScript, tOut: number): Leg[] {
  const out = pathLeg(tOut, sc.atMs, plan.outPath, 0, plan.speedKn, NAV.underWay);
  const drift = lineLeg(sc.atMs, sc.atMs + sc.driftMs, positionOf(out, sc.atMs), sc.driftDeg, sc.driftKn, NAV.notUnderCommand);
  // Home by the exit channel to the fleet's own berth (the way out's first two points: berth, fairway).
  const way = new Polyline([positionOf(drift, drift.t1), ...plan.port.exit.slice(1).reverse(), plan.outPath.points[1]!, plan.outPath.points[0]!]);
  const tHome = drift.t1 + way.lengthNm / (6 * KN);
  return [
    out,
    drift,
    pathLeg(drift.t1, tHome, way, 0, 6, NAV.underWay),
    holdLeg(tHome, Infinity, plan.outPath.points[0]!, way.courses[way.courses.length - 1]!, NAV.moored),
  ];
}

function positionOf(leg: Leg, t: number): LatLon {
  const k = newKin();
  evaluateLeg(leg, t, 0, k);
  return { lat: k.lat, lon: k.lon };
}
