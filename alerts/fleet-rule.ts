/**
 * Fleet proximity for fleet-group leaders (issue 12 §4). Two conditions, each naming the fleets it
 * concerns in `fleetIds` so each fleet's leader receives it (collision alerts between members name
 * theirs in the collision rule).
 *
 * Straggler (脱编), key `fleet-straggler:{vesselId}`, judged on each fix of a member:
 * - Reference: the centroid of the fleet's *other* fresh members (fix within `staleAfterMs` of this
 *   one), each dead-reckoned to this fix's time — BeiDou members report every 3 min, and a fleet
 *   under way at 8 kn moves 0.4 nm in that time. The fleet grid's own centroid counts the straggler
 *   too, which pulls the reference towards it by 1/n; its `outside` (≥ 3 nm) is the map's display
 *   notion, the alert follows the policy.
 * - While the fleet sails together (the others' median SOG ≥ `transitSogKn`, above any fishing
 *   speed), beyond `fleetStraggler.distanceNm` → `warning` (regroup). At work a fleet spreads over
 *   miles (gillnetters, pair trawlers on the grounds), so then only the seeds' rule holds: no other
 *   member within `fleetProximity.regroupNm` (8 nm: nobody to regroup with) → `danger`, in either
 *   phase. Back once nearer than distanceNm − clearMarginNm, or within regroupNm − clearMarginNm
 *   (hysteresis). Needs ≥ 2 other fresh members (with one, who strayed from whom?), and every
 *   member heard once or one stale time since the fleet's first fix.
 * Intruder, key `fleet-proximity:{fleetId}|{vesselId}`, judged on each fix of a vessel in no fleet
 * (above all merchant ships):
 * - it is within `footprintNm` of a fresh member now, or its predicted track (alerts/cpa.ts, both
 *   dead-reckoned) comes within `footprintNm` of one within `horizonMin` → `warning`. The time it
 *   enters that circle is TCPA − √(F² − CPA²)/v, with v = √(range² − CPA²)/TCPA (straight relative
 *   motion in the plane). `footprintNm` stands for
 *   the fleet grid's footprint (the members' res-6 cells plus one ring, ≈ 2 nm around each member).
 *   Screened through the neighbour index like the collision rule (never all vessels): a member B
 *   (at most s, the faster of the intruder's SOG and the fastest fresh member's, capped at
 *   MEMBER_SOG_CAP_KN) that comes within F of the intruder A at some t in [0, T] lay, at a fix up
 *   to `a` old, within F + s·(t + a) of A(t), and A(t) is within sA·T/2 of M, the middle of A's
 *   track over the horizon — so within F + s·(T + a) + sA·T/2 of M, the circle screened: a fleet
 *   steaming at a slow or anchored vessel included, for a member fix up to 3 min older than the
 *   intruder's (a = a BeiDou interval, the collision rule's allowance; an older one is met only
 *   when it happens to lie nearer). One clear when
 *   it no longer holds, or once the intruder has not been heard for
 *   `forgetIntruderAfterMs`; a pair whose motion is unknown keeps what it had.
 * Pure; state only for signalled conditions.
 */
import type { FleetId, VesselId, VesselState } from '../model/index.js';
import { distanceNm as geoDistanceNm, EARTH_RADIUS_M, M_PER_NM, RAD } from '../geo/index.js';
import { cpa, isStationary, motionKnown, STATIONARY_SOG_KN } from './cpa.js';
import type { NeighbourIndex } from '../geo/index.js';
import type { VesselStates } from './collision-rule.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy } from './policy.js';
import type { FixBatch, Rule, Signal } from './rules.js';

/** The located picture as this rule reads it (geo's SeaPicture): vessels near a vessel. */
export interface FleetNeighbours {
  readonly neighbours: Pick<NeighbourIndex, 'forEachNearPoint'>;
}

export interface FleetRuleOptions {
  /** A member's fix older than this (against the fix judged) does not shape the reference, ms. Default 10 min (the fleet grid's). */
  readonly staleAfterMs?: number;
  /** Cap of the intruder screening radius, nm. Default 12 (the neighbour index's tested radius). */
  readonly maxScreenNm?: number;
  /** A signalled intruder not heard for this long (fix time) is cleared and forgotten, ms. Default 30 min (the collision rule's). */
  readonly forgetIntruderAfterMs?: number;
}

