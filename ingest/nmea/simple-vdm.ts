import { hexDigit, readHexByte } from './checksum.js';

/**
 * The fast lane for the lines real feeds send most: a complete `!xxVDM`/`!xxVDO` sentence with no
 * tag block, no prefix and no trailing fields — a single-fragment message, or (bytes only) one
 * fragment of a 2–9 part message. It locates the fields and XORs everything but the payload; the
 * payload's reader (the payload decoder, or `armouredXor` for a fragment) reads the payload
 * characters once, for the rest of the checksum (`checksumMatches`). Anything it cannot vouch for
 * returns false and goes the general way (`frameLine`), which gives the precise outcome and code.
 */
export interface SimpleVdm {
  talker: string;
  channel: string;
  /** Fragment count and 1-based number (1 and 1 for a single-fragment sentence). */
  total: number;
  index: number;
  /** A fragment's sequence id field as the general framer reads it (part of the reassembly key); '' when total is 1. */
  seq: string;
  /** The payload is `line[payloadFrom, payloadTo)`. */
  payloadFrom: number;
  payloadTo: number;
  fillBits: number;
  /** XOR of the sentence characters outside the payload. */
  xorOutside: number;
  /** The checksum the sentence states. */
  want: number;
  /** End of the sentence without trailing blanks: the record text the general framer would report. */
  end: number;
}

/** A blank `SimpleVdm` to be filled. */
export function emptySimpleVdm(): SimpleVdm {
  return { talker: '', channel: '', total: 0, index: 0, seq: '', payloadFrom: 0, payloadTo: 0, fillBits: 0, xorOutside: 0, want: 0, end: 0 };
}

const BANG = 33;
const STAR = 42;
const COMMA = 44;

/** Fills `out` and returns true when `line` has the shape of a simple single-fragment sentence. */
export function readSimpleVdm(line: string, out: SimpleVdm): boolean {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
  // `!AIVDM,1,1,,A,<payload>,0*hh`: the address is 5 characters, the checksum ends the line.
  if (end < 20 || line.charCodeAt(0) !== BANG || line.charCodeAt(end - 3) !== STAR) return false;
  if (line.charCodeAt(6) !== COMMA || line.charCodeAt(3) !== 86 || line.charCodeAt(4) !== 68) return false; // 'V','D'
  const m = line.charCodeAt(5);
  if (m !== 77 && m !== 79) return false; // 'M' | 'O'
  // `1,1,` then a short sequence id (empty for single fragments, but some senders fill it) and channel.
  if (line.charCodeAt(7) !== 49 || line.charCodeAt(8) !== COMMA || line.charCodeAt(9) !== 49 || line.charCodeAt(10) !== COMMA)
    return false;
  let c3 = 11;
  while (c3 < 14 && line.charCodeAt(c3) !== COMMA) c3++;
  let c4 = c3 + 1;
  while (c4 < c3 + 4 && line.charCodeAt(c4) !== COMMA) c4++;
  // The one-digit fill field sits between the last comma and the `*`.
  const c5 = end - 5;
  if (line.charCodeAt(c3) !== COMMA || line.charCodeAt(c4) !== COMMA || line.charCodeAt(c5) !== COMMA || c5 <= c4 + 1) return false;
  // A `*` in the sequence id or channel would be where the general framer reads the checksum.
  if (line.indexOf('*', 11) < c4) return false;
  const fill = line.charCodeAt(end - 4) - 48;
  if (fill < 0 || fill > 9) return false;
  const want = readHexByte(line, end - 2);
  if (want < 0) return false;
  const t1 = line.charCodeAt(1);
  const t2 = line.charCodeAt(2);
  if (!isTalkerChar(t1) || !isTalkerChar(t2)) return false;
  out.talker = talkerOf(t1, t2);
  out.channel = c4 === c3 + 1 ? '' : c4 === c3 + 2 ? channelLetter(line.charCodeAt(c3 + 1), line, c3) : line.slice(c3 + 1, c4);
  out.total = 1;
  out.index = 1;
  out.seq = '';
  out.payloadFrom = c4 + 1;
  out.payloadTo = c5;
  out.fillBits = fill;
  out.xorOutside = xorRange(line, 1, c4 + 1) ^ xorRange(line, c5, end - 3);
  out.want = want;
  out.end = end;
  return true;
}

/**
 * `readSimpleVdm` over the bytes `buf[start, end)` of one line (no line terminator needed; trailing
 * blanks are trimmed), also taking one fragment of a multipart message: `t,i,` with a one-digit
 * count t of 1–9 and number i of 1–t. `payloadFrom/To` and `end` are indexes into `buf`.
 */
