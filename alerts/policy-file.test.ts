import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertPolicy } from './policy-file.js';
import { DEFAULT_ALERT_POLICY } from './policy.js';
import { FIXTURE_GRIDS } from './rule-test-support.js';

const GRIDS = new Set(['ANCH-XZM-N', 'CG-01']);
const known = (id: string): boolean => GRIDS.has(id);

function parsed(doc: unknown) {
  const r = parseAlertPolicy(JSON.stringify(doc), known);
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  return r.value;
}

function refused(doc: unknown): { code: string; detail?: string } {
  const r = parseAlertPolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), known);
  if (r.ok) throw new Error('accepted');
  return { code: r.code, ...(r.detail === undefined ? {} : { detail: r.detail }) };
}

describe('parseAlertPolicy (ALERT_POLICY_FILE)', () => {
  it('an empty object is the defaults, with no override', () => {
    expect(parsed({})).toEqual({ policy: DEFAULT_ALERT_POLICY, collisionOverrides: [] });
  });

  it('what is written replaces its default, and only that: a warning CPA of 0.3 nm keeps its 10 min and the danger level', () => {
    const p = parsed({ collision: { warning: { cpaNm: 0.3 } }, fleetStraggler: { distanceNm: 3 }, $comment: 'a note' }).policy;
    expect(p.collision).toEqual({ warning: { cpaNm: 0.3, tcpaMin: 10 }, danger: DEFAULT_ALERT_POLICY.collision.danger });
    expect(p.fleetStraggler.distanceNm).toBe(3);
    expect(p.fleetProximity).toEqual(DEFAULT_ALERT_POLICY.fleetProximity);
    expect(p.lifecycle).toEqual(DEFAULT_ALERT_POLICY.lifecycle);
  });

  it('a kind whose raise hold names one level gets the others from the (merged) default: the lifecycle merges a kind one level deep', () => {
    const p = parsed({ lifecycle: { default: { raiseHoldMs: { info: 30_000 } }, byKind: { zone: { raiseHoldMs: { warning: 60_000 } } } } }).policy;
    expect(p.lifecycle.default.raiseHoldMs).toEqual({ info: 30_000, warning: 20_000, danger: 0 });
    expect(p.lifecycle.byKind['zone']).toEqual({ raiseHoldMs: { info: 30_000, warning: 60_000, danger: 0 } });
    // Kinds the file does not name keep theirs.
    expect(p.lifecycle.byKind['route-deviation']).toEqual(DEFAULT_ALERT_POLICY.lifecycle.byKind['route-deviation']);
  });

  it('a detail tolerance may name any field', () => {
    expect(parsed({ lifecycle: { default: { detailTolerance: { rangeNm: 0.2 } } } }).policy.lifecycle.default.detailTolerance).toEqual({ ...DEFAULT_ALERT_POLICY.lifecycle.default.detailTolerance, rangeNm: 0.2 });
  });

  it('overrides: base levels under the override’s numbers; dangerOnly makes the warning level the danger level (tried first, so never a warning); a grid or ship types', () => {
    const o = parsed({
      collision: { danger: { cpaNm: 0.2 } },
      collisionOverrides: [
        { gridId: 'ANCH-XZM-N', dangerOnly: true, levels: { danger: { cpaNm: 0.05 } } },
        { shipTypes: [80, 89], levels: { warning: { cpaNm: 1, tcpaMin: 15 } } },
      ],
    }).collisionOverrides;
    expect(o).toHaveLength(2);
    expect(o[0]!.gridId).toBe('ANCH-XZM-N');
    expect(o[0]!.levels.danger).toEqual({ cpaNm: 0.05, tcpaMin: 5 });
    expect(o[0]!.levels.warning).toEqual(o[0]!.levels.danger);
    expect(o[1]).toEqual({ shipTypes: [80, 89], levels: { warning: { cpaNm: 1, tcpaMin: 15 }, danger: { cpaNm: 0.2, tcpaMin: 5 } } });
  });

  it('refuses, naming the field: not JSON, not an object, a misspelt key, a bad number, a danger wider than its warning', () => {
    expect(refused('{"collision":').code).toBe('policy.json');
    expect(refused([1]).code).toBe('policy.json');
    expect(refused({ collison: {} })).toEqual({ code: 'policy.field', detail: 'collison: no such setting' });
    expect(refused({ collision: { warning: { cpa: 1 } } })).toEqual({ code: 'policy.field', detail: 'collision.warning.cpa: no such setting' });
    expect(refused({ collision: { warning: { cpaNm: -1 } } }).detail).toMatch(/^collision\.warning\.cpaNm: expected a finite number ≥ 0/);
    expect(refused({ collision: { warning: { cpaNm: '0.5' } } }).code).toBe('policy.field');
    expect(refused({ collision: { danger: { cpaNm: 0.6 } } }).code).toBe('policy.levels');
    expect(refused({ collision: { danger: { tcpaMin: 0 } } }).code).toBe('policy.levels');
    expect(refused({ signalLost: { overdueFactor: 0.5 } }).detail).toMatch(/^signalLost\.overdueFactor/);
    expect(refused({ lifecycle: { byKind: { colision: {} } } }).detail).toMatch(/^lifecycle\.byKind\.colision: no such alert kind/);
    expect(refused({ lifecycle: { byKind: { zone: { raiseHoldMs: { warnig: 1 } } } } }).detail).toBe('lifecycle.byKind.zone.raiseHoldMs.warnig: no such setting');
  });

  it('refuses what would make a rule blind: levels a 40 kn vessel cannot be screened for, a regroup distance within the clear margin, a footprint beyond the screen, inherited names', () => {
    // Widest CPA + longest TCPA × 40 kn must stay inside the 12 nm screen: 0.5 + 15 × 40 / 60 = 10.5 passes, 0.5 + 30 × 40 / 60 = 20.5 does not.
    expect(parsed({ collision: { warning: { tcpaMin: 15 } } }).policy.collision.warning.tcpaMin).toBe(15);
    expect(refused({ collision: { warning: { tcpaMin: 30 } } }).code).toBe('policy.levels');
    expect(refused({ collisionOverrides: [{ shipTypes: [80], levels: { warning: { cpaNm: 1, tcpaMin: 20 } } }] }).code).toBe('policy.levels');
    expect(refused({ fleetProximity: { regroupNm: 0.2 } }).detail).toMatch(/^fleetProximity\.regroupNm/);
    expect(refused({ fleetProximity: { footprintNm: 13 } }).detail).toMatch(/^fleetProximity\.footprintNm/);
    expect(refused({ fleetStraggler: { constructor: {} } }).detail).toBe('fleetStraggler.constructor: no such setting');
    expect(refused({ collision: { warning: { toString: 1 } } }).detail).toBe('collision.warning.toString: no such setting');
  });

  it('takes notes ($ keys) at any depth', () => {
    expect(parsed({ $comment: 'a', collision: { $why: 'b', warning: { $src: 'c', cpaNm: 0.4 } }, lifecycle: { $x: 1, byKind: { $y: 2, zone: { $z: 3, clearHoldMs: 1 } } } }).policy.collision.warning.cpaNm).toBe(0.4);
  });

  it('refuses an override with neither grid nor ship types, an unknown grid, ship types out of 0–99, an unknown key', () => {
    expect(refused({ collisionOverrides: [{ levels: {} }] }).code).toBe('policy.override');
    expect(refused({ collisionOverrides: [{ gridId: 'ANCH-NOWHERE' }] })).toEqual({ code: 'policy.override', detail: 'collisionOverrides[0].gridId: "ANCH-NOWHERE" is no known grid, zone or 渔区' });
    expect(refused({ collisionOverrides: [{ shipTypes: [100] }] }).code).toBe('policy.field');
    expect(refused({ collisionOverrides: [{ gridId: 'CG-01', level: {} }] }).detail).toBe('collisionOverrides[0].level: no such setting');
    expect(refused({ collisionOverrides: [{ gridId: 'CG-01', levels: { warning: { cpaNm: 0.05 } } }] }).code).toBe('policy.levels');
  });

  it('the shipped example parses against the fixture grids', () => {
    const ids = new Set(FIXTURE_GRIDS.map((g) => g.id));
    const r = parseAlertPolicy(readFileSync(new URL('../fixtures/alert-policy.example.json', import.meta.url), 'utf8'), (id) => ids.has(id));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.collisionOverrides.map((o) => o.gridId ?? o.shipTypes?.join(','))).toEqual(['ANCH-XZM-N', 'ANCH-XZM-S', '80,81,82,83,84,85,86,87,88,89']);
  });
});
