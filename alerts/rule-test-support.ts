/**
 * Test helper for rule timelines: the real live picture, sea picture (fixture grids) and lifecycle,
 * driven the way app/pipeline.ts drives them (apply → locate → rules → decide), with times in
 * seconds after T0. Only tests import it.
 */
import { LivePicture, SeaGridIndex, SeaPicture, type GridDef } from '../geo/index.js';
import { fixtureSeaGrids } from '../geo/test-support.js';
import { asMmsi, vesselIdOfCard, vesselIdOfMmsi, VesselRegistry, type AlertChange, type BeidouCard, type PositionReport, type VesselFile, type VesselId } from '../model/index.js';
import { Lifecycle } from './lifecycle.js';
import type { Rule, Signal } from './rules.js';

export const T0 = Date.parse('2026-06-01T02:00:00Z');

export const FIXTURE_GRIDS = ((): readonly GridDef[] => {
  const loaded = fixtureSeaGrids();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.grids;
})();

export function aisFile(mmsi: number, extra: Partial<VesselFile> = {}): VesselFile {
  return { vesselId: vesselIdOfMmsi(asMmsi(mmsi)), name: `V${mmsi}`, mmsi: asMmsi(mmsi), ...extra };
}

export function idOf(mmsi: number): VesselId {
  return vesselIdOfMmsi(asMmsi(mmsi));
}

export interface Motion {
  readonly lat: number;
  readonly lon: number;
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly navStatus?: number;
}

export class RuleWorld {
  readonly registry: VesselRegistry;
  readonly live: LivePicture;
  readonly sea: SeaPicture;
  readonly lifecycle = new Lifecycle();
  readonly signals: { t: number; signal: Signal }[] = [];
  readonly changes: { t: number; change: AlertChange }[] = [];
  rules: Rule[] = [];

  constructor(files: readonly VesselFile[]) {
    this.registry = new VesselRegistry(files);
    // Scripts step sideways faster than a ship can (the jump filter is the live picture's, tested there).
    this.live = new LivePicture(this.registry, { maxFutureMs: Infinity, maxJumpKn: 10_000 });
    this.sea = new SeaPicture(this.registry, SeaGridIndex.build(FIXTURE_GRIDS, { res: 7 }));
  }

  /** An AIS report (by MMSI) or a BeiDou fix (by card) at t seconds. */
  report(who: { mmsi: number } | { card: string }, tS: number, m: Motion): PositionReport {
    const atMs = T0 + tS * 1000;
    const base = 'mmsi' in who ? { source: 'ais' as const, mmsi: asMmsi(who.mmsi) } : { source: 'beidou' as const, beidouCard: who.card as BeidouCard };
    return { ...base, atMs, receivedAtMs: atMs, lat: m.lat, lon: m.lon, sogKn: m.sogKn, cogDeg: m.cogDeg, navStatus: m.navStatus };
  }

  /** Hops 5–7 for one frame. */
  frame(tS: number, ...reports: PositionReport[]): readonly Signal[] {
    const moved = [];
    for (const r of reports) {
      if (this.live.applyPosition(r) !== 'moved') throw new Error(`fix at ${tS} s did not move its vessel`);
      const id = r.mmsi !== undefined ? idOf(r.mmsi) : this.registry.byCard(r.beidouCard!)?.vesselId ?? vesselIdOfCard(r.beidouCard!);
      this.sea.locate(id, r.lat, r.lon, r.atMs);
      moved.push({ vesselId: id, report: r, moved: true });
    }
    const out: Signal[] = [];
    for (const rule of this.rules) out.push(...(rule.onFixes?.({ moved }) ?? []));
    this.decide(tS, out);
    // The pipeline ticks once a second; here at each frame, so holds elapse with no new signal.
    for (const change of this.lifecycle.tick(T0 + tS * 1000)) this.changes.push({ t: tS, change });
    return out;
  }

  /** The clock at t seconds: time-based rules, then the lifecycle's holds. */
  tick(tS: number): readonly Signal[] {
    const out: Signal[] = [];
    for (const rule of this.rules) out.push(...(rule.onTick?.(T0 + tS * 1000) ?? []));
    this.decide(tS, out);
    for (const change of this.lifecycle.tick(T0 + tS * 1000)) this.changes.push({ t: tS, change });
    return out;
  }

  private decide(tS: number, out: readonly Signal[]): readonly Signal[] {
    for (const signal of out) this.signals.push({ t: tS, signal });
    for (const change of this.lifecycle.decide(out)) this.changes.push({ t: tS, change });
    return out;
  }

  /** Times (s) at which a condition's signalled severity changed ('clear' for a clear). */
  transitions(key: string): [number, string][] {
    return severityTransitions(this.signals, key);
  }

  /**
   * The lifecycle's changes for a condition as [seconds after T0 of the change's own time, what]:
   * raises, severity changes, cleared and un-cleared; updates of details alone are left out.
   */
  timeline(key: string): [number, string][] {
    const out: [number, string][] = [];
    let last = '';
    for (const { change } of this.changes) {
      const a = change.alert;
      if (a.key !== key) continue;
      const state = a.cleared === true ? 'cleared' : a.severity;
      const what = change.action === 'update' ? (state === last ? undefined : a.cleared === true ? 'cleared' : `update:${a.severity}`) : `${change.action}:${a.severity}`;
      last = state;
      if (what !== undefined) out.push([(change.atMs - T0) / 1000, what]);
    }
    return out;
  }
}

/** Times (s) at which a condition's signalled severity changed, with the new one ('clear' for a clear). */
export function severityTransitions(signals: readonly { readonly t: number; readonly signal: Signal }[], key: string): [number, string][] {
  const out: [number, string][] = [];
  let last: string | undefined;
  for (const { t, signal } of signals) {
    if (signal.key !== key) continue;
    const s = signal.severity ?? 'clear';
    if (s !== last) out.push([t, s]);
    last = s;
  }
  return out;
}
