/**
 * Generation rate of the Zhoushan simulator on one core: the default scenario (8,000 fishing
 * vessels, 770 fleets, 200 merchant ships) advanced through 10 simulated minutes in 1 s steps —
 * motion, ITU reporting schedule, AIS/BeiDou encoding, receivers and payload batching; no IO.
 * Run by bench/run.ts (one call = one round); results follow bench/types.ts `BenchResult`.
 */
import { createScenario } from './scenario.js';
import { FleetSimulator } from './simulator.js';
import type { Scenario } from './types.js';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly notes?: string;
  readonly goal?: { readonly op: '>=' | '>' | '<=' | '<'; readonly target: number };
}

export const title = 'Zhoushan simulator, in-process, one core (8,000 fishing vessels + 200 merchant ships)';

const SIM_MINUTES = 10;
let scenario: Scenario | undefined;
let buildMs = 0;

export async function run(): Promise<Result[]> {
  if (scenario === undefined) {
    const t = performance.now();
    scenario = createScenario({ seed: 1 });
    buildMs = performance.now() - t;
  }
  const sim = new FleetSimulator(scenario);
  const t0 = performance.now();
  let payloads = sim.start().length;
  const tStart = performance.now() - t0;
  const before = { ...sim.counters };
  const t1 = performance.now();
  for (let s = 1; s <= SIM_MINUTES * 60; s++) payloads += sim.advance(scenario.startMs + s * 1000).length;
  const ms = performance.now() - t1;
  const reports = sim.counters.positionReports - before.positionReports;
  const lines = sim.counters.aisLines - before.aisLines + (sim.counters.beidouFixes - before.beidouFixes);
  if (reports < 100_000) throw new Error(`only ${reports} position reports in ${SIM_MINUTES} sim minutes`);
  const perSimSecond = reports / (SIM_MINUTES * 60);
  return [
    {
      name: 'position reports generated',
      value: reports / (ms / 1000),
      unit: 'reports/s',
      notes: `${reports} AIS positions + BeiDou fixes in ${SIM_MINUTES} sim min (${perSimSecond.toFixed(0)}/sim s), encoded and batched, ${payloads} payloads`,
      goal: { op: '>=', target: 100_000 },
    },
    { name: 'NMEA lines generated', value: lines / (ms / 1000), unit: 'lines/s', notes: 'an AIS report heard by 3 receivers is 3 lines' },
    { name: 'real-time factor (default fleet)', value: (SIM_MINUTES * 60_000) / ms, unit: '×', notes: 'sim seconds per wall second: the highest --rate one core sustains' },
    { name: 'start(): first report of every vessel', value: tStart, unit: 'ms' },
    { name: 'createScenario (default)', value: buildMs, unit: 'ms', notes: 'first round only' },
  ];
}
