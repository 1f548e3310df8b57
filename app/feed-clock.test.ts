import { describe, expect, it } from 'vitest';
import { FeedClock } from './feed-clock.js';

const WALL = Date.UTC(2026, 11, 2, 20, 0);
const CAPTURE = Date.UTC(2025, 6, 1, 8, 0);

describe('FeedClock', () => {
  it('is the wall clock before any fix and on a live feed', () => {
    const c = new FeedClock();
    expect(c.nowMs(WALL)).toBe(WALL);
    c.saw(WALL - 2_000, WALL); // a fix 2 s old on arrival
    expect(c.nowMs(WALL + 10_000)).toBe(WALL + 8_000);
    c.saw(WALL + 10_000, WALL + 10_000);
    expect(c.nowMs(WALL + 11_000)).toBe(WALL + 11_000);
  });

  it('runs on a replayed capture\'s own time, and keeps running when the feed stops', () => {
    const c = new FeedClock();
    c.saw(CAPTURE, WALL);
    c.saw(CAPTURE + 60_000, WALL + 6_000); // replayed at 10x
    expect(c.nowMs(WALL + 7_000)).toBe(CAPTURE + 61_000);
    c.saw(CAPTURE + 30_000, WALL + 7_000); // an older fix seen later does not move it back
    expect(c.nowMs(WALL + 7_000)).toBe(CAPTURE + 61_000);
    expect(c.nowMs(WALL + 606_000)).toBe(CAPTURE + 660_000); // feed stopped: 10 min later
  });

  it('is never pulled past the wall clock by a fix dated ahead of its receipt', () => {
    const c = new FeedClock();
    c.saw(WALL + 600_000, WALL);
    expect(c.nowMs(WALL + 1_000)).toBe(WALL + 1_000);
  });

  it('stands still while the feed cannot be heard and goes on from there at the next fix', () => {
    const c = new FeedClock();
    c.saw(CAPTURE, WALL);
    c.hold(WALL + 2_000); // the MQTT link dropped
    c.hold(WALL + 5_000); // still down at the next tick: the first hold counts
    expect(c.nowMs(WALL + 30_000)).toBe(CAPTURE + 2_000);
    // The backlog's first fix, from before the drop: the clock goes on from where it stood.
    c.saw(CAPTURE + 1_000, WALL + 31_000);
    expect(c.nowMs(WALL + 31_000)).toBe(CAPTURE + 2_000);
    expect(c.nowMs(WALL + 32_000)).toBe(CAPTURE + 3_000);
    // A newer fix moves it forward as before.
    c.saw(CAPTURE + 10_000, WALL + 33_000);
    expect(c.nowMs(WALL + 33_000)).toBe(CAPTURE + 10_000);
  });
});
