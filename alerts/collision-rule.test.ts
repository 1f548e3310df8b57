import { describe, expect, it } from 'vitest';
import { LivePicture, M_PER_NM, NeighbourIndex, RAD, SeaGridIndex, SeaPicture, type GridDef } from '../geo/index.js';
import { fixtureSeaGrids } from '../geo/test-support.js';
import { asMmsi, seededRandom, vesselIdOfMmsi, VesselRegistry, type AcceptedFix, type FleetId, type PositionReport, type VesselFile, type VesselId, type VesselState } from '../model/index.js';
import { CollisionRule, type CollisionRuleOptions } from './collision-rule.js';
import { cpa } from './cpa.js';
import { DEFAULT_ALERT_POLICY } from './policy.js';
import type { Signal } from './rules.js';
import { severityTransitions } from './rule-test-support.js';
import { destination } from './test-support.js';

/**
 * Timelines on the pure core with the real live picture, sea picture and neighbour index. The
 * expected times come from relative-motion arithmetic written out in each test (range ÷ closing
 * speed), not from the rule: a pair 4.1 nm apart closing at 20 kn has TCPA 12.3 − t min, so it
 * reaches warning (TCPA ≤ 10) after 2.3 min, danger (≤ 5) after 7.3 min and passes at 12.3 min.
 */
const T0 = Date.parse('2026-06-01T02:00:00Z');
const A = 412000001;
const B = 412000002;
const C = 412000003;
const START = { lat: 29.95, lon: 122.3 }; // in control grid CG-10 (fixtures/geo)
const GRIDS = ((): readonly GridDef[] => {
  const loaded = fixtureSeaGrids();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.grids;
})();

function file(mmsi: number, extra: Partial<VesselFile> = {}): VesselFile {
  return { vesselId: vesselIdOfMmsi(asMmsi(mmsi)), name: `V${mmsi}`, mmsi: asMmsi(mmsi), ...extra };
}

interface Track {
  readonly from: { lat: number; lon: number };
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly navStatus?: number;
}

class World {
  readonly live: LivePicture;
  readonly sea: SeaPicture;
  readonly rule: CollisionRule;
  readonly signals: { t: number; signal: Signal }[] = [];

  constructor(files: readonly VesselFile[], options?: CollisionRuleOptions) {
    const registry = new VesselRegistry(files);
    this.live = new LivePicture(registry, { maxFutureMs: Infinity });
    this.sea = new SeaPicture(registry, SeaGridIndex.build(GRIDS, { res: 7 }));
    this.rule = new CollisionRule(this.live, this.sea, options);
  }

  /** The vessel's report at t seconds, where its track puts it then (great circle at its SOG; no COG: at `from`). */
  fix(mmsi: number, tS: number, track: Track): PositionReport {
    const run = track.cogDeg === undefined ? 0 : ((track.sogKn ?? 0) * M_PER_NM * tS) / 3600;
    const p = destination(track.from.lat, track.from.lon, track.cogDeg ?? 0, run);
    return { source: 'ais', mmsi: asMmsi(mmsi), atMs: T0 + tS * 1000, receivedAtMs: T0 + tS * 1000, lat: p.lat, lon: p.lon, sogKn: track.sogKn, cogDeg: track.cogDeg, navStatus: track.navStatus };
  }

  /** Hops 5–6 as the pipeline runs them: apply, locate, then the rule on what moved. */
  frame(tS: number, ...reports: PositionReport[]): readonly Signal[] {
    const moved = [];
    for (const r of reports) {
      expect(this.live.applyPosition(r)).toBe('moved');
      const id = vesselIdOfMmsi(r.mmsi!);
      this.sea.locate(id, r.lat, r.lon, r.atMs);
      moved.push({ vesselId: id, report: r, moved: true });
    }
    const out = this.rule.onFixes({ moved });
    for (const signal of out) this.signals.push({ t: tS, signal });
    return out;
  }

  /** Times (s) at which the pair's severity changed, with the new severity ('clear' for undefined). */
  transitions(key: string): [number, string][] {
    return severityTransitions(this.signals, key);
  }
}

