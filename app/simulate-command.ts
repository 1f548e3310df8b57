import type { Writable } from 'node:stream';
import { DEFAULT_ALERT_POLICY } from '../alerts/index.js';
import { alertDueAtMs } from '../sim/index.js';
import { createSimFeed } from './sim-feed.js';

export interface SimulateArgs {
  readonly mqttUrl: string;
  readonly vessels: number | undefined;
  readonly fleets: number | undefined;
  readonly rate: number;
  readonly seed: number;
  readonly prefix: string;
  /** Stop after this many wall seconds (default: run until a signal). */
  readonly durationS: number | undefined;
  /** Sim clock start (default: now). */
  readonly startMs: number | undefined;
}

/** `seagrid simulate [--mqtt URL] [--vessels N] [--fleets N] [--rate X] [--seed N] [--prefix P] [--duration S] [--start ISO]`. */
export function parseSimulateArgs(argv: readonly string[], defaultUrl: string): SimulateArgs | string {
  const a: { -readonly [K in keyof SimulateArgs]: SimulateArgs[K] } = {
    mqttUrl: defaultUrl,
    vessels: undefined,
    fleets: undefined,
    rate: 1,
    seed: 7,
    prefix: '',
    durationS: undefined,
    startMs: undefined,
  };
  const num = (v: string | undefined, name: string, min: number): number | string => {
    const n = Number(v);
    return Number.isFinite(n) && n >= min ? n : `${name} needs a number ≥ ${min}`;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const v = argv[++i];
    let r: number | string = 0;
    switch (flag) {
      case '--mqtt':
        if (v === undefined) return '--mqtt needs a URL';
        a.mqttUrl = v;
        continue;
      case '--prefix':
        a.prefix = v ?? '';
        continue;
      case '--start': {
        // A fixed sim clock start: two runs of one seed then send the same reports at the same times.
        const t = v === undefined ? Number.NaN : Date.parse(v);
        if (!Number.isFinite(t)) return '--start needs an ISO-8601 time';
        a.startMs = t;
        continue;
      }
      case '--vessels':
        r = num(v, flag, 2);
        if (typeof r === 'number') a.vessels = Math.round(r);
        break;
      case '--fleets':
        r = num(v, flag, 1);
        if (typeof r === 'number') a.fleets = Math.round(r);
        break;
      case '--rate':
        r = num(v, flag, 0.001);
        if (typeof r === 'number') a.rate = r;
        break;
      case '--seed':
        r = num(v, flag, 0);
        if (typeof r === 'number') a.seed = Math.round(r);
        break;
      case '--duration':
        r = num(v, flag, 0);
        if (typeof r === 'number') a.durationS = r;
        break;
      default:
        return `unknown option ${flag}`;
    }
    if (typeof r === 'string') return r;
  }
  return a;
}

/**
 * Publishes the scenario until stopped. Prints the scripted incidents with their expected alert
 * times first (one JSON line each), then a progress line every 10 s, all on stdout.
 */
export async function runSimulate(args: SimulateArgs, out: Writable, now: () => number, stopSignal: Promise<string>): Promise<number> {
  const feed = createSimFeed({ brokerUrl: args.mqttUrl, topicPrefix: args.prefix, vessels: args.vessels, fleets: args.fleets, seed: args.seed, rate: args.rate, now, ...(args.startMs === undefined ? {} : { startMs: args.startMs }) });
  const s = feed.scenario;
  out.write(`${JSON.stringify({ scenario: { vessels: s.vessels.length, fleets: s.fleets.length, seed: args.seed, rate: args.rate, startAt: new Date(s.startMs).toISOString() } })}\n`);
  for (const i of s.incidents) {
    out.write(
      `${JSON.stringify({ incident: i.kind, vesselIds: i.vesselIds, startsAt: new Date(i.startsAtMs).toISOString(), expectedAlertAt: new Date(i.expectedAlertAtMs).toISOString(), alertDueAt: new Date(alertDueAtMs(i, DEFAULT_ALERT_POLICY)).toISOString(), details: i.details })}\n`,
    );
  }
  await feed.start();
  const progress = setInterval(() => out.write(`${JSON.stringify({ progress: feed.stats() })}\n`), 10_000);
  const stop = args.durationS === undefined ? stopSignal : Promise.race([stopSignal, new Promise((r) => setTimeout(r, args.durationS! * 1000))]);
  await stop;
  clearInterval(progress);
  await feed.stop();
  out.write(`${JSON.stringify({ done: feed.stats() })}\n`);
  return 0;
}
