import { describe, expect, it } from 'vitest';
import type { TruthSamples } from '../sim/index.js';
import { foreseenAtMs } from './alert-score.js';

const MIN = 60_000;
const STEP_MS = 10_000;
const LAT0 = 30;
const LON0 = 122.5;
const WARNING = (): { cpaNm: number; tcpaMin: number } => ({ cpaNm: 0.5, tcpaMin: 10 });

/** Two vessels' true tracks, each given as its (north, east) offset in nm at a time in minutes. */
function truthOf(minutes: number, tracks: readonly ((tMin: number) => readonly [number, number])[]): TruthSamples {
  const steps = (minutes * MIN) / STEP_MS + 1;
  const count = tracks.length;
  const lat = new Float64Array(steps * count);
  const lon = new Float64Array(steps * count);
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < count; i++) {
      const [n, e] = tracks[i]!((s * STEP_MS) / MIN);
      lat[s * count + i] = LAT0 + n / 60;
      lon[s * count + i] = LON0 + e / (60 * Math.cos((LAT0 * Math.PI) / 180));
    }
  }
  return { count, steps, fromMs: 0, stepMs: STEP_MS, lat, lon, sogKn: new Float32Array(steps * count).fill(10), navStatus: new Uint8Array(steps * count) };
}

const nmPerMin = (kn: number): number => kn / 60;

describe('foreseenAtMs: whether a true encounter could be told 3 min ahead', () => {
  it('a head-on pass held straight is foreseen once its TCPA comes within the 10 min horizon', () => {
    // Both at 10 kn, 0.2 nm abeam, meeting at t = 15 min.
    const truth = truthOf(20, [(t) => [0, nmPerMin(10) * t], (t) => [0.2, nmPerMin(10) * (30 - t)]]);
    const at = foreseenAtMs(truth, 0, 1, 15 * MIN, WARNING, () => 10_000);
    // The lookback starts at CPA − 12 min (TCPA 12 min: beyond the horizon); TCPA reaches 10 min at t = 5 min.
    expect(at).toBeDefined();
    expect(Math.abs(at! - 5 * MIN)).toBeLessThanOrEqual(STEP_MS);
  });

  it('fleets abreast 0.6 nm apart, one turning across the other 1.5 min before they meet: never foreseen', () => {
    const turnMin = 13.5;
    const truth = truthOf(20, [
      (t) => [0, nmPerMin(10) * t],
      // On a parallel course 0.6 nm north, 0.3 nm ahead, until it turns south-west-ish across a's bow.
      (t) => (t < turnMin ? [0.6, 0.3 + nmPerMin(10) * t] : [0.6 - nmPerMin(10) * 0.8 * (t - turnMin), 0.3 + nmPerMin(10) * turnMin - nmPerMin(10) * 0.6 * (t - turnMin)]),
    ]);
    expect(foreseenAtMs(truth, 0, 1, 15 * MIN, WARNING, () => 10_000)).toBeUndefined();
  });

  it('a turn onto a collision course 5 min before the CPA is foreseeable from AIS every 10 s, not from BeiDou every 3 min', () => {
    const turnMin = 10;
    // b crosses a's track from the north: parallel until t = 10 min, then heading due south at 10 kn to meet a at t = 15.
    const meetEast = nmPerMin(10) * 15;
    const truth = truthOf(20, [(t) => [0, nmPerMin(10) * t], (t) => (t < turnMin ? [nmPerMin(10) * 5, meetEast - nmPerMin(10) * (turnMin - t)] : [nmPerMin(10) * (15 - t), meetEast])]);
    const ais = foreseenAtMs(truth, 0, 1, 15 * MIN, WARNING, () => 10_000);
    expect(ais).toBeDefined();
    expect(Math.abs(ais! - turnMin * MIN)).toBeLessThanOrEqual(STEP_MS);
    expect(foreseenAtMs(truth, 0, 1, 15 * MIN, WARNING, () => 180_000)).toBeUndefined();
  });

  it('judges each time by the level the rule applies then: a pass 0.3 nm off a vessel at rest is no danger (< 0.1 nm) to foresee', () => {
    const truth = truthOf(20, [() => [0, 0], (t) => [0.3, nmPerMin(10) * (t - 15)]]);
    expect(foreseenAtMs(truth, 0, 1, 15 * MIN, () => ({ cpaNm: 0.1, tcpaMin: 5 }), () => 10_000)).toBeUndefined();
    expect(foreseenAtMs(truth, 0, 1, 15 * MIN, WARNING, () => 10_000)).toBeDefined();
  });
});
