import { describe, expect, it } from 'vitest';
import { digits, fixedBytes, flagWords, int, jsonText, padded, put, viewOf, wordsOf } from './json-bytes.js';

const buf = Buffer.alloc(256);

/** What `write` put at offset 5 (an odd one: constants are stored unaligned). */
function written(write: (b: Buffer, p: number) => number): string {
  buf.fill(0);
  const end = write(buf, 5);
  return buf.toString('latin1', 5, end);
}

describe('json-bytes', () => {
  it('int prints every number as a template literal does', () => {
    const samples = [0, -0, 1, 9, 10, 99, 100, 511, -128, 65535, 999_999_999, 1_000_000_000, 1073741823, 2147483647];
    samples.push(-2147483648, 2147483648, 4294967295, -1e21, 1e21, 0.5, -3.25, 1 / 3, NaN, Infinity, -Infinity, 2 ** 53);
    for (let x = 1; x < 2 ** 31; x = x * 3 + 1) samples.push(x, -x, x - 1);
    for (const n of samples) expect(written((b, p) => int(b, p, n))).toBe(`${n}`);
  });

  it('digits prints every width up to 10 digits', () => {
    for (let n = 0, k = 1; k <= 10; n = n * 10 + 9, k++) {
      expect(written((b, p) => digits(b, p, n))).toBe(String(n));
      expect(written((b, p) => digits(b, p, n + 1))).toBe(String(n + 1));
    }
  });

  it('padded zero-fills like the string padding it replaces', () => {
    const pad = (n: number, width: number): string => {
      const s = String(n);
      return s.length >= width ? s : '0'.repeat(width - s.length) + s;
    };
    for (const n of [0, 5, 9, 10, 24, 60, 63, 99, 100, 999, 2024, 10196, 16383, -5, 1.5]) {
      for (const width of [2, 4]) expect(written((b, p) => padded(b, p, n, width))).toBe(pad(n, width));
    }
  });

  it('fixedBytes prints n / 10^d with d decimals, as toFixed does for exact values', () => {
    for (const n of [0, -0, 1, -1, 9, -9, 10, 12345, -12345, 1023, 3600, 4095, 1_810_000_000, -2_236_962_133]) {
      expect(written((b, p) => fixedBytes(b, p, n, 1, 10))).toBe((n / 10).toFixed(1));
      expect(written((b, p) => fixedBytes(b, p, n, 4, 10_000))).toBe((n / 10_000).toFixed(4));
      expect(written((b, p) => fixedBytes(b, p, n, 7, 10_000_000))).toBe((n / 10_000_000).toFixed(7));
    }
  });

  it('jsonText escapes " and \\ only, and writes nothing for no text', () => {
    expect(written((b, p) => jsonText(b, p, 'A"B\\C D@'))).toBe('A\\"B\\\\C D@');
    expect(written((b, p) => jsonText(b, p, undefined))).toBe('');
    expect(written((b, p) => jsonText(b, p, ''))).toBe('');
  });

  it('put writes a constant of any length and spills at most 3 bytes past it', () => {
    for (let n = 1; n <= 13; n++) {
      const t = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, n);
      buf.fill(0);
      const end = put(viewOf(buf), 5, wordsOf(t));
      expect(buf.toString('latin1', 5, end)).toBe(t);
      expect(buf.subarray(end + 3).every((x) => x === 0)).toBe(true);
    }
    const [no, yes] = flagWords(',"raim":', ',"radio":');
    expect(written((b, p) => put(viewOf(b), p, no))).toBe(',"raim":false,"radio":');
    expect(written((b, p) => put(viewOf(b), p, yes))).toBe(',"raim":true,"radio":');
  });

  it('refuses constants that are not one byte per char', () => {
    expect(() => wordsOf('naïve')).not.toThrow();
    expect(() => wordsOf('→')).toThrow(RangeError);
  });
});
