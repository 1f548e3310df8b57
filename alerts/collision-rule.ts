/**
 * The collision rule (issue 12 §2): each fix that moves a vessel is judged against its neighbours
 * from the H3 neighbour index — never against all vessels — by CPA/TCPA (alerts/cpa.ts), and a pair
 * that meets a level is signalled under one key per pair whichever vessel reported.
 *
 * What it decides
 * - Levels: `danger` when CPA < danger.cpaNm and 0 < TCPA ≤ danger.tcpaMin, else `warning` likewise
 *   (policy defaults: 0.1 nm / 5 min and 0.5 nm / 10 min), from the first override that matches
 *   either vessel (a grid it is in, its AIS ship type), else the policy's.
 * - Moored or at anchor (AIS navigational status 5, 1) on either side, or both in one fleet (编组
 *   mates, pair trawlers working together, closer than any warning by trade): `danger` only.
 * - Two vessels whose SOG both say stopped need no CPA (counted). A pair with a vessel whose motion
 *   is not available is not evaluated and keeps whatever it had (counted, never guessed).
 * - State is kept only for pairs it has signalled: while a pair meets a level it is signalled on
 *   every evaluation (CPA, TCPA and meeting point move; the lifecycle coalesces), and once it no
 *   longer does — opening, both stopped, a vessel gone — one clear (severity undefined) ends it.
 *   A signalled pair neither of whose vessels has moved for `forgetPairAfterMs` of fix time is
 *   cleared and forgotten, so the state stays as small as the open alerts.
 *
 * Screening radius — why no pair that can meet a level is missed
 * --------------------------------------------------------------
 * A pair can reach CPA < C within T only if its dead-reckoned range now is below C + (sA + sB)·T.
 * The other vessel sits in the index at its last fix, up to its age behind its dead-reckoned place
 * (≤ sB·age). A moving vessel A therefore looks within
 *
 *     R(A) = C + 2·sA·(T + staleAllowance)        (C, T: the largest CPA and TCPA of any level)
 *
 * which covers every B no faster than A with a fix up to `staleAllowanceMin` old; a faster B covers
 * A from its own fixes. A stopped vessel looks at no new neighbours (a moving one finds it), and
 * every vessel re-evaluates the pairs it has open, so an open pair is cleared however far apart it
 * drifts. R is capped at `maxScreenNm` (12 nm, the radius the neighbour index is tested to).
 * So a pair is evaluated at the faster vessel's reporting rate at least (BeiDou: 3 min).
 */
import type { AlertSeverity, FleetId, GridMembership, VesselId, VesselState } from '../model/index.js';
import type { NeighbourIndex } from '../geo/index.js';
import { cpa, isStationary, motionKnown, type CpaFound } from './cpa.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy, type CollisionLevel } from './policy.js';
import type { FixBatch, Rule, Signal } from './rules.js';

export type CollisionLevels = AlertPolicy['collision'];

/**
 * Levels for the pairs it matches: a vessel of the pair is in grid `gridId` (a static, control or
 * patrol grid, a zone in force, or a 渔区 zone or sub-zone) and/or has one of `shipTypes` (AIS ship
 * type, e.g. 80–89 tankers). Both given: one vessel must match both.
 */
export interface CollisionOverride {
  readonly gridId?: string;
  readonly shipTypes?: readonly number[];
  readonly levels: CollisionLevels;
}

export interface CollisionRuleOptions {
  /** Default: DEFAULT_ALERT_POLICY.collision. */
  readonly levels?: CollisionLevels;
  /** Checked in order; the first that matches either vessel gives the pair's levels. */
  readonly overrides?: readonly CollisionOverride[];
  /** Age of the other vessel's fix the screen still covers, minutes. Default 3 (a BeiDou interval). */
  readonly staleAllowanceMin?: number;
  /** Cap of the screening radius, nm. Default 12. */
  readonly maxScreenNm?: number;
  /** A signalled pair unseen this long (fix time) is cleared and forgotten, ms. Default 30 min. */
  readonly forgetPairAfterMs?: number;
}

/** The live picture as the rule reads it (geo's LivePicture). */
export interface VesselStates {
  get(vesselId: VesselId): VesselState | undefined;
}