const KEY_AB = `collision:${vesselIdOfMmsi(asMmsi(A))}|${vesselIdOfMmsi(asMmsi(B))}`;

/** A heading east at 10 kn; B 4.1 nm east of it and 0.05 nm north, heading west at 10 kn. */
function headOn(): { a: Track; b: Track } {
  const ahead = destination(START.lat, START.lon, 90, 4.1 * M_PER_NM);
  return { a: { from: START, sogKn: 10, cogDeg: 90 }, b: { from: destination(ahead.lat, ahead.lon, 0, 0.05 * M_PER_NM), sogKn: 10, cogDeg: 270 } };
}

/** Both report every 30 s, A on the minute and half minute, B 15 s later, for 14 min. */
function run(w: World, a: Track, b: Track, untilS = 840): void {
  for (let t = 0; t <= untilS; t += 15) w.frame(t, t % 30 === 0 ? w.fix(A, t, a) : w.fix(B, t, b));
}

describe('collision rule: timelines', () => {
  it('t=0 converging head-on at 20 kn: nothing → warning at 150 s → danger at 450 s → clear at 750 s once they have passed', () => {
    const w = new World([file(A), file(B)]);
    const { a, b } = headOn();
    run(w, a, b);
    // TCPA = 12.3 − t/60 min at each evaluation (every 15 s): warning from the first with TCPA ≤ 10
    // (t = 150 s: 9.8), danger from the first with ≤ 5 (450 s: 4.8), clear at the first past CPA (750 s).
    expect(w.transitions(KEY_AB)).toEqual([
      [150, 'warning'],
      [450, 'danger'],
      [750, 'clear'],
    ]);
    // An open pair at the same level is signalled again only once a figure moved beyond the
    // lifecycle's tolerance (TCPA 0.5 min, range 10 %): before 300 s no more than every 30 s
    // (TCPA falls 0.25 min an evaluation), so 2–3 evaluations a signal.
    const ab = w.signals.filter((s) => s.signal.key === KEY_AB && s.t <= 300).map((s) => s.t);
    expect(ab[0]).toBe(150);
    for (let i = 1; i < ab.length; i++) expect(ab[i]! - ab[i - 1]!).toBeGreaterThanOrEqual(30);
    expect(ab.length).toBeGreaterThanOrEqual(3);
    // The last signal at or before 300 s.
    const { t, signal: at285 } = w.signals.find((s) => s.t === ab.at(-1))!;
    expect(at285.vesselIds).toEqual([vesselIdOfMmsi(asMmsi(A)), vesselIdOfMmsi(asMmsi(B))]);
    expect(at285.atMs).toBe(T0 + t * 1000);
    const d = at285.details as { cpaNm: number; tcpaMin: number; rangeNm: number; meetingPoint: { lat: number; lon: number }; confidence: number; fixAgesMs: number[] };
    // 0.05 nm up to the few metres by which great circles started east and west part from a parallel.
    expect(d.cpaNm).toBeCloseTo(0.05, 2);
    expect(d.tcpaMin).toBeCloseTo(12.3 - t / 60, 2);
    expect(d.rangeNm).toBeCloseTo(4.1 - (20 * t) / 3600, 2);
    // Equal speeds: they meet halfway, 2.05 nm east of A's start (and 0.025 nm north).
    const mid = destination(START.lat, START.lon, 90, 2.05 * M_PER_NM);
    expect(Math.abs(d.meetingPoint.lon - mid.lon) * 60 * Math.cos(START.lat * RAD)).toBeLessThan(0.005);
    expect(Math.abs(d.meetingPoint.lat - mid.lat) * 60 - 0.025).toBeLessThan(0.005);
    // A reports on the half minute, B 15 s later: the other's fix is 15 s old.
    expect(d.fixAgesMs).toEqual(t % 30 === 0 ? [0, 15_000] : [15_000, 0]);
    expect(d.confidence).toBeCloseTo(Math.pow(0.5, 15 / 180), 9);
    expect(w.signals.at(-1)!.signal.details).toMatchObject({ reason: 'below-levels' });
    expect(w.rule.openPairs).toBe(0);
    expect(w.rule.counters.signalsCleared).toBe(1);
  });

  it('fleet mates (same 编组) raise only danger: from 450 s, clear at 750 s', () => {
    const fleet = 'PT-SJM-017' as FleetId;
    const w = new World([file(A, { fleetId: fleet }), file(B, { fleetId: fleet })]);
    const { a, b } = headOn();
    run(w, a, b);
    expect(w.transitions(KEY_AB)).toEqual([
      [450, 'danger'],
      [750, 'clear'],
    ]);
    const s = w.signals.find((x) => x.t === 450)!.signal;
    expect(s.fleetIds).toEqual([fleet]);
    expect(s.details).toMatchObject({ dangerOnly: true });
  });

  it('a vessel moored (status 5) or at anchor (status 1) raises only danger against one heading for it', () => {
    // B lies 2.05 nm east of A's start, SOG 0, no COG; A at 10 kn: TCPA 12.3 − t/60 as above.
    for (const navStatus of [5, 1]) {
      const w = new World([file(A), file(B)]);
      const ahead = destination(START.lat, START.lon, 90, 2.05 * M_PER_NM);
      const a: Track = { from: START, sogKn: 10, cogDeg: 90 };
      const b: Track = { from: destination(ahead.lat, ahead.lon, 0, 0.05 * M_PER_NM), sogKn: 0, navStatus };
      run(w, a, b);
      expect(w.transitions(KEY_AB)).toEqual([
        [450, 'danger'],
        [750, 'clear'],
      ]);
    }
  });

  it('a vessel sending no status counts as moored once stopped 10 min: only danger against one heading for it; stopped less, any level', () => {
    // B as above but without a status (class B AIS, BeiDou): first heard stopped 11 min before t=0, or at t=0.
    for (const [sinceS, expected] of [
      [-660, [[450, 'danger'], [750, 'clear']]],
      [0, [[150, 'warning'], [450, 'danger'], [750, 'clear']]],
    ] as const) {
      const w = new World([file(A), file(B)]);
      const ahead = destination(START.lat, START.lon, 90, 2.05 * M_PER_NM);
      const b: Track = { from: destination(ahead.lat, ahead.lon, 0, 0.05 * M_PER_NM), sogKn: 0 };
      if (sinceS < 0) w.frame(sinceS, w.fix(B, sinceS, b));
      run(w, { from: START, sogKn: 10, cogDeg: 90 }, b);
      expect(w.transitions(KEY_AB)).toEqual(expected);
    }
  });

  it('two stopped vessels side by side need no CPA; a vessel without SOG/COG is not evaluated and is counted', () => {
    const w = new World([file(A), file(B), file(C)]);
    const beside = destination(START.lat, START.lon, 0, 0.02 * M_PER_NM);
    for (let t = 0; t <= 120; t += 30) w.frame(t, w.fix(A, t, { from: START, sogKn: 0 }), w.fix(B, t, { from: beside, sogKn: 0.1, cogDeg: 200 }));
    expect(w.signals).toEqual([]);
    expect(w.rule.counters.pairsEvaluated).toBe(0);
    // C heads straight for them at 10 kn from 1.5 nm west, but reports no COG: nothing can be predicted.
    const west = destination(START.lat, START.lon, 270, 1.5 * M_PER_NM);
    w.frame(150, w.fix(C, 150, { from: destination(west.lat, west.lon, 90, (10 * M_PER_NM * 150) / 3600), sogKn: 10 }));
    expect(w.signals).toEqual([]);
    expect(w.rule.counters.pairsEvaluated).toBe(0);
    expect(w.rule.counters.pairsSkippedMotion).toBe(2);
    // With its COG: at 160 s it is 1.5 − 10·160/3600 = 1.056 nm off, TCPA 6.3 min, CPA 0 and 0.02 nm: warning against both.
    const out = w.frame(160, w.fix(C, 160, { from: west, sogKn: 10, cogDeg: 90 }));
    expect(out.map((s) => s.severity)).toEqual(['warning', 'warning']);
    expect(w.rule.counters.pairsEvaluated).toBe(2);
  });

  it('a zone override is applied to pairs with a vessel in that grid, and only there', () => {
    // In CG-10 a warning is CPA < 1 nm within 15 min: the head-on pair (TCPA 12.3 min) warns at t = 0.
    const levels = { warning: { cpaNm: 1, tcpaMin: 15 }, danger: { cpaNm: 0.1, tcpaMin: 5 } };
    const w = new World([file(A), file(B)], { overrides: [{ gridId: 'CG-10', levels }] });
    expect(w.sea.grids.assignFor('probe', START.lat, START.lon, T0).control).toContain('CG-10');
    const { a, b } = headOn();
    run(w, a, b);
    expect(w.transitions(KEY_AB)).toEqual([
      [15, 'warning'],
      [450, 'danger'],
      [750, 'clear'],
    ]);
    // The same encounter 2° further south, outside CG-10, keeps the defaults.
    const far = new World([file(A), file(B)], { overrides: [{ gridId: 'CG-10', levels }] });
    const south = { lat: START.lat - 2, lon: START.lon };
    expect(far.sea.grids.assignFor('probe', south.lat, south.lon, T0).control).not.toContain('CG-10');
    const ahead = destination(south.lat, south.lon, 90, 4.1 * M_PER_NM);
    run(far, { from: south, sogKn: 10, cogDeg: 90 }, { from: destination(ahead.lat, ahead.lon, 0, 0.05 * M_PER_NM), sogKn: 10, cogDeg: 270 });
    expect(far.transitions(KEY_AB)).toEqual([
      [150, 'warning'],
      [450, 'danger'],
      [750, 'clear'],
    ]);
  });

  it('a ship-type override applies when either vessel is of that type', () => {
    // Tankers (AIS 80–89): danger already at CPA < 0.3 nm within 8 min → danger from TCPA ≤ 8: t ≥ 4.3 min → 270 s.
    const levels = { warning: { cpaNm: 0.5, tcpaMin: 10 }, danger: { cpaNm: 0.3, tcpaMin: 8 } };
    const w = new World([file(A, { shipType: 84 }), file(B, { shipType: 30 })], { overrides: [{ shipTypes: [80, 81, 82, 83, 84, 85, 86, 87, 88, 89], levels }] });
    const { a, b } = headOn();
    run(w, a, b);
    expect(w.transitions(KEY_AB)).toEqual([
      [150, 'warning'],
      [270, 'danger'],
      [750, 'clear'],
    ]);
  });

  it('a fast vessel finds a slow one beyond the slow one\'s screen; the open pair then updates on either\'s fixes', () => {
    // A at 4 kn heading north; B 4.95 nm north of it heading south at 26 kn: closing 30 kn — outside
    // A's screen (0.5 + 2·4·13/60 = 2.23 nm) but inside B's (0.5 + 2·26·13/60 = 11.8 nm).
    const w = new World([file(A), file(B)]);
    const a: Track = { from: START, sogKn: 4, cogDeg: 0 };
    const b: Track = { from: destination(START.lat, START.lon, 0, 4.95 * M_PER_NM), sogKn: 26, cogDeg: 180 };
    expect(w.rule.screenNm(4)).toBeLessThan(5);
    expect(w.frame(0, w.fix(A, 0, a))).toEqual([]);
    // B reports at 5 s: TCPA (4.95 − 30·5/3600) nm ÷ 30 kn = 9.82 min → warning.
    expect(w.frame(5, w.fix(B, 5, b)).map((s) => s.severity)).toEqual(['warning']);
    // A's next fix re-evaluates the open pair although B is beyond A's own screen: 5 s on, nothing
    // moved beyond the lifecycle's tolerance (no signal); 35 s later TCPA has moved 0.58 min.
    expect(w.frame(10, w.fix(A, 10, a))).toEqual([]);
    expect(w.rule.counters.pairsUnchanged).toBe(1);
    expect(w.frame(40, w.fix(A, 40, a)).map((s) => [s.key, s.severity])).toEqual([[KEY_AB, 'warning']]);
  });

  it('one signal per pair per frame, whichever vessel reported; the key is the same from either side', () => {
    const w = new World([file(A), file(B)]);
    const { a, b } = headOn();
    const out = w.frame(180, w.fix(B, 180, b), w.fix(A, 180, a));
    expect(out).toHaveLength(1);
    expect(out[0]!.key).toBe(KEY_AB);
    // B alone 45 s later (TCPA moved 0.75 min, beyond the lifecycle's 0.5): the same key.
    const again = w.frame(225, w.fix(B, 225, b));
    expect(again.map((s) => s.key)).toEqual([KEY_AB]);
  });

  it('a signalled pair whose vessels fall silent is cleared and forgotten after 30 min of fix time', () => {
    const w = new World([file(A), file(B), file(C)]);
    const { a, b } = headOn();
    w.frame(180, w.fix(A, 180, a), w.fix(B, 180, b));
    expect(w.rule.openPairs).toBe(1);
    // Only C, far away, keeps reporting; its fixes carry the rule's clock.
    const far = { from: { lat: 28, lon: 124 }, sogKn: 8, cogDeg: 45 };
    for (let t = 240; t <= 180 + 29 * 60; t += 60) w.frame(t, w.fix(C, t, far));
    expect(w.rule.openPairs).toBe(1);
    const out = w.frame(180 + 31 * 60, w.fix(C, 180 + 31 * 60, far));
    expect(out.map((s) => [s.key, s.severity, s.details['reason']])).toEqual([[KEY_AB, undefined, 'not-seen']]);
    expect(w.rule.openPairs).toBe(0);
    expect(w.rule.counters.pairsForgotten).toBe(1);
  });

  it('evaluates neighbours only, never all vessels', () => {
    // 100 vessels spread 30–80 nm away on collision courses with each other; A meets none of them.
    const files = [file(A), file(B)];
    for (let i = 0; i < 100; i++) files.push(file(413000000 + i));
    const w = new World(files);
    for (let i = 0; i < 100; i++) {
      const p = destination(START.lat, START.lon, (i * 36) % 360, (30 + (i % 50)) * M_PER_NM);
      w.frame(0, w.fix(413000000 + i, 0, { from: p, sogKn: 12, cogDeg: (i * 36 + 180) % 360 }));
    }
    const { a, b } = headOn();
    const evaluated: number[] = [];
    for (const [t, mmsi, track] of [[1, A, a], [2, B, b], [3, A, a]] as const) {
      const before = w.rule.counters.pairsEvaluated;
      w.frame(t, w.fix(mmsi, t, track));
      evaluated.push(w.rule.counters.pairsEvaluated - before);
    }
    // A alone, then B finds A, then A finds B: one pair each time, none of the hundred.
    expect(evaluated).toEqual([0, 1, 1]);
  });
});

