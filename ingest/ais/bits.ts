/**
 * AIS 6-bit de-armouring and a bit reader over the result.
 *
 * One payload is loaded at a time into a module-level buffer of 32-bit words (most significant
 * bit first), so reading a field is two array loads and three shifts: no strings of '0'/'1', no
 * BigInt, no allocation. Decoding is synchronous, so the shared buffer is never seen half-loaded.
 */

/** Armour character code → 6-bit value, or -1 outside the alphabet (48–87 and 96–119). */
const SIXBIT = new Int8Array(128).fill(-1);
for (let c = 48; c <= 87; c++) SIXBIT[c] = c - 48;
for (let c = 96; c <= 119; c++) SIXBIT[c] = c - 56;

/** 6-bit value → its text character (ITU-R M.1371 table 47): 0–31 are `@A…_`, 32–63 are ` !…?`. */
const TEXT_CHAR: readonly string[] = Array.from({ length: 64 }, (_, v) => String.fromCharCode(v < 32 ? v + 64 : v));

let words = new Int32Array(64);
let bitLength = 0;

/**
 * Loads `payload` for reading. Returns the number of payload bits (6 per character, less the
 * fill bits), or -1 with nothing loaded when a character is outside the armour alphabet.
 * The caller has checked `fillBits` is 0–9.
 */
export function loadPayload(payload: string, fillBits: number): number {
  return loadPayloadRange(payload, 0, payload.length, fillBits);
}

let rangeXor = 0;

/**
 * XOR of the character codes `loadPayloadRange` read: the decoder's fast lane verifies the NMEA
 * checksum with it instead of reading the payload characters a second time.
 */
export function lastPayloadXor(): number {
  return rangeXor;
}

/** `loadPayload` of `text[from, to)`, without cutting the payload out of its line first. */
export function loadPayloadRange(text: string, from: number, to: number, fillBits: number): number {
  const n = to;
  rangeXor = 0;
  let x = 0;
  const need = (((n - from) * 6) >>> 5) + 2;
  if (need > words.length) words = new Int32Array(need * 2);
  const w = words;
  const t = SIXBIT;
  let at = 0;
  let i = from;
  // 16 characters are exactly 96 bits = 3 words: unrolled, one validity check per block.
  for (; i + 16 <= n; i += 16) {
    const c0 = text.charCodeAt(i), c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3), c4 = text.charCodeAt(i + 4), c5 = text.charCodeAt(i + 5);
    const c6 = text.charCodeAt(i + 6), c7 = text.charCodeAt(i + 7), c8 = text.charCodeAt(i + 8);
    const c9 = text.charCodeAt(i + 9), c10 = text.charCodeAt(i + 10), c11 = text.charCodeAt(i + 11);
    const c12 = text.charCodeAt(i + 12), c13 = text.charCodeAt(i + 13), c14 = text.charCodeAt(i + 14);
    const c15 = text.charCodeAt(i + 15);
    const v0 = t[c0 & 127]!, v1 = t[c1 & 127]!, v2 = t[c2 & 127]!, v3 = t[c3 & 127]!;
    const v4 = t[c4 & 127]!, v5 = t[c5 & 127]!, v6 = t[c6 & 127]!, v7 = t[c7 & 127]!;
    const v8 = t[c8 & 127]!, v9 = t[c9 & 127]!, v10 = t[c10 & 127]!, v11 = t[c11 & 127]!;
    const v12 = t[c12 & 127]!, v13 = t[c13 & 127]!, v14 = t[c14 & 127]!, v15 = t[c15 & 127]!;
    const hi = c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15;
    x ^= c0 ^ c1 ^ c2 ^ c3 ^ c4 ^ c5 ^ c6 ^ c7 ^ c8 ^ c9 ^ c10 ^ c11 ^ c12 ^ c13 ^ c14 ^ c15;
    const any = v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7 | v8 | v9 | v10 | v11 | v12 | v13 | v14 | v15;
    if (hi > 127 || any < 0) return -1;
    w[at] = (v0 << 26) | (v1 << 20) | (v2 << 14) | (v3 << 8) | (v4 << 2) | (v5 >>> 4);
    w[at + 1] = (v5 << 28) | (v6 << 22) | (v7 << 16) | (v8 << 10) | (v9 << 4) | (v10 >>> 2);
    w[at + 2] = (v10 << 30) | (v11 << 24) | (v12 << 18) | (v13 << 12) | (v14 << 6) | v15;
    at += 3;
  }
  // The rest (under 16 characters) one at a time.
  let acc = 0;
  let have = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? t[c]! : -1;
    if (v < 0) return -1;
    x ^= c;
    if (have <= 26) {
      acc = (acc << 6) | v;
      have += 6;
      if (have === 32) {
        w[at++] = acc;
        acc = 0;
        have = 0;
      }
    } else {
      const rest = have - 26; // bits of v that do not fit in this word
      w[at++] = (acc << (6 - rest)) | (v >>> rest);
      acc = v & ((1 << rest) - 1);
      have = rest;
    }
  }
  w[at] = have === 0 ? 0 : acc << (32 - have);
  w[at + 1] = 0;
  rangeXor = x;
  bitLength = (n - from) * 6 - fillBits;
  return bitLength;
}

