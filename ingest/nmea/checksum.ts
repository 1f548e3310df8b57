/** XOR of the character codes in text[from, to) — the NMEA 0183 / NMEA 4 tag-block checksum. */
export function xorChecksum(text: string, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum ^= text.charCodeAt(i);
  return sum;
}

/** Value of one hex digit in either case, or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

/** The two hex digits at text[at], at+1 as a byte, or -1 when they are not hex. */
export function readHexByte(text: string, at: number): number {
  if (at + 1 >= text.length) return -1;
  const hi = hexDigit(text.charCodeAt(at));
  const lo = hexDigit(text.charCodeAt(at + 1));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/** Two upper-case hex digits, as NMEA writers emit them. */
export function formatChecksum(sum: number): string {
  return (sum < 16 ? '0' : '') + sum.toString(16).toUpperCase();
}

/** Wraps `body` (the text between `$`/`!` and `*`) into a full sentence with its checksum. */
export function withChecksum(start: '!' | '$', body: string): string {
  return `${start}${body}*${formatChecksum(xorChecksum(body, 0, body.length))}`;
}