describe('collision rule: options are programmer input', () => {
  it('refuses an override that names neither a grid nor ship types, and non-positive levels', () => {
    const w = new World([]);
    const levels = { warning: { cpaNm: 0.5, tcpaMin: 10 }, danger: { cpaNm: 0.1, tcpaMin: 5 } };
    expect(() => new CollisionRule(w.live, w.sea, { overrides: [{ levels }] })).toThrow(/gridId or shipTypes/);
    expect(() => new CollisionRule(w.live, w.sea, { levels: { ...levels, danger: { cpaNm: 0, tcpaMin: 5 } } })).toThrow(/cpaNm and tcpaMin/);
  });
});

/** A pair's level by `cpa` (checked against the sphere in cpa.test.ts) and the default policy: the brute force's judgement. */
function expectedLevel(a: VesselState, b: VesselState): string | undefined {
  const levels = DEFAULT_ALERT_POLICY.collision;
  const r = cpa(a, b, Math.max(a.atMs, b.atMs));
  if (r.kind !== 'cpa' || !(r.tcpaMin > 0)) return undefined;
  const onlyDanger = [1, 5].includes(a.navStatus ?? -1) || [1, 5].includes(b.navStatus ?? -1) || (a.fleetId !== undefined && a.fleetId === b.fleetId);
  if (r.cpaNm < levels.danger.cpaNm && r.tcpaMin <= levels.danger.tcpaMin) return 'danger';
  if (!onlyDanger && r.cpaNm < levels.warning.cpaNm && r.tcpaMin <= levels.warning.tcpaMin) return 'warning';
  return undefined;
}