export interface FleetRuleCounters {
  stragglerJudged: number;
  intrudersJudged: number;
  pairsSkippedMotion: number;
  signalsRaised: number;
  signalsCleared: number;
}

export class FleetRule implements Rule {
  readonly name = 'fleet';
  readonly counters: FleetRuleCounters = { stragglerJudged: 0, intrudersJudged: 0, pairsSkippedMotion: 0, signalsRaised: 0, signalsCleared: 0 };
  private readonly straggleNm: number;
  private readonly backNm: number;
  private readonly regroupNm: number;
  private readonly transitSogKn: number;
  private readonly footprintNm: number;
  private readonly horizonMin: number;
  private readonly staleAfterMs: number;
  private readonly maxScreenNm: number;
  private readonly forgetAfterMs: number;
  /** Each fleet's members as this rule last saw them (the registry's fleets are fixed for the process's life). */
  private readonly tables = new Map<FleetId, MemberTable>();
  /** Every member of a fleet whose table exists: its table and row. */
  private readonly rowOf = new Map<VesselId, { t: MemberTable; i: number }>();
  /** Scratch: the other members' SOGs of one judgement. */
  private readonly sogs: number[] = [];
  /** Scratch: the states of one batch. */
  private readonly states: VesselState[] = [];
  /** Fleets each intruder is signalled against, and its last judged fix time. */
  private readonly intruding = new Map<VesselId, { fleets: Set<FleetId>; lastMs: number }>();
  /**
   * The fastest SOG of any member's row fresh within `staleAfterMs` (raised at every row put,
   * lowered once a minute): an intruder's screen reaches as far as it and that member can close in
   * the horizon, so a fleet steaming at a slow or anchored vessel is met before it arrives.
   */
  private fastestMemberKn = 0;
  private lastFastestMs = -Infinity;
  private clockMs = -Infinity;
  private lastForgetMs = -Infinity;
  private out = new Map<string, Signal>();

  constructor(
    private readonly live: VesselStates,
    private readonly sea: FleetNeighbours,
    private readonly fleetMembers: (fleetId: FleetId) => readonly VesselId[],
    policy: Pick<AlertPolicy, 'fleetStraggler' | 'fleetProximity'> = DEFAULT_ALERT_POLICY,
    options: FleetRuleOptions = {},
  ) {
    const p = policy.fleetProximity;
    this.straggleNm = policy.fleetStraggler.distanceNm;
    this.backNm = this.straggleNm - p.clearMarginNm;
    this.regroupNm = p.regroupNm;
    this.transitSogKn = p.transitSogKn;
    this.footprintNm = p.footprintNm;
    this.horizonMin = p.horizonMin;
    this.staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
    this.maxScreenNm = options.maxScreenNm ?? 12;
    this.forgetAfterMs = options.forgetIntruderAfterMs ?? 30 * 60_000;
    if (!(this.straggleNm > 0 && this.backNm > 0 && this.regroupNm > 0 && this.footprintNm > 0 && this.horizonMin > 0)) throw new Error('fleet rule: bad policy');
  }

  onFixes(batch: FixBatch): readonly Signal[] {
    // Every member row of the batch first: a judgement sees the others as the picture has them now.
    const states = this.states;
    states.length = 0;
    for (const f of batch.moved) {
      const v = this.live.get(f.vesselId);
      if (v === undefined) continue;
      states.push(v);
      if (v.fleetId === undefined) continue;
      const t = this.tableOf(v.fleetId);
      const i = t.slot.get(v.vesselId);
      if (i !== undefined) this.putRow(t, i, v);
    }
    for (const v of states) {
      if (v.atMs > this.clockMs) this.clockMs = v.atMs;
      if (v.fleetId !== undefined) this.judgeMember(v, v.fleetId);
      else this.judgeIntruder(v);
    }
    states.length = 0;
    if (this.clockMs - this.lastFastestMs >= 60_000) {
      this.lastFastestMs = this.clockMs;
      this.fastestMemberKn = this.fastestFresh();
    }
    if (this.intruding.size > 0 && this.clockMs - this.lastForgetMs >= 60_000) {
      this.lastForgetMs = this.clockMs;
      this.forgetSilentIntruders();
    }
    if (this.out.size === 0) return [];
    const signals = [...this.out.values()];
    this.out = new Map();
    return signals;
  }

