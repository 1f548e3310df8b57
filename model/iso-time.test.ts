import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';
import { seededRandom } from './random.js';

/** The reference is the engine's own Date.prototype.toISOString. */
describe('isoTime', () => {
  it('writes what toISOString writes, for 200,000 random times over 1970–9999 (whole and fractional ms) in random order', () => {
    const rand = seededRandom(31);
    for (let i = 0; i < 200_000; i++) {
      const ms = rand() * 253_402_300_800_000;
      const t = i % 2 === 0 ? Math.floor(ms) : ms;
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
  });

  it('writes what toISOString writes, for runs of times a few seconds apart across days, years and leap days', () => {
    for (const start of ['1970-01-01T00:00:00Z', '1999-12-31T23:59:00Z', '2024-02-28T23:59:30Z', '2100-02-28T23:59:50Z', '2025-10-12T02:00:00Z', '9999-12-31T23:59:50Z']) {
      const t0 = Date.parse(start);
      for (let k = 0; k < 4_000; k++) {
        const t = t0 + k * 2_719 + (k % 7) * 0.25;
        expect(isoTime(t)).toBe(new Date(t).toISOString());
      }
    }
  });

  it('falls back to toISOString before 1970 and from year 10000, and throws as it does for what is not a time', () => {
    for (const t of [-1, -62_198_755_200_000, 253_402_300_800_000, 8.64e15]) expect(isoTime(t)).toBe(new Date(t).toISOString());
    expect(() => isoTime(NaN)).toThrow(RangeError);
    expect(() => isoTime(Infinity)).toThrow(RangeError);
  });
});