/**
 * `loadPayloadRange` over bytes (an MQTT payload or file chunk as received): the same loop reading
 * `buf[i]`, which V8 makes far cheaper than `charCodeAt` on a sliced string. Kept as a twin rather
 * than one generic function so each stays monomorphic on the hottest path.
 */
export function loadPayloadBytes(buf: Uint8Array, from: number, to: number, fillBits: number): number {
  const n = to;
  rangeXor = 0;
  let x = 0;
  const need = (((n - from) * 6) >>> 5) + 2;
  if (need > words.length) words = new Int32Array(need * 2);
  const w = words;
  const t = SIXBIT;
  let at = 0;
  let i = from;
  // 16 characters are exactly 96 bits = 3 words: unrolled, one validity check per block.
  for (; i + 16 <= n; i += 16) {
    const c0 = buf[i]!, c1 = buf[i + 1]!, c2 = buf[i + 2]!;
    const c3 = buf[i + 3]!, c4 = buf[i + 4]!, c5 = buf[i + 5]!;
    const c6 = buf[i + 6]!, c7 = buf[i + 7]!, c8 = buf[i + 8]!;
    const c9 = buf[i + 9]!, c10 = buf[i + 10]!, c11 = buf[i + 11]!;
    const c12 = buf[i + 12]!, c13 = buf[i + 13]!, c14 = buf[i + 14]!;
    const c15 = buf[i + 15]!;
    const v0 = t[c0 & 127]!, v1 = t[c1 & 127]!, v2 = t[c2 & 127]!, v3 = t[c3 & 127]!;
    const v4 = t[c4 & 127]!, v5 = t[c5 & 127]!, v6 = t[c6 & 127]!, v7 = t[c7 & 127]!;
    const v8 = t[c8 & 127]!, v9 = t[c9 & 127]!, v10 = t[c10 & 127]!, v11 = t[c11 & 127]!;
    const v12 = t[c12 & 127]!, v13 = t[c13 & 127]!, v14 = t[c14 & 127]!, v15 = t[c15 & 127]!;
    const hi = c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15;
    x ^= c0 ^ c1 ^ c2 ^ c3 ^ c4 ^ c5 ^ c6 ^ c7 ^ c8 ^ c9 ^ c10 ^ c11 ^ c12 ^ c13 ^ c14 ^ c15;
    const any = v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7 | v8 | v9 | v10 | v11 | v12 | v13 | v14 | v15;
    if (hi > 127 || any < 0) return -1;
    w[at] = (v0 << 26) | (v1 << 20) | (v2 << 14) | (v3 << 8) | (v4 << 2) | (v5 >>> 4);
    w[at + 1] = (v5 << 28) | (v6 << 22) | (v7 << 16) | (v8 << 10) | (v9 << 4) | (v10 >>> 2);
    w[at + 2] = (v10 << 30) | (v11 << 24) | (v12 << 18) | (v13 << 12) | (v14 << 6) | v15;
    at += 3;
  }
  // The rest (under 16 characters) one at a time.
  let acc = 0;
  let have = 0;
  for (; i < n; i++) {
    const c = buf[i]!;
    const v = c < 128 ? t[c]! : -1;
    if (v < 0) return -1;
    x ^= c;
    if (have <= 26) {
      acc = (acc << 6) | v;
      have += 6;
      if (have === 32) {
        w[at++] = acc;
        acc = 0;
        have = 0;
      }
    } else {
      const rest = have - 26; // bits of v that do not fit in this word
      w[at++] = (acc << (6 - rest)) | (v >>> rest);
      acc = v & ((1 << rest) - 1);
      have = rest;
    }
  }
  w[at] = have === 0 ? 0 : acc << (32 - have);
  w[at + 1] = 0;
  rangeXor = x;
  bitLength = (n - from) * 6 - fillBits;
  return bitLength;
}