  /** Restored members' rows take the picture's restored states (a fleet not seen yet gets its table): judgements and the intruders' screens see them at once. */
  onRestored(vesselIds: readonly VesselId[]): void {
    for (const id of vesselIds) {
      const m = this.live.get(id);
      if (m?.fleetId !== undefined) this.tableOf(m.fleetId);
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      if (m === undefined) row.t.atMs[row.i] = NaN;
      else this.putRow(row.t, row.i, m);
    }
  }

  private judgeMember(v: VesselState, fleetId: FleetId): void {
    const t = this.tableOf(fleetId);
    const me = t.slot.get(v.vesselId);
    if (me === undefined) return; // not among the fleet's members in the registry: nothing to judge it against
    // In the tangent plane at v (east scaled by cos φ, as geo/route.ts): within the few miles a
    // fleet spans this is within 0.1 % of the great circle, and costs no trigonometry per member.
    const kx = NM_PER_DEG * Math.cos(v.lat * RAD);
    let sx = 0;
    let sy = 0;
    let n = 0;
    let nearestSq = Infinity;
    const sogs = this.sogs;
    sogs.length = 0;
    let unheard = 0;
    const { lat, lon, sog, sinCog, cosCog, atMs } = t;
    for (let j = 0; j < t.ids.length; j++) {
      if (j === me) continue;
      // A member the rule has not been given yet (heard before a restart, restored into the picture): from the picture once.
      if (atMs[j] !== atMs[j]) {
        const o = this.live.get(t.ids[j]!);
        if (o === undefined) unheard++;
        else this.putRow(t, j, o);
      }
      const oAtMs = atMs[j]!;
      if (oAtMs !== oAtMs || v.atMs - oAtMs > this.staleAfterMs) continue;
      let x = (lon[j]! - v.lon) * kx;
      let y = (lat[j]! - v.lat) * NM_PER_DEG;
      // Dead-reckoned to v's fix time on its last SOG and COG (sinCog NaN: no COG, or stationary).
      if (sinCog[j] === sinCog[j] && oAtMs !== v.atMs) {
        const runNm = (sog[j]! * (v.atMs - oAtMs)) / 3_600_000;
        x += runNm * sinCog[j]!;
        y += runNm * cosCog[j]!;
      }
      const s = sog[j]!;
      sogs.push(s === s ? s : 0);
      sx += x;
      sy += y;
      n++;
      nearestSq = Math.min(nearestSq, x * x + y * y);
    }
    if (n < 2) return; // too few to say who strayed; a signalled straggler keeps its state
    // Until each member has been heard or one stale time has passed, the reference is a part of the
    // fleet (BeiDou boats report once in 3 min): its centroid would be biased, so no judgement yet.
    if (!(t.firstFixMs <= v.atMs)) t.firstFixMs = v.atMs;
    if (unheard > 0 && v.atMs - t.firstFixMs < this.staleAfterMs) return;
    this.counters.stragglerJudged++;
    const nearestNm = Math.sqrt(nearestSq);
    const d = Math.hypot(sx / n, sy / n);
    const was = t.straggling[me] === 1;
    const m = this.backNm - this.straggleNm; // ≤ 0: the hysteresis margin
    const transit = median(sogs) >= this.transitSogKn;
    const alone = nearestNm > this.regroupNm + (was ? m : 0);
    const behind = transit && d > this.straggleNm + (was ? m : 0);
    if (!alone && !behind && !was) return;
    const key = `fleet-straggler:${v.vesselId}`;
    const c = { lat: v.lat + sy / n / NM_PER_DEG, lon: v.lon + sx / n / kx };
    const details = { distanceNm: d, thresholdNm: this.straggleNm, nearestMemberNm: nearestNm, centroid: c, membersJudged: n, transit };
    if (alone || behind) {
      t.straggling[me] = 1;
      this.counters.signalsRaised++;
      this.emit(key, 'fleet-straggler', alone ? 'danger' : 'warning', [v.vesselId], fleetId, v.atMs, details);
    } else {
      t.straggling[me] = 0;
      this.counters.signalsCleared++;
      this.emit(key, 'fleet-straggler', undefined, [v.vesselId], fleetId, v.atMs, details);
    }
  }

