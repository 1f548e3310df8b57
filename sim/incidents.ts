import { lifecycleTiming, type AlertPolicy } from '../alerts/index.js';
import { crossTrackNm } from '../geo/index.js';
import type { AlertKind, LatLon, VesselId } from '../model/index.js';
import { distanceNm, Polyline } from './flat-earth.js';
import type { Gear } from './fishing-patterns.js';
import { LANES, type Lane } from './geography.js';
import { newKin } from './legs.js';
import type { DeviationScript } from './merchant.js';
import { aisIntervalMs, BEIDOU_INTERVAL_MS, nextReportMs } from './reporting.js';
import { forkRng } from './rng.js';
import type { AisClass, IncidentKind, Motion, ScriptedIncident, SimVessel } from './types.js';

/**
 * The scripted incidents: who, when, and — computed from the very tracks the simulator will
 * follow — when the matching alert is due under the alert policy's thresholds (alerts/policy.ts;
 * the values used are written into `details`), so a scenario test can hold the real rules to them.
 * Distances seagrid will measure (a route's cross-track) are geo's; the tracks themselves are
 * the simulator's flat-earth kinematics.
 */

const SECOND = 1000;
const MIN = 60_000;
const HOUR = 3_600_000;

/** When each incident starts, after scenario time zero. */
export const INCIDENT_TIMES = {
  stragglerAfterMs: 1 * MIN,
  beidouSilentAfterMs: 1 * MIN,
  merchantDarkAfterMs: 90 * SECOND,
  deviationAfterMs: 2 * MIN,
  collisionCpaAfterMs: 14 * MIN,
  silenceMs: 2 * HOUR,
} as const;

export interface MerchantChange {
  readonly lane: Lane;
  readonly speedKn: number;
  readonly s0Nm: number;
  readonly direction: 1 | -1;
  readonly deviation?: DeviationScript;
}

/** The alert kind each scripted incident raises. */
export const INCIDENT_ALERT_KIND: Readonly<Record<IncidentKind, AlertKind>> = {
  'collision-course': 'collision',
  'route-deviation': 'route-deviation',
  'fleet-straggler': 'fleet-straggler',
  'signal-lost': 'signal-lost',
};

/**
 * When a watch floor sees the incident's alert. `expectedAlertAtMs` is when its condition starts
 * to hold; the lifecycle raises the alert after that kind's raise hold at warning (every scripted
 * incident raises at warning first, except a signal lost where it matters, whose holds are 0 at
 * every level). Printing only the condition's start made the demo's alerts look 20–70 s late.
 */
export function alertDueAtMs(i: ScriptedIncident, policy: AlertPolicy): number {
  return i.expectedAlertAtMs + lifecycleTiming(policy.lifecycle, INCIDENT_ALERT_KIND[i.kind]).raiseHoldMs.warning;
}

export interface IncidentContext {
  readonly seed: number;
  /** The thresholds the expected alert times are computed for. */
  readonly policy: AlertPolicy;
  readonly startMs: number;
  readonly vessels: readonly { readonly index: number; readonly aisClass: AisClass; readonly kind: 'fishing' | 'merchant' }[];
  readonly fleets: readonly { readonly index: number; readonly gear: Gear; readonly units: readonly (readonly number[])[] }[];
  readonly merchantIndices: readonly number[];
}

export interface IncidentPlans {
  readonly straggler?: {
    readonly fleetIndex: number;
    readonly vesselIndex: number;
    readonly script: { readonly vesselIndex: number; readonly atMs: number; readonly driftKn: number; readonly driftMs: number };
  };
  readonly merchants: ReadonlyMap<number, MerchantChange>;
  readonly silences: ReadonlyMap<number, { readonly fromMs: number; readonly untilMs: number }>;
  finish(vessels: readonly SimVessel[], createMotion: () => Motion): ScriptedIncident[];
}

