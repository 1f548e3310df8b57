/**
 * Zone rules (issue 12 §6), judged on each fix from the grids the fix was located in (membership
 * `zones` holds only zones in force at the fix time: a moratorium counts only between its dates).
 * One condition per vessel and zone, key `zone:{vesselId}|{zoneId}`, cleared once it no longer holds.
 *
 * What it decides
 * - Closed to fishing (`seasonal_closure` — 伏季休渔 — and `no_fishing_zone`): a fishing vessel
 *   fishing inside → `warning`. Fishing vessel: registry gear other than `cargo`, or AIS ship type
 *   30. Fishing: AIS status 7 (engaged in fishing), or under way at a working speed (above still,
 *   at most `zones.fishingMaxSogKn`); a boat in transit or in port is not flagged — one alert per
 *   boat in a zone it is lawfully crossing would bury the ones actually fishing. The moratorium notices exempt hook-and-line (`appliesTo` in the grid file), so gear named
 *   line/hook/jig is exempt. A zone whose rule names trawling (the motor-trawl prohibited zone west
 *   of the no-trawl line, which holds the ports) applies to trawl gear at trawling speed only
 *   (policy `zones.trawlingSogKn`): going to and from port through it is lawful. Lying still
 *   (SOG ≤ 0.2 kn, or moored/at anchor) is not fishing: boats sit out the moratorium in port.
 * - Fisheries-agreement waters (`provisional_measures_zone`, the China–Korea and China–Japan
 *   provisional measures zones): a fishing vessel seen crossing their line (a fix outside, then one
 *   inside) → `info` (permit and catch log apply there) for `zones.agreementCrossingMs` after the
 *   crossing: an event, not a state — the fleets working those grounds for days are not one alert
 *   each. A vessel first heard inside was not seen crossing and raises nothing.
 * - Anchorage: any vessel inside faster than `zones.anchorageMaxSogKn` → `warning`; it holds until
 *   the vessel is 1 kn below that or outside (no flicker at the speed limit).
 * Pure; state only for held conditions.
 */
import type { AlertSeverity, GridMembership, VesselId, VesselState } from '../model/index.js';
import type { GridDef } from '../geo/index.js';
import { isStationary } from './cpa.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy } from './policy.js';
import type { VesselStates } from './collision-rule.js';
import type { FixBatch, Rule, Signal } from './rules.js';

export interface ZoneRuleCounters {
  judged: number;
  signalsRaised: number;
  signalsCleared: number;
}

/** AIS navigational status at anchor (1) and moored (5). */
const STILL_STATUS: ReadonlySet<number> = new Set([1, 5]);
/** AIS navigational status engaged in fishing. */
const FISHING_STATUS = 7;
const NO_ZONES: readonly string[] = [];
const ANCHORAGE_HYSTERESIS_KN = 1;
const EXEMPT_GEAR = /line|hook|jig/i;

type ZoneClass = 'closed' | 'trawl-closed' | 'agreement' | 'anchorage';

interface Held {
  readonly severity: AlertSeverity;
  readonly zoneId: string;
  readonly why: string;
}

export class ZoneRule implements Rule {
  readonly name = 'zone';
  readonly counters: ZoneRuleCounters = { judged: 0, signalsRaised: 0, signalsCleared: 0 };
  private readonly classOf = new Map<string, ZoneClass>();
  private readonly held = new Map<VesselId, Map<string, Held>>();
  /** Agreement zones each fishing vessel was in at its last fix (absent: never judged; empty: in none). */
  private readonly inAgreement = new Map<VesselId, readonly string[]>();
  /** Fix time of a vessel's observed crossing into an agreement zone, by condition key. */
  private readonly crossedAt = new Map<string, number>();
  private readonly anchorMaxKn: number;
  private readonly trawl: { readonly min: number; readonly max: number };
  private readonly fishingMaxKn: number;
  private readonly crossingMs: number;

  constructor(
    private readonly live: VesselStates,
    private readonly membership: (vesselId: VesselId) => GridMembership | undefined,
    grids: readonly GridDef[],
    private readonly gearOf: (vesselId: VesselId) => string | undefined,
    policy: Pick<AlertPolicy, 'zones'> = DEFAULT_ALERT_POLICY,
  ) {
    for (const g of grids) {
      const c = zoneClass(g);
      if (c !== undefined) this.classOf.set(g.id, c);
    }
    this.anchorMaxKn = policy.zones.anchorageMaxSogKn;
    this.trawl = policy.zones.trawlingSogKn;
    this.fishingMaxKn = policy.zones.fishingMaxSogKn;
    this.crossingMs = policy.zones.agreementCrossingMs;
  }