  private tableOf(fleetId: FleetId): MemberTable {
    let t = this.tables.get(fleetId);
    if (t === undefined) {
      this.tables.set(fleetId, (t = new MemberTable(this.fleetMembers(fleetId))));
      for (let i = 0; i < t.ids.length; i++) this.rowOf.set(t.ids[i]!, { t, i });
    }
    return t;
  }

  private judgeIntruder(v: VesselState): void {
    const open = this.intruding.get(v.vesselId)?.fleets;
    if (!motionKnown(v)) {
      this.counters.pairsSkippedMotion++;
      const held = this.intruding.get(v.vesselId);
      if (held !== undefined) held.lastMs = v.atMs;
      return;
    }
    this.counters.intrudersJudged++;
    const sog = isStationary(v) ? 0 : v.sogKn!;
    // The header's circle: centred halfway along the intruder's track over the horizon, for a
    // member at most s — the fastest member's speed, or the intruder's (never a smaller screen
    // than when members were taken as no faster than it) — whose fix may be STALE_ALLOWANCE_MS old.
    const s = Math.max(sog, this.fastestMemberKn);
    const halfRunNm = (sog * this.horizonMin) / 120;
    const radius = Math.min(Math.max(0, this.maxScreenNm - halfRunNm), this.footprintNm + (s * this.horizonMin) / 60 + halfRunNm + (s * STALE_ALLOWANCE_MS) / 3_600_000 + MID_MARGIN_NM);
    const c = sog === 0 ? v : midTrack(v, halfRunNm);
    // hitNm: how near the member lay, the tie-break (`near`'s order before).
    const met = new Map<FleetId, { member: VesselId; cpaNm: number; tcpaMin: number; rangeNm: number; hitNm: number }>();
    // By visitor, not `near`'s list: an intruder on the grounds has hundreds of vessels in its
    // screen, and the list's objects and its sort by distance (unused here) were most of its cost.
    this.sea.neighbours.forEachNearPoint(v.vesselId, c, radius, (id, midNm) => {
      // Most hits are members far enough that they cannot meet the footprint in the horizon: ruled
      // out from the member table before the picture's state and the CPA's trigonometry are read.
      const row = this.memberRow(id);
      if (row === undefined) return;
      const { t, i } = row;
      const mAtMs = t.atMs[i]!;
      if (v.atMs - mAtMs > this.staleAfterMs) return;
      if (t.motionKnown(i) && this.cannotEnter(midNm, halfRunNm, t.sog[i]!, Math.abs(v.atMs - mAtMs))) return;
      const m = this.live.get(id);
      if (m === undefined || m.fleetId === undefined || v.atMs - m.atMs > this.staleAfterMs) return;
      const r = cpa(v, m, v.atMs);
      if (r.kind === 'motion-unknown') {
        this.counters.pairsSkippedMotion++;
        // Held for an open alert by the nearest such member, unless one with a known approach is met.
        const held = met.get(m.fleetId);
        const rangeNm = geoDistanceNm(v.lat, v.lon, m.lat, m.lon);
        if (open?.has(m.fleetId) === true && (held === undefined || (held.cpaNm !== held.cpaNm && rangeNm < held.hitNm)))
          met.set(m.fleetId, { member: m.vesselId, cpaNm: NaN, tcpaMin: NaN, rangeNm, hitNm: rangeNm });
        return;
      }
      const enters = r.rangeNm < this.footprintNm || (r.cpaNm < this.footprintNm && r.tcpaMin > 0 && entryMin(r.rangeNm, r.cpaNm, r.tcpaMin, this.footprintNm) <= this.horizonMin);
      if (!enters) return;
      const best = met.get(m.fleetId);
      // The closest approach names the member (over one whose motion is unknown, NaN); a tie, the one nearer now.
      if (best === undefined || !(best.cpaNm <= r.cpaNm) || (r.cpaNm === best.cpaNm && r.rangeNm < best.hitNm)) met.set(m.fleetId, { member: m.vesselId, cpaNm: r.cpaNm, tcpaMin: r.tcpaMin, rangeNm: r.rangeNm, hitNm: r.rangeNm });
    });
    for (const [fleetId, b] of met) {
      this.counters.signalsRaised++;
      this.emit(`fleet-proximity:${fleetId}|${v.vesselId}`, 'fleet-proximity', 'warning', [v.vesselId, b.member], fleetId, v.atMs, {
        cpaNm: b.cpaNm,
        tcpaMin: b.tcpaMin,
        rangeNm: b.rangeNm,
        footprintNm: this.footprintNm,
      });
    }
    if (open !== undefined) {
      for (const fleetId of open) {
        if (met.has(fleetId)) continue;
        this.counters.signalsCleared++;
        this.emit(`fleet-proximity:${fleetId}|${v.vesselId}`, 'fleet-proximity', undefined, [v.vesselId], fleetId, v.atMs, {});
      }
    }
    if (met.size === 0) this.intruding.delete(v.vesselId);
    else this.intruding.set(v.vesselId, { fleets: new Set(met.keys()), lastMs: v.atMs });
  }

