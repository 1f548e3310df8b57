/**
 * The rollup's figures against answers worked out by hand from the geometry (not from the code):
 * a vessel steaming due east along 30° N at a known speed, silences, a jump, a moratorium zone.
 */
import { describe, expect, it } from 'vitest';
import { beijingDay, dayStartMs, daysFrom, DayRollup, parseDay, type Place } from './report-rollup.js';

const DAY = '2026-07-01';
const T0 = Date.parse('2026-06-30T16:00:00Z'); // 00:00 Beijing
const MIN = 60_000;
/** Metres per degree of longitude on 30° N on the 6,371,008.8 m sphere the service uses, worked by hand: 2π·R·cos 30° / 360. */
const M_PER_DEG_LON_30N = (2 * Math.PI * 6_371_008.8 * Math.cos(Math.PI / 6)) / 360;

/** Grid A west of 122.5° E, grid B east of it; the moratorium east of 122.8° E. */
const place = (_lat: number, lon: number): Place => ({ grids: lon < 122.5 ? ['A'] : ['B'], moratorium: lon >= 122.8 });

/** Minute points along 30° N from `lon0`, `degPerMin` east each minute, at these minutes of the day. */
function track(vesselId: string, minutes: readonly number[], lonAt: (m: number) => number) {
  return { vesselId, t: minutes.map((m) => T0 + m * MIN), lat: minutes.map(() => 30), lon: minutes.map(lonAt) };
}

const byKey = (rows: ReturnType<DayRollup['finish']>) => new Map(rows.map((r) => [`${r.gridId}|${r.fleetId}`, r]));

describe('Beijing days', () => {
  it('a day starts at 16:00 UTC the day before and has 24 h', () => {
    expect(new Date(dayStartMs(DAY)).toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(beijingDay(Date.parse('2026-06-30T15:59:59.999Z'))).toBe('2026-06-30');
    expect(beijingDay(Date.parse('2026-06-30T16:00:00Z'))).toBe(DAY);
    expect(daysFrom('2026-02-27', 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(parseDay('2026-02-29')).toBeUndefined();
    expect(parseDay('2026-7-01')).toBeUndefined();
  });
});

describe('DayRollup', () => {
  it('an hour under way, a point a minute: 1 h at sea, 59 steps of distance', () => {
    const deg = 0.005; // per minute
    const r = new DayRollup(place, () => 'F1');
    r.add(track('V1', Array.from({ length: 60 }, (_, i) => i), (m) => 122 + m * deg));
    const rows = byKey(r.finish());
    const all = rows.get('|F1')!;
    expect(all.vessels).toBe(1);
    expect(all.atSeaS).toBe(3600);
    expect(all.distanceM).toBeCloseTo(59 * deg * M_PER_DEG_LON_30N, 0);
    expect(all.moratoriumS).toBe(0);
    expect(rows.get('A|F1')).toMatchObject({ vessels: 1, atSeaS: 3600 });
    expect(r.points).toBe(60);
  });

  it('a silence counts 10 min; a jump is left out; time east of the line is moratorium time', () => {
    const r = new DayRollup(place, (v) => (v === 'V2' ? '' : 'F1'));
    // Minutes 0–9 in A, then silent until minute 200 (counts 10 min), then 10 points in B
    // inside the moratorium, then a jump of 2° in one minute (≈ 6,200 kn) to minute 211.
    r.add(track('V2', [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 200 + i), 210], (m) => (m < 100 ? 122.1 : m < 210 ? 122.9 : 124.9)));
    const rows = byKey(r.finish());
    const all = rows.get('|')!;
    // Points 0–8: 1 min each; point 9: capped 10 min; 200–208: 1 min; 209: 1 min; 210 (last): 1 min.
    expect(all.atSeaS).toBe((9 + 10 + 9 + 1 + 1) * 60);
    // Only the step across the silence moved it: 0.8° east in 191 min (≈ 13 kn); the jump is dropped.
    expect(all.distanceM).toBeCloseTo(0.8 * M_PER_DEG_LON_30N, 0);
    expect(rows.get('A|')).toMatchObject({ vessels: 1, atSeaS: 19 * 60, moratoriumS: 0 });
    expect(rows.get('B|')).toMatchObject({ vessels: 1, atSeaS: 11 * 60, moratoriumS: 11 * 60, distanceM: 0 });
  });

  it('windows fed one after another give the figures of the whole day; vessels are counted once per grid and fleet', () => {
    const lon = (m: number) => 122 + m * 0.004;
    const whole = new DayRollup(place, () => 'F1');
    const split = new DayRollup(place, () => 'F1');
    const minutes = Array.from({ length: 180 }, (_, i) => i * 2);
    for (const v of ['V1', 'V3']) whole.add(track(v, minutes, lon));
    for (const [a, b] of [[0, 60], [60, 120], [120, 180]] as const) {
      for (const v of ['V1', 'V3']) split.add(track(v, minutes.slice(a, b), lon));
      split.finish(); // a day under way is read between windows
    }
    const w = whole.finish();
    expect(whole.finish()).toEqual(w); // finishing leaves the rollup as it was
    expect(split.finish()).toEqual(w);
    // 179 steps of 2 min + the last minute, for two vessels.
    expect(byKey(w).get('|F1')).toMatchObject({ vessels: 2, atSeaS: 2 * (179 * 120 + 60) });
  });
});
