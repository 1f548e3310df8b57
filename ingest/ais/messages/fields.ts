/**
 * Field conversions shared by several message types: raw value → project unit, with the
 * ITU-R M.1371 "not available" value → undefined. Kept tiny so V8 inlines them.
 */

/** 1/10000 minute → degrees. */
const TEN_THOUSANDTH_MINUTE = 600_000;
/** 181° and 91° in 1/10000 minute. */
const LON_NA = 181 * TEN_THOUSANDTH_MINUTE;
const LAT_NA = 91 * TEN_THOUSANDTH_MINUTE;

export function lonDeg(raw: number): number | undefined {
  return raw === LON_NA ? undefined : raw / TEN_THOUSANDTH_MINUTE;
}

export function latDeg(raw: number): number | undefined {
  return raw === LAT_NA ? undefined : raw / TEN_THOUSANDTH_MINUTE;
}

/** SOG in 1/10 knot; 1023 = not available. */
export function sogTenths(raw: number): number | undefined {
  return raw === 1023 ? undefined : raw / 10;
}

/** COG in 1/10 degree; 3600 = not available. */
export function cogTenths(raw: number): number | undefined {
  return raw === 3600 ? undefined : raw / 10;
}

/** True heading in degrees; 511 = not available. */
export function headingDeg(raw: number): number | undefined {
  return raw === 511 ? undefined : raw;
}

/** UTC second of the report; 60 = not available (61–63 are kept: they name a fix mode). */
export function reportSecond(raw: number): number | undefined {
  return raw === 60 ? undefined : raw;
}

/** Six-bit text, '' → undefined. */
export function text(s: string): string | undefined {
  return s === '' ? undefined : s;
}
