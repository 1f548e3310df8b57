/**
 * Ground truth from the simulator's own kinematics: where every vessel of a scenario really is
 * (its closed-form legs plus the harbour offset the simulator adds), not what its reports said.
 * Used to score the alert rules (app/alert-score.bench.ts): which pairs truly came within a
 * distance of each other, when, and how close.
 *
 * Positions are sampled on a fixed step (default 10 s) walking time forward once, as the simulator
 * does (fishing legs are drawn lazily, forward only); between two samples each vessel is taken to
 * run straight, so the closest approach within a step is the exact minimum of two straight
 * segments — good to metres at these speeds (a turn of 10 s bends a track by a few metres).
 * Distances are the simulator's flat-earth nm (flat-earth.ts).
 */
import { cosLat, courseDeg, toRad } from './flat-earth.js';
import { HOME_PORTS } from './geography.js';
import { newKin, type Kin } from './legs.js';
import { forkRng } from './rng.js';
import type { Scenario, SimVessel } from './types.js';

/**
 * Fixed offset of each fishing boat (up to 0.03 nm, nm north and east at [2i], [2i+1]) so boats
 * rafted up in harbour do not sit on one point; the simulator adds it to every position it reports.
 * It runs along the home port's berth row (parallel to the exit's first leg, geography.ts), so a
 * boat coming in abeam to its berth closes on the boats moored beside it until it stops, instead
 * of passing one that was jittered into its way.
 */
export function harbourOffsets(vessels: readonly SimVessel[], seed: number): Float64Array {
  const out = new Float64Array(vessels.length * 2);
  const jr = forkRng(seed, 'jitter');
  const rowOf = new Map(HOME_PORTS.map((p) => [p.nameZh, courseDeg(p.exit[0]!, p.exit[1]!)] as const));
  for (const v of vessels) {
    if (v.kind !== 'fishing') continue;
    const along = jr.range(-0.03, 0.03);
    const row = toRad(rowOf.get(v.file.homePort ?? '') ?? 0);
    out[2 * v.index] = along * Math.cos(row);
    out[2 * v.index + 1] = along * Math.sin(row);
  }
  return out;
}

/** Moves `k` by vessel `index`'s harbour offset. */
export function applyHarbourOffset(k: Kin, offsets: Float64Array, index: number): void {
  const jn = offsets[2 * index]!;
  if (jn === 0) return;
  k.lat += jn / 60;
  k.lon += offsets[2 * index + 1]! / (60 * cosLat(k.lat));
}

/** Every vessel's true state at `fromMs + k·stepMs`, k = 0 … steps − 1 (index `k·count + vessel`). */
export interface TruthSamples {
  readonly count: number;
  readonly steps: number;
  readonly fromMs: number;
  readonly stepMs: number;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly sogKn: Float32Array;
  /** AIS navigational status of the leg (sim/legs.ts NAV). */
  readonly navStatus: Uint8Array;
}

export interface TruthOptions {
  /** Scenario time (the simulator's start is `scenario.startMs`). */
  readonly fromMs: number;
  readonly toMs: number;
  /** Default 10 s. */
  readonly stepMs?: number;
}

/** Samples the scenario's true tracks from a fresh motion (the same legs a simulator of it follows). */
export function sampleTruth(scenario: Scenario, o: TruthOptions): TruthSamples {
  const stepMs = o.stepMs ?? 10_000;
  if (!(stepMs > 0) || !(o.toMs >= o.fromMs)) throw new RangeError('sampleTruth: bad time range or step');
  const count = scenario.vessels.length;
  const steps = Math.floor((o.toMs - o.fromMs) / stepMs) + 1;
  const motion = scenario.createMotion();
  const tracks = scenario.vessels.map((v) => motion.trackOf(v.index));
  const offsets = harbourOffsets(scenario.vessels, scenario.params.seed);
  const lat = new Float64Array(count * steps);
  const lon = new Float64Array(count * steps);
  const sogKn = new Float32Array(count * steps);
  const navStatus = new Uint8Array(count * steps);
  const k = newKin();
  for (let s = 0; s < steps; s++) {
    const t = o.fromMs + s * stepMs;
    for (let i = 0; i < count; i++) {
      tracks[i]!.evaluate(t, 0, k);
      applyHarbourOffset(k, offsets, i);
      const j = s * count + i;
      lat[j] = k.lat;
      lon[j] = k.lon;
      sogKn[j] = k.sogKn;
      navStatus[j] = k.navStatus;
    }
  }
  return { count, steps, fromMs: o.fromMs, stepMs, lat, lon, sogKn, navStatus };
}