export function readSimpleVdmBytes(buf: Buffer, start: number, end: number, out: SimpleVdm): boolean {
  while (end > start && buf[end - 1]! <= 32) end--;
  const b = start;
  if (end - b < 20 || buf[b] !== BANG || buf[end - 3] !== STAR) return false;
  if (buf[b + 6] !== COMMA || buf[b + 3] !== 86 || buf[b + 4] !== 68) return false; // 'V','D'
  const m = buf[b + 5];
  if (m !== 77 && m !== 79) return false; // 'M' | 'O'
  // Two-digit or zero-padded counts (`02`) are left to the general framer.
  const total = buf[b + 7]! - 48;
  const index = buf[b + 9]! - 48;
  if (total < 1 || total > 9 || index < 1 || index > total || buf[b + 8] !== COMMA || buf[b + 10] !== COMMA) return false;
  let c3 = b + 11;
  while (c3 < b + 14 && buf[c3] !== COMMA) c3++;
  let c4 = c3 + 1;
  while (c4 < c3 + 4 && buf[c4] !== COMMA) c4++;
  const c5 = end - 5;
  if (buf[c3] !== COMMA || buf[c4] !== COMMA || buf[c5] !== COMMA || c5 <= c4 + 1) return false;
  for (let i = b + 11; i < c4; i++) if (buf[i] === STAR) return false; // see readSimpleVdm
  const fill = buf[end - 4]! - 48;
  if (fill < 0 || fill > 9) return false;
  const hi = hexDigit(buf[end - 2]!);
  const lo = hexDigit(buf[end - 1]!);
  if (hi < 0 || lo < 0) return false;
  const t1 = buf[b + 1]!;
  const t2 = buf[b + 2]!;
  if (!isTalkerChar(t1) || !isTalkerChar(t2)) return false;
  out.talker = talkerOf(t1, t2);
  if (c4 === c3 + 1) out.channel = '';
  else {
    const c = buf[c3 + 1]!;
    out.channel = c4 === c3 + 2 && c === 65 ? 'A' : c4 === c3 + 2 && c === 66 ? 'B' : buf.toString('latin1', c3 + 1, c4);
  }
  out.total = total;
  out.index = index;
  out.seq = total === 1 ? '' : seqOf(buf, b + 11, c3);
  out.payloadFrom = c4 + 1;
  out.payloadTo = c5;
  out.fillBits = fill;
  let x = 0;
  for (let i = b + 1; i <= c4; i++) x ^= buf[i]!;
  for (let i = c5; i < end - 3; i++) x ^= buf[i]!;
  out.xorOutside = x;
  out.want = (hi << 4) | lo;
  out.end = end;
  return true;
}

/**
 * True when the payload XOR (from the payload decoder) completes the stated checksum. A payload
 * that holds a comma (a sentence with more fields than it seemed) fails armour decoding first.
 */
export function checksumMatches(v: SimpleVdm, payloadXor: number): boolean {
  return (v.xorOutside ^ payloadXor) === v.want;
}

/** XOR of the char codes in [from, to), four independent lanes so the CPU can overlap them. */
function xorRange(s: string, from: number, to: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    a ^= s.charCodeAt(i);
    b ^= s.charCodeAt(i + 1);
    c ^= s.charCodeAt(i + 2);
    d ^= s.charCodeAt(i + 3);
  }
  for (; i < to; i++) a ^= s.charCodeAt(i);
  return a ^ b ^ c ^ d;
}

function isTalkerChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;
}

/** One shared string per talker spelling, found by its two char codes. */
const TALKERS: (string | undefined)[] = new Array<string | undefined>(128 * 128).fill(undefined);

function talkerOf(a: number, b: number): string {
  const k = a * 128 + b;
  return (TALKERS[k] ??= String.fromCharCode(a, b));
}

/** Sequence ids are one digit or empty: those come back as shared strings. */
const SEQ_DIGITS: readonly string[] = Array.from({ length: 10 }, (_, d) => String(d));

function seqOf(buf: Buffer, from: number, to: number): string {
  if (to === from) return '';
  const d = buf[from]! - 48;
  return to === from + 1 && d >= 0 && d <= 9 ? SEQ_DIGITS[d]! : buf.toString('latin1', from, to);
}

function channelLetter(c: number, line: string, at: number): string {
  if (c === 65) return 'A';
  if (c === 66) return 'B';
  return line.slice(at + 1, at + 2);
}