/** Every pair of `ids` at a level by `expectedLevel`, all n(n − 1)/2 of them, by alert key. */
function levelsOfAllPairs(live: LivePicture, ids: readonly VesselId[]): Map<string, string> {
  const want = new Map<string, string>();
  const states = ids.map((id) => live.get(id)!);
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
    const level = expectedLevel(states[i]!, states[j]!);
    if (level !== undefined) want.set(pairKey(ids[i]!, ids[j]!), level);
  }
  return want;
}

/** Signals into the open pairs they leave: key → level, a clear removes the key. */
function applySignals(open: Map<string, string>, signals: readonly Signal[]): void {
  for (const s of signals) {
    if (s.severity === undefined) open.delete(s.key);
    else open.set(s.key, s.severity);
  }
}

function pairKey(x: VesselId, y: VesselId): string {
  return x < y ? `collision:${x}|${y}` : `collision:${y}|${x}`;
}

/**
 * A seeded crowded sea in a square of `sideNm` at 30°N 122.5°E: a fifth stopped (half of those
 * moored), `noCog` of them at 8 kn without COG, the rest under way at 1–25 kn; the first
 * `fleets × perFleet` in fleets `${fleetPrefix}0…`. `report(i, tMs)` moves vessel i 30 s along its
 * course (after T0) and applies its fix to the real live picture and neighbour index.
 */
