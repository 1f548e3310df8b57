/**
 * The alert policy: the thresholds the rules judge by, in one object with its defaults. The rules
 * take it (per-zone and per-vessel-class overrides are the rules' issue), and the simulator
 * computes each scripted incident's expected alert time from the same numbers (sim/incidents.ts),
 * so a scenario test checks the real rules against the script, not against a copy of the values.
 * Pure data: no IO, no clock.
 */

/** One level of the collision rule: raised when 0 < TCPA ≤ `tcpaMin` and CPA < `cpaNm`. */
export interface CollisionLevel {
  /** Predicted closest point of approach, nautical miles. */
  readonly cpaNm: number;
  /** Time to that point, minutes (a CPA already passed, TCPA ≤ 0, raises nothing). */
  readonly tcpaMin: number;
}

export interface AlertPolicy {
  readonly collision: {
    readonly warning: CollisionLevel;
    /** Stricter than `warning` on both counts; the only level for moored/anchored vessels and fleet mates. */
    readonly danger: CollisionLevel;
  };
  readonly fleetStraggler: {
    /** A member farther than this from the centroid of its fleet's other members, nm (脱编). */
    readonly distanceNm: number;
  };
  readonly signalLost: {
    /** Raised when no report came for this many times the source's expected interval. */
    readonly overdueFactor: number;
  };
  readonly fleetProximity: {
    /** A member with no other member within this distance cannot regroup: the alert goes to danger, nm. */
    readonly regroupNm: number;
    /** The straggler distance applies while the fleet sails together: its other members' median SOG at least this, kn (above trawling speed; a fleet at work spreads). */
    readonly transitSogKn: number;
    /** A straggler is back once nearer the others' centroid than `fleetStraggler.distanceNm` minus this, nm. */
    readonly clearMarginNm: number;
    /** A non-member predicted within this of a member (about the footprint's one ring of res-6 cells), nm. */
    readonly footprintNm: number;
    /** How far ahead a non-member's track is predicted, minutes. */
    readonly horizonMin: number;
  };
  readonly routeDeviation: {
    /** Off the corridor raises; back only within corridor × (1 − this): no flicker at the edge. */
    readonly clearMarginFraction: number;
  };
  readonly zones: {
    /** Entering an anchorage faster than this is `under way fast`, kn. */
    readonly anchorageMaxSogKn: number;
    /** In a trawl-only prohibited zone a trawler is flagged at trawling speed only (transit is lawful), kn. */
    readonly trawlingSogKn: { readonly min: number; readonly max: number };
    /**
     * Above this a fishing vessel that does not report status 7 (engaged in fishing) is in transit, not
     * fishing: a closed zone flags it only at or below, kn.
     */
    readonly fishingMaxSogKn: number;
    /** A fishing vessel seen crossing into fisheries-agreement waters is signalled for this long after the crossing, ms. */
    readonly agreementCrossingMs: number;
  };
  /** Hold times and update pacing of the alert lifecycle (alerts/lifecycle.ts). */
  readonly lifecycle: LifecyclePolicy;
}

/**
 * How the lifecycle turns a rule's signals into alert changes without flicker. A condition is one
 * episode while its gaps are shorter than `clearHoldMs`: it raises once it has lasted the raise
 * hold of its level, and clears once it has been absent for `clearHoldMs`.
 */
export interface LifecycleTiming {
  /** How long a level must hold before it raises (or escalates to it), ms. */
  readonly raiseHoldMs: { readonly info: number; readonly warning: number; readonly danger: number };
  /** How long a condition (or a level of it) must be absent before the alert is marked cleared (or lowered), ms. */
  readonly clearHoldMs: number;
  /** A cleared alert whose condition returns within this long is updated, not raised anew, ms. */
  readonly reRaiseWindowMs: number;
  /** Details that moved beyond tolerance are sent at most this often; severity and cleared go at once, ms. */
  readonly minUpdateIntervalMs: number;
  /** After a restart, an open alert whose condition no signal confirms within this long is marked cleared, ms. */
  readonly restoreGraceMs: number;
  /** Absolute tolerance per numeric detail field (any depth, by name): a smaller move is not an update. */
  readonly detailTolerance: Readonly<Record<string, number>>;
  /** Tolerance of numeric details not listed, relative to the last sent value. */
  readonly detailRelTolerance: number;
}

export interface LifecyclePolicy {
  readonly default: LifecycleTiming;
  /** Per alert kind, the fields that differ from `default`. */
  readonly byKind: Readonly<Record<string, Partial<LifecycleTiming>>>;
}

/** Issue 12's numbers: warning CPA < 0.5 nm within 10 min, danger CPA < 0.1 nm within 5 min. */
export const DEFAULT_ALERT_POLICY: AlertPolicy = Object.freeze({
  collision: Object.freeze({
    warning: Object.freeze({ cpaNm: 0.5, tcpaMin: 10 }),
    danger: Object.freeze({ cpaNm: 0.1, tcpaMin: 5 }),
  }),
  fleetStraggler: Object.freeze({ distanceNm: 2 }),
  signalLost: Object.freeze({ overdueFactor: 3 }),
  // The seeds' rule: regroup with any member within 8 nm, otherwise the group is alerted.
  fleetProximity: Object.freeze({ regroupNm: 8, transitSogKn: 6, clearMarginNm: 0.25, footprintNm: 2, horizonMin: 10 }),
  routeDeviation: Object.freeze({ clearMarginFraction: 0.2 }),
  // Bottom trawling is done at 2–5 kn (FAO fishing-gear fact sheets); an anchorage is approached at harbour speed.
  // Gear is worked at trawling speed or below (drift nets, purse seines setting); 10 min: the crossing is an event.
  zones: Object.freeze({ anchorageMaxSogKn: 6, trawlingSogKn: Object.freeze({ min: 1.5, max: 5.5 }), fishingMaxSogKn: 5.5, agreementCrossingMs: 10 * 60_000 }),
  lifecycle: Object.freeze({
    default: Object.freeze({
      // Danger at once (issue 12: a collision danger must not wait); warning after two reports
      // of a class A vessel under way at 0–14 kn (10 s apart, ITU-R M.1371 Table 1); info after a minute.
      raiseHoldMs: Object.freeze({ info: 60_000, warning: 20_000, danger: 0 }),
      clearHoldMs: 60_000,
      reRaiseWindowMs: 10 * 60_000,
      minUpdateIntervalMs: 30_000,
      // Two BeiDou report intervals (3 min): a slow reporter is heard again before its alert clears.
      restoreGraceMs: 6 * 60_000,
      detailTolerance: Object.freeze({ cpaNm: 0.05, tcpaMin: 0.5, offNm: 0.05, distanceNm: 0.1, lat: 0.001, lon: 0.001 }),
      detailRelTolerance: 0.1,
    }),
    byKind: Object.freeze({
      // Issue 12 §3: off the corridor for a hold time before it raises.
      'route-deviation': Object.freeze({ raiseHoldMs: Object.freeze({ info: 60_000, warning: 60_000, danger: 60_000 }) }),
      // The rule has already waited out the overdue time.
      'signal-lost': Object.freeze({ raiseHoldMs: Object.freeze({ info: 0, warning: 0, danger: 0 }) }),
    }),
  }),
});

/** The lifecycle timing of one alert kind: its own fields over the defaults. */
export function lifecycleTiming(policy: LifecyclePolicy, kind: string): LifecycleTiming {
  const own = policy.byKind[kind];
  return own === undefined ? policy.default : { ...policy.default, ...own };
}
