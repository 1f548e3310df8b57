/**
 * Signal lost (issue 12 §5, 动态报告 overdue): a source of a vessel (AIS, BeiDou) that has not
 * reported for `overdueFactor` × the interval its last report promised.
 *
 * What it decides
 * - Expected interval from the last report: BeiDou 3 min (the Zhejiang terminal period); AIS class A
 *   per ITU-R M.1371-5 Table 1 — at anchor or moored and ≤ 3 kn 3 min, > 23 kn 2 s, > 14 kn 6 s,
 *   else 10 s; class B "CS" per IEC 62287-1 — > 2 kn 30 s, else 3 min. The class is read off the
 *   report: only class A position reports carry a navigational status, so an AIS fix without one is
 *   taken as class B (a class A sending "not defined" is then given the longer interval: later, never
 *   a false alarm). The shorter "changing course" intervals are not used, for the same reason.
 * - Silence counts on our clock: from the report's receipt to the tick's `nowMs` (a feed that lags
 *   or a receiver whose clock is off must not look like silence). The signal is dated when the
 *   report fell due (receipt + factor × interval), so the alert time does not depend on the tick rate.
 * - Severity: `warning`; `danger` when the vessel went dark where it matters — inside a control grid,
 *   within `fleetProximity.regroupNm` of a fresh member of its fleet (a fleet mate should have seen
 *   what happened), or while it has an open alert (`hasOpenAlert`, e.g. the lifecycle's).
 * - Key `signal-lost:{vesselId}|{source}`: each source on its own (an AIS switched off while the
 *   BeiDou terminal still reports is itself worth an alert). The next report of the source clears it.
 * - A source silent for `forgetAfterMs` is forgotten (its alert, if any, stays until resolved).
 * Pure: `onTick(nowMs)` is the only clock.
 */
import type { AcceptedFix, AlertSeverity, FleetId, GridMembership, PositionReport, PositionSource, VesselId } from '../model/index.js';
import { distanceNm } from '../geo/index.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy } from './policy.js';
import type { VesselStates } from './collision-rule.js';
import type { FixBatch, Rule, Signal } from './rules.js';

export const BEIDOU_INTERVAL_MS = 180_000;
/** AIS navigational status at anchor (1) and moored (5), ITU-R M.1371. */
const ANCHORED_OR_MOORED: ReadonlySet<number> = new Set([1, 5]);

/** The reporting interval a report promises until the next (see the header). */
export function expectedIntervalMs(r: Pick<PositionReport, 'source' | 'sogKn' | 'navStatus'>): number {
  if (r.source !== 'ais') return BEIDOU_INTERVAL_MS;
  const sog = r.sogKn;
  if (r.navStatus === undefined) return sog !== undefined && sog > 2 ? 30_000 : 180_000;
  if (ANCHORED_OR_MOORED.has(r.navStatus) && (sog === undefined || sog <= 3)) return 180_000;
  if (sog === undefined || sog <= 14) return 10_000;
  return sog > 23 ? 2_000 : 6_000;
}

export interface SignalLostOptions {
  /** Where a vessel was last placed (geo's SeaPicture.membership). */
  readonly membership?: (vesselId: VesselId) => GridMembership | undefined;
  /** The members of a fleet (the registry's). */
  readonly fleetMembers?: (fleetId: FleetId) => readonly VesselId[];
  /** Whether the vessel has an open alert now. */
  readonly hasOpenAlert?: (vesselId: VesselId) => boolean;
  /** Default 6 h. */
  readonly forgetAfterMs?: number;
  /** A fleet mate's fix older than this is not "near", ms. Default 10 min (the fleet grid's stale time). */
  readonly mateFreshMs?: number;
}

export interface SignalLostCounters {
  signalsRaised: number;
  signalsCleared: number;
  forgotten: number;
}

interface Heard {
  readonly vesselId: VesselId;
  readonly source: PositionSource;
  receivedAtMs: number;
  dueAtMs: number;
  intervalMs: number;
  lost: boolean;
}

export class SignalLostRule implements Rule {
  readonly name = 'signal-lost';
  readonly counters: SignalLostCounters = { signalsRaised: 0, signalsCleared: 0, forgotten: 0 };
  private readonly factor: number;
  private readonly regroupNm: number;
  private readonly forgetAfterMs: number;
  private readonly mateFreshMs: number;
  /**
   * One map per source, not a map of maps: a fix costs one look-up, the cache misses of one hash
   * table instead of two (the per-fix path is memory-bound: app/hops.bench).
   */
  private readonly heard: Readonly<Record<PositionSource, Map<VesselId, Heard>>> = { ais: new Map(), beidou: new Map() };
  /** No source falls due before this (a lower bound: reports only push dues later). */
  private nextDueMs = Infinity;

