/**
 * Full-chain supervision figures (全链监督): how fast each alert was handled, and the medians per
 * grid and per fleet over a period. Every time counts from the raise:
 * - acknowledge: the first action a person took (acknowledge, assign, dispatch or resolve — each
 *   says someone saw it);
 * - dispatch: the first responder sent; arrival: the first responder on the scene;
 * - resolve: when a person closed it.
 * An alert still waiting for a step has no figure for it (null), and is not in that median.
 * Pure: the alerts and their step times come in; no clock, no IO.
 */

/** One alert's step times (epoch ms) as the store keeps them; null: the step has not happened. */
export interface AlertSteps {
  readonly alertId: string;
  readonly kind: string;
  readonly severity: string;
  readonly raisedAtMs: number;
  readonly acknowledgedAtMs: number | null;
  readonly dispatchedAtMs: number | null;
  readonly arrivedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  /** Every fleet the alert concerns. */
  readonly fleetIds: readonly string[];
  /** Every grid its first vessel was in when it was raised. */
  readonly gridIds: readonly string[];
}

export interface AlertFigures {
  readonly toAcknowledgeS: number | null;
  readonly toDispatchS: number | null;
  readonly toArrivalS: number | null;
  readonly toResolveS: number | null;
}

export interface SupervisionRow {
  /** The grid or fleet id. */
  readonly id: string;
  readonly alerts: number;
  readonly acknowledged: number;
  readonly dispatched: number;
  readonly resolved: number;
  /** Medians in seconds over the alerts that reached the step; null when none did. */
  readonly medianToAcknowledgeS: number | null;
  readonly medianToDispatchS: number | null;
  readonly medianToArrivalS: number | null;
  readonly medianToResolveS: number | null;
}

const since = (t: number | null, raisedAtMs: number): number | null => (t === null ? null : Math.max(0, (t - raisedAtMs) / 1000));

export function figuresOf(s: AlertSteps): AlertFigures {
  return {
    toAcknowledgeS: since(s.acknowledgedAtMs, s.raisedAtMs),
    toDispatchS: since(s.dispatchedAtMs, s.raisedAtMs),
    toArrivalS: since(s.arrivedAtMs, s.raisedAtMs),
    toResolveS: since(s.resolvedAtMs, s.raisedAtMs),
  };
}

/** The median of the values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** One row per grid (`by: 'grid'`) or fleet an alert concerns, alerts counted once in each; by id. */
export function supervise(steps: readonly AlertSteps[], by: 'grid' | 'fleet'): SupervisionRow[] {
  const groups = new Map<string, AlertFigures[]>();
  for (const s of steps) {
    const f = figuresOf(s);
    for (const id of new Set(by === 'grid' ? s.gridIds : s.fleetIds)) {
      let g = groups.get(id);
      if (g === undefined) groups.set(id, (g = []));
      g.push(f);
    }
  }
  const pick = (fs: readonly AlertFigures[], k: keyof AlertFigures): number[] => fs.flatMap((f) => (f[k] === null ? [] : [f[k]]));
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, fs]) => ({
      id,
      alerts: fs.length,
      acknowledged: pick(fs, 'toAcknowledgeS').length,
      dispatched: pick(fs, 'toDispatchS').length,
      resolved: pick(fs, 'toResolveS').length,
      medianToAcknowledgeS: median(pick(fs, 'toAcknowledgeS')),
      medianToDispatchS: median(pick(fs, 'toDispatchS')),
      medianToArrivalS: median(pick(fs, 'toArrivalS')),
      medianToResolveS: median(pick(fs, 'toResolveS')),
    }));
}
