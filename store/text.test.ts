import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import { cleanText, isStorableText } from './text.js';

/**
 * The oracle is independent of the regexes under test: a string survives PostgreSQL's text iff it
 * holds no NUL and UTF-8 encodes it faithfully (a lone surrogate comes back from the encoder as
 * U+FFFD, which is also exactly what cleanText must put in its place).
 */
const roundTrips = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;
const oracleStorable = (s: string): boolean => !s.includes('\0') && roundTrips(s);
const oracleClean = (s: string): string => Buffer.from(s, 'utf8').toString('utf8').replaceAll('\0', '\uFFFD');

describe('text PostgreSQL can store', () => {
  it('passes ids, CJK and valid surrogate pairs unchanged; cleans NUL and lone surrogates to U+FFFD', () => {
    for (const s of ['412345678', 'zs-daishan', '舟山-岱山', '🚢 rx', '']) {
      expect(isStorableText(s)).toBe(true);
      expect(cleanText(s)).toBe(s);
    }
    expect(isStorableText('a\0b')).toBe(false);
    expect(cleanText('a\0b')).toBe('a\uFFFDb');
    expect(cleanText('\uD800x\uDC00')).toBe('\uFFFDx\uFFFD');
    expect(cleanText('\uDC00\uD800')).toBe('\uFFFD\uFFFD'); // a pair in the wrong order is two lone halves
  });

  it('agrees with the UTF-8 encoder on 20,000 random strings of NULs, surrogates and ASCII', () => {
    const rnd = seededRandom(10);
    const alphabet = ['\0', '\uD83D', '\uDEA2', 'a', '7', '-', '舟', '\uFFFD'];
    for (let k = 0; k < 20_000; k++) {
      let s = '';
      const len = Math.floor(rnd() * 8);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(isStorableText(s), JSON.stringify(s)).toBe(oracleStorable(s));
      expect(cleanText(s), JSON.stringify(s)).toBe(oracleClean(s));
      expect(isStorableText(cleanText(s))).toBe(true);
    }
  });
});