  constructor(
    private readonly live: VesselStates,
    private readonly options: SignalLostOptions = {},
    policy: Pick<AlertPolicy, 'signalLost' | 'fleetProximity'> = DEFAULT_ALERT_POLICY,
  ) {
    this.factor = policy.signalLost.overdueFactor;
    this.regroupNm = policy.fleetProximity.regroupNm;
    this.forgetAfterMs = options.forgetAfterMs ?? 6 * 3_600_000;
    this.mateFreshMs = options.mateFreshMs ?? 10 * 60_000;
    if (!(this.factor >= 1)) throw new Error(`signalLost.overdueFactor must be ≥ 1: ${this.factor}`);
  }

  onFixes(batch: FixBatch): readonly Signal[] {
    let out: Signal[] | undefined;
    for (const f of batch.moved) {
      const s = this.report(f);
      if (s !== undefined) (out ??= []).push(s);
    }
    return out ?? [];
  }

  onTick(nowMs: number): readonly Signal[] {
    if (nowMs < this.nextDueMs) return [];
    let out: Signal[] | undefined;
    let next = Infinity;
    // A tick's signals come source by source (every AIS, then every BeiDou), each an alert of its own.
    for (const bySource of Object.values(this.heard)) {
      for (const [vesselId, h] of bySource) {
        if (nowMs - h.receivedAtMs > this.forgetAfterMs) {
          bySource.delete(vesselId);
          this.counters.forgotten++;
        } else if (!h.lost) {
          if (h.dueAtMs > nowMs) next = Math.min(next, h.dueAtMs);
          else (out ??= []).push(this.lost(h));
        }
      }
    }
    this.nextDueMs = next;
    return out ?? [];
  }

  private lost(h: Heard): Signal {
    h.lost = true;
    this.counters.signalsRaised++;
    const v = this.live.get(h.vesselId);
    const why = v === undefined ? [] : this.whereItMatters(h.vesselId, v.lat, v.lon, v.fleetId, h.dueAtMs);
    return {
      kind: 'signal-lost',
      key: keyOf(h.vesselId, h.source),
      severity: (why.length > 0 ? 'danger' : 'warning') satisfies AlertSeverity,
      vesselIds: [h.vesselId],
      ...(v?.fleetId === undefined ? {} : { fleetIds: [v.fleetId] }),
      atMs: h.dueAtMs,
      details: {
        source: h.source,
        lastReceivedAtMs: h.receivedAtMs,
        expectedIntervalMs: h.intervalMs,
        overdueFactor: this.factor,
        ...(v === undefined ? {} : { lat: v.lat, lon: v.lon }),
        ...(why.length > 0 ? { raisedFor: why } : {}),
      },
    };
  }

  private report(f: AcceptedFix): Signal | undefined {
    const r = f.report;
    const intervalMs = expectedIntervalMs(r);
    const receivedAtMs = r.receivedAtMs;
    const dueAtMs = receivedAtMs + this.factor * intervalMs;
    // By source, then vessel: no key string is built per fix.
    const bySource = this.heard[r.source];
    const h = bySource.get(f.vesselId);
    if (h === undefined) {
      bySource.set(f.vesselId, { vesselId: f.vesselId, source: r.source, receivedAtMs, dueAtMs, intervalMs, lost: false });
      this.nextDueMs = Math.min(this.nextDueMs, dueAtMs);
      return undefined;
    }
    if (receivedAtMs < h.receivedAtMs) return undefined;
    const wasLost = h.lost;
    h.receivedAtMs = receivedAtMs;
    h.dueAtMs = dueAtMs;
    h.intervalMs = intervalMs;
    h.lost = false;
    this.nextDueMs = Math.min(this.nextDueMs, dueAtMs);
    if (!wasLost) return undefined;
    this.counters.signalsCleared++;
    return { kind: 'signal-lost', key: keyOf(f.vesselId, r.source), severity: undefined, vesselIds: [f.vesselId], atMs: r.atMs, details: { source: r.source, heardAgainAtMs: receivedAtMs } };
  }

  /** Why going dark here is worse: the grounds for `danger` (empty: none). */
  private whereItMatters(vesselId: VesselId, lat: number, lon: number, fleetId: FleetId | undefined, atMs: number): string[] {
    const why: string[] = [];
    const m = this.options.membership?.(vesselId);
    if (m !== undefined && m.control.length > 0) why.push('control-grid');
    if (fleetId !== undefined && this.options.fleetMembers !== undefined) {
      for (const id of this.options.fleetMembers(fleetId)) {
        if (id === vesselId) continue;
        const mate = this.live.get(id);
        if (mate === undefined || atMs - mate.atMs > this.mateFreshMs) continue;
        if (distanceNm(lat, lon, mate.lat, mate.lon) <= this.regroupNm) {
          why.push('near-fleet');
          break;
        }
      }
    }
    if (this.options.hasOpenAlert?.(vesselId) === true) why.push('open-alert');
    return why;
  }
}

function keyOf(vesselId: VesselId, source: PositionSource): string {
  return `signal-lost:${vesselId}|${source}`;
}
