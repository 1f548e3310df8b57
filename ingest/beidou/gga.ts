import type { Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { parseCount } from './fields.js';
import { readGgaLike } from './gga-like.js';
import { BAD_QUALITY, EMPTY_QUALITY, FIELD_COUNT, NO_FIX_QUALITY } from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, GnssFix } from './types.js';

/**
 * GGA: `time, lat, N/S, lon, E/W, quality, satellites, hdop, altitude, M, geoid separation, M,
 * dgps age, dgps station` — 14 fields. SiRF-TriG receivers append a 15th (seen in gpsd's
 * beidou-bd.log), so one extra trailing field is tolerated.
 */
export function decodeGga(s: Sentence, ctx: GnssContext, dates: SourceDates): Result<GnssFix> {
  const f = s.fields;
  if (f.length < 14 || f.length > 15) return FIELD_COUNT;
  const qualityText = f[5] ?? '';
  if (qualityText === '') return EMPTY_QUALITY;
  const quality = parseCount(qualityText);
  if (quality < 0) return BAD_QUALITY;
  if (quality === 0) return NO_FIX_QUALITY;

  const r = readGgaLike(s, 'GGA', ctx, dates);
  if (r.ok) r.value.quality = quality;
  return r;
}