  /**
   * Whether a pair surely stays outside the footprint for the horizon: the member (at
   * `memberSogKn`, its fix `ageMs` from the intruder's) lay `midNm` from the middle of the
   * intruder's track over the horizon, every point of which is within `halfRunNm` of it; the member
   * gets at most its run in `ageMs` plus the horizon nearer. A margin (1 % + 0.01 nm) covers the
   * plane the CPA is taken in.
   */
  private cannotEnter(midNm: number, halfRunNm: number, memberSogKn: number, ageMs: number): boolean {
    const nearestNm = midNm - halfRunNm - (memberSogKn * ageMs) / 3_600_000 - (memberSogKn * this.horizonMin) / 60;
    return nearestNm > this.footprintNm * 1.01 + 0.01;
  }

  /** The member table row of a fleet member (from the picture the first time; undefined: in no fleet, or no position). */
  private memberRow(id: VesselId): { t: MemberTable; i: number } | undefined {
    const row = this.rowOf.get(id);
    if (row !== undefined && row.t.atMs[row.i] === row.t.atMs[row.i]) return row;
    const m = this.live.get(id);
    if (m === undefined || m.fleetId === undefined) return undefined;
    const t = this.tableOf(m.fleetId);
    const i = t.slot.get(id);
    if (i === undefined) return undefined;
    this.putRow(t, i, m);
    return this.rowOf.get(id);
  }

  /** Row i of table t from a state. Every row is written here, so the fastest member's SOG follows them all. */
  private putRow(t: MemberTable, i: number, v: VesselState): void {
    t.put(i, v);
    const sog = t.sog[i]!;
    if (sog > this.fastestMemberKn) this.fastestMemberKn = Math.min(sog, MEMBER_SOG_CAP_KN);
  }

  /** The fastest SOG among the member rows fresh at the clock (NaN SOGs aside). */
  private fastestFresh(): number {
    let fastest = 0;
    for (const t of this.tables.values())
      for (let i = 0; i < t.ids.length; i++) if (this.clockMs - t.atMs[i]! <= this.staleAfterMs && t.sog[i]! > fastest) fastest = t.sog[i]!;
    return Math.min(fastest, MEMBER_SOG_CAP_KN);
  }

  /** An intruder that fell silent (or left the picture) while signalled: cleared, so its alert does not hold for ever. */
  private forgetSilentIntruders(): void {
    for (const [id, i] of this.intruding) {
      if (this.clockMs - i.lastMs < this.forgetAfterMs) continue;
      this.intruding.delete(id);
      for (const fleetId of i.fleets) {
        this.counters.signalsCleared++;
        this.emit(`fleet-proximity:${fleetId}|${id}`, 'fleet-proximity', undefined, [id], fleetId, this.clockMs, { reason: 'not-seen' });
      }
    }
  }

