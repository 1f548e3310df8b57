/**
 * Issue 12's "cost per moved fix of hops 6–7": every alert rule (hop 6) and the lifecycle (hop 7),
 * as `seagrid serve` composes them (app/demo-pipeline.ts), over the demo fleet (seed 7: 8,000
 * fishing vessels in 770 fleets and 200 merchant ships, AIS and BeiDou at their real intervals).
 *
 * Set up once: 10 min of sim time fed as the service takes it (a frame at a time, a tick every sim
 * second), so the picture, the fleets and the open alerts are full. Each round, the next 60 s of sim
 * time: the rules' `onFixes` and the lifecycle's `decide` / `onMoved` timed from outside by wrappers
 * (nothing added to the pipeline's path; the pipeline's own glue between them is not timed):
 * - the first 30 s: every frame decoded (hops 0–4, not timed) and its records applied one at a time
 *   (hops 5–7, each record its own batch: the per-fix path, the dearest), the time each record that
 *   moved a vessel cost — the goal's figure, a median over fixes;
 * - the next 30 s: a frame at a time (`onFrame`, as serve.ts feeds an MQTT message of up to ~40
 *   lines), the frames' hops 6–7 time over the vessels they moved — a mean, what the service pays.
 * Each sim second ends with the pipeline's tick (timed whole: fragments and silent vessels expired,
 * the fleets moved on, the time-based rules, the lifecycle's holds) — the third row.
 */
import type { Decider, Rule } from '../alerts/index.js';
import { createScenario } from '../sim/index.js';
import { demoPipeline, type DemoPipeline } from './demo-pipeline.js';

export const title = 'hops 6–7 (every alert rule and the lifecycle) per moved fix, demo fleet';

const WARM_UP_S = 600;
const ROUND_S = 60;

interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly notes?: string;
  readonly goal?: { readonly op: '<'; readonly target: number };
}

interface State {
  readonly demo: DemoPipeline;
  /** Time of the current record's hops 6–7 so far, ms, by part ('decide' for hop 7). */
  readonly spent: Map<string, number>;
  tMs: number;
  /** Sim seconds' ticks: the time-based rules and holds, ms each. */
  readonly ticks: number[];
}

let state: State | undefined;

function timedRule(rule: Rule, spent: Map<string, number>): Rule {
  const onFixes = rule.onFixes?.bind(rule);
  if (onFixes === undefined) return rule;
  spent.set(rule.name, 0);
  return {
    name: rule.name,
    onFixes: (batch) => {
      const t0 = performance.now();
      const out = onFixes(batch);
      spent.set(rule.name, spent.get(rule.name)! + performance.now() - t0);
      return out;
    },
    ...(rule.onTick === undefined ? {} : { onTick: rule.onTick.bind(rule) }),
    ...(rule.onRestored === undefined ? {} : { onRestored: rule.onRestored.bind(rule) }),
  };
}

function timedDecider(d: Decider, spent: Map<string, number>): Decider {
  spent.set('decide', 0);
  const add = (t0: number): void => {
    spent.set('decide', spent.get('decide')! + performance.now() - t0);
  };
  const onMoved = d.onMoved?.bind(d);
  return {
    decide: (signals) => {
      const t0 = performance.now();
      const out = d.decide(signals);
      add(t0);
      return out;
    },
    ...(onMoved === undefined
      ? {}
      : {
          onMoved: (fixes, positionOf) => {
            const t0 = performance.now();
            const out = onMoved(fixes, positionOf);
            add(t0);
            return out;
          },
        }),
    ...(d.tick === undefined ? {} : { tick: d.tick.bind(d) }),
    ...(d.rerun === undefined ? {} : { rerun: d.rerun.bind(d) }),
  };
}