/**
 * XOR of the characters `buf[from, to)`, or -1 when one is outside the armour alphabet: the
 * decoder's fast lane checks a multipart fragment and completes its NMEA checksum with it before
 * the fragment is held (its bits are loaded once the message is complete).
 */
export function armouredXor(buf: Uint8Array, from: number, to: number): number {
  const t = SIXBIT;
  let x = 0;
  let bad = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    bad |= t[c & 127]! | (127 - c); // negative for a character outside the alphabet or above 127
    x ^= c;
  }
  return bad < 0 ? -1 : x;
}

/**
 * Loads the payloads of a multipart message whose fragments each carry fill bits, dropping
 * every fragment's fill bits where it ends, as gpsd does (a standard sender puts fill bits only
 * on the last fragment; `loadPayload` of the joined text is the fast path for that). Returns
 * the bit count, or -1 when a character is outside the armour alphabet. `fillBits[i]` is 0–5.
 */
export function loadFragments(payloads: readonly string[], fillBits: readonly number[]): number {
  let chars = 0;
  for (const p of payloads) chars += p.length;
  const need = ((chars * 6) >>> 5) + 2;
  if (need > words.length) words = new Int32Array(need * 2);
  words.fill(0, 0, need);
  let pos = 0;
  for (let f = 0; f < payloads.length; f++) {
    const p = payloads[f]!;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      const v = c < 128 ? SIXBIT[c]! : -1;
      if (v < 0) return -1;
      putSixBits(pos, v);
      pos += 6;
    }
    pos -= fillBits[f] ?? 0;
    if (pos < 0) pos = 0;
    clearFrom(pos);
  }
  bitLength = pos;
  return bitLength;
}

/** Writes a 6-bit value at bit `pos` into zeroed words. */
function putSixBits(pos: number, v: number): void {
  const i = pos >>> 5;
  const off = pos & 31;
  if (off <= 26) {
    words[i] = words[i]! | (v << (26 - off));
  } else {
    const rest = off - 26; // bits of v that spill into the next word
    words[i] = words[i]! | (v >>> rest);
    words[i + 1] = words[i + 1]! | (v << (32 - rest));
  }
}

/** Zeroes every bit from `pos` to the end of its word and the word after (dropped fill bits). */
function clearFrom(pos: number): void {
  const i = pos >>> 5;
  const off = pos & 31;
  words[i] = off === 0 ? 0 : words[i]! & ~(-1 >>> off);
  words[i + 1] = 0;
}

/** Unsigned field of `len` (1–31) bits starting at bit `start`. The caller checks the length. */
export function ubits(start: number, len: number): number {
  const i = start >>> 5;
  const off = start & 31;
  let top = words[i]! << off;
  if (off + len > 32) top |= words[i + 1]! >>> (32 - off);
  return top >>> (32 - len);
}

/** Two's-complement signed field of `len` (2–31) bits starting at bit `start`. */
export function sbits(start: number, len: number): number {
  const i = start >>> 5;
  const off = start & 31;
  let top = words[i]! << off;
  if (off + len > 32) top |= words[i + 1]! >>> (32 - off);
  return top >> (32 - len);
}

/** One-bit flag at `start`. */
export function flag(start: number): boolean {
  return ((words[start >>> 5]! << (start & 31)) & 0x80000000) !== 0;
}

/**
 * Six-bit text of at most `count` characters from bit `start`, with gpsd's rules: text ends at
 * the first `@` (value 0), and trailing spaces are dropped. Only whole characters inside the
 * payload are read. Returns '' for no text.
 */
export function sixbitText(start: number, count: number): string {
  return trimRight(sixbitUntrimmed(start, count));
}

/** Like `sixbitText` without dropping trailing spaces (the type 21 name before its extension). */
export function sixbitUntrimmed(start: number, count: number): string {
  const avail = Math.floor((bitLength - start) / 6);
  const n = count < avail ? count : avail;
  let s = '';
  for (let k = 0; k < n; k++) {
    const v = ubits(start + 6 * k, 6);
    if (v === 0) break;
    s += TEXT_CHAR[v]!;
  }
  return s;
}

/** Drops trailing spaces (and `@`, which cannot remain after `sixbitUntrimmed`). */
export function trimRight(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 64) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}
