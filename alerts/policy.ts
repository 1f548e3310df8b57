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
}

/** Issue 12's numbers: warning CPA < 0.5 nm within 10 min, danger CPA < 0.1 nm within 5 min. */
export const DEFAULT_ALERT_POLICY: AlertPolicy = Object.freeze({
  collision: Object.freeze({
    warning: Object.freeze({ cpaNm: 0.5, tcpaMin: 10 }),
    danger: Object.freeze({ cpaNm: 0.1, tcpaMin: 5 }),
  }),
  fleetStraggler: Object.freeze({ distanceNm: 2 }),
  signalLost: Object.freeze({ overdueFactor: 3 }),
});
