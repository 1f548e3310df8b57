import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY } from './policy.js';
import { aisFile, FIXTURE_GRIDS, idOf, RuleWorld, T0 } from './rule-test-support.js';
import { ZoneRule } from './zone-rule.js';

/**
 * Timelines against the shipped grids (fixtures/geo), at points read off their coordinates:
 * - (30.4 N, 123.6 E): inside MOR-35-2630 (26°30′–35°N, 119–128.5°E; 伏季休渔 05-01 12:00 to
 *   09-16 12:00 Beijing time) and east of the no-trawl line (at 30.4°N the line runs at ≈ 123.29°E);
 * - (30.0 N, 122.9 E): west of the line (≈ 123.14°E there): in the motor-trawl prohibited zone;
 * - (29.758 N, 122.36 E): inside anchorage ANCH-XZM-N (29.7417–29.775°N, 122.3417–122.3833°E);
 * - (33.5 N, 123.5 E): inside the China–Korea provisional measures zone (its edges at 33.5°N run at
 *   ≈ 122.56°E and ≈ 124.10°E).
 * T0 is 2026-06-01 (moratorium in force); +150 days is 2026-10-29 (not in force).
 * Holds (policy): info 60 s, warning 20 s; clear 60 s.
 */
const [GILLNET, LONGLINE, CARGO, TRAWLER] = [412000001, 412000002, 413000003, 412000004];
const MORATORIUM = { lat: 30.4, lon: 123.6 };
const TRAWL_ZONE = { lat: 30.0, lon: 122.9 };
const ANCHORAGE = { lat: 29.758, lon: 122.36 };
const PMZ = { lat: 33.5, lon: 123.5 };
const OCTOBER_S = 150 * 86_400;
const L = DEFAULT_ALERT_POLICY.lifecycle.default;

function world(): RuleWorld {
  const w = new RuleWorld([
    aisFile(GILLNET, { gear: 'gillnet' }),
    aisFile(LONGLINE, { gear: 'longline' }),
    aisFile(CARGO, { gear: 'cargo', shipType: 70 }),
    aisFile(TRAWLER, { gear: 'pair-trawl' }),
  ]);
  w.rules = [new ZoneRule(w.live, (id) => w.sea.membership(id), FIXTURE_GRIDS, (id) => w.registry.byVesselId(id)?.gear)];
  return w;
}

const move = (p: { lat: number; lon: number }, tS: number, sogKn: number, navStatus = 0) => ({ lat: p.lat + tS * 1e-7, lon: p.lon, sogKn, cogDeg: 0, navStatus });

