import { describe, expect, it } from 'vitest';
import {
  modeState,
  nearestDayTime,
  parseCoordinate,
  parseCount,
  parseDate,
  parseDecimal,
  parseTimeOfDay,
} from './fields.js';

describe('parseTimeOfDay', () => {
  it('reads hhmmss with any fraction, truncated to the ms', () => {
    expect(parseTimeOfDay('074155.799')).toBe(((7 * 60 + 41) * 60 + 55) * 1000 + 799);
    expect(parseTimeOfDay('225444')).toBe(((22 * 60 + 54) * 60 + 44) * 1000);
    expect(parseTimeOfDay('000000.5')).toBe(500);
    expect(parseTimeOfDay('000000.00')).toBe(0);
    expect(parseTimeOfDay('000001.123456')).toBe(1123);
    expect(parseTimeOfDay('235959.9999')).toBe(86_399_999);
  });

  it('accepts the leap second 60 and refuses impossible or malformed times', () => {
    expect(parseTimeOfDay('235960')).toBe(86_400_000);
    for (const bad of ['', '12345', '240000', '126000', '123461', '12a456', '123456,5', '123456.5x', ' 23456']) {
      expect(parseTimeOfDay(bad), bad).toBe(-1);
    }
  });
});

describe('parseDate', () => {
  it('reads ddmmyy as UTC midnight with gpsd’s century: 80–99 → 19yy, 00–79 → 20yy', () => {
    expect(parseDate('250215')).toBe(Date.parse('2015-02-25T00:00:00Z'));
    expect(parseDate('191194')).toBe(Date.parse('1994-11-19T00:00:00Z'));
    expect(parseDate('010180')).toBe(Date.parse('1980-01-01T00:00:00Z'));
    expect(parseDate('311279')).toBe(Date.parse('2079-12-31T00:00:00Z'));
    expect(parseDate('290224')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseDate('290200')).toBe(Date.parse('2000-02-29T00:00:00Z')); // 2000 is a leap year
  });

  it('refuses impossible dates and bad text', () => {
    for (const bad of ['', '25021', '2502155', '000115', '320115', '311115', '290223', '011315', '0a0215', '-10215']) {
      expect(parseDate(bad), bad).toBe(-1);
    }
  });
});

describe('parseCoordinate', () => {
  it('reads ddmm.mmmm and dddmm.mmmm as degrees', () => {
    expect(parseCoordinate('3114.8770', 90)).toBeCloseTo(31 + 14.877 / 60, 12);
    expect(parseCoordinate('12135.2463', 180)).toBeCloseTo(121 + 35.2463 / 60, 12);
    expect(parseCoordinate('0000.0000', 90)).toBe(0);
    expect(parseCoordinate('00030.0', 180)).toBe(0.5);
    expect(parseCoordinate('4916', 90)).toBeCloseTo(49 + 16 / 60, 12); // no fraction
    expect(parseCoordinate('9000.0000', 90)).toBe(90);
    expect(parseCoordinate('18000.0', 180)).toBe(180);
  });

  it('refuses minutes ≥ 60, out-of-range values and bad text', () => {
    const lat = ['2960.0000', '9000.0001', '9100.0', '', '.5', '12.5', '123456.0', '31a4.87', '3114.8.7', '-3114.8', '3114.877 '];
    for (const bad of lat) expect(parseCoordinate(bad, 90), bad).toBeNaN();
    for (const bad of ['12260.0000', '18000.0001', '18100.0']) expect(parseCoordinate(bad, 180), bad).toBeNaN();
  });
});

describe('parseDecimal / parseCount / modeState', () => {
  it('reads plain decimals only', () => {
    expect(parseDecimal('0.26')).toBe(0.26);
    expect(parseDecimal('-26.294')).toBe(-26.294);
    expect(parseDecimal('.7')).toBe(0.7);
    expect(parseDecimal('167.42')).toBe(167.42);
    for (const bad of ['', '-', '.', '1.2.3', '0x1A', '1e3', 'Infinity', ' 1', '1,5']) expect(parseDecimal(bad), bad).toBeNaN();
  });

  it('reads unsigned counts', () => {
    expect(parseCount('07')).toBe(7);
    expect(parseCount('0')).toBe(0);
    for (const bad of ['', '-1', '1.0', 'a', '1234567890']) expect(parseCount(bad), bad).toBe(-1);
  });

  it('tells all-N modes, letter modes and junk apart', () => {
    expect(modeState('N')).toBe(1);
    expect(modeState('NNNN')).toBe(1);
    expect(modeState('ANNA')).toBe(0);
    expect(modeState('A')).toBe(0);
    expect(modeState('a')).toBe(-1);
    expect(modeState('A1')).toBe(-1);
  });
});

describe('nearestDayTime', () => {
  const t = (iso: string): number => Date.parse(iso);
  const tod = (h: number, m: number, s: number): number => ((h * 60 + m) * 60 + s) * 1000;

  it('keeps the reference’s day when the time is within half a day of it', () => {
    expect(nearestDayTime(tod(7, 41, 55), t('2015-02-25T12:00:00Z'))).toBe(t('2015-02-25T07:41:55Z'));
  });

  it('rolls back a day for a fix from just before midnight received just after', () => {
    expect(nearestDayTime(tod(23, 59, 58), t('2025-01-01T00:00:01Z'))).toBe(t('2024-12-31T23:59:58Z'));
  });

  it('rolls forward a day for a fix just after midnight referenced just before', () => {
    expect(nearestDayTime(tod(0, 0, 1), t('2024-12-31T23:59:59Z'))).toBe(t('2025-01-01T00:00:01Z'));
  });
});