/** The located picture as the rule reads it (geo's SeaPicture): neighbours and grid membership. */
export interface LocatedVessels {
  readonly neighbours: Pick<NeighbourIndex, 'near'>;
  membership(vesselId: VesselId): GridMembership | undefined;
}

export interface CollisionCounters {
  /** Pairs whose CPA/TCPA was computed. */
  pairsEvaluated: number;
  /** Pairs not evaluated: a vessel's COG/SOG not available (and its SOG does not say stopped). */
  pairsSkippedMotion: number;
  /** Pairs of two stopped vessels: no CPA needed. */
  pairsStationary: number;
  /** Neighbours too far to meet a level even at both vessels' speeds: no CPA needed. */
  pairsOutOfReach: number;
  /** Signals with a severity (a pair meeting a level, once per evaluation). */
  signalsRaised: number;
  signalsCleared: number;
  /** Signalled pairs cleared because neither vessel moved for `forgetPairAfterMs`. */
  pairsForgotten: number;
}

/** Why a pair's signal is a clear. */
export type ClearReason = 'below-levels' | 'both-stopped' | 'vessel-gone' | 'not-seen';

/** AIS navigational status: 1 at anchor, 5 moored (ITU-R M.1371, message 1 table). */
const MOORED_STATUS: ReadonlySet<number> = new Set([1, 5]);
/** Motion unknown: the pairs it would have had are counted within the screen of a vessel at this speed. */
const UNKNOWN_SPEED_KN = 10;
/** How often (fix time) signalled pairs are checked for being forgotten, ms. */
const FORGET_CHECK_MS = 60_000;

interface OpenPair {
  readonly key: string;
  readonly lo: VesselId;
  readonly hi: VesselId;
  lastMs: number;
}

export class CollisionRule implements Rule {
  readonly name = 'collision';
  readonly counters: CollisionCounters = { pairsEvaluated: 0, pairsSkippedMotion: 0, pairsStationary: 0, pairsOutOfReach: 0, signalsRaised: 0, signalsCleared: 0, pairsForgotten: 0 };
  private readonly levels: CollisionLevels;
  private readonly overrides: readonly CollisionOverride[];
  private readonly maxScreenNm: number;
  private readonly forgetAfterMs: number;
  /** C and T + staleAllowance of the header, nm and hours. */
  private readonly screenCpaNm: number;
  private readonly screenHours: number;
  /** Signalled pairs by each of their vessels. */
  private readonly open = new Map<VesselId, Map<VesselId, OpenPair>>();
  private openCount = 0;
  private clockMs = -Infinity;
  private lastForgetMs = -Infinity;
  /** This batch's signals by key: one per pair per batch, the latest evaluation's. */
  private out = new Map<string, Signal>();

  constructor(
    private readonly live: VesselStates,
    private readonly sea: LocatedVessels,
    options: CollisionRuleOptions = {},
  ) {
    this.levels = options.levels ?? DEFAULT_ALERT_POLICY.collision;
    this.overrides = options.overrides ?? [];
    this.maxScreenNm = options.maxScreenNm ?? 12;
    this.forgetAfterMs = options.forgetPairAfterMs ?? 30 * 60_000;
    const stale = options.staleAllowanceMin ?? 3;
    const all = [this.levels, ...this.overrides.map((o) => o.levels)];
    for (const o of this.overrides) if (o.gridId === undefined && o.shipTypes === undefined) throw new Error('collision override needs gridId or shipTypes');
    for (const l of all) for (const level of [l.warning, l.danger]) checkLevel(level);
    if (!(this.maxScreenNm > 0) || !(stale >= 0) || !(this.forgetAfterMs > 0)) throw new Error('collision rule: bad screen or forget option');
    this.screenCpaNm = Math.max(...all.flatMap((l) => [l.warning.cpaNm, l.danger.cpaNm]));
    this.screenHours = (Math.max(...all.flatMap((l) => [l.warning.tcpaMin, l.danger.tcpaMin])) + stale) / 60;
  }

  /** Pairs signalled and not yet cleared. */
  get openPairs(): number {
    return this.openCount;
  }

  /** Screening radius for a vessel under way at `sogKn` (see the header), nm. */
  screenNm(sogKn: number): number {
    return Math.min(this.maxScreenNm, this.screenCpaNm + 2 * sogKn * this.screenHours);
  }

