/**
 * Route deviation (issue 12 §3): a vessel held to a planned route (its own, else its fleet's — the
 * merchant lanes are routes too) that is farther from the line than the corridor's half-width.
 *
 * What it decides
 * - Off: cross-track distance (`geo/route.ts`) > corridorHalfWidthNm → `warning`, signalled on every
 *   fix while off (the distance moves; the lifecycle coalesces). The raise hold is the lifecycle's
 *   (policy `lifecycle.byKind['route-deviation']`, 60 s): this rule does not wait, so one hold applies.
 * - Back: only once nearer than corridor × (1 − clearMarginFraction); between the two thresholds an
 *   off vessel stays off (hysteresis at the edge: a vessel sailing along it does not flicker). Then
 *   one clear. A vessel whose route is removed is cleared on its next fix.
 * - Key `route-deviation:{vesselId}`: one condition per vessel whichever route it is held to.
 * Pure; state only for vessels signalled off.
 */
import type { VesselId } from '../model/index.js';
import { crossTrackNm } from '../geo/index.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy } from './policy.js';
import type { RouteBook } from './route-book.js';
import type { VesselStates } from './collision-rule.js';
import type { FixBatch, Rule, Signal } from './rules.js';

export interface RouteDeviationCounters {
  /** Fixes of vessels held to a route, judged. */
  judged: number;
  signalsRaised: number;
  signalsCleared: number;
}

export class RouteDeviationRule implements Rule {
  readonly name = 'route-deviation';
  readonly counters: RouteDeviationCounters = { judged: 0, signalsRaised: 0, signalsCleared: 0 };
  private readonly clearFactor: number;
  /** Vessels signalled off their route. */
  private readonly off = new Set<VesselId>();

  constructor(
    private readonly live: VesselStates,
    private readonly routes: RouteBook,
    policy: Pick<AlertPolicy, 'routeDeviation'> = DEFAULT_ALERT_POLICY,
  ) {
    const m = policy.routeDeviation.clearMarginFraction;
    if (!(m >= 0 && m < 1)) throw new Error(`routeDeviation.clearMarginFraction must be in [0, 1): ${m}`);
    this.clearFactor = 1 - m;
  }

  onFixes(batch: FixBatch): readonly Signal[] {
    let out: Map<VesselId, Signal> | undefined;
    for (const f of batch.moved) {
      const v = this.live.get(f.vesselId);
      if (v === undefined) continue;
      const route = this.routes.routeFor(v.vesselId, v.fleetId);
      const wasOff = this.off.has(v.vesselId);
      if (route === undefined) {
        if (wasOff) (out ??= new Map()).set(v.vesselId, this.clear(v.vesselId, v.atMs, { reason: 'no-route' }));
        continue;
      }
      this.counters.judged++;
      const offNm = crossTrackNm(route.points, v.lat, v.lon);
      const limit = wasOff ? route.corridorHalfWidthNm * this.clearFactor : route.corridorHalfWidthNm;
      const details = { routeId: route.routeId, offNm, corridorHalfWidthNm: route.corridorHalfWidthNm };
      if (offNm > limit) {
        this.off.add(v.vesselId);
        this.counters.signalsRaised++;
        (out ??= new Map()).set(v.vesselId, {
          kind: 'route-deviation',
          key: keyOf(v.vesselId),
          severity: 'warning',
          vesselIds: [v.vesselId],
          ...(v.fleetId === undefined ? {} : { fleetIds: [v.fleetId] }),
          atMs: v.atMs,
          details,
        });
      } else if (wasOff) (out ??= new Map()).set(v.vesselId, this.clear(v.vesselId, v.atMs, details));
    }
    return out === undefined ? [] : [...out.values()];
  }

  private clear(vesselId: VesselId, atMs: number, details: Record<string, unknown>): Signal {
    this.off.delete(vesselId);
    this.counters.signalsCleared++;
    return { kind: 'route-deviation', key: keyOf(vesselId), severity: undefined, vesselIds: [vesselId], atMs, details };
  }
}

function keyOf(vesselId: VesselId): string {
  return `route-deviation:${vesselId}`;
}
