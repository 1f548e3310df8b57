import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertPolicy, RouteBook, type AlertPolicyFile } from '../alerts/index.js';
import { aisFile, FIXTURE_GRIDS, idOf, RuleWorld } from '../alerts/rule-test-support.js';
import { destination } from '../alerts/test-support.js';
import { M_PER_NM } from '../geo/index.js';
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

  it('the example policy: in the anchorage (danger only, at 0.05 nm) the same pass raises nothing; in open sea still a warning; a 0.02 nm pass there is a danger', () => {
    const file = example();
    expect(pass(file, IN_ANCHORAGE, A, B, 0.3)).toEqual([]);
    expect(pass(file, OPEN_SEA, A, B, 0.3)).toEqual(['warning']);
    expect(pass(file, IN_ANCHORAGE, A, B, 0.02)).toEqual(['danger']);
  });

  it('the example policy watches a tanker (AIS ship type 80–89) from 1 nm: a 0.8 nm pass is a warning for it, nothing for other ships', () => {
    const file = example();
    expect(pass(file, OPEN_SEA, TANKER, OTHER, 0.8, { shipType: 84 })).toEqual(['warning']);
    expect(pass(file, OPEN_SEA, TANKER, OTHER, 0.8, { shipType: 70 })).toEqual([]);
    expect(pass(DEFAULT_POLICY_FILE, OPEN_SEA, TANKER, OTHER, 0.8, { shipType: 84 })).toEqual([]);
  });
});
