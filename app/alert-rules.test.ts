import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertPolicy, RouteBook, type AlertPolicyFile } from '../alerts/index.js';
import { aisFile, FIXTURE_GRIDS, idOf, RuleWorld } from '../alerts/rule-test-support.js';
import { destination } from '../alerts/test-support.js';
import { M_PER_NM } from '../geo/index.js';
import type { FleetId } from '../model/index.js';
import { alertRules, DEFAULT_POLICY_FILE } from './alert-rules.js';

/**
 * ALERT_POLICY_FILE reaches the rules `seagrid serve` composes (issue 12 §2: levels per zone and per
 * vessel class). Plane kinematics written out: two vessels 1 nm apart east–west, 0.3 nm apart
 * north–south, closing head-on at 6 kn each: CPA 0.3 nm in 5 min — a warning by the defaults
 * (CPA < 0.5 nm, TCPA ≤ 10 min), no danger (0.1 nm). Reports every 10 s; the warning holds 20 s.
 */
const [A, B] = [412100001, 412100002];
const [TANKER, OTHER] = [413100001, 413100002];
/** Inside the Xiazhimen North anchorage (29°44′30″–29°46′30″N, 122°20′30″–122°23′00″E). */
const IN_ANCHORAGE = { lat: 29.758, lon: 122.3625 };
/** Open sea north-east of it, in no anchorage. */
const OPEN_SEA = { lat: 30.4, lon: 123.6 };

function example(): AlertPolicyFile {
  const ids = new Set(FIXTURE_GRIDS.map((g) => g.id));
  const r = parseAlertPolicy(readFileSync(new URL('../fixtures/alert-policy.example.json', import.meta.url), 'utf8'), (id) => ids.has(id));
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  return r.value;
}

/** The head-on pass of `a` and `b` around `centre`, offset `offsetNm` north–south, reported for 180 s (TCPA 5 → 2 min); the severities raised. */
function pass(file: AlertPolicyFile, centre: { lat: number; lon: number }, a: number, b: number, offsetNm: number, extra: { shipType?: number } = {}): string[] {
  const w = new RuleWorld([aisFile(a, extra), aisFile(b)]);
  w.rules = alertRules(w.live, w.sea, w.registry, FIXTURE_GRIDS, new RouteBook(), w.lifecycle, file).rules;
  const west = destination(centre.lat, centre.lon, 270, 0.5 * M_PER_NM);
  const east = destination(centre.lat, centre.lon, 90, 0.5 * M_PER_NM);
  const eastOff = destination(east.lat, east.lon, 0, offsetNm * M_PER_NM);
  for (let t = 0; t <= 180; t += 10) {
    const run = (6 * t) / 3600;
    const pa = destination(west.lat, west.lon, 90, run * M_PER_NM);
    const pb = destination(eastOff.lat, eastOff.lon, 270, run * M_PER_NM);
    w.frame(t, w.report({ mmsi: a }, t, { ...pa, sogKn: 6, cogDeg: 90, navStatus: 0 }), w.report({ mmsi: b }, t, { ...pb, sogKn: 6, cogDeg: 270, navStatus: 0 }));
  }
  return w.changes.filter((c) => c.change.alert.kind === 'collision' && c.change.action === 'raise' && c.change.alert.vesselIds.includes(idOf(a))).map((c) => c.change.alert.severity);
}

