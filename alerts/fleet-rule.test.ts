import { describe, expect, it } from 'vitest';
import { M_PER_NM } from '../geo/index.js';
import type { FleetId, VesselId } from '../model/index.js';
import { FleetRule } from './fleet-rule.js';
import { DEFAULT_ALERT_POLICY } from './policy.js';
import { aisFile, idOf, RuleWorld } from './rule-test-support.js';
import { destination } from './test-support.js';

/**
 * Timelines from plane kinematics written out per test. Geometry: points placed with the
 * great-circle direct problem (alerts/test-support.ts) from one origin in open sea east of the
 * Zhoushan grids; distances in nm along a meridian or a parallel. Holds from the policy: warning
 * 20 s, clear 60 s.
 */
const F = 'F-1' as FleetId;
const [M1, M2, M3, S] = [412000001, 412000002, 412000003, 412000004];
const MERCHANT = 413999001;
const O = { lat: 30.4, lon: 123.6 };
const WARN_S = DEFAULT_ALERT_POLICY.lifecycle.default.raiseHoldMs.warning / 1000;
const CLEAR_S = DEFAULT_ALERT_POLICY.lifecycle.default.clearHoldMs / 1000;

function at(from: { lat: number; lon: number }, bearingDeg: number, nm: number): { lat: number; lon: number } {
  return destination(from.lat, from.lon, bearingDeg, nm * M_PER_NM);
}

function world(): RuleWorld {
  const w = new RuleWorld([aisFile(M1, { fleetId: F }), aisFile(M2, { fleetId: F }), aisFile(M3, { fleetId: F }), aisFile(S, { fleetId: F }), aisFile(MERCHANT)]);
  const members = (f: FleetId): VesselId[] => w.registry.fleet(f).map((v) => v.vesselId);
  w.rules = [new FleetRule(w.live, w.sea, members)];
  return w;
}

/** Reports taken into the picture, grids and index as a warm start or a cluster takeover does — not through the rules — and the rule told (onRestored). */
function restore(w: RuleWorld, ...reports: ReturnType<RuleWorld['report']>[]): void {
  for (const r of reports) {
    expect(w.live.applyPosition(r)).toBe('moved');
    w.sea.locate(idOf(r.mmsi!), r.lat, r.lon, r.atMs);
  }
  w.rules[0]!.onRestored?.(reports.map((r) => idOf(r.mmsi!)));
}

/** Three mates abreast 0.5 nm apart (centre M2) sailing north at `kn` from O; their centroid is M2. */
function mates(w: RuleWorld, tS: number, kn: number): ReturnType<RuleWorld['report']>[] {
  const c = at(O, 0, (kn * tS) / 3600);
  return [
    w.report({ mmsi: M1 }, tS, { ...at(c, 270, 0.5), sogKn: kn, cogDeg: 0, navStatus: 0 }),
    w.report({ mmsi: M2 }, tS, { ...c, sogKn: kn, cogDeg: 0, navStatus: 0 }),
    w.report({ mmsi: M3 }, tS, { ...at(c, 90, 0.5), sogKn: kn, cogDeg: 0, navStatus: 0 }),
  ];
}