  onFixes(batch: FixBatch): readonly Signal[] {
    let out: Signal[] | undefined;
    for (const f of batch.moved) {
      const v = this.live.get(f.vesselId);
      if (v === undefined) continue;
      this.counters.judged++;
      const before = this.held.get(v.vesselId);
      const m = this.membership(v.vesselId);
      const wasIn = this.inAgreement.get(v.vesselId);
      if (before === undefined && (m === undefined || m.zones.length === 0)) {
        // Most fixes: no zone, nothing held. Heard outside: a later fix inside is a crossing.
        this.leaveAgreement(v.vesselId, wasIn, NO_ZONES);
        continue;
      }
      const now = this.judge(v, m, before);
      for (const [key, h] of now) {
        this.counters.signalsRaised++;
        (out ??= []).push(this.signal(v, key, h.severity, { zoneId: h.zoneId, why: h.why, sogKn: v.sogKn ?? null }));
      }
      if (before !== undefined)
        for (const [key, h] of before) {
          if (now.has(key)) continue;
          this.counters.signalsCleared++;
          (out ??= []).push(this.signal(v, key, undefined, { zoneId: h.zoneId, sogKn: v.sogKn ?? null }));
        }
      if (now.size === 0) this.held.delete(v.vesselId);
      else this.held.set(v.vesselId, now);
    }
    return out ?? [];
  }

  private judge(v: VesselState, m: GridMembership | undefined, before: Map<string, Held> | undefined): Map<string, Held> {
    const now = new Map<string, Held>();
    const wasIn = this.inAgreement.get(v.vesselId);
    if (m === undefined || m.zones.length === 0) {
      this.leaveAgreement(v.vesselId, wasIn, NO_ZONES);
      return now;
    }
    const gear = this.gearOf(v.vesselId);
    const fishingVessel = gear !== undefined ? gear !== 'cargo' : v.shipType === 30;
    const still = isStationary(v) || STILL_STATUS.has(v.navStatus ?? -1);
    const fishingNow = !still && (v.navStatus === FISHING_STATUS || (v.sogKn !== undefined && v.sogKn <= this.fishingMaxKn));
    let agreement: string[] | undefined;
    for (const zoneId of m.zones) {
      const c = this.classOf.get(zoneId);
      const key = `zone:${v.vesselId}|${zoneId}`;
      let h: Held | undefined;
      if (c === 'closed' && fishingVessel && fishingNow && !(gear !== undefined && EXEMPT_GEAR.test(gear))) h = { severity: 'warning', zoneId, why: 'fishing-in-closed-zone' };
      else if (c === 'trawl-closed' && gear !== undefined && /trawl/i.test(gear) && v.sogKn !== undefined && v.sogKn >= this.trawl.min && v.sogKn <= this.trawl.max)
        h = { severity: 'warning', zoneId, why: 'trawling-in-trawl-closed-zone' };
      else if (c === 'agreement' && fishingVessel) {
        (agreement ??= []).push(zoneId);
        // Heard outside before (wasIn known and without this zone): this fix is the crossing.
        if (wasIn !== undefined && !wasIn.includes(zoneId) && !this.crossedAt.has(key)) this.crossedAt.set(key, v.atMs);
        const at = this.crossedAt.get(key);
        if (at !== undefined && v.atMs - at < this.crossingMs) h = { severity: 'info', zoneId, why: 'crossed-into-agreement-waters' };
      }
      else if (c === 'anchorage' && v.sogKn !== undefined) {
        const limit = before?.has(key) === true ? this.anchorMaxKn - ANCHORAGE_HYSTERESIS_KN : this.anchorMaxKn;
        if (v.sogKn > limit) h = { severity: 'warning', zoneId, why: 'under-way-fast-in-anchorage' };
      }
      if (h !== undefined) now.set(key, h);
    }
    if (fishingVessel) this.leaveAgreement(v.vesselId, wasIn, agreement ?? NO_ZONES);
    return now;
  }

  /** Records the agreement zones the vessel is in now and forgets the crossings of those it left. */
  private leaveAgreement(id: VesselId, wasIn: readonly string[] | undefined, now: readonly string[]): void {
    if (wasIn !== undefined) for (const z of wasIn) if (!now.includes(z)) this.crossedAt.delete(`zone:${id}|${z}`);
    if (wasIn !== now) this.inAgreement.set(id, now);
  }

  private signal(v: VesselState, key: string, severity: AlertSeverity | undefined, details: Record<string, unknown>): Signal {
    return { kind: 'zone', key, severity, vesselIds: [v.vesselId], ...(v.fleetId === undefined ? {} : { fleetIds: [v.fleetId] }), atMs: v.atMs, details };
  }
}

function zoneClass(g: GridDef): ZoneClass | undefined {
  switch (g.kind) {
    case 'seasonal_closure':
      return 'closed';
    case 'no_fishing_zone':
      return /trawl/i.test(`${g.id} ${String(g.props.rule ?? '')}`) ? 'trawl-closed' : 'closed';
    case 'provisional_measures_zone':
      return 'agreement';
    case 'anchorage':
      return 'anchorage';
    default:
      return undefined;
  }
}