  onFixes(batch: FixBatch): readonly Signal[] {
    for (const f of batch.moved) {
      const a = this.live.get(f.vesselId);
      if (a === undefined) continue;
      if (a.atMs > this.clockMs) this.clockMs = a.atMs;
      this.evaluateVessel(a);
    }
    if (this.clockMs - this.lastForgetMs >= FORGET_CHECK_MS) {
      this.lastForgetMs = this.clockMs;
      this.forgetUnseen();
    }
    if (this.out.size === 0) return [];
    const signals = [...this.out.values()];
    this.out = new Map();
    return signals;
  }

  private evaluateVessel(a: VesselState): void {
    const id = a.vesselId;
    const mine = this.open.get(id);
    // Open partners not met among the neighbours are evaluated after them.
    const pending = mine === undefined ? undefined : new Set(mine.keys());
    if (!isStationary(a)) {
      const known = motionKnown(a);
      const radius = known ? this.screenNm(a.sogKn!) : this.screenNm(UNKNOWN_SPEED_KN);
      for (const hit of this.sea.neighbours.near(id, radius)) {
        if (!known) {
          // An open partner is counted (and kept alive) by evaluatePair below.
          if (pending?.has(hit.vesselId) !== true) this.counters.pairsSkippedMotion++;
          continue;
        }
        const wasOpen = pending?.delete(hit.vesselId) === true;
        const b = this.live.get(hit.vesselId);
        if (b === undefined) continue;
        // Out of reach even at both speeds (the header's bound with B's own speed): no CPA needed.
        if (!wasOpen && b.sogKn !== undefined && hit.distanceNm - (a.sogKn! + b.sogKn) * this.screenHours > this.screenCpaNm) {
          this.counters.pairsOutOfReach++;
          continue;
        }
        this.evaluatePair(a, b);
      }
    }
    if (pending === undefined) return;
    for (const other of pending) {
      const b = this.live.get(other);
      if (b === undefined) this.clear(mine!.get(other)!, a.atMs, 'vessel-gone', undefined);
      else this.evaluatePair(a, b);
    }
  }

  private evaluatePair(a: VesselState, b: VesselState): void {
    const pair = this.open.get(a.vesselId)?.get(b.vesselId);
    const atMs = Math.max(a.atMs, b.atMs);
    if (isStationary(a) && isStationary(b)) {
      this.counters.pairsStationary++;
      if (pair !== undefined) this.clear(pair, atMs, 'both-stopped', undefined);
      return;
    }
    const r = cpa(a, b, atMs);
    if (r.kind === 'motion-unknown') {
      this.counters.pairsSkippedMotion++;
      if (pair !== undefined) pair.lastMs = atMs;
      return;
    }
    this.counters.pairsEvaluated++;
    const onlyDanger = MOORED_STATUS.has(a.navStatus ?? -1) || MOORED_STATUS.has(b.navStatus ?? -1) || (a.fleetId !== undefined && a.fleetId === b.fleetId);
    const severity = severityOf(r, this.overrides.length === 0 ? this.levels : this.levelsFor(a, b), onlyDanger);
    if (severity === undefined) {
      if (pair !== undefined) this.clear(pair, atMs, 'below-levels', r);
      return;
    }
    const p = pair ?? this.opened(a.vesselId, b.vesselId);
    p.lastMs = atMs;
    this.counters.signalsRaised++;
    const aIsLo = p.lo === a.vesselId;
    this.emit(p, severity, atMs, {
      cpaNm: r.cpaNm,
      tcpaMin: r.tcpaMin,
      rangeNm: r.rangeNm,
      meetingPoint: { lat: r.meetLat, lon: r.meetLon },
      confidence: r.confidence,
      // Evaluation time minus each fix's time, in `vesselIds` order.
      fixAgesMs: aIsLo ? [r.ageAMs, r.ageBMs] : [r.ageBMs, r.ageAMs],
      ...(onlyDanger ? { dangerOnly: true } : {}),
    }, fleetsOf(a.fleetId, b.fleetId));
  }

  /** The first override matching either vessel, else the defaults. */
  private levelsFor(a: VesselState, b: VesselState): CollisionLevels {
    let ma: GridMembership | undefined | null = null;
    let mb: GridMembership | undefined | null = null;
    for (const o of this.overrides) {
      if (o.gridId !== undefined) {
        ma ??= this.sea.membership(a.vesselId);
        mb ??= this.sea.membership(b.vesselId);
      }
      if (matches(o, a, ma ?? undefined) || matches(o, b, mb ?? undefined)) return o.levels;
    }
    return this.levels;
  }

