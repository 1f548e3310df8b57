import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/random.js';
import { keepTurns } from './replay-simplify.js';
import { distanceM } from './sphere.js';

/** A track from legs of [minutes, knots, course°], a fix every 10 s, from 30°N 122.5°E (flat steps: 1 nm = 1/60° of latitude). */
function legs(...ls: [number, number, number][]): { t: number[]; lat: number[]; lon: number[] } {
  const t = [0];
  const lat = [30];
  const lon = [122.5];
  for (const [min, kn, deg] of ls) {
    for (let s = 10; s <= min * 60; s += 10) {
      const nm = (kn * 10) / 3600;
      const la = lat.at(-1)!;
      t.push(t.at(-1)! + 10_000);
      lat.push(la + (nm / 60) * Math.cos((deg * Math.PI) / 180));
      lon.push(lon.at(-1)! + ((nm / 60) * Math.sin((deg * Math.PI) / 180)) / Math.cos((la * Math.PI) / 180));
    }
  }
  return { t, lat, lon };
}

/** Where the kept fixes put the vessel at time `at` (linear in time between the two around it), brute force. */
function replayed(tr: { t: number[]; lat: number[]; lon: number[] }, kept: number[], at: number): [number, number] {
  for (let j = 1; j < kept.length; j++) {
    const a = kept[j - 1]!;
    const b = kept[j]!;
    if (tr.t[b]! >= at) {
      const f = (at - tr.t[a]!) / (tr.t[b]! - tr.t[a]!);
      return [tr.lat[a]! + f * (tr.lat[b]! - tr.lat[a]!), tr.lon[a]! + f * (tr.lon[b]! - tr.lon[a]!)];
    }
  }
  throw new Error('after the end');
}

/** The worst distance, over every fix, between the fix and the replayed position at its time. */
function worstM(tr: { t: number[]; lat: number[]; lon: number[] }, kept: number[]): number {
  let worst = 0;
  for (let i = 0; i < tr.t.length; i++) {
    const [la, lo] = replayed(tr, kept, tr.t[i]!);
    worst = Math.max(worst, distanceM(tr.lat[i]!, tr.lon[i]!, la, lo));
  }
  return worst;
}

describe('keepTurns (replay downsampling)', () => {
  it('a straight run at steady speed keeps only its ends', () => {
    const tr = legs([60, 10, 90]);
    expect(keepTurns(tr, 5000, 10)).toEqual([0, tr.t.length - 1]);
  });

  it('keeps the corner of a 90° turn, where every n-th fix cuts it', () => {
    // East 30 min at 10 kn (fixes 0..180), then north 30 min: the corner is fix 180.
    const tr = legs([30, 10, 90], [30, 10, 0]);
    expect(keepTurns(tr, 3, 0)).toEqual([0, 180, 360]);
    // Every 7th fix (the corner is not a multiple of 7) replays the corner 0.5 nm × 1/7 off: over 100 m.
    const nth = tr.t.map((_, i) => i).filter((i) => i % 7 === 0 || i === tr.t.length - 1);
    expect(worstM(tr, nth)).toBeGreaterThan(100);
    expect(worstM(tr, keepTurns(tr, nth.length, 0))).toBeLessThan(1);
  });

  it('keeps a stop: arrival and departure (a change of speed is an error in time)', () => {
    // East 20 min at 8 kn, stopped 10 min (fixes 120..180), east again.
    const tr = legs([20, 8, 90], [10, 0, 0], [20, 8, 90]);
    expect(keepTurns(tr, 5000, 5)).toEqual([0, 120, 180, tr.t.length - 1]);
  });

  it('every dropped fix replays within the tolerance (brute force over a random walk)', () => {
    const rnd = seededRandom(15);
    let course = 45;
    const ls: [number, number, number][] = [];
    for (let i = 0; i < 40; i++) {
      course += (rnd() - 0.5) * 90;
      ls.push([1 + Math.floor(rnd() * 8), 2 + rnd() * 12, course]);
    }
    const tr = legs(...ls);
    const kept = keepTurns(tr, 100_000, 25);
    expect(kept.length).toBeLessThan(tr.t.length / 4);
    // The plane the simplifier measures in differs from the sphere by far less than a metre here.
    expect(worstM(tr, kept)).toBeLessThanOrEqual(25.5);
  });

  it('a budget is a hard cap, ends included, indices ascending', () => {
    const rnd = seededRandom(3);
    const ls: [number, number, number][] = Array.from({ length: 30 }, () => [2, 3 + rnd() * 10, rnd() * 360]);
    const tr = legs(...ls);
    const kept = keepTurns(tr, 50, 0);
    expect(kept).toHaveLength(50);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(tr.t.length - 1);
    expect(kept.every((v, i) => i === 0 || v > kept[i - 1]!)).toBe(true);
  });

  it('short tracks come back whole', () => {
    expect(keepTurns({ t: [0], lat: [30], lon: [122] }, 10, 10)).toEqual([0]);
    expect(keepTurns({ t: [], lat: [], lon: [] }, 10, 10)).toEqual([]);
  });
});
