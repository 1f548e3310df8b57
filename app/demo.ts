import type { AlertPolicy } from '../alerts/index.js';
import { VesselRegistry, type RouteAssignment, type VesselFile } from '../model/index.js';
import type { Logger } from './logger.js';
import { alertDueAtMs, type Scenario } from '../sim/index.js';
import { createSimFeed } from './sim-feed.js';

export interface Demo {
  readonly registry: VesselRegistry;
  /** The scenario's planned routes (the merchant lanes), for the route-deviation rule. */
  readonly routes: readonly RouteAssignment[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DemoOptions {
  readonly brokerUrl: string;
  readonly topicPrefix: string;
  readonly log: Logger;
  readonly now: () => number;
  /** The service's alert policy: the printed due times include its raise holds. */
  readonly policy: AlertPolicy;
}

/** The built-in Zhoushan feed of `npm start`: 8,000 fishing vessels in 770 fleets plus merchant traffic, in real time. */
export async function startDemo(options: DemoOptions): Promise<Demo | undefined> {
  const feed = createSimFeed({ brokerUrl: options.brokerUrl, topicPrefix: options.topicPrefix, now: options.now, clientId: 'seagrid-demo', alertPolicy: options.policy });
  const s = feed.scenario;
  options.log.info(
    { vessels: s.vessels.length, fleets: s.fleets.length, incidents: s.incidents.map((i) => ({ kind: i.kind, vesselIds: i.vesselIds, conditionAt: new Date(i.expectedAlertAtMs).toISOString(), alertDueAt: new Date(alertDueAtMs(i, options.policy)).toISOString() })) },
    'demo scenario ready',
  );
  return {
    registry: new VesselRegistry(withLeaders(s)),
    routes: scenarioRoutes(s),
    start: () => feed.start(),
    stop: () => feed.stop(),
  };
}

/** The scenario's registry with each fleet's leading boat marked as its leader (编组长船). */
function withLeaders(s: Scenario): VesselFile[] {
  const leaders = new Set<string>(s.fleets.map((f) => f.leaderVesselId));
  return s.registry.map((f) => (leaders.has(f.vesselId) ? { ...f, fleetLeader: true } : f));
}

/** The scenario's planned routes (the merchant lanes) as the route-deviation rule takes them. */
export function scenarioRoutes(s: Scenario): RouteAssignment[] {
  return s.routes.map((r) => ({ route: { routeId: r.routeId, name: r.name, points: r.points, corridorHalfWidthNm: r.corridorHalfWidthNm }, vesselIds: r.vesselIds, fleetIds: [] }));
}
