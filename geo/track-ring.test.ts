import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import { TrackRing } from './track-ring.js';

describe('TrackRing', () => {
  it('keeps points in time order and the newest `capacity` of them, whatever the arrival order', () => {
    for (const capacity of [1, 3, 8, 13, 50]) {
      const rand = seededRandom(capacity);
      const ring = new TrackRing(capacity);
      const kept: number[] = [];
      let now = 0;
      for (let i = 0; i < 400; i++) {
        // Mostly in order, one in five late by up to 30 steps.
        now += 10;
        const t = rand() < 0.2 ? now - Math.floor(rand() * 300) : now;
        const inserted = ring.insert(t, t / 1000, -t / 1000, 1, 2, i % 2 === 0 ? 'ais' : 'beidou', -1);
        // Reference: a sorted list that drops its oldest beyond capacity (stable for equal times).
        let k = kept.length;
        while (k > 0 && kept[k - 1]! > t) k--;
        if (kept.length === capacity && k === 0) {
          expect(inserted).toBe(false);
          continue;
        }
        expect(inserted).toBe(true);
        kept.splice(k, 0, t);
        if (kept.length > capacity) kept.shift();
      }
      const pts = ring.points();
      expect(pts.map((p) => p.atMs)).toEqual(kept);
      expect(pts.every((p) => p.lat === p.atMs / 1000 && p.lon === -p.atMs / 1000)).toBe(true);
    }
  });

  it('filters by time and returns absent speed/course as undefined', () => {
    const ring = new TrackRing(10);
    ring.insert(1000, 30, 122, 12.3, 224, 'ais', 33);
    ring.insert(2000, 30.1, 122.1, undefined, undefined, 'beidou', -1);
    ring.insert(3000, 30.2, 122.2, 0.26, 4.94, 'beidou', -1);
    expect(ring.points(1500, 2500)).toEqual([{ atMs: 2000, lat: 30.1, lon: 122.1, sogKn: undefined, cogDeg: undefined, source: 'beidou' }]);
    expect(ring.points(0, 1000)[0]).toMatchObject({ sogKn: 12.3, cogDeg: 224, source: 'ais' });
    expect(ring.points(3000)[0]).toMatchObject({ sogKn: 0.26, cogDeg: 4.94 });
  });

  it('recognises the same fix by AIS second or by time window', () => {
    const ring = new TrackRing(4);
    ring.insert(10_000, 30, 122, 5, 90, 'ais', 33);
    ring.insert(20_000, 30, 122, 5, 90, 'beidou', -1);
    expect(ring.sameFix(0, 50_000, 30, 122, 'ais', 33, 2000, 59_000)).toBe(true);
    expect(ring.sameFix(0, 10_500, 30, 122, 'ais', 34, 2000, 59_000)).toBe(false);
    expect(ring.sameFix(0, 10_500, 30, 122, 'beidou', 33, 2000, 59_000)).toBe(false);
    expect(ring.sameFix(1, 21_000, 30, 122, 'beidou', -1, 2000, 59_000)).toBe(true);
    expect(ring.sameFix(1, 23_000, 30, 122, 'beidou', -1, 2000, 59_000)).toBe(false);
  });
});