describe('ZoneRule', () => {
  it('伏季休渔: a gillnetter under way in MOR-35-2630 on 1 June → t=0 signalled, t=20 raised; stops at t=300 → cleared at t=360. Hook-and-line and cargo ships are not concerned', () => {
    const w = world();
    for (let t = 0; t <= 420; t += 30) {
      w.frame(t, w.report({ mmsi: GILLNET }, t, move(MORATORIUM, t, t < 300 ? 4 : 0)), w.report({ mmsi: LONGLINE }, t, move(MORATORIUM, t, 4)), w.report({ mmsi: CARGO }, t, move(MORATORIUM, t, 12)));
    }
    const key = `zone:${idOf(GILLNET)}|MOR-35-2630`;
    expect(w.transitions(key)).toEqual([[0, 'warning'], [300, 'clear']]);
    expect(w.timeline(key)).toEqual([[L.raiseHoldMs.warning / 1000, 'raise:warning'], [300 + L.clearHoldMs / 1000, 'cleared']]);
    expect(w.signals.filter((s) => !s.signal.key.startsWith(`zone:${idOf(GILLNET)}`))).toEqual([]);
  });

  it('the same place out of season (29 October) raises nothing', () => {
    const w = world();
    for (let t = OCTOBER_S; t <= OCTOBER_S + 120; t += 30) w.frame(t, w.report({ mmsi: GILLNET }, t, move(MORATORIUM, t - OCTOBER_S, 4)));
    expect(w.signals).toEqual([]);
  });

  it('motor-trawl prohibited zone (October): a pair trawler at 3.5 kn is flagged; at 10 kn (going to port) or a gillnetter at 3.5 kn is not', () => {
    const w = world();
    const t0 = OCTOBER_S;
    w.frame(t0, w.report({ mmsi: TRAWLER }, t0, move(TRAWL_ZONE, 0, 10)), w.report({ mmsi: GILLNET }, t0, move(TRAWL_ZONE, 0, 3.5)));
    w.frame(t0 + 30, w.report({ mmsi: TRAWLER }, t0 + 30, move(TRAWL_ZONE, 30, 3.5)), w.report({ mmsi: GILLNET }, t0 + 30, move(TRAWL_ZONE, 30, 3.5)));
    expect(w.signals.map((s) => [s.t - t0, s.signal.key, s.signal.severity])).toEqual([[30, `zone:${idOf(TRAWLER)}|CN-TRAWL-ZONE`, 'warning']]);
  });

  it('a fishing vessel seen crossing into the China–Korea provisional measures zone (October): t=30 crossed → info raised after the info hold; signalled for 10 min after the crossing, then cleared (the event stays open until resolved)', () => {
    const w = world();
    const crossMs = DEFAULT_ALERT_POLICY.zones.agreementCrossingMs;
    // West of the zone's edge (≈ 122.56°E at 33.5°N) at t=0, inside from t=30 on, at 6 kn.
    for (let t = OCTOBER_S; t <= OCTOBER_S + 900; t += 30) w.frame(t, w.report({ mmsi: GILLNET }, t, move(t === OCTOBER_S ? { lat: 33.5, lon: 122.4 } : PMZ, t - OCTOBER_S, 6)));
    const key = `zone:${idOf(GILLNET)}|CNKR-PMZ`;
    // Signalled on fixes up to 30 s + crossing time; the first fix after that clears.
    const lastOn = 30 + Math.floor((crossMs / 1000 - 1) / 30) * 30;
    expect(w.transitions(key).map(([t, s]) => [t - OCTOBER_S, s])).toEqual([[30, 'info'], [lastOn + 30, 'clear']]);
    expect(w.timeline(key).map(([t, s]) => [t - OCTOBER_S, s])).toEqual([[30 + L.raiseHoldMs.info / 1000, 'raise:info'], [lastOn + 30 + L.clearHoldMs / 1000, 'cleared']]);
  });

  it('a fishing fleet already working inside agreement waters when first heard (not seen crossing) raises nothing; one that leaves and comes back raises on the return', () => {
    const w = world();
    const key = `zone:${idOf(GILLNET)}|CNKR-PMZ`;
    for (let t = OCTOBER_S; t <= OCTOBER_S + 300; t += 30) w.frame(t, w.report({ mmsi: GILLNET }, t, move(PMZ, t - OCTOBER_S, 3)));
    expect(w.signals).toEqual([]);
    w.frame(OCTOBER_S + 330, w.report({ mmsi: GILLNET }, OCTOBER_S + 330, move({ lat: 33.5, lon: 122.4 }, 330, 8)));
    w.frame(OCTOBER_S + 360, w.report({ mmsi: GILLNET }, OCTOBER_S + 360, move(PMZ, 360, 8)));
    expect(w.transitions(key).map(([t, s]) => [t - OCTOBER_S, s])).toEqual([[360, 'info']]);
  });

  it('伏季休渔: transit is not fishing — a gillnetter at 9 kn through MOR-35-2630 raises nothing; a class A trawler reporting status 7 (engaged in fishing) at 6 kn does', () => {
    const w = world();
    for (let t = 0; t <= 120; t += 30) w.frame(t, w.report({ mmsi: GILLNET }, t, move(MORATORIUM, t, 9)), w.report({ mmsi: TRAWLER }, t, move(MORATORIUM, t, 6, 7)));
    expect(w.signals.map((s) => s.signal.key)).toEqual(Array(5).fill(`zone:${idOf(TRAWLER)}|MOR-35-2630`));
  });

  it('anchorage: a ship at 10 kn inside (limit 6 kn) is flagged; slowing to 5.5 kn keeps it (1 kn hysteresis, no flicker); at 4.5 kn it clears', () => {
    const w = world();
    const sogs = [10, 9, 5.5, 6.5, 5.5, 4.5, 4.5, 4.5];
    sogs.forEach((sog, i) => w.frame(i * 30, w.report({ mmsi: CARGO }, i * 30, move(ANCHORAGE, i * 30, sog))));
    const key = `zone:${idOf(CARGO)}|ANCH-XZM-N`;
    expect(w.transitions(key)).toEqual([[0, 'warning'], [150, 'clear']]);
    expect(w.timeline(key)).toEqual([[L.raiseHoldMs.warning / 1000, 'raise:warning'], [150 + L.clearHoldMs / 1000, 'cleared']]);
  });
});

it('T0 is 1 June 2026, inside the moratorium window the tests assume', () => {
  expect(new Date(T0).toISOString()).toBe('2026-06-01T02:00:00.000Z');
});
