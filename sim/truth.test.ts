import { describe, expect, it } from 'vitest';
import { cosLat } from './flat-earth.js';
import { newKin } from './legs.js';
import { createScenario } from './scenario.js';
import { FleetSimulator, type SimulatedReport } from './simulator.js';
import { harbourOffsets, sampleTruth, trueEncounters, trueMinDistanceNm } from './truth.js';

/**
 * The ground truth against brute force: every pair at every second of the scenario's own tracks
 * (a fresh motion, evaluated directly), its passes within the radius found by scanning all pairs.
 * The truth module samples every 10 s and hashes space; it must find the same passes with the same
 * closest approach.
 */
const SCENARIO = createScenario({ vessels: 60, fleets: 6, merchants: 24, seed: 11 });
const FROM = SCENARIO.startMs;
const TO = FROM + 40 * 60_000;
const RADIUS = 1;

interface Pass {
  a: number;
  b: number;
  cpaNm: number;
  tcpaMs: number;
  startMs: number;
}

function bruteForce(): Pass[] {
  const motion = SCENARIO.createMotion();
  const n = SCENARIO.vessels.length;
  const offsets = harbourOffsets(SCENARIO.vessels, SCENARIO.params.seed);
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const sog = new Float64Array(n);
  const k = newKin();
  const open = new Map<number, Pass>();
  const out: Pass[] = [];
  for (let t = FROM; t <= TO; t += 1000) {
    for (let i = 0; i < n; i++) {
      motion.trackOf(i).evaluate(t, 0, k);
      // The offset written out here, not through the module's helper.
      lat[i] = k.lat + offsets[2 * i]! / 60;
      lon[i] = k.lon + offsets[2 * i + 1]! / (60 * cosLat(lat[i]!));
      sog[i] = k.sogKn;
    }
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const key = a * n + b;
        const dn = (lat[b]! - lat[a]!) * 60;
        const de = (lon[b]! - lon[a]!) * 60 * cosLat((lat[a]! + lat[b]!) / 2);
        const d = Math.sqrt(dn * dn + de * de);
        const e = open.get(key);
        if (d < RADIUS && !(sog[a] === 0 && sog[b] === 0)) {
          if (e === undefined) open.set(key, { a, b, cpaNm: d, tcpaMs: t, startMs: t });
          else if (d < e.cpaNm) (e.cpaNm = d), (e.tcpaMs = t);
        } else if (e !== undefined) {
          out.push(e);
          open.delete(key);
        }
      }
    }
  }
  out.push(...open.values());
  return out;
}

describe('ground truth from the simulator kinematics', () => {
  const samples = sampleTruth(SCENARIO, { fromMs: FROM, toMs: TO });
  const found = trueEncounters(samples, RADIUS);
  const brute = bruteForce();

  // A pass is matched by pair and the time it began (the time of a closest approach is ill-defined
  // for two boats that keep their distance, as pair trawlers do).
  it('finds every pass the all-pairs search finds, from the same time (±10 s), with its closest approach within 10 m', () => {
    // Well inside the radius: a pass that grazes it may be split differently at 1 s and 10 s.
    const clear = brute.filter((p) => p.cpaNm < RADIUS - 0.02);
    expect(clear.length).toBeGreaterThan(20);
    const misses: string[] = [];
    for (const p of clear) {
      const m = found.find((e) => e.a === p.a && e.b === p.b && Math.abs(e.enteredAtMs - p.startMs) <= 10_000);
      if (m === undefined || Math.abs(m.cpaNm - p.cpaNm) > 10 / 1852) misses.push(`${p.a}-${p.b} ${p.cpaNm.toFixed(4)} nm at ${(p.tcpaMs - FROM) / 1000} s, found ${m === undefined ? 'none' : m.cpaNm.toFixed(4)}`);
    }
    expect(misses).toEqual([]);
  });

  it('finds nothing the all-pairs search does not', () => {
    const extra = found
      .filter((e) => e.cpaNm < RADIUS - 0.02)
      .filter((e) => !brute.some((p) => p.a === e.a && p.b === e.b && Math.abs(e.enteredAtMs - p.startMs) <= 10_000))
      .map((e) => `${e.a}-${e.b} ${e.cpaNm.toFixed(4)} nm at ${(e.tcpaMs - FROM) / 1000} s`);
    expect(extra).toEqual([]);
  });

  it('the closest approach over a span agrees with the all-pairs minimum of that pair', () => {
    const p = brute.filter((x) => x.cpaNm < 0.5)[0]!;
    expect(trueMinDistanceNm(samples, p.a, p.b, p.tcpaMs - 60_000, p.tcpaMs + 60_000)).toBeCloseTo(p.cpaNm, 2);
  });

  it('is where the simulator reported each vessel (its positions are the truth, harbour offset included)', () => {
    const reports: SimulatedReport[] = [];
    const sim = new FleetSimulator(SCENARIO, { onReport: (r) => reports.push(r) });
    sim.start();
    for (let t = FROM + 1000; t <= FROM + 5 * 60_000; t += 1000) sim.advance(t);
    // Reports that fall on the 10 s sampling grid.
    const onGrid = reports.filter((r) => (r.atMs - FROM) % 10_000 === 0);
    expect(onGrid.length).toBeGreaterThan(20);
    for (const r of onGrid) {
      const j = ((r.atMs - FROM) / 10_000) * samples.count + r.vesselIndex;
      expect(Math.abs(samples.lat[j]! - r.lat)).toBeLessThan(1e-9);
      expect(Math.abs(samples.lon[j]! - r.lon)).toBeLessThan(1e-9);
    }
  });
});
