/**
 * Field parsers for NMEA 0183 GNSS sentences. Each returns a number, with -1 or NaN for "does not
 * parse", so the decoders allocate nothing but their result. Callers test for empty fields first:
 * an empty field is a layout problem (`beidou.format`), an unparsable one a `beidou.field`.
 */

export const DAY_MS = 86_400_000;

const DOT = 46;
const ZERO = 48;

/** The two decimal digits at s[at], s[at+1] as a number, or -1. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - ZERO;
  const b = s.charCodeAt(at + 1) - ZERO;
  // charCodeAt past the end is NaN, which fails both tests.
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `hhmmss` with an optional fraction of any length (`.5`, `.799`, `.123456`) → ms since midnight,
 * or -1. The fraction is truncated to the ms. Second 60 is accepted: receivers print it during a
 * leap second, and adding it to the day simply lands on the next minute.
 */
export function parseTimeOfDay(s: string): number {
  const n = s.length;
  if (n < 6) return -1;
  const h = twoDigits(s, 0);
  const m = twoDigits(s, 2);
  const sec = twoDigits(s, 4);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return -1;
  let ms = 0;
  if (n > 6) {
    if (s.charCodeAt(6) !== DOT) return -1;
    let scale = 100;
    for (let i = 7; i < n; i++) {
      const d = s.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return -1;
      ms += d * scale;
      scale = scale >= 10 ? scale / 10 : 0;
    }
  }
  return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * RMC `ddmmyy` → epoch ms of that UTC midnight, or -1. The century follows gpsd: years 80–99 are
 * 1980–1999 and 00–79 are 2000–2079 (gpsd adds its startup century, 2000, and moves years ≥ 2080
 * back a hundred; the GPS epoch is 1980, so no receiver reports an earlier year).
 */
export function parseDate(s: string): number {
  if (s.length !== 6) return -1;
  const day = twoDigits(s, 0);
  const month = twoDigits(s, 2);
  const yy = twoDigits(s, 4);
  if (day < 1 || month < 1 || month > 12 || yy < 0) return -1;
  const year = yy >= 80 ? 1900 + yy : 2000 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > maxDay) return -1;
  return Date.UTC(year, month - 1, day);
}

/** 10^15 is the largest power of ten whose multiples stay exact; later digits add nothing. */
const MAX_SCALE = 1e15;

/**
 * NMEA `(d)ddmm.mmmm` → degrees (unsigned), or NaN when it does not parse, the minutes are ≥ 60
 * or the value exceeds `maxDeg` (90 for latitude, 180 for longitude). At least three integer
 * digits (one of degrees, two of minutes) and at most five; the fraction may be absent.
 */
export function parseCoordinate(s: string, maxDeg: number): number {
  const n = s.length;
  let i = 0;
  let whole = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i < 3 || i > 5) return NaN;
  let frac = 0;
  let scale = 1;
  if (i < n) {
    if (s.charCodeAt(i) !== DOT) return NaN;
    for (i++; i < n; i++) {
      const d = s.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) return NaN;
      if (scale < MAX_SCALE) {
        frac = frac * 10 + d;
        scale *= 10;
      }
    }
  }
  const degrees = Math.floor(whole / 100);
  const minutes = whole - degrees * 100;
  if (minutes >= 60) return NaN;
  // Whole minutes first, then the fraction: the sum stays exact until the one division.
  const value = (degrees * 60 + minutes + frac / scale) / 60;
  return value > maxDeg ? NaN : value;
}

/** Sign of a hemisphere letter: `positive` (N or E) → 1, `negative` (S or W) → -1, else 0. */
export function hemisphereSign(s: string, positive: 'N' | 'E', negative: 'S' | 'W'): number {
  return s === positive ? 1 : s === negative ? -1 : 0;
}

/**
 * A plain decimal (`12`, `-3.5`, `.7`, `0.`) → number, or NaN. Checked by hand because `Number()`
 * alone would also accept `0x1A`, `1e3`, `Infinity` and blanks.
 */
export function parseDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) i = 1; // - or +
  let digits = 0;
  let dots = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) dots++;
    else if (c >= ZERO && c <= ZERO + 9) digits++;
    else return NaN;
  }
  return digits === 0 || dots > 1 ? NaN : Number(s);
}

/** Unsigned integer (`07`, `12`) → number, or -1. */
export function parseCount(s: string): number {
  const n = s.length;
  if (n === 0 || n > 9) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Mode indicator check: 1 when every character is `N` (no fix), 0 when all are A–Z, -1 when not letters. */
export function modeState(s: string): number {
  let allN = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return -1;
    if (c !== 78) allN = false;
  }
  return allN ? 1 : 0;
}

/**
 * Places a time of day on the calendar day that puts it nearest to `referenceMs` (at most half a
 * day away): a fix from 23:59:58 referenced to 00:00:01 lands on the previous day, one from
 * 00:00:01 referenced to 23:59:59 on the next.
 */
export function nearestDayTime(timeOfDayMs: number, referenceMs: number): number {
  const t = Math.floor(referenceMs / DAY_MS) * DAY_MS + timeOfDayMs;
  if (t - referenceMs > DAY_MS / 2) return t - DAY_MS;
  if (referenceMs - t > DAY_MS / 2) return t + DAY_MS;
  return t;
}