  private opened(x: VesselId, y: VesselId): OpenPair {
    const [lo, hi] = x < y ? [x, y] : [y, x];
    const p: OpenPair = { key: `collision:${lo}|${hi}`, lo, hi, lastMs: -Infinity };
    link(this.open, lo, hi, p);
    link(this.open, hi, lo, p);
    this.openCount++;
    return p;
  }

  private clear(p: OpenPair, atMs: number, reason: ClearReason, r: CpaFound | undefined): void {
    unlink(this.open, p.lo, p.hi);
    unlink(this.open, p.hi, p.lo);
    this.openCount--;
    this.counters.signalsCleared++;
    const details = r === undefined ? { reason } : { reason, cpaNm: r.cpaNm, tcpaMin: r.tcpaMin, rangeNm: r.rangeNm };
    this.emit(p, undefined, atMs, details, undefined);
  }

  private emit(p: OpenPair, severity: AlertSeverity | undefined, atMs: number, details: Record<string, unknown>, fleetIds: readonly FleetId[] | undefined): void {
    this.out.set(p.key, {
      kind: 'collision',
      key: p.key,
      severity,
      vesselIds: [p.lo, p.hi],
      ...(fleetIds === undefined ? {} : { fleetIds }),
      atMs,
      details,
    });
  }

  /** Clears and forgets signalled pairs neither of whose vessels moved for `forgetAfterMs`. */
  private forgetUnseen(): void {
    const before = this.clockMs - this.forgetAfterMs;
    const stale: OpenPair[] = [];
    for (const [id, partners] of this.open) for (const p of partners.values()) if (p.lo === id && p.lastMs < before) stale.push(p);
    for (const p of stale) {
      this.counters.pairsForgotten++;
      this.clear(p, this.clockMs, 'not-seen', undefined);
    }
  }
}

function severityOf(r: CpaFound, levels: CollisionLevels, onlyDanger: boolean): AlertSeverity | undefined {
  if (!(r.tcpaMin > 0)) return undefined;
  if (r.cpaNm < levels.danger.cpaNm && r.tcpaMin <= levels.danger.tcpaMin) return 'danger';
  if (!onlyDanger && r.cpaNm < levels.warning.cpaNm && r.tcpaMin <= levels.warning.tcpaMin) return 'warning';
  return undefined;
}

function matches(o: CollisionOverride, v: VesselState, m: GridMembership | undefined): boolean {
  if (o.shipTypes !== undefined && (v.shipType === undefined || !o.shipTypes.includes(v.shipType))) return false;
  return o.gridId === undefined || (m !== undefined && inGrid(m, o.gridId));
}

function inGrid(m: GridMembership, gridId: string): boolean {
  const fz = m.fishingZone;
  return (
    m.static.includes(gridId) ||
    m.control.includes(gridId) ||
    m.patrol.includes(gridId) ||
    m.zones.includes(gridId) ||
    (fz !== undefined && (fz === gridId || fz.startsWith(`${gridId}-`)))
  );
}

function fleetsOf(a: FleetId | undefined, b: FleetId | undefined): readonly FleetId[] | undefined {
  if (a === undefined) return b === undefined ? undefined : [b];
  return b === undefined || b === a ? [a] : [a, b];
}

function checkLevel(l: CollisionLevel): void {
  if (!(l.cpaNm > 0 && Number.isFinite(l.cpaNm)) || !(l.tcpaMin > 0 && Number.isFinite(l.tcpaMin))) throw new Error(`collision level needs cpaNm and tcpaMin > 0: ${JSON.stringify(l)}`);
}

function link(m: Map<VesselId, Map<VesselId, OpenPair>>, x: VesselId, y: VesselId, p: OpenPair): void {
  let inner = m.get(x);
  if (inner === undefined) m.set(x, (inner = new Map()));
  inner.set(y, p);
}

function unlink(m: Map<VesselId, Map<VesselId, OpenPair>>, x: VesselId, y: VesselId): void {
  const inner = m.get(x);
  if (inner === undefined) return;
  inner.delete(y);
  if (inner.size === 0) m.delete(x);
}
