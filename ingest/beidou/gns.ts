import type { Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { modeState } from './fields.js';
import { readGgaLike } from './gga-like.js';
import { BAD_MODE, EMPTY_MODE, FIELD_COUNT, NO_FIX_MODE } from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, GnssFix } from './types.js';

/**
 * GNS (NMEA 4.0): `time, lat, N/S, lon, E/W, mode, satellites, hdop, altitude, geoid separation,
 * dgps age, dgps station[, nav status]` — 12 fields, 13 from NMEA 4.1. The mode has one letter per
 * constellation (GPS, GLONASS, Galileo, BDS, QZSS, NavIC): `ANNA` is a fix from GPS and BDS, and
 * only all-`N` means no fix. (gpsd looks at the first letter alone, so it would drop a BDS-only
 * `NNNA` fix.) The nav status is not used, as for RMC.
 */
export function decodeGns(s: Sentence, ctx: GnssContext, dates: SourceDates): Result<GnssFix> {
  const f = s.fields;
  if (f.length < 12 || f.length > 13) return FIELD_COUNT;
  const mode = f[5] ?? '';
  if (mode === '') return EMPTY_MODE;
  const modeIs = modeState(mode);
  if (modeIs === 1) return NO_FIX_MODE;
  if (modeIs < 0) return BAD_MODE;

  const r = readGgaLike(s, 'GNS', ctx, dates);
  if (r.ok) r.value.mode = mode;
  return r;
}
