import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';
import { RateLimitedLog } from './rate-limit.js';

interface Line {
  readonly key: string;
  readonly fields: unknown;
  readonly heldBack: number;
}

function recorder(): { lines: Line[]; write: (key: string, fields: unknown, heldBack: number) => void } {
  const lines: Line[] = [];
  return { lines, write: (key, fields, heldBack) => lines.push({ key, fields, heldBack }) };
}

describe('RateLimitedLog', () => {
  it('logs a bounded number of lines per window and reports what it held back', () => {
    let t = 0;
    const lines: { key: string; suppressed: number }[] = [];
    const log = new RateLimitedLog((key, _f, suppressed) => lines.push({ key, suppressed }), () => t, 3, 1000);
    for (let i = 0; i < 100; i++) log.log('nmea.checksum', { i });
    expect(lines).toHaveLength(3);
    t = 1000;
    log.log('nmea.checksum', {});
    expect(lines.slice(3)).toEqual([
      { key: 'nmea.checksum', suppressed: 97 },
      { key: 'nmea.checksum', suppressed: 0 },
    ]);
  });

  it('keys have windows of their own; the held-back line carries no fields', () => {
    let t = 0;
    const r = recorder();
    const log = new RateLimitedLog<{ n: number }>(r.write, () => t, 1, 1000);
    expect([log.log('a', { n: 1 }), log.log('a', { n: 2 }), log.log('b', { n: 3 }), log.log('a', { n: 4 })]).toEqual([true, false, true, false]);
    t = 999;
    expect(log.log('a', { n: 5 })).toBe(false); // still the first window
    t = 1000;
    expect(log.log('a', { n: 6 })).toBe(true);
    expect(r.lines).toEqual([
      { key: 'a', fields: { n: 1 }, heldBack: 0 },
      { key: 'b', fields: { n: 3 }, heldBack: 0 },
      { key: 'a', fields: undefined, heldBack: 3 },
      { key: 'a', fields: { n: 6 }, heldBack: 0 },
    ]);
  });

  it('against a brute-force count: any span of windowMs holds at most 2 × perWindow lines of a key (windows are fixed, not sliding), and every event is written or reported held back', () => {
    const rnd = seededRandom(11);
    let t = 0;
    const r = recorder();
    const perWindow = 4;
    const windowMs = 500;
    const log = new RateLimitedLog<number>(r.write, () => t, perWindow, windowMs);
    const sent = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      t += Math.floor(rnd() * 20);
      const key = `k${Math.floor(rnd() * 5)}`;
      sent.set(key, (sent.get(key) ?? 0) + 1);
      log.log(key, t);
    }
    // Close every window so the last held-back counts are said.
    t += windowMs;
    for (const key of sent.keys()) log.log(key, t);
    for (const [key, n] of sent) {
      const mine = r.lines.filter((l) => l.key === key);
      const written = mine.filter((l) => l.fields !== undefined);
      const heldBack = mine.reduce((s, l) => s + l.heldBack, 0);
      expect(written.length - 1 + heldBack, key).toBe(n); // minus the closing line
      // Brute force: written lines in every span of windowMs that starts at a written line.
      const times = written.map((l) => l.fields as number);
      for (let a = 0; a < times.length; a++) {
        let inWindow = 0;
        for (let b = a; b < times.length && times[b]! - times[a]! < windowMs; b++) inWindow++;
        expect(inWindow, `${key} from ${times[a]}`).toBeLessThanOrEqual(2 * perWindow);
      }
    }
  });

  it('holds at most maxKeys windows: the oldest is forgotten, its held-back count said first', () => {
    let t = 0;
    const r = recorder();
    const log = new RateLimitedLog<string>(r.write, () => t, 1, 60_000, 2);
    log.log('ECONNREFUSED', 'x');
    log.log('ECONNREFUSED', 'x');
    log.log('ETIMEDOUT', 'y');
    t = 10;
    log.log('EHOSTUNREACH', 'z'); // a third key: ECONNREFUSED, the oldest, goes
    expect(r.lines).toEqual([
      { key: 'ECONNREFUSED', fields: 'x', heldBack: 0 },
      { key: 'ETIMEDOUT', fields: 'y', heldBack: 0 },
      { key: 'ECONNREFUSED', fields: undefined, heldBack: 1 },
      { key: 'EHOSTUNREACH', fields: 'z', heldBack: 0 },
    ]);
    // Forgotten, so it is new again: written at once.
    expect(log.log('ECONNREFUSED', 'x')).toBe(true);
  });

  it('a writer that throws does not fail the caller', () => {
    const log = new RateLimitedLog(() => {
      throw new Error('logger down');
    }, () => 0);
    expect(log.log('k', {})).toBe(true);
  });
});