  private emit(key: string, kind: string, severity: Signal['severity'], vesselIds: readonly VesselId[], fleetId: FleetId, atMs: number, details: Record<string, unknown>): void {
    this.out.set(key, { kind, key, severity, vesselIds, fleetIds: [fleetId], atMs, details });
  }
}

/** Room in the screen for the middle of the track placed in the plane rather than on the sphere (< 0.001 nm at 2 nm), nm. */
const MID_MARGIN_NM = 0.01;

/** The point `runNm` ahead of a vessel on its COG, in the tangent plane (east scaled by cos φ). */
function midTrack(v: VesselState, runNm: number): { lat: number; lon: number } {
  const c = v.cogDeg! * RAD;
  return { lat: v.lat + (runNm * Math.cos(c)) / NM_PER_DEG, lon: v.lon + (runNm * Math.sin(c)) / (NM_PER_DEG * Math.cos(v.lat * RAD)) };
}

/** A member fix this much older than the intruder's is still within the screen (the header), ms. */
const STALE_ALLOWANCE_MS = 3 * 60_000;
/**
 * Most a member's SOG widens every intruder's screen by, kn: fishing vessels steam at 8–15 kn, and
 * one report of 60 (AIS accepts up to 102.2) would otherwise take every screen to its cap.
 */
const MEMBER_SOG_CAP_KN = 25;

/** Minutes until a relative track at `rangeNm` with this CPA/TCPA first comes within `radiusNm` (CPA < radius < range). */
function entryMin(rangeNm: number, cpaNm: number, tcpaMin: number, radiusNm: number): number {
  return tcpaMin * (1 - Math.sqrt(radiusNm * radiusNm - cpaNm * cpaNm) / Math.sqrt(rangeNm * rangeNm - cpaNm * cpaNm));
}

/**
 * One fleet's members as of the last fix of each that the rule was given, in flat arrays: a
 * judgement reads every other member, and reading them from the picture's objects (a map look-up
 * and a cache miss or two each) was 80 % of the rule's time. A member's row follows the fixes the
 * pipeline hands the rule; one not yet handed (restored from the store before a restart) is read
 * from the picture once. NaN stands for unknown.
 */
class MemberTable {
  readonly slot = new Map<VesselId, number>();
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly sog: Float64Array;
  /** sin and cos of the COG, NaN when the vessel is not dead-reckoned (no SOG or COG, or stationary). */
  readonly sinCog: Float64Array;
  readonly cosCog: Float64Array;
  readonly atMs: Float64Array;
  /** 1 while the member is signalled as a straggler. */
  readonly straggling: Uint8Array;
  /** Time of the first member fix judged (the reference's warm-up); NaN before it. */
  firstFixMs = NaN;

  constructor(readonly ids: readonly VesselId[]) {
    const n = ids.length;
    ids.forEach((id, i) => this.slot.set(id, i));
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.sog = new Float64Array(n);
    this.sinCog = new Float64Array(n);
    this.cosCog = new Float64Array(n);
    this.atMs = new Float64Array(n).fill(NaN);
    this.straggling = new Uint8Array(n);
  }

  put(i: number, v: VesselState): void {
    this.lat[i] = v.lat;
    this.lon[i] = v.lon;
    this.sog[i] = v.sogKn ?? NaN;
    const reckoned = v.sogKn !== undefined && v.cogDeg !== undefined && !isStationary(v);
    this.sinCog[i] = reckoned ? Math.sin(v.cogDeg! * RAD) : NaN;
    this.cosCog[i] = reckoned ? Math.cos(v.cogDeg! * RAD) : NaN;
    this.atMs[i] = v.atMs;
  }

  /** Whether row i's motion is known (alerts/cpa.ts motionKnown): a SOG, and a COG unless stationary. */
  motionKnown(i: number): boolean {
    const s = this.sog[i]!;
    return s === s && (s <= STATIONARY_SOG_KN || this.sinCog[i] === this.sinCog[i]);
  }
}

function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const h = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[h]! : (xs[h - 1]! + xs[h]!) / 2;
}

/** Nautical miles in one degree of arc on seagrid's sphere. */
const NM_PER_DEG = (EARTH_RADIUS_M * RAD) / M_PER_NM;
