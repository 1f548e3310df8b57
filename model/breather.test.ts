import { describe, expect, it } from 'vitest';
import { breather } from './breather.js';

/** Holds the loop this long, as a piece of work does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('breather', () => {
  it('hands the loop back (what was waiting runs) only once yieldMs have passed since it last did', async () => {
    const breathe = breather(20);
    let ran = 0;
    setImmediate(() => ran++);
    busy(5);
    await breathe();
    expect(ran).toBe(0);
    busy(20);
    await breathe();
    expect(ran).toBe(1);
    // Counted afresh from that yield.
    setImmediate(() => ran++);
    busy(5);
    await breathe();
    expect(ran).toBe(1);
  });
});