describe('FleetRule: straggler (脱编)', () => {
  it('in transit at 8 kn, a member 1.07 nm astern making 2 kn drops back at 6 kn: beyond 2 nm after 558 s → signalled at the 570 s report, raised at 590; back to 11 kn it closes at 3 kn and is inside 1.75 nm after 1884 s → cleared at 1890+60', () => {
    const w = world();
    let sNm = -1.07; // along the meridian, relative to O
    let last = 0;
    for (let t = 0; t <= 2010; t += 30) {
      const sKn = t <= 900 ? 2 : 11;
      sNm += (sKn * (t - last)) / 3600;
      last = t;
      w.frame(t, ...mates(w, t, 8), w.report({ mmsi: S }, t, { ...at(O, 0, sNm), sogKn: sKn, cogDeg: 0, navStatus: 0 }));
    }
    const key = `fleet-straggler:${idOf(S)}`;
    // Between 2 and 1.75 nm (t = 1500: 2.07 nm, t = 1800: 1.82 nm) it stays a straggler: no flicker.
    expect(w.transitions(key)).toEqual([[570, 'warning'], [1890, 'clear']]);
    expect(w.timeline(key)).toEqual([[570 + WARN_S, 'raise:warning'], [1890 + CLEAR_S, 'cleared']]);
    expect(w.signals.find((s) => s.signal.key === key)!.signal.fleetIds).toEqual([F]);
  });

  it('at work (3 kn) a fleet spreads: 3 nm from the others is no straggler; 9 nm from every mate (none within 8 nm to regroup with) is danger at once', () => {
    const w = world();
    for (let t = 0; t <= 120; t += 30) w.frame(t, ...mates(w, t, 3), w.report({ mmsi: S }, t, { ...at(at(O, 0, (3 * t) / 3600), 180, 3), sogKn: 3, cogDeg: 0, navStatus: 0 }));
    expect(w.signals).toEqual([]);
    w.frame(150, ...mates(w, 150, 3), w.report({ mmsi: S }, 150, { ...at(at(O, 0, (3 * 150) / 3600), 180, 9), sogKn: 3, cogDeg: 0, navStatus: 0 }));
    const key = `fleet-straggler:${idOf(S)}`;
    expect(w.transitions(key)).toEqual([[150, 'danger']]);
    expect(w.timeline(key)).toEqual([[150, 'raise:danger']]);
  });

  it('mates restored into the picture before a restart (never handed to the rule) still count: the first fix of the member 9 nm from them is danger at once', () => {
    const w = world();
    // A warm start: the mates' last stored fixes are applied to the picture, not run through the rules.
    for (const r of mates(w, 600, 3)) expect(w.live.applyPosition(r)).toBe('moved');
    w.frame(630, w.report({ mmsi: S }, 630, { ...at(at(O, 0, (3 * 630) / 3600), 180, 9), sogKn: 3, cogDeg: 0, navStatus: 0 }));
    const key = `fleet-straggler:${idOf(S)}`;
    expect(w.transitions(key)).toEqual([[630, 'danger']]);
    // And a mate that moves later is read from its new fix, not the restored one: the others close in on S.
    w.frame(660, ...mates(w, 660, 3).map((r) => ({ ...r, ...at(at(O, 0, (3 * 660) / 3600), 180, 8.5) })), w.report({ mmsi: S }, 660, { ...at(at(O, 0, (3 * 660) / 3600), 180, 9), sogKn: 3, cogDeg: 0, navStatus: 0 }));
    expect(w.transitions(key)).toEqual([[630, 'danger'], [660, 'clear']]);
  });

  it('no judgement while a member has not been heard yet (the reference would be a part of the fleet)', () => {
    const w = world();
    // M3 silent: S is 3 nm astern of M1/M2 in transit, but the fleet was first heard < 10 min ago.
    for (let t = 0; t <= 120; t += 30) w.frame(t, ...mates(w, t, 8).slice(0, 2), w.report({ mmsi: S }, t, { ...at(at(O, 0, (8 * t) / 3600), 180, 3), sogKn: 8, cogDeg: 0, navStatus: 0 }));
    expect(w.signals).toEqual([]);
  });
});

