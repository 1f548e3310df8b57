import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY } from './policy.js';

describe('DEFAULT_ALERT_POLICY', () => {
  it('holds issue 12’s collision levels: warning CPA < 0.5 nm and TCPA ≤ 10 min, danger CPA < 0.1 nm and TCPA ≤ 5 min', () => {
    expect(DEFAULT_ALERT_POLICY.collision).toEqual({ warning: { cpaNm: 0.5, tcpaMin: 10 }, danger: { cpaNm: 0.1, tcpaMin: 5 } });
  });

  it('danger is inside warning on both counts, so a danger pair is always a warning pair too', () => {
    const { warning, danger } = DEFAULT_ALERT_POLICY.collision;
    expect(danger.cpaNm).toBeLessThan(warning.cpaNm);
    expect(danger.tcpaMin).toBeLessThan(warning.tcpaMin);
  });

  it('cannot be changed in place by one user for everyone', () => {
    expect(() => {
      (DEFAULT_ALERT_POLICY.collision.warning as { cpaNm: number }).cpaNm = 5;
    }).toThrow(TypeError);
    expect(DEFAULT_ALERT_POLICY.collision.warning.cpaNm).toBe(0.5);
  });
});
