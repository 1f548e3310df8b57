import { CollisionRule, DEFAULT_ALERT_POLICY, FleetRule, Lifecycle, RouteBook, RouteDeviationRule, SignalLostRule, ZoneRule, type AlertPolicyFile, type Rule } from '../alerts/index.js';
import type { GridDef, LivePicture, SeaPicture } from '../geo/index.js';
import type { FleetId, VesselId, VesselRegistry } from '../model/index.js';

/** Issue 12's defaults and no per-zone or per-class levels: what runs without ALERT_POLICY_FILE. */
export const DEFAULT_POLICY_FILE: AlertPolicyFile = Object.freeze({ policy: DEFAULT_ALERT_POLICY, collisionOverrides: [] });

/**
 * Hop 6's rules over the live picture and the located sea picture: collision, route deviation,
 * signal lost (raised higher during an open alert of the vessel), fleet straggler and intruder, zones.
 * One composition for `seagrid serve` and the alert score bench (app/alert-score.bench.ts).
 */
export function alertRules(
  live: LivePicture,
  sea: SeaPicture,
  registry: VesselRegistry,
  grids: readonly GridDef[],
  routes: RouteBook,
  decider: Lifecycle,
  file: AlertPolicyFile = DEFAULT_POLICY_FILE,
): { rules: Rule[]; collision: CollisionRule } {
  const p = file.policy;
  const collisionTiming = { ...p.lifecycle.default, ...p.lifecycle.byKind['collision'] };
  const fleetMembers = (f: FleetId): VesselId[] => registry.fleet(f).map((v) => v.vesselId);
  // O(1) per question: a scan of every open alert here stalled the service for seconds in a flood.
  const openFor = (id: VesselId): boolean => decider.hasHoldingAlert(id);
  const collision = new CollisionRule(live, sea, {
    levels: p.collision,
    overrides: file.collisionOverrides,
    tolerance: { detailTolerance: collisionTiming.detailTolerance, detailRelTolerance: collisionTiming.detailRelTolerance },
  });
  const rules: Rule[] = [
    collision,
    new RouteDeviationRule(live, routes, p),
    new SignalLostRule(live, { membership: (id) => sea.membership(id), fleetMembers, hasOpenAlert: openFor }, p),
    new FleetRule(live, sea, fleetMembers, p),
    new ZoneRule(live, (id) => sea.membership(id), grids, (id) => registry.byVesselId(id)?.gear, p),
  ];
  return { rules, collision };
}
