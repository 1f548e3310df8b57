/**
 * Hops 6 and 7 of ARCHITECTURE.md as slots: rules turn what moved into signals (evaluate), a
 * lifecycle turns signals into alert changes (decide). Pure: rules run on fix time, not the wall
 * clock, so a replayed capture raises what the live feed raised. Each rule runs isolated: one that
 * throws costs only its own signals for that call, and is reported so the caller counts and logs it.
 */
import type { AcceptedFix, AlertChange, AlertKind, AlertSeverity, FleetId, LatLon, VesselId } from '../model/index.js';

/** One rule's finding about one condition (a pair on a collision course, a vessel off its route …). */
export interface Signal {
  readonly kind: AlertKind;
  /** The condition across evaluations: one alert per key (e.g. `collision:412000001|412000002`). */
  readonly key: string;
  /** The level at which the condition holds now; undefined: it no longer holds. */
  readonly severity: AlertSeverity | undefined;
  readonly vesselIds: readonly VesselId[];
  /** Every fleet the condition concerns (each one's leader receives the alert); absent: none. */
  readonly fleetIds?: readonly FleetId[];
  /** Fix time the signal is about. */
  readonly atMs: number;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What a rule sees for one frame: the fixes that moved a vessel, in arrival order. */
export interface FixBatch {
  readonly moved: readonly AcceptedFix[];
}

export interface Rule {
  /** Stable name: the label of its error counter and of its log lines. */
  readonly name: string;
  /** Signals for vessels that moved (their world — live picture, neighbours — is the rule's own). */
  onFixes?(batch: FixBatch): readonly Signal[];
  /** Signals that depend on the passing of time (silence, overdue reports); `nowMs` is the clock. */
  onTick?(nowMs: number): readonly Signal[];
  /**
   * The picture took these vessels' states from the store (a warm start, a cluster takeover)
   * without handing their fixes to the rules: a rule keeping copies of vessels' states refreshes
   * or drops them. No signal: the fixes that follow are judged as usual.
   */
  onRestored?(vesselIds: readonly VesselId[]): void;
}

export interface Decider {
  decide(signals: readonly Signal[]): readonly AlertChange[];
  /** Changes due by the passing of time alone (a hold that elapsed with no new signal); `nowMs` is the clock. */
  tick?(nowMs: number): readonly AlertChange[];
  /** Changes that follow from where vessels now are rather than from a rule (a dispatched responder reaching the scene). */
  onMoved?(fixes: readonly AcceptedFix[], positionOf: (id: VesselId) => LatLon | undefined): readonly AlertChange[];
  /** Runs `fn`, in which stored fixes go through the rules again after a restart (Lifecycle.rerun). */
  rerun?<T>(fn: () => T): T;
}

export type RuleErrorSink = (rule: string, error: unknown) => void;

const NONE: readonly Signal[] = [];

/** Runs every rule's `onFixes`; a throwing rule is reported and skipped, the others still run. */
export function evaluateFixes(rules: readonly Rule[], batch: FixBatch, onError: RuleErrorSink): readonly Signal[] {
  if (rules.length === 0 || batch.moved.length === 0) return NONE;
  return collect(rules, (r) => r.onFixes?.(batch), onError);
}

/** Runs every rule's `onTick`, isolated the same way. */
export function evaluateTick(rules: readonly Rule[], nowMs: number, onError: RuleErrorSink): readonly Signal[] {
  if (rules.length === 0) return NONE;
  return collect(rules, (r) => r.onTick?.(nowMs), onError);
}

function collect(rules: readonly Rule[], run: (r: Rule) => readonly Signal[] | undefined, onError: RuleErrorSink): readonly Signal[] {
  let out: Signal[] | undefined;
  for (const rule of rules) {
    let signals: readonly Signal[] | undefined;
    try {
      signals = run(rule);
    } catch (e) {
      onError(rule.name, e);
      continue;
    }
    if (signals === undefined || signals.length === 0) continue;
    (out ??= []).push(...signals);
  }
  return out ?? NONE;
}
