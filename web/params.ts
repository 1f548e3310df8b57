/**
 * Request text into values, strictly: what the schemas (schemas.ts) cannot say — percent-encoding,
 * calendar dates, number ranges, box order. A refusal is a `Refusal` thrown inside web/ only, which
 * the server's one error handler turns into the error answer.
 */
import type { ApiErrorCode } from './protocol.js';

/** A request the server refuses, with its status and stable code. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** Headers the answer carries (Retry-After of a 429). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

/** Set by parseQuery on a query whose percent-encoding or UTF-8 is malformed (checked in onRequest). */
export const BAD_URI: unique symbol = Symbol('bad uri');

/**
 * The router's query parser: `+` is a space, a repeated name becomes an array (which the schemas
 * refuse), and malformed percent-encoding or bytes that are not UTF-8 mark the query instead of
 * throwing (the router must not throw; the onRequest hook answers `http.bad_uri`).
 */
export function parseQuery(qs: string): Record<string, string | string[]> & { [BAD_URI]?: true } {
  const q: Record<string, string | string[]> & { [BAD_URI]?: true } = Object.create(null) as Record<string, string | string[]>;
  const hash = qs.indexOf('#');
  for (const part of (hash < 0 ? qs : qs.slice(0, hash)).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeForm(eq < 0 ? part : part.slice(0, eq));
    const v = decodeForm(eq < 0 ? '' : part.slice(eq + 1));
    if (k === undefined || v === undefined) {
      q[BAD_URI] = true;
      continue;
    }
    const had = q[k];
    q[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return q;
}

function decodeForm(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** A whole number in [min, max] from text the schema has already held to digits; undefined when empty or absent. */
export function count(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^\d{1,16}$/.test(v) || n < min || n > max) throw new Refusal(400, 'http.bad_param', `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** `minLon,minLat,maxLon,maxLat` in degrees, west ≤ east (no antimeridian crossing), south ≤ north. */
export function box(v: string | undefined, name: string): { minLon: number; minLat: number; maxLon: number; maxLat: number } | undefined {
  if (v === undefined || v === '') return undefined;
  const parts = v.split(',');
  const n = parts.map((p) => (/^-?\d{1,3}(\.\d{1,12})?$/.test(p.trim()) ? Number(p) : Number.NaN));
  const [minLon, minLat, maxLon, maxLat] = n as [number, number, number, number];
  const good = parts.length === 4 && n.every(Number.isFinite) && Math.abs(minLon) <= 180 && Math.abs(maxLon) <= 180 && Math.abs(minLat) <= 90 && Math.abs(maxLat) <= 90 && minLon <= maxLon && minLat <= maxLat;
  if (!good) throw new Refusal(400, 'http.bad_param', `${name} must be minLon,minLat,maxLon,maxLat in degrees with min ≤ max`);
  return { minLon, minLat, maxLon, maxLat };
}

/** A time parameter: undefined when absent or empty; refused (`http.bad_time`) unless parseTime reads it. */
export function time(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = parseTime(v);
  if (ms === undefined) throw new Refusal(400, 'http.bad_time', `${name} must be an ISO-8601 time (a real date, e.g. 2026-02-28T12:00:00Z) or epoch ms`);
  return ms;
}

/** Text parameters: empty means absent. */
export const given = (v: string | undefined): string | undefined => (v === '' ? undefined : v);

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
/** The latest instant a JavaScript Date holds. */
const MAX_MS = 8.64e15;

/**
 * Epoch milliseconds, or strict ISO-8601: `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and a zone
 * (`Z` or ±HH:MM; none means UTC, never the server's zone). Every field is range-checked against
 * the calendar, so 2026-02-30 or 24:00 is refused rather than rolled over as Date.parse does.
 */
export function parseTime(v: string): number | undefined {
  if (/^\d{1,16}$/.test(v)) {
    const n = Number(v);
    return n <= MAX_MS ? n : undefined;
  }
  const m = ISO.exec(v);
  if (m === null) return undefined;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x))) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo!) || h > 23 || mi > 59 || sec > 59) return undefined;
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(-2));
    if (zh > 23 || zm > 59) return undefined;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!); // not Date.UTC: it maps years 0–99 to 1900–1999
  date.setUTCHours(h, mi, sec, frac);
  return date.getTime() - offsetMin * 60_000;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** `{key: value}` when the value is given, else nothing (exactOptionalPropertyTypes-friendly). */
export function opt<K extends string, V>(key: K, v: V | null | undefined): { [P in K]?: V } {
  return v === null || v === undefined ? {} : ({ [key]: v } as { [P in K]?: V });
}

/** For the log: control characters escaped, bounded length. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}
