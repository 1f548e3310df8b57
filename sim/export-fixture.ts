import { createScenario, type ScenarioOptions } from './scenario.js';
import { FleetSimulator, type SimulatorOptions } from './simulator.js';

/**
 * A scenario and its first minutes of payloads as fixture text: a JSON document (registry, fleets,
 * routes, incidents with expected times, parameters) and NDJSON payloads `{atMs, topic, payload}`.
 * Pure: the caller writes the files. This is scenario input for tests of later stages, produced
 * by this simulator — not an independent golden output.
 */
export interface FixtureSpec {
  readonly scenario: ScenarioOptions;
  readonly simulator: Omit<SimulatorOptions, 'onReport'>;
  readonly durationMs: number;
  readonly stepMs: number;
  /** Name of the NDJSON file, recorded in the JSON. */
  readonly payloadFile: string;
}

export const SMALL_FIXTURE: FixtureSpec = {
  scenario: { seed: 7, vessels: 40, fleets: 5, merchants: 6 },
  simulator: {},
  durationMs: 10 * 60_000,
  stepMs: 1000,
  payloadFile: 'zhoushan-small.payloads.ndjson',
};

export function scenarioFixture(spec: FixtureSpec): { json: string; ndjson: string } {
  const scenario = createScenario(spec.scenario);
  const sim = new FleetSimulator(scenario, spec.simulator);
  const batches = sim.start();
  for (let t = scenario.startMs + spec.stepMs; t <= scenario.startMs + spec.durationMs; t += spec.stepMs) batches.push(...sim.advance(t));
  batches.push(...sim.flush());
  const ndjson = batches.map((b) => JSON.stringify({ atMs: b.atMs, topic: b.topic, payload: b.payload })).join('\n') + '\n';
  const doc = {
    generatedBy: 'sim/: createScenario + FleetSimulator (see fixtures/scenarios/README.md)',
    kind: 'scenario input (not an independent golden output)',
    parameters: {
      ...scenario.params,
      startIso: new Date(scenario.startMs).toISOString(),
      simulator: spec.simulator,
      durationMs: spec.durationMs,
      stepMs: spec.stepMs,
    },
    payloads: { file: spec.payloadFile, count: batches.length, ...sim.counters },
    incidents: scenario.incidents,
    receivers: scenario.receivers,
    fleets: scenario.fleets,
    routes: scenario.routes,
    registry: scenario.registry,
  };
  return { json: JSON.stringify(doc, null, 1) + '\n', ndjson };
}