/**
 * One pass of a pair within `radiusNm`: from the first step the two came within it until they
 * were apart again, with the closest approach of that pass.
 */
export interface TrueEncounter {
  /** Vessel indices, a < b. */
  readonly a: number;
  readonly b: number;
  readonly cpaNm: number;
  readonly tcpaMs: number;
  /** Start of the step in which they first came within the radius. */
  readonly enteredAtMs: number;
  /**
   * Their distance at that start, nm. Below the radius: they lay still within it before one got
   * under way (a boat leaving from alongside another), not an approach from outside.
   */
  readonly startNm: number;
  /** Within the radius at the first sample: the approach began before the sampled span. */
  readonly openAtStart: boolean;
  /** Still within the radius at the last sample. */
  readonly openAtEnd: boolean;
}

interface SegmentApproach {
  /** Squared distance at the closest approach, nm². */
  d2: number;
  /** Its time, as a fraction of the step. */
  f: number;
  /** Squared distance at the step's start, nm². */
  start2: number;
}

/** The closest approach of two vessels within one step, each running straight between its samples. */
function segmentApproach(s: TruthSamples, step: number, a: number, b: number, out: SegmentApproach): void {
  const n = s.count;
  const i0 = step * n;
  const i1 = i0 + n;
  const c = cosLat((s.lat[i0 + a]! + s.lat[i0 + b]!) / 2) * 60;
  const x0 = (s.lon[i0 + b]! - s.lon[i0 + a]!) * c;
  const y0 = (s.lat[i0 + b]! - s.lat[i0 + a]!) * 60;
  out.start2 = x0 * x0 + y0 * y0;
  if (step + 1 >= s.steps) {
    out.d2 = x0 * x0 + y0 * y0;
    out.f = 0;
    return;
  }
  const x1 = (s.lon[i1 + b]! - s.lon[i1 + a]!) * c;
  const y1 = (s.lat[i1 + b]! - s.lat[i1 + a]!) * 60;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const v2 = dx * dx + dy * dy;
  let f = v2 > 0 ? -(x0 * dx + y0 * dy) / v2 : 0;
  if (f < 0) f = 0;
  else if (f > 1) f = 1;
  const x = x0 + dx * f;
  const y = y0 + dy * f;
  out.d2 = x * x + y * y;
  out.f = f;
}

function stopped(s: TruthSamples, step: number, i: number): boolean {
  const j = step * s.count + i;
  if (s.sogKn[j]! !== 0) return false;
  return step + 1 >= s.steps || (s.sogKn[j + s.count]! === 0 && s.lat[j + s.count] === s.lat[j] && s.lon[j + s.count] === s.lon[j]);
}

/**
 * Every pass of two vessels within `radiusNm` of each other over the sampled span, found by a
 * spatial hash per step (never all pairs); two vessels that both lie still through a step cannot
 * change their distance and are not looked at (a moored cluster is not an encounter).
 */