describe('alertRules with ALERT_POLICY_FILE', () => {
  it('the defaults: a 0.3 nm pass raises a warning, in the anchorage and in open sea alike', () => {
    expect(pass(DEFAULT_POLICY_FILE, IN_ANCHORAGE, A, B, 0.3)).toEqual(['warning']);
    expect(pass(DEFAULT_POLICY_FILE, OPEN_SEA, A, B, 0.3)).toEqual(['warning']);
  });

  it('the example policy: in the anchorage (danger only, at 0.05 nm) the same pass raises nothing; in open sea still a warning; a 0.07 nm pass, a danger by default, is nothing there; a 0.02 nm pass there is a danger', () => {
    const file = example();
    expect(pass(file, IN_ANCHORAGE, A, B, 0.3)).toEqual([]);
    expect(pass(file, OPEN_SEA, A, B, 0.3)).toEqual(['warning']);
    expect(pass(DEFAULT_POLICY_FILE, IN_ANCHORAGE, A, B, 0.07)).toEqual(['danger']);
    expect(pass(file, IN_ANCHORAGE, A, B, 0.07)).toEqual([]);
    expect(pass(file, IN_ANCHORAGE, A, B, 0.02)).toEqual(['danger']);
  });

  it('the other rules take the file too: signal lost after overdueFactor × 10 s of a class A under way at 12 kn (3 → 50 s, 6 → 80 s), a straggler beyond fleetStraggler.distanceNm (2 nm → signalled, 4 nm → not)', () => {
    const lostAt = (file: AlertPolicyFile): number | undefined => {
      const w = new RuleWorld([aisFile(A)]);
      w.rules = alertRules(w.live, w.sea, w.registry, FIXTURE_GRIDS, new RouteBook(), w.lifecycle, file).rules;
      for (const t of [0, 10, 20]) w.frame(t, w.report({ mmsi: A }, t, { ...destination(OPEN_SEA.lat, OPEN_SEA.lon, 90, (12 * M_PER_NM * t) / 3600), sogKn: 12, cogDeg: 90, navStatus: 0 }));
      for (let t = 21; t <= 200; t++) if (w.tick(t).some((s) => s.kind === 'signal-lost' && s.severity !== undefined)) return t;
      return undefined;
    };
    const policy = (doc: unknown): AlertPolicyFile => {
      const r = parseAlertPolicy(JSON.stringify(doc), () => false);
      if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
      return r.value;
    };
    expect(lostAt(DEFAULT_POLICY_FILE)).toBe(50);
    expect(lostAt(policy({ signalLost: { overdueFactor: 6 } }))).toBe(80);

    // In transit at 8 kn, three mates abreast and S 3 nm astern of them (their centroid), all reporting every 30 s for 11 min (past the warm-up).
    const straggles = (file: AlertPolicyFile): boolean => {
      const F = 'F-9' as FleetId;
      const w = new RuleWorld([aisFile(412200001, { fleetId: F }), aisFile(412200002, { fleetId: F }), aisFile(412200003, { fleetId: F }), aisFile(412200004, { fleetId: F })]);
      w.rules = alertRules(w.live, w.sea, w.registry, FIXTURE_GRIDS, new RouteBook(), w.lifecycle, file).rules;
      for (let t = 0; t <= 660; t += 30) {
        const c = destination(OPEN_SEA.lat, OPEN_SEA.lon, 0, (8 * M_PER_NM * t) / 3600);
        const abreast = (k: number): { lat: number; lon: number } => destination(c.lat, c.lon, 90, k * 0.5 * M_PER_NM);
        const m = (mmsi: number, p: { lat: number; lon: number }) => w.report({ mmsi }, t, { ...p, sogKn: 8, cogDeg: 0, navStatus: 0 });
        w.frame(t, m(412200001, abreast(-1)), m(412200002, abreast(0)), m(412200003, abreast(1)), m(412200004, destination(c.lat, c.lon, 180, 3 * M_PER_NM)));
      }
      return w.signals.some((s) => s.signal.kind === 'fleet-straggler' && s.signal.severity !== undefined);
    };
    expect(straggles(DEFAULT_POLICY_FILE)).toBe(true);
    expect(straggles(policy({ fleetStraggler: { distanceNm: 4 } }))).toBe(false);
  });

  it('the example policy watches a tanker (AIS ship type 80–89) from 1 nm: a 0.8 nm pass is a warning for it, nothing for other ships', () => {
    const file = example();
    expect(pass(file, OPEN_SEA, TANKER, OTHER, 0.8, { shipType: 84 })).toEqual(['warning']);
    expect(pass(file, OPEN_SEA, TANKER, OTHER, 0.8, { shipType: 70 })).toEqual([]);
    expect(pass(DEFAULT_POLICY_FILE, OPEN_SEA, TANKER, OTHER, 0.8, { shipType: 84 })).toEqual([]);
  });
});