export function planIncidents(ctx: IncidentContext): IncidentPlans {
  const rng = forkRng(ctx.seed, 'incidents');
  const t0 = ctx.startMs;
  const merchants = new Map<number, MerchantChange>();
  const silences = new Map<number, { fromMs: number; untilMs: number }>();

  // A fleet member with AIS (not the leader) falls behind on the way out.
  let straggler: IncidentPlans['straggler'];
  const order = rng.shuffle(ctx.fleets.map((f) => f.index));
  for (const fi of order) {
    const f = ctx.fleets[fi]!;
    if (f.gear === 'pair-trawl' || f.units.length < 5) continue;
    const candidates = f.units.slice(1).flat().filter((i) => ctx.vessels[i]!.aisClass !== 'none');
    if (candidates.length === 0) continue;
    const vesselIndex = rng.pick(candidates);
    straggler = {
      fleetIndex: fi,
      vesselIndex,
      script: { vesselIndex, atMs: t0 + INCIDENT_TIMES.stragglerAfterMs, driftKn: 0.8, driftMs: 3 * HOUR },
    };
    break;
  }

  // A BeiDou-only boat goes silent (one source, so "lost" is unambiguous).
  const quiet = rng.shuffle(ctx.vessels.filter((v) => v.kind === 'fishing' && v.aisClass === 'none' && v.index !== straggler?.vesselIndex));
  const silentBoat = quiet[0];
  if (silentBoat !== undefined) {
    const from = t0 + INCIDENT_TIMES.beidouSilentAfterMs;
    silences.set(silentBoat.index, { fromMs: from, untilMs: from + INCIDENT_TIMES.silenceMs });
  }

  const [a, b, c, d] = ctx.merchantIndices;
  const coastal = lane('LANE-COASTAL');
  const xzm = lane('LANE-XZM-BEILUN');
  let collision: { a: number; b: number } | undefined;
  let deviation: { index: number; atMs: number } | undefined;
  if (a !== undefined && b !== undefined) {
    // Crossing at the lanes' intersection: A northbound at 13 kn, B outbound at 15.5 kn, 6 s behind.
    const x = laneCrossing(coastal, xzm);
    const tCpa = INCIDENT_TIMES.collisionCpaAfterMs;
    merchants.set(a, { lane: coastal, speedKn: 13, s0Nm: x.sA - 13 * (tCpa / HOUR), direction: 1 });
    merchants.set(b, { lane: xzm, speedKn: 15.5, s0Nm: x.sB + 15.5 * ((tCpa + 6 * SECOND) / HOUR), direction: -1 });
    collision = { a, b };
  }
  if (c !== undefined) {
    // Inbound for Beilun, she turns 30° to starboard 2 min in, off the 350 m corridor.
    const sDev = arcLengthAtLon(xzm, 1, 122.85);
    const atMs = t0 + INCIDENT_TIMES.deviationAfterMs;
    merchants.set(c, {
      lane: xzm,
      speedKn: 12,
      s0Nm: sDev - 12 * (INCIDENT_TIMES.deviationAfterMs / HOUR),
      direction: 1,
      deviation: { atMs, turnDeg: 30, durationMs: 25 * MIN, rejoinAheadNm: 8 },
    });
    deviation = { index: c, atMs };
  }
  if (d !== undefined) {
    // A ship on the coastal lane switches her AIS off.
    merchants.set(d, { lane: coastal, speedKn: rng.range(11, 16), s0Nm: rng.range(20, 200), direction: rng.chance(0.5) ? 1 : -1 });
    const from = t0 + INCIDENT_TIMES.merchantDarkAfterMs;
    silences.set(d, { fromMs: from, untilMs: from + INCIDENT_TIMES.silenceMs });
  }

  return {
    ...(straggler === undefined ? {} : { straggler }),
    merchants,
    silences,
    finish(vessels, createMotion) {
      const motion = createMotion();
      const out: ScriptedIncident[] = [];
      const id = (i: number): VesselId => vessels[i]!.vesselId;
      if (collision !== undefined) out.push(collisionIncident(motion, id, collision.a, collision.b, t0, ctx.policy.collision));
      if (deviation !== undefined) out.push(deviationIncident(motion, id, deviation.index, deviation.atMs, xzm));
      if (straggler !== undefined) out.push(stragglerIncident(motion, vessels, ctx, straggler.fleetIndex, straggler.vesselIndex, straggler.script.atMs));
      for (const [index, s] of silences) out.push(silenceIncident(createMotion(), vessels[index]!, s, t0, ctx.policy.signalLost.overdueFactor));
      return out.sort((x, y) => x.expectedAlertAtMs - y.expectedAlertAtMs);
    },
  };
}

