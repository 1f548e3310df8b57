import { CollisionRule, FleetRule, Lifecycle, RouteBook, RouteDeviationRule, SignalLostRule, ZoneRule, type Rule } from '../alerts/index.js';
import type { GridDef, LivePicture, SeaPicture } from '../geo/index.js';
import type { FleetId, VesselId, VesselRegistry } from '../model/index.js';

/**
 * Hop 6's rules over the live picture and the located sea picture: collision, route deviation,
 * signal lost (raised higher during an open alert of the vessel), fleet straggler and intruder, zones.
 * One composition for `seagrid serve` and the alert score bench (app/alert-score.bench.ts).
 */
export function alertRules(live: LivePicture, sea: SeaPicture, registry: VesselRegistry, grids: readonly GridDef[], routes: RouteBook, decider: Lifecycle): { rules: Rule[]; collision: CollisionRule } {
  const fleetMembers = (f: FleetId): VesselId[] => registry.fleet(f).map((v) => v.vesselId);
  // O(1) per question: a scan of every open alert here stalled the service for seconds in a flood.
  const openFor = (id: VesselId): boolean => decider.hasHoldingAlert(id);
  const collision = new CollisionRule(live, sea);
  const rules: Rule[] = [
    collision,
    new RouteDeviationRule(live, routes),
    new SignalLostRule(live, { membership: (id) => sea.membership(id), fleetMembers, hasOpenAlert: openFor }),
    new FleetRule(live, sea, fleetMembers),
    new ZoneRule(live, (id) => sea.membership(id), grids, (id) => registry.byVesselId(id)?.gear),
  ];
  return { rules, collision };
}
