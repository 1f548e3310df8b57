import { describe, expect, it } from 'vitest';
import type { BeidouCard, FleetId, VesselId } from '../model/index.js';
import { DEFAULT_ALERT_POLICY } from './policy.js';
import { aisFile, idOf, RuleWorld } from './rule-test-support.js';
import { SignalLostRule } from './signal-lost-rule.js';

/**
 * Timelines with the reporting intervals of ITU-R M.1371-5 Table 1 (class A: 10 s at 0–14 kn,
 * 6 s at 14–23 kn, 3 min at anchor), IEC 62287-1 (class B CS: 30 s above 2 kn) and the 3 min
 * BeiDou period, times the policy's overdue factor (3). Clear hold 60 s (policy).
 */
const A = 412000001;
const B = 412000002;
const FACTOR = DEFAULT_ALERT_POLICY.signalLost.overdueFactor;
const CLEAR_S = DEFAULT_ALERT_POLICY.lifecycle.default.clearHoldMs / 1000;
const OPEN_SEA = { lat: 30.4, lon: 123.6 }; // east of the Zhoushan control grids (fixtures/geo)
const IN_CG10 = { lat: 29.95, lon: 122.3 }; // control grid CG-10

function world(files = [aisFile(A), aisFile(B)]): RuleWorld {
  const w = new RuleWorld(files);
  const fleetMembers = (f: FleetId): VesselId[] => w.registry.fleet(f).map((v) => v.vesselId);
  w.rules = [new SignalLostRule(w.live, { membership: (id) => w.sea.membership(id), fleetMembers })];
  return w;
}

function ticks(w: RuleWorld, fromS: number, toS: number): void {
  for (let t = fromS; t <= toS; t++) w.tick(t);
}

describe('SignalLostRule', () => {
  it('class A under way at 12 kn (10 s): last report t=20 … lost at t=20+3×10=50 … heard at t=120 … cleared at t=180', () => {
    const w = world();
    for (const t of [0, 10, 20]) w.frame(t, w.report({ mmsi: A }, t, { ...OPEN_SEA, lat: OPEN_SEA.lat + t * 1e-5, sogKn: 12, cogDeg: 0, navStatus: 0 }));
    ticks(w, 21, 119);
    for (let t = 120; t <= 240; t += 10) {
      w.frame(t, w.report({ mmsi: A }, t, { ...OPEN_SEA, lat: OPEN_SEA.lat + t * 1e-5, sogKn: 12, cogDeg: 0, navStatus: 0 }));
      ticks(w, t + 1, t + 9);
    }
    const key = `signal-lost:${idOf(A)}|ais`;
    expect(w.transitions(key)).toEqual([[20 + FACTOR * 10, 'warning'], [120, 'clear']]);
    expect(w.timeline(key)).toEqual([[20 + FACTOR * 10, 'raise:warning'], [120 + CLEAR_S, 'cleared']]);
  });

  it('a report that comes late but before the overdue time raises nothing (no flicker from jitter)', () => {
    const w = world();
    for (const t of [0, 10, 38, 66, 94]) w.frame(t, w.report({ mmsi: A }, t, { ...OPEN_SEA, lat: OPEN_SEA.lat + t * 1e-5, sogKn: 12, cogDeg: 0, navStatus: 0 }));
    // Gaps of 28 s < 30 s between the reports; ticks in between.
    for (let t = 0; t <= 94; t++) w.tick(t);
    expect(w.signals).toEqual([]);
  });

  it.each([
    ['class A at 18 kn (6 s)', { sogKn: 18, cogDeg: 0, navStatus: 0 }, 6],
    ['class A at anchor (3 min)', { sogKn: 0, cogDeg: 0, navStatus: 1 }, 180],
    ['class B, no nav status, at 5 kn (30 s)', { sogKn: 5, cogDeg: 0 }, 30],
    ['class B at 1 kn (3 min)', { sogKn: 1, cogDeg: 0 }, 180],
  ])('%s: lost 3 intervals after its last report', (_name, motion, intervalS) => {
    const w = world();
    w.frame(0, w.report({ mmsi: A }, 0, { ...OPEN_SEA, ...motion }));
    ticks(w, 1, 3 * 180 + 10);
    expect(w.transitions(`signal-lost:${idOf(A)}|ais`)).toEqual([[FACTOR * intervalS, 'warning']]);
  });

  it('each source on its own: the AIS goes quiet while the BeiDou terminal of the same hull still reports', () => {
    const w = world([aisFile(A, { beidouCard: '7000001' as BeidouCard })]);
    w.frame(0, w.report({ mmsi: A }, 0, { ...OPEN_SEA, sogKn: 12, cogDeg: 0, navStatus: 0 }));
    w.frame(1, w.report({ card: '7000001' }, 1, { ...OPEN_SEA, lat: OPEN_SEA.lat + 1e-4, sogKn: 12, cogDeg: 0 }));
    ticks(w, 2, 180);
    w.frame(181, w.report({ card: '7000001' }, 181, { ...OPEN_SEA, lat: OPEN_SEA.lat + 0.01, sogKn: 12, cogDeg: 0 }));
    ticks(w, 182, 400);
    expect(w.transitions(`signal-lost:${idOf(A)}|ais`)).toEqual([[30, 'warning']]);
    expect(w.transitions(`signal-lost:${idOf(A)}|beidou`)).toEqual([]);
  });

  it('dark inside a control grid, or within 8 nm of a fresh fleet mate, is raised as danger and says why', () => {
    const fleet = 'F-1' as FleetId;
    const w = world([aisFile(A), aisFile(B, { fleetId: fleet }), aisFile(412000003, { fleetId: fleet })]);
    w.frame(0, w.report({ mmsi: A }, 0, { ...IN_CG10, sogKn: 12, cogDeg: 0, navStatus: 0 }));
    w.frame(0, w.report({ mmsi: B }, 0, { ...OPEN_SEA, sogKn: 12, cogDeg: 0, navStatus: 0 }));
    // The mate keeps reporting 1 nm north (1′ of latitude) of where B fell silent.
    for (let t = 0; t <= 40; t += 10) w.frame(t, w.report({ mmsi: 412000003 }, t, { lat: OPEN_SEA.lat + 1 / 60 + t * 1e-5, lon: OPEN_SEA.lon, sogKn: 12, cogDeg: 0, navStatus: 0 }));
    ticks(w, 1, 40);
    const a = w.signals.find((s) => s.signal.key === `signal-lost:${idOf(A)}|ais`)!.signal;
    const b = w.signals.find((s) => s.signal.key === `signal-lost:${idOf(B)}|ais`)!.signal;
    expect([a.severity, a.details.raisedFor]).toEqual(['danger', ['control-grid']]);
    expect([b.severity, b.details.raisedFor, b.fleetIds]).toEqual(['danger', ['near-fleet'], [fleet]]);
  });
});