export function trueEncounters(s: TruthSamples, radiusNm: number): TrueEncounter[] {
  const n = s.count;
  let maxAbsLat = 0;
  for (let j = 0; j < s.lat.length; j++) maxAbsLat = Math.max(maxAbsLat, Math.abs(s.lat[j]!));
  // East distances hashed at the smallest cosine anywhere are never longer than the true ones, so a
  // pair within `reach` is always in neighbouring cells.
  const cosMin = cosLat(maxAbsLat);
  type Open = { enteredStep: number; lastStep: number; d2: number; t: number; start2: number };
  const open = new Map<number, Open>();
  const found: TrueEncounter[] = [];
  const r2 = radiusNm * radiusNm;
  const ap: SegmentApproach = { d2: 0, f: 0, start2: 0 };
  const cells = new Map<number, number[]>();
  const close = (key: number, e: Open, atEnd: boolean): void => {
    const a = Math.floor(key / n);
    const enteredAtMs = s.fromMs + e.enteredStep * s.stepMs;
    found.push({ a, b: key - a * n, cpaNm: Math.sqrt(e.d2), tcpaMs: e.t, enteredAtMs, startNm: Math.sqrt(e.start2), openAtStart: e.enteredStep === 0, openAtEnd: atEnd });
  };
  for (let step = 0; step < s.steps; step++) {
    const i0 = step * n;
    const last = step + 1 >= s.steps;
    // A cell holds everything within the radius plus the farthest any vessel moves in this step.
    let move = 0;
    if (!last) {
      for (let i = 0; i < n; i++) {
        const dn = (s.lat[i0 + n + i]! - s.lat[i0 + i]!) * 60;
        const de = (s.lon[i0 + n + i]! - s.lon[i0 + i]!) * 60 * cosLat(s.lat[i0 + i]!);
        move = Math.max(move, Math.sqrt(dn * dn + de * de));
      }
    }
    const cell = radiusNm + 2 * move;
    cells.clear();
    const cx = new Int32Array(n);
    const cy = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cx[i] = Math.floor((s.lon[i0 + i]! * 60 * cosMin) / cell);
      cy[i] = Math.floor((s.lat[i0 + i]! * 60) / cell);
      const key = cx[i]! * 1_000_003 + cy[i]!;
      const list = cells.get(key);
      if (list === undefined) cells.set(key, [i]);
      else list.push(i);
    }
    const still = new Uint8Array(n);
    for (let i = 0; i < n; i++) still[i] = stopped(s, step, i) ? 1 : 0;
    for (let a = 0; a < n; a++) {
      for (let ox = -1; ox <= 1; ox++) {
        for (let oy = -1; oy <= 1; oy++) {
          const list = cells.get((cx[a]! + ox) * 1_000_003 + cy[a]! + oy);
          if (list === undefined) continue;
          for (const b of list) {
            if (b <= a || (still[a] === 1 && still[b] === 1)) continue;
            segmentApproach(s, step, a, b, ap);
            if (ap.d2 >= r2) continue;
            const key = a * n + b;
            const t = s.fromMs + (step + ap.f) * s.stepMs;
            const e = open.get(key);
            if (e !== undefined && e.lastStep === step - 1) {
              e.lastStep = step;
              if (ap.d2 < e.d2) (e.d2 = ap.d2), (e.t = t);
            } else {
              if (e !== undefined) close(key, e, false);
              open.set(key, { enteredStep: step, lastStep: step, d2: ap.d2, t, start2: ap.start2 });
            }
          }
        }
      }
    }
    for (const [key, e] of open) {
      if (e.lastStep === step) continue;
      close(key, e, false);
      open.delete(key);
    }
  }
  for (const [key, e] of open) close(key, e, true);
  return found.sort((x, y) => x.tcpaMs - y.tcpaMs || x.a - y.a || x.b - y.b);
}

/** The true closest approach of vessels a and b within [fromMs, toMs] (clipped to the samples), nm; Infinity if outside them. */
export function trueMinDistanceNm(s: TruthSamples, a: number, b: number, fromMs: number, toMs: number): number {
  const first = Math.max(0, Math.floor((fromMs - s.fromMs) / s.stepMs));
  const lastStep = Math.min(s.steps - 1, Math.ceil((toMs - s.fromMs) / s.stepMs));
  let best = Infinity;
  const ap: SegmentApproach = { d2: 0, f: 0, start2: 0 };
  for (let step = first; step <= lastStep; step++) {
    segmentApproach(s, step, a, b, ap);
    if (ap.d2 < best) best = ap.d2;
  }
  return Math.sqrt(best);
}