function crowdedSea(o: { n: number; sideNm: number; seed: number; mmsiBase: number; fleetPrefix: string; fleets: number; perFleet: number; noCog: number }) {
  const rand = seededRandom(o.seed);
  const files: VesselFile[] = [];
  const tracks: { lat: number; lon: number; sogKn?: number; cogDeg?: number; navStatus?: number }[] = [];
  for (let i = 0; i < o.n; i++) {
    const kind = rand();
    files.push(file(o.mmsiBase + i, i < o.fleets * o.perFleet ? { fleetId: `${o.fleetPrefix}${i % o.fleets}` as FleetId } : {}));
    const lat = 30 + (o.sideNm / 60) * rand();
    const lon = 122.5 + (o.sideNm / 60 / Math.cos(30 * RAD)) * rand();
    if (kind < 0.2) tracks.push({ lat, lon, sogKn: 0.2 * rand(), ...(rand() < 0.5 ? { navStatus: 5 } : {}) });
    else if (kind < 0.2 + o.noCog) tracks.push({ lat, lon, sogKn: 8 });
    else tracks.push({ lat, lon, sogKn: 1 + 24 * rand(), cogDeg: 360 * rand() });
  }
  const live = new LivePicture(new VesselRegistry(files), { maxFutureMs: Infinity });
  const index = new NeighbourIndex({ res: 6 });
  const ids = files.map((f) => f.vesselId);
  const report = (i: number, tMs: number): AcceptedFix => {
    const t = tracks[i]!;
    if (t.cogDeg !== undefined && tMs > T0) {
      const p = destination(t.lat, t.lon, t.cogDeg, ((t.sogKn ?? 0) * M_PER_NM * 30) / 3600);
      t.lat = p.lat;
      t.lon = p.lon;
    }
    const r: PositionReport = { source: 'ais', mmsi: asMmsi(o.mmsiBase + i), atMs: tMs, receivedAtMs: tMs, lat: t.lat, lon: t.lon, sogKn: t.sogKn, cogDeg: t.cogDeg, navStatus: t.navStatus };
    expect(live.applyPosition(r)).toBe('moved');
    index.upsert(ids[i]!, r.lat, r.lon);
    return { vesselId: ids[i]!, report: r, moved: true };
  };
  return { rand, live, index, ids, report };
}

