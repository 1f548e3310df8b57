/**
 * Epoch ms as `Date.prototype.toISOString` writes it (UTC, ms, `Z`), for the hot paths that format
 * a time per fix — track views, an evidence pack's 135,000 times. toISOString builds a Date and
 * breaks it into calendar fields each call (≈ 0.85 µs here); a pack's times fall on a handful of
 * days, so the day's `YYYY-MM-DDT` is kept from the last call and the rest is arithmetic and
 * two- and three-digit tables. Outside 1970–9999, or for what is not a finite number, it is
 * toISOString itself (model/iso-time.test.ts compares the two).
 */
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from here toISOString writes a six-digit, signed year. */
const YEAR_10000_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let lastDay = NaN;
let lastDayText = '';

export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return new Date(ms).toISOString();
  // A Date keeps whole ms, dropping the fraction (a stored time may hold µs).
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  if (day !== lastDay) {
    lastDayText = new Date(day * DAY_MS).toISOString().slice(0, 11);
    lastDay = day;
  }
  let r = t - day * DAY_MS;
  const milli = r % 1000;
  r = (r - milli) / 1000;
  const s = r % 60;
  r = (r - s) / 60;
  const m = r % 60;
  return `${lastDayText}${TWO[(r - m) / 60]!}:${TWO[m]!}:${TWO[s]!}.${THREE[milli]!}Z`;
}
