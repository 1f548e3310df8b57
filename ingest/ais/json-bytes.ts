/**
 * A small byte builder for JSON lines: constants stored four bytes at a time, numbers and text
 * written digit by digit, with no string built per line (whose concatenation, flattening and
 * garbage dominated `seagrid decode`). Each writer takes the buffer (and its DataView for
 * constants) and a position, and returns the position after what it wrote.
 */

/**
 * Where a line is written: at `pos`, which the writer advances. The caller keeps enough room
 * free after `pos` for the line plus the 3 bytes a constant may spill over (see `Words`).
 */
export interface ByteOut {
  buf: Buffer;
  pos: number;
}

/**
 * A constant as little-endian 32-bit words: written four bytes per store, which measured about
 * 3× faster than a byte loop for these 8–70-byte pieces. The last word may carry up to three bytes
 * past the constant; the next write overwrites them (hence the free room `ByteOut` asks for).
 */
export interface Words {
  readonly w: Int32Array;
  readonly n: number;
}

/** `t` must be latin1 (one byte per char): constants are keys, legends and punctuation. */
export function wordsOf(t: string): Words {
  const w = new Int32Array((t.length + 3) >> 2);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c > 255) throw new RangeError(`not latin1: ${t}`);
    w[i >> 2]! |= c << ((i & 3) << 3);
  }
  return { w, n: t.length };
}

/** The two spellings of a boolean between two constants: `[false, true]`. */
export function flagWords(before: string, after: string): readonly [Words, Words] {
  return [wordsOf(`${before}false${after}`), wordsOf(`${before}true${after}`)];
}

/** One DataView per output buffer, made again only when the caller swaps its buffer. */
let viewBuf: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
export function viewOf(b: Buffer): DataView {
  if (b !== viewBuf) {
    viewBuf = b;
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  return view;
}

export function put(v: DataView, p: number, c: Words): number {
  const w = c.w;
  for (let i = 0; i < w.length; i++) v.setInt32(p + (i << 2), w[i]!, true);
  return p + c.n;
}

/** A non-negative integer below 2^32 in decimal: integer division only. */
export function digits(b: Buffer, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  const len = decimalLength(n);
  let x = n;
  for (let i = p + len - 1; i >= p; i--) {
    const q = (x / 10) | 0;
    b[i] = 48 + x - q * 10;
    x = q;
  }
  return p + len;
}

function decimalLength(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
}

/** Any number exactly as `${n}` prints it; 32-bit integers (all the decoder makes) without a string. */
export function int(b: Buffer, p: number, n: number): number {
  if ((n | 0) !== n) return chars(b, p, String(n));
  if (n < 0) {
    b[p] = 45; // -
    return digits(b, p + 1, -n);
  }
  return digits(b, p, n);
}

/** `n` as `${n}` left-padded with zeros to `width` chars, like printf's `%0Nu` on the values sent. */
export function padded(b: Buffer, p: number, n: number, width: number): number {
  if ((n | 0) !== n || n < 0) {
    const s = String(n);
    for (let k = s.length; k < width; k++) b[p++] = 48;
    return chars(b, p, s);
  }
  for (let k = decimalLength(n); k < width; k++) b[p++] = 48;
  return digits(b, p, n);
}

/**
 * `n / unit` with `decimals` digits (unit = 10^decimals), n an integer with |n / unit| < 2^31:
 * printf's `%.Nf` once the caller has rounded the exact value to n units.
 */
export function fixedBytes(b: Buffer, p: number, n: number, decimals: number, unit: number): number {
  let abs = n;
  if (n < 0) {
    b[p++] = 45; // -
    abs = -n;
  }
  const whole = (abs / unit) | 0;
  let f = abs - whole * unit;
  p = digits(b, p, whole);
  b[p++] = 46; // .
  for (let i = p + decimals - 1; i >= p; i--) {
    const q = (f / 10) | 0;
    b[i] = 48 + f - q * 10;
    f = q;
  }
  return p + decimals;
}

/** The body of a JSON string: `"` and `\` escaped, nothing else (six-bit text has no controls). */
export function jsonText(b: Buffer, p: number, s: string | undefined): number {
  if (s === undefined) return p;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) b[p++] = 92;
    b[p++] = c; // latin1: the low byte, as Buffer#write(…, 'latin1') stores it
  }
  return p;
}

/** Latin1 chars as they are. */
function chars(b: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}