describe('FleetRule: a non-member entering the fleet’s footprint', () => {
  it('a merchant 6.05 nm west making 12 kn due east through a stopped fleet: enters 2 nm at 1215 s, inside the 10 min horizon from 615 s → signalled at the 620 s report, raised at 640; leaves the 2 nm circle east at 2415 s → cleared at 2420+60', () => {
    const w = world();
    const still = (t: number): ReturnType<RuleWorld['report']>[] => [
      w.report({ mmsi: M1 }, t, { ...at(O, 0, 0.3), sogKn: 0, cogDeg: 0, navStatus: 0 }),
      w.report({ mmsi: M2 }, t, { ...O, sogKn: 0, cogDeg: 0, navStatus: 0 }),
      w.report({ mmsi: M3 }, t, { ...at(O, 180, 0.3), sogKn: 0, cogDeg: 0, navStatus: 0 }),
    ];
    for (let t = 0; t <= 2600; t += 10) {
      const reports = [w.report({ mmsi: MERCHANT }, t, { ...at(O, 90, -6.05 + (12 * t) / 3600), sogKn: 12, cogDeg: 90, navStatus: 0 })];
      // The fleet reports once a minute (moved fixes only: a hair's move each time).
      if (t % 60 === 0) reports.unshift(...still(t).map((r) => ({ ...r, lat: r.lat + t * 1e-9 })));
      w.frame(t, ...reports);
    }
    const key = `fleet-proximity:${F}|${idOf(MERCHANT)}`;
    expect(w.transitions(key)).toEqual([[620, 'warning'], [2420, 'clear']]);
    expect(w.timeline(key)).toEqual([[620 + WARN_S, 'raise:warning'], [2420 + CLEAR_S, 'cleared']]);
    const raised = w.changes.find((c) => c.change.alert.key === key)!.change.alert;
    expect(raised.fleetIds).toEqual([F]);
    expect(raised.vesselIds[0]).toBe(idOf(MERCHANT));
  });
  it('a merchant that falls silent inside the footprint is cleared 30 min (fix time) after its last report, at the next minute’s check', () => {
    const w = world();
    const fleetAt = (t: number): ReturnType<RuleWorld['report']>[] => [
      w.report({ mmsi: M1 }, t, { ...at(O, 0, 0.3), lat: at(O, 0, 0.3).lat + t * 1e-9, sogKn: 0, cogDeg: 0, navStatus: 0 }),
      w.report({ mmsi: M2 }, t, { ...O, lat: O.lat + t * 1e-9, sogKn: 0, cogDeg: 0, navStatus: 0 }),
    ];
    // 1 nm west, heading east at 6 kn: inside the 2 nm circle at once; silent after t = 60.
    for (const t of [0, 30, 60]) w.frame(t, ...fleetAt(t), w.report({ mmsi: MERCHANT }, t, { ...at(O, 90, -1 + (6 * t) / 3600), sogKn: 6, cogDeg: 90, navStatus: 0 }));
    for (let t = 120; t <= 2000; t += 60) w.frame(t, ...fleetAt(t));
    const key = `fleet-proximity:${F}|${idOf(MERCHANT)}`;
    // Last report 60 s; 30 min later is 1860 s, checked with the fleet's fix at 1860.
    expect(w.transitions(key)).toEqual([[0, 'warning'], [1860, 'clear']]);
  });

  it('a member closing head-on is judged on both speeds: 5.9 nm apart, 12 kn each, enters the 2 nm footprint in 9.75 min (inside the 10 min horizon) → signalled at the first report', () => {
    const w = world();
    // Two mates to make a fleet; M1 steams west at 12 kn straight at the merchant coming east at 12 kn.
    w.frame(
      0,
      w.report({ mmsi: M1 }, 0, { ...at(O, 90, 5.9), sogKn: 12, cogDeg: 270, navStatus: 0 }),
      w.report({ mmsi: M2 }, 0, { ...at(O, 90, 9), sogKn: 0, cogDeg: 0, navStatus: 0 }),
      w.report({ mmsi: MERCHANT }, 0, { ...O, sogKn: 12, cogDeg: 90, navStatus: 0 }),
    );
    // (5.9 − 2) / 24 kn = 9.75 min ≤ 10: a bound on the merchant's speed alone (5.9 − 2 = 3.9 nm left) would rule M1 out.
    expect(w.transitions(`fleet-proximity:${F}|${idOf(MERCHANT)}`)).toEqual([[0, 'warning']]);
  });

  it('a fleet steaming at 10 kn straight at an anchored merchant (reporting every 3 min) from 3.5 nm: it enters the 2 nm footprint in 9 min, inside the 10 min horizon → signalled at the merchant’s first report, not once the fleet is inside', () => {
    const w = world();
    for (let t = 0; t <= 720; t += 10) {
      const runNm = (10 * t) / 3600;
      const reports = [
        w.report({ mmsi: M1 }, t, { ...at(O, 90, 3.5 - runNm), sogKn: 10, cogDeg: 270, navStatus: 0 }),
        w.report({ mmsi: M2 }, t, { ...at(O, 90, 4 - runNm), sogKn: 10, cogDeg: 270, navStatus: 0 }),
      ];
      if (t % 180 === 0) reports.push(w.report({ mmsi: MERCHANT }, t, { ...O, lat: O.lat + t * 1e-9, sogKn: 0, cogDeg: 0, navStatus: 1 }));
      w.frame(t, ...reports);
    }
    // A screen on the merchant's speed alone (0 kn: the 2 nm footprint) first met M1 at the 720 s report, 1.5 nm off.
    expect(w.transitions(`fleet-proximity:${F}|${idOf(MERCHANT)}`)[0]).toEqual([0, 'warning']);
  });

  it('members reporting every 3 min (BeiDou) at 10 kn towards an anchored merchant: M1’s last fix 3.7 nm off, dead-reckoned it enters the footprint 612 s after it → signalled at the merchant’s 20 s report, not at the members’ next fix (180 s)', () => {
    const w = world();
    for (let t = 0; t <= 200; t += 10) {
      const reports = [];
      if (t % 180 === 0) {
        const runNm = (10 * t) / 3600;
        reports.push(
          w.report({ mmsi: M1 }, t, { ...at(O, 90, 3.7 - runNm), sogKn: 10, cogDeg: 270, navStatus: 0 }),
          w.report({ mmsi: M2 }, t, { ...at(O, 90, 4.2 - runNm), sogKn: 10, cogDeg: 270, navStatus: 0 }),
        );
      }
      if (t > 0) reports.push(w.report({ mmsi: MERCHANT }, t, { ...O, lat: O.lat + t * 1e-9, sogKn: 0, cogDeg: 0, navStatus: 1 }));
      w.frame(t, ...reports);
    }
    // At 10 s the entry is 602 s ahead, at 20 s 592 s: inside the 10 min horizon from 12 s.
    expect(w.transitions(`fleet-proximity:${F}|${idOf(MERCHANT)}`)[0]).toEqual([20, 'warning']);
  });

  it('a member restored at speed (a cluster takeover) widens the screens at once, and a minute’s recompute keeps it: M1 restored 3.9 nm off at 12 kn → the anchored merchant is signalled at 300 s', () => {
    const w = world();
    w.frame(0, w.report({ mmsi: M1 }, 0, { ...at(O, 0, 20), sogKn: 0, cogDeg: 0, navStatus: 1 }), w.report({ mmsi: M2 }, 0, { ...at(O, 0, 20.2), sogKn: 0, cogDeg: 0, navStatus: 1 }));
    restore(w, w.report({ mmsi: M1 }, 240, { ...at(O, 90, 3.9), sogKn: 12, cogDeg: 270, navStatus: 0 }));
    // A fix of a vessel in no fleet, far off: the once-a-minute recompute of the fastest member runs before the merchant's report.
    w.frame(250, w.report({ mmsi: 413999002 }, 250, { ...at(O, 180, 30), sogKn: 0, cogDeg: 0, navStatus: 1 }));
    // M1 dead-reckoned to 300 s is 3.7 nm off: (3.7 − 2) / 12 kn = 8.5 min ahead.
    w.frame(300, w.report({ mmsi: MERCHANT }, 300, { ...O, sogKn: 0, cogDeg: 0, navStatus: 1 }));
    expect(w.transitions(`fleet-proximity:${F}|${idOf(MERCHANT)}`)).toEqual([[300, 'warning']]);
  });

  it('after a restore into a running picture (a cluster takeover) the restored states count, not the rows the rule had: no straggler from mates it last saw 9 nm away, and an intruder meets a member restored moving towards it', () => {
    const w = world();
    // Seen at work 9 nm north of S (S itself not yet heard).
    w.frame(0, ...mates(w, 0, 3).map((r) => ({ ...r, ...at(O, 0, 9) })));
    // Restored beside S, then S reports: no mate is far, nothing to signal.
    restore(w, ...mates(w, 30, 3));
    w.frame(60, w.report({ mmsi: S }, 60, { ...at(O, 180, 0.5), sogKn: 3, cogDeg: 0, navStatus: 0 }));
    expect(w.transitions(`fleet-straggler:${idOf(S)}`)).toEqual([]);

    // M1 was last given to the rule at anchor far off; restored 4.5 nm east of the merchant making 12 kn west.
    const w2 = world();
    w2.frame(0, w2.report({ mmsi: M1 }, 0, { ...at(O, 0, 20), sogKn: 0, cogDeg: 0, navStatus: 1 }), w2.report({ mmsi: M2 }, 0, { ...at(O, 0, 20.2), sogKn: 0, cogDeg: 0, navStatus: 1 }));
    restore(w2, w2.report({ mmsi: M1 }, 240, { ...at(O, 90, 4.5), sogKn: 12, cogDeg: 270, navStatus: 0 }));
    // (4.5 − 2) / 24 kn = 6.25 min ahead: a warning.
    w2.frame(300, w2.report({ mmsi: MERCHANT }, 300, { ...at(O, 90, (12 * 60) / 3600), sogKn: 12, cogDeg: 90, navStatus: 0 }));
    expect(w2.transitions(`fleet-proximity:${F}|${idOf(MERCHANT)}`)).toEqual([[300, 'warning']]);
  });
});