describe('collision rule against all pairs (brute force)', () => {
  /*
   * A crowded sea — 300 vessels in 8 × 8 nm: stopped (some moored), under way at 1–25 kn, some
   * without COG, ten fleets of six — run through the real live picture and neighbour index, in
   * batches of every fix at once (the pipeline after a burst) and of one fix each, with some
   * vessels silent for a round (fixes up to 2 min old). Expected: every pair's level from `cpa`
   * (checked against the sphere in cpa.test.ts) and the policy, over all n(n − 1)/2 pairs — no
   * screen, no neighbour index.
   * - After a batch of every vessel, the open pairs and their levels are exactly the pairs at a level.
   * - After one vessel's fix, each pair at a level with a vessel no faster than it (the header's
   *   guarantee; a faster one finds the pair from its own fix) is open at that level (signalled
   *   now, or earlier at that level with figures that have not moved since), and no signal names
   *   a level that pair is not at.
   */
  const N = 300;

  it('finds every pair at a level, at its level, whatever the batching', () => {
    const { rand, live, index, ids, report } = crowdedSea({ n: N, sideNm: 8, seed: 1212, mmsiBase: 414000000, fleetPrefix: 'F', fleets: 10, perFleet: 6, noCog: 0.05 });
    const rule = new CollisionRule(live, { neighbours: index, membership: () => undefined });
    const open = new Map<string, string>();
    const apply = (signals: readonly Signal[]): void => applySignals(open, signals);
    let atLevel = 0;
    let singlesChecked = 0;
    for (let round = 0; round < 8; round++) {
      const tMs = T0 + round * 30_000;
      const reporting = [...Array(N).keys()].filter(() => round === 0 || round % 2 === 0 || rand() < 0.75);
      if (round % 2 === 0) {
        apply(rule.onFixes({ moved: reporting.map((i) => report(i, tMs)) }));
        const want = levelsOfAllPairs(live, ids);
        expect(open).toEqual(want);
        atLevel += want.size;
      } else {
        for (const [k, i] of reporting.entries()) {
          const signals = rule.onFixes({ moved: [report(i, tMs + k * 50)] });
          apply(signals);
          const a = live.get(ids[i]!)!;
          const got = new Map(signals.filter((s) => s.severity !== undefined).map((s) => [s.key, s.severity]));
          for (let j = 0; j < N; j++) {
            if (j === i) continue;
            const b = live.get(ids[j]!)!;
            const level = expectedLevel(a, b);
            const key = pairKey(a.vesselId, b.vesselId);
            if (got.has(key)) expect([key, got.get(key)]).toEqual([key, level]);
            // Not signalled again: an open pair whose level and figures held (the rule signals only what moved).
            else if (level !== undefined && (b.sogKn ?? 0) <= (a.sogKn ?? 0)) expect([key, open.get(key) ?? 'not signalled']).toEqual([key, level]);
            singlesChecked++;
          }
        }
      }
    }
    expect(atLevel).toBeGreaterThan(100);
    expect(singlesChecked).toBeGreaterThan(100_000);
  }, 60_000);
});

