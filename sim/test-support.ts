import { createNmeaDecoder, type DecodeEvent } from '../ingest/index.js';

/** Test helper: decodes NMEA lines (or CRLF-joined payloads) with the project's streaming decoder. */
export function decodeAll(lines: readonly string[], source = 'test', receivedAtMs = 0): DecodeEvent[] {
  const decoder = createNmeaDecoder();
  const out: DecodeEvent[] = [];
  for (const text of lines) {
    for (const line of text.split(/\r?\n/)) if (line !== '') decoder.decodeLine(line, { source, receivedAtMs }, (e) => out.push(e));
  }
  return out;
}

/** True when the line's `*hh` matches the XOR of its body (and its tag block's, when it has one). */
export function checksumsValid(line: string): boolean {
  let rest = line;
  if (rest.startsWith('\\')) {
    const end = rest.indexOf('\\', 1);
    if (end < 0 || !sumOk(rest.slice(1, end))) return false;
    rest = rest.slice(end + 1);
  }
  if (rest[0] !== '!' && rest[0] !== '$') return false;
  return sumOk(rest.slice(1));
}

function sumOk(text: string): boolean {
  const star = text.lastIndexOf('*');
  if (star < 0 || star + 3 !== text.length) return false;
  let x = 0;
  for (let i = 0; i < star; i++) x ^= text.charCodeAt(i);
  return text.slice(star + 1) === x.toString(16).toUpperCase().padStart(2, '0');
}

import { createScenario, type ScenarioOptions } from './scenario.js';
import { FleetSimulator, type MqttOut, type SimulatedReport, type SimulatorOptions } from './simulator.js';
import type { Scenario } from './types.js';

export interface Run {
  readonly scenario: Scenario;
  readonly sim: FleetSimulator;
  readonly startBatch: readonly MqttOut[];
  /** Every payload, start included, in output order. */
  readonly batches: readonly MqttOut[];
  readonly reports: readonly SimulatedReport[];
}

/** Runs a scenario for `minutes` of sim time in `stepMs` steps, keeping payloads and truth. */
export function runFor(opts: ScenarioOptions, minutes: number, stepMs = 1000, simOptions: SimulatorOptions = {}): Run {
  const scenario = createScenario(opts);
  const reports: SimulatedReport[] = [];
  const sim = new FleetSimulator(scenario, { ...simOptions, onReport: (r) => reports.push(r) });
  const startBatch = sim.start();
  const batches = [...startBatch];
  const end = scenario.startMs + minutes * 60_000;
  for (let t = scenario.startMs + stepMs; t <= end; t += stepMs) batches.push(...sim.advance(t));
  return { scenario, sim, startBatch, batches, reports };
}
