/**
 * The pipeline as `seagrid serve` composes it for the demo (registry, sea grids, routes, every
 * alert rule, the lifecycle) over a simulated scenario, with no IO: what the alert score and the
 * hops 6–7 bench run the simulator's payloads through. `wrapRule` and `wrapDecider` let a bench
 * time hops 6 and 7 from outside, with nothing added to the pipeline's own path.
 */
import { Lifecycle, RouteBook, type Decider, type Rule } from '../alerts/index.js';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { VesselRegistry } from '../model/index.js';
import { FleetSimulator, type Scenario } from '../sim/index.js';
import { alertRules } from './alert-rules.js';
import { scenarioRoutes } from './demo.js';
import { Pipeline } from './pipeline.js';
import { readSeaGrids } from './refdata.js';

export interface DemoPipelineOptions {
  readonly wrapRule?: (rule: Rule) => Rule;
  readonly wrapDecider?: (decider: Decider) => Decider;
}

export interface DemoPipeline {
  readonly pipeline: Pipeline;
  readonly sim: FleetSimulator;
}

export function demoPipeline(scenario: Scenario, o: DemoPipelineOptions = {}): DemoPipeline {
  const registry = new VesselRegistry(scenario.registry);
  const grids = readSeaGrids();
  const sea = new SeaPicture(registry, SeaGridIndex.build(grids, { res: 7 }));
  const routes = new RouteBook(scenarioRoutes(scenario));
  const lifecycle = new Lifecycle();
  const wrapRule = o.wrapRule ?? ((r: Rule) => r);
  const pipeline = new Pipeline({
    topicPrefix: '',
    registry,
    sea,
    // Sim time runs ahead of the wall clock: no fix is "in the future".
    live: { maxFutureMs: Number.POSITIVE_INFINITY },
    // The rules read the lifecycle itself (open alerts), not the wrapper.
    rules: (live) => alertRules(live, sea, registry, grids, routes, lifecycle).rules.map(wrapRule),
    decider: o.wrapDecider?.(lifecycle) ?? lifecycle,
    onRuleError: (rule, e) => {
      throw new Error(`rule ${rule} failed: ${e instanceof Error ? e.message : String(e)}`);
    },
  });
  return { pipeline, sim: new FleetSimulator(scenario, { topicPrefix: '' }) };
}