describe('collision rule: the batch grid against the index and against all pairs', () => {
  /*
   * A seeded sea of 1,000 vessels in 15 × 15 nm (denser than 2,500 in 30 × 30, a fifth of the pairs to brute-force) — stopped (some moored), under way at 1–25 kn, some
   * without COG, 40 fleets of five — through the real live picture and neighbour index, judged by
   * two rules side by side: one screening every batch by the batch grid (batchGridMin 1), one by
   * an index query per vessel (the per-fix path). Rounds of every fix at once and of 60 % of them.
   * Expected: the two send the same signals every round (key, level and CPA), and after a round of
   * every fix the open pairs are exactly the pairs a brute-force all-pairs evaluation (`cpa` of
   * every one of the n(n − 1)/2 pairs, the policy's levels) puts at a level.
   */
  it('signals what the per-fix path signals, and leaves open exactly the pairs at a level', () => {
    const { rand, live, index, ids, report } = crowdedSea({ n: 1_000, sideNm: 15, seed: 4242, mmsiBase: 415000000, fleetPrefix: 'G', fleets: 40, perFleet: 5, noCog: 0.03 });
    const sea = { neighbours: index, membership: () => undefined };
    const byGrid = new CollisionRule(live, sea, { batchGridMin: 1 });
    const byIndex = new CollisionRule(live, sea, { batchGridMin: Infinity });
    const open = new Map<string, string>();
    const said = (signals: readonly Signal[]): Map<string, string> =>
      new Map(signals.map((s) => [s.key, `${s.severity ?? 'clear'} ${typeof s.details['cpaNm'] === 'number' ? (s.details['cpaNm'] as number).toFixed(6) : ''}`]));
    let atLevel = 0;
    let signalled = 0;
    for (let round = 0; round < 4; round++) {
      const tMs = T0 + round * 30_000;
      const all = round % 3 !== 1;
      const reporting = [...ids.keys()].filter(() => all || rand() < 0.6);
      const batch = { moved: reporting.map((i) => report(i, tMs)) };
      const fromGrid = byGrid.onFixes(batch);
      const fromIndex = byIndex.onFixes(batch);
      expect(said(fromGrid)).toEqual(said(fromIndex));
      signalled += fromGrid.length;
      applySignals(open, fromGrid);
      if (!all) continue;
      const want = levelsOfAllPairs(live, ids);
      expect(open).toEqual(want);
      atLevel += want.size;
    }
    expect(byGrid.counters.pairsEvaluated).toBeGreaterThan(0);
    expect(atLevel).toBeGreaterThan(500);
    expect(signalled).toBeGreaterThan(500);
  }, 120_000);
});