function setup(): State {
  const scenario = createScenario({ seed: 7 });
  const spent = new Map<string, number>();
  const demo = demoPipeline(scenario, { wrapRule: (r) => timedRule(r, spent), wrapDecider: (d) => timedDecider(d, spent) });
  const s: State = { demo, spent, tMs: scenario.startMs, ticks: [] };
  const { pipeline, sim } = demo;
  for (const m of sim.start(s.tMs)) pipeline.onFrame({ topic: m.topic, payload: Buffer.from(m.payload), receivedAtMs: m.atMs });
  for (let k = 0; k < WARM_UP_S; k++) {
    s.tMs += 1000;
    for (const m of sim.advance(s.tMs)) pipeline.onFrame({ topic: m.topic, payload: Buffer.from(m.payload), receivedAtMs: m.atMs });
    pipeline.tick(s.tMs, s.tMs);
  }
  return s;
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function run(): Promise<Row[]> {
  state ??= setup();
  const s = state;
  const { pipeline, sim } = s.demo;
  const total: number[] = [];
  const parts = new Map<string, number[]>([...s.spent.keys()].map((k) => [k, []]));
  const ticks: number[] = [];
  const spentNow = (): number => {
    let sum = 0;
    for (const ms of s.spent.values()) sum += ms;
    return sum;
  };
  const reset = (): void => {
    for (const key of s.spent.keys()) s.spent.set(key, 0);
  };
  let frames = 0;
  let frameFixes = 0;
  let frameMs = 0;
  for (let k = 0; k < ROUND_S; k++) {
    s.tMs += 1000;
    for (const m of sim.advance(s.tMs)) {
      const frame = { topic: m.topic, payload: Buffer.from(m.payload), receivedAtMs: m.atMs };
      if (k >= ROUND_S / 2) {
        reset();
        const moved = pipeline.onFrame(frame).fixes.filter((f) => f.moved).length;
        if (moved === 0) continue;
        frames++;
        frameFixes += moved;
        frameMs += spentNow();
        continue;
      }
      for (const r of pipeline.decodeFrame(frame)) {
        reset();
        const out = pipeline.onRecords([r]);
        if (!out.fixes.some((f) => f.moved)) continue;
        for (const [key, ms] of s.spent) parts.get(key)!.push(ms * 1000);
        total.push(spentNow() * 1000);
      }
    }
    const t0 = performance.now();
    pipeline.tick(s.tMs, s.tMs);
    ticks.push(performance.now() - t0);
  }
  total.sort((a, b) => a - b);
  const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const byPart = [...parts]
    .map(([key, us]) => ({ key, median: quantile([...us].sort((a, b) => a - b), 0.5), mean: mean(us) }))
    .sort((a, b) => b.mean - a.mean)
    .map((p) => `${p.key} ${p.median.toFixed(2)} / ${p.mean.toFixed(2)}`)
    .join(', ');
  ticks.sort((a, b) => a - b);
  return [
    {
      name: 'per moved fix, every rule and the lifecycle (median)',
      value: quantile(total, 0.5),
      unit: 'µs',
      goal: { op: '<', target: 5 },
      notes: `${total.length.toLocaleString('en')} moved fixes in ${ROUND_S / 2} s of sim time, each its own batch; p90 ${quantile(total, 0.9).toFixed(1)} µs, mean ${mean(total).toFixed(2)} µs; median / mean µs by part: ${byPart} (a part's median near 0.05 µs is a call that did nothing: a clock read costs about that)`,
    },
    {
      name: 'per moved fix, a frame at a time as the service takes them (mean)',
      value: (frameMs * 1000) / frameFixes,
      unit: 'µs',
      notes: `${frameFixes.toLocaleString('en')} moved fixes in ${frames.toLocaleString('en')} frames (${(frameFixes / frames).toFixed(1)} a frame) in the next ${ROUND_S / 2} s: the frames' hops 6–7 time ÷ the vessels they moved`,
    },
    {
      name: 'a tick (once a second): expiry, fleets, time-based rules and holds (median)',
      value: quantile(ticks, 0.5),
      unit: 'ms',
      notes: `p90 ${quantile(ticks, 0.9).toFixed(2)} ms over ${ticks.length} ticks`,
    },
  ];
}
