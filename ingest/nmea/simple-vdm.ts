import { readHexByte } from './checksum.js';

/**
 * The fast lane for the line real feeds send most: one complete, single-fragment
 * `!xxVDM`/`!xxVDO` sentence with no tag block, no prefix and no trailing fields. It checks the
 * checksum and reads the six fields in one pass with no allocation but the payload string.
 * Anything else — and any line it cannot vouch for, including a bad checksum — returns false and
 * goes the general way (`frameLine`), which gives the precise outcome and code.
 */
export interface SimpleVdm {
  talker: string;
  channel: string;
  payload: string;
  fillBits: number;
}

const BANG = 33;
const STAR = 42;
const COMMA = 44;

/** Fills `out` and returns true when `line` is a simple sentence with a good checksum. */
export function readSimpleVdm(line: string, out: SimpleVdm): boolean {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
  // `!AIVDM,1,1,,A,<payload>,0*hh`: the address is 5 characters, the checksum ends the line.
  if (end < 20 || line.charCodeAt(0) !== BANG || line.charCodeAt(end - 3) !== STAR) return false;
  if (line.charCodeAt(6) !== COMMA || line.charCodeAt(3) !== 86 || line.charCodeAt(4) !== 68) return false; // 'V','D'
  const m = line.charCodeAt(5);
  if (m !== 77 && m !== 79) return false; // 'M' | 'O'
  // `1,1,` then the sequence id (empty for single fragments, but some senders fill it).
  if (line.charCodeAt(7) !== 49 || line.charCodeAt(8) !== COMMA || line.charCodeAt(9) !== 49 || line.charCodeAt(10) !== COMMA)
    return false;
  const want = readHexByte(line, end - 2);
  if (want < 0) return false;
  let sum = 0;
  let c3 = -1;
  let c4 = -1;
  let c5 = -1;
  let commas = 0;
  for (let i = 1; i < end - 3; i++) {
    const c = line.charCodeAt(i);
    sum ^= c;
    if (c === COMMA) {
      commas++;
      if (commas === 4) c3 = i;
      else if (commas === 5) c4 = i;
      else if (commas === 6) c5 = i;
    }
  }
  // Exactly six commas: address + six fields; the fill digit sits right before the `*`.
  if (sum !== want || commas !== 6 || c5 !== end - 5) return false;
  const fill = line.charCodeAt(end - 4) - 48;
  if (fill < 0 || fill > 9) return false;
  const t1 = line.charCodeAt(1);
  const t2 = line.charCodeAt(2);
  if (!isTalkerChar(t1) || !isTalkerChar(t2)) return false;
  out.talker = talkerOf(t1, t2);
  out.channel = c4 === c3 + 1 ? '' : c4 === c3 + 2 ? channelLetter(line.charCodeAt(c3 + 1), line, c3) : line.slice(c3 + 1, c4);
  out.payload = line.slice(c4 + 1, c5);
  out.fillBits = fill;
  return true;
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

function channelLetter(c: number, line: string, at: number): string {
  if (c === 65) return 'A';
  if (c === 66) return 'B';
  return line.slice(at + 1, at + 2);
}