function lane(id: string): Lane {
  const l = LANES.find((x) => x.id === id);
  if (l === undefined) throw new Error(`no lane ${id}`);
  return l;
}

/** Where two lanes cross, and the arc length of the crossing along each (lat/lon-linear segments). */
export function laneCrossing(a: Lane, b: Lane): { at: LatLon; sA: number; sB: number } {
  const pa = polylineOf(a);
  const pb = polylineOf(b);
  for (let i = 0; i + 1 < a.points.length; i++) {
    for (let j = 0; j + 1 < b.points.length; j++) {
      const p = a.points[i]!;
      const r = { lat: a.points[i + 1]!.lat - p.lat, lon: a.points[i + 1]!.lon - p.lon };
      const q = b.points[j]!;
      const s = { lat: b.points[j + 1]!.lat - q.lat, lon: b.points[j + 1]!.lon - q.lon };
      const den = r.lon * s.lat - r.lat * s.lon;
      if (den === 0) continue;
      const t = ((q.lon - p.lon) * s.lat - (q.lat - p.lat) * s.lon) / den;
      const u = ((q.lon - p.lon) * r.lat - (q.lat - p.lat) * r.lon) / den;
      if (t >= 0 && t <= 1 && u >= 0 && u <= 1) {
        return {
          at: { lat: p.lat + r.lat * t, lon: p.lon + r.lon * t },
          sA: pa.at[i]! + t * (pa.at[i + 1]! - pa.at[i]!),
          sB: pb.at[j]! + u * (pb.at[j + 1]! - pb.at[j]!),
        };
      }
    }
  }
  throw new Error(`${a.id} and ${b.id} do not cross`);
}

const polylines = new Map<string, Polyline>();
function polylineOf(l: Lane): Polyline {
  let p = polylines.get(l.id);
  if (p === undefined) {
    p = new Polyline(l.points);
    polylines.set(l.id, p);
  }
  return p;
}


function arcLengthAtLon(l: Lane, segment: number, lon: number): number {
  const p = polylineOf(l);
  const a = l.points[segment]!;
  const b = l.points[segment + 1]!;
  const t = (lon - a.lon) / (b.lon - a.lon);
  return p.at[segment]! + t * (p.at[segment + 1]! - p.at[segment]!);
}

/**
 * Two ships on straight tracks: the predicted CPA is the true one all along, so the warning is due
 * when TCPA falls to the warning's horizon (if the CPA is under its distance), the danger likewise.
 */
function collisionIncident(motion: Motion, id: (i: number) => VesselId, a: number, b: number, t0: number, levels: AlertPolicy['collision']): ScriptedIncident {
  const ka = newKin();
  const kb = newKin();
  let best = Infinity;
  let bestT = t0;
  for (let t = t0; t <= t0 + 40 * MIN; t += SECOND) {
    motion.trackOf(a).evaluate(t, 0, ka);
    motion.trackOf(b).evaluate(t, 0, kb);
    const d = distanceNm(ka, kb);
    if (d < best) {
      best = d;
      bestT = t;
    }
  }
  motion.trackOf(a).evaluate(t0, 0, ka);
  motion.trackOf(b).evaluate(t0, 0, kb);
  const crossing = Math.abs(((ka.cogDeg! - kb.cogDeg! + 540) % 360) - 180);
  const dueAt = (level: AlertPolicy['collision']['warning']): number => (best < level.cpaNm ? Math.max(t0, bestT - level.tcpaMin * MIN) : NaN);
  const danger = dueAt(levels.danger);
  return {
    kind: 'collision-course',
    vesselIds: [id(a), id(b)],
    startsAtMs: t0,
    expectedAlertAtMs: dueAt(levels.warning),
    details: {
      cpaNm: round(best, 4),
      cpaAtMs: bestT,
      distanceAtStartNm: round(distanceNm(ka, kb), 3),
      crossingAngleDeg: round(crossing, 1),
      alertLevel: 'warning',
      cpaThresholdNm: levels.warning.cpaNm,
      tcpaThresholdMin: levels.warning.tcpaMin,
      ...(Number.isNaN(danger) ? {} : { dangerExpectedAtMs: danger }),
    },
  };
}

