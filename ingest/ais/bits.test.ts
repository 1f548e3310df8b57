import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../model/index.js';
import { loadFragments, loadPayload, sbits, sixbitText, ubits } from './bits.js';

// The reference here is the naive reading of ITU-R M.1371 §8.2.4 (armour) with strings of
// '0'/'1' — slow and obviously right — against which the word-based reader is checked.

const ALPHABET = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw';

function refValue(c: number): number {
  const v = c - 48;
  return v > 40 ? v - 8 : v;
}

function refBits(payload: string): string {
  let s = '';
  for (let i = 0; i < payload.length; i++) s += refValue(payload.charCodeAt(i)).toString(2).padStart(6, '0');
  return s;
}

function refU(bits: string, start: number, len: number): number {
  return parseInt(bits.slice(start, start + len), 2);
}

function refS(bits: string, start: number, len: number): number {
  const u = refU(bits, start, len);
  return bits[start] === '1' ? u - 2 ** len : u;
}

function randomPayload(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(next() * 64)]!;
  return s;
}

describe('6-bit armour', () => {
  it('accepts exactly 48-87 and 96-119, with ITU values 0-63', () => {
    expect(ALPHABET).toHaveLength(64);
    for (let c = 0; c < 300; c++) {
      const valid = (c >= 48 && c <= 87) || (c >= 96 && c <= 119);
      const n = loadPayload(String.fromCharCode(c), 0);
      expect(n, `char ${c}`).toBe(valid ? 6 : -1);
      if (valid) expect(ubits(0, 6)).toBe(refValue(c));
    }
    expect(loadPayload('1€', 0)).toBe(-1);
  });

  it('bit count is 6 per character less the fill bits', () => {
    expect(loadPayload('15RTgt0PAso;90TKcjM8h6g208CQ', 0)).toBe(168);
    expect(loadPayload('88888888880', 2)).toBe(64);
  });
});

describe('bit reader', () => {
  it('reads every unsigned and signed field like the reference', () => {
    const next = seededRandom(7);
    for (let t = 0; t < 300; t++) {
      const payload = randomPayload(next, 1 + Math.floor(next() * 90));
      const bits = refBits(payload);
      loadPayload(payload, 0);
      for (let k = 0; k < 40; k++) {
        const len = 2 + Math.floor(next() * 30); // 2-31
        if (len > bits.length) continue;
        const start = Math.floor(next() * (bits.length - len + 1));
        expect(ubits(start, len)).toBe(refU(bits, start, len));
        expect(sbits(start, len)).toBe(refS(bits, start, len));
      }
    }
  });

  it('drops fill bits where each fragment ends (loadFragments)', () => {
    const next = seededRandom(11);
    for (let t = 0; t < 300; t++) {
      const parts: string[] = [];
      const fills: number[] = [];
      let ref = '';
      const n = 1 + Math.floor(next() * 4);
      for (let i = 0; i < n; i++) {
        const p = randomPayload(next, 1 + Math.floor(next() * 30));
        const fill = Math.floor(next() * 6);
        parts.push(p);
        fills.push(fill);
        const b = refBits(p);
        ref += b.slice(0, b.length - fill);
      }
      expect(loadFragments(parts, fills)).toBe(ref.length);
      for (let start = 0; start + 8 <= ref.length; start += 5) expect(ubits(start, 8)).toBe(refU(ref, start, 8));
    }
    expect(loadFragments(['15', 'X'], [0, 0])).toBe(-1);
  });
});

describe('six-bit text', () => {
  // 'TC6163' + spaces, then '@' padding: M.1371 table 47, '@' (0) ends the text.
  const text = (s: string): string => {
    let bits = '';
    for (const ch of s) {
      const c = ch.charCodeAt(0);
      bits += (c >= 64 ? c - 64 : c).toString(2).padStart(6, '0');
    }
    let armour = '';
    for (let i = 0; i < bits.length; i += 6) {
      const v = parseInt(bits.slice(i, i + 6).padEnd(6, '0'), 2);
      armour += String.fromCharCode(v < 40 ? v + 48 : v + 56);
    }
    return armour;
  };

  it('ends at the first @ and drops trailing spaces', () => {
    loadPayload(text('TC6163  @@'), 0);
    expect(sixbitText(0, 10)).toBe('TC6163');
    loadPayload(text('A@B C'), 0);
    expect(sixbitText(0, 5)).toBe('A');
    loadPayload(text(' LEAD'), 0);
    expect(sixbitText(0, 5)).toBe(' LEAD');
  });

  it('reads only whole characters inside the payload', () => {
    loadPayload(text('ABCD'), 2); // 22 bits: three whole characters
    expect(sixbitText(0, 20)).toBe('ABC');
  });
});