describe('CollisionRule after a restore into a running picture (a cluster takeover)', () => {
  it('judges a restored vessel on its restored fix, not the older one it last evaluated: B seen moored 3 nm north, restored 15 min later 1.5 nm ahead of A head-on at 10 kn (0.05 nm off, TCPA 4.5 min) → danger at A\'s next report', () => {
    const w = new World([file(A), file(B)]);
    const a: Track = { from: START, sogKn: 10, cogDeg: 90, navStatus: 0 };
    w.frame(0, w.fix(A, 0, a), w.fix(B, 0, { from: destination(START.lat, START.lon, 0, 3 * M_PER_NM), sogKn: 0, navStatus: 5 }));
    // Restored at t = 900 s, 10 s before A's next report: then 1.5 nm + 10 s of its run east of A's t = 910 position, 0.05 nm north of A's track, steaming west at 10 kn.
    const aNext = destination(START.lat, START.lon, 90, (10 * M_PER_NM * 910) / 3600);
    const ahead = destination(aNext.lat, aNext.lon, 90, 1.5 * M_PER_NM + (10 * M_PER_NM * 10) / 3600);
    const bAt = destination(ahead.lat, ahead.lon, 0, 0.05 * M_PER_NM);
    const restored: PositionReport = { source: 'ais', mmsi: asMmsi(B), atMs: T0 + 900_000, receivedAtMs: T0 + 900_000, lat: bAt.lat, lon: bAt.lon, sogKn: 10, cogDeg: 270, navStatus: 0 };
    expect(w.live.applyPosition(restored)).toBe('moved');
    w.sea.locate(vesselIdOfMmsi(asMmsi(B)), restored.lat, restored.lon, restored.atMs);
    w.rule.onRestored([vesselIdOfMmsi(asMmsi(B))]);
    w.frame(910, w.fix(A, 910, a));
    expect(w.transitions(KEY_AB)).toEqual([[910, 'danger']]);
  });
});