function deviationIncident(motion: Motion, id: (i: number) => VesselId, index: number, atMs: number, route: Lane): ScriptedIncident {
  const k = newKin();
  let alertAt = NaN;
  let backAt = NaN;
  let maxOff = 0;
  for (let t = atMs; t <= atMs + 90 * MIN; t += SECOND) {
    motion.trackOf(index).evaluate(t, 0, k);
    const off = crossTrackNm(route.points, k.lat, k.lon);
    maxOff = Math.max(maxOff, off);
    if (Number.isNaN(alertAt) && off > route.corridorHalfWidthNm) alertAt = t;
    if (!Number.isNaN(alertAt) && Number.isNaN(backAt) && off <= route.corridorHalfWidthNm) backAt = t;
  }
  return {
    kind: 'route-deviation',
    vesselIds: [id(index)],
    startsAtMs: atMs,
    expectedAlertAtMs: alertAt,
    details: {
      routeId: route.id,
      corridorHalfWidthNm: round(route.corridorHalfWidthNm, 4),
      turnDeg: 30,
      maxOffRouteNm: round(maxOff, 3),
      backInCorridorAtMs: backAt,
    },
  };
}

function stragglerIncident(
  motion: Motion,
  vessels: readonly SimVessel[],
  ctx: IncidentContext,
  fleetIndex: number,
  vesselIndex: number,
  atMs: number,
): ScriptedIncident {
  const members = ctx.fleets[fleetIndex]!.units.flat();
  const others = members.filter((i) => i !== vesselIndex);
  const k = newKin();
  let alertAt = NaN;
  let startDist = NaN;
  for (let t = atMs; t <= atMs + 3 * HOUR && Number.isNaN(alertAt); t += 5 * SECOND) {
    let lat = 0;
    let lon = 0;
    for (const i of others) {
      motion.trackOf(i).evaluate(t, 0, k);
      lat += k.lat;
      lon += k.lon;
    }
    const centroid = { lat: lat / others.length, lon: lon / others.length };
    motion.trackOf(vesselIndex).evaluate(t, 0, k);
    const d = distanceNm(k, centroid);
    if (Number.isNaN(startDist)) startDist = d;
    if (d > ctx.policy.fleetStraggler.distanceNm) alertAt = t;
  }
  const v = vessels[vesselIndex]!;
  return {
    kind: 'fleet-straggler',
    vesselIds: [v.vesselId],
    startsAtMs: atMs,
    expectedAlertAtMs: alertAt,
    details: {
      fleetId: v.fleetId ?? '',
      thresholdNm: ctx.policy.fleetStraggler.distanceNm,
      reference: 'centroid of the other members',
      distanceAtStartNm: round(startDist, 3),
      driftKn: 0.8,
    },
  };
}

function silenceIncident(motion: Motion, v: SimVessel, s: { fromMs: number; untilMs: number }, t0: number, overdueFactor: number): ScriptedIncident {
  const ais = v.aisClass !== 'none';
  const k = newKin();
  // Walk the vessel's own schedule, as the simulator will, to its last report before the silence.
  let t = t0;
  let interval = BEIDOU_INTERVAL_MS;
  let first = true;
  for (;;) {
    if (ais) {
      motion.trackOf(v.index).evaluate(t, 0, k);
      interval = aisIntervalMs(v.aisClass as 'A' | 'B', k);
    }
    const next = nextReportMs(t, interval, first ? (ais ? v.reportPhase[0] : v.reportPhase[2]) : undefined);
    if (next >= s.fromMs) break;
    t = next;
    first = false;
  }
  return {
    kind: 'signal-lost',
    vesselIds: [v.vesselId],
    startsAtMs: s.fromMs,
    expectedAlertAtMs: t + overdueFactor * interval,
    details: {
      source: ais ? 'ais' : 'beidou',
      lastReportAtMs: t,
      expectedIntervalMs: interval,
      overdueFactor,
      resumesAtMs: s.untilMs,
    },
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
