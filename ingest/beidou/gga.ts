import { ok, type Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { parseCount, parseDecimal, parseTimeOfDay } from './fields.js';
import { positionProblem, readLat, readLon } from './position.js';
import {
  BAD_ALTITUDE,
  BAD_HDOP,
  BAD_QUALITY,
  BAD_SATELLITES,
  BAD_TIME,
  EMPTY_QUALITY,
  EMPTY_TIME,
  FIELD_COUNT,
  NO_FIX_QUALITY,
} from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, GnssFix, MutableFix } from './types.js';

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

  const timeText = f[0] ?? '';
  if (timeText === '') return EMPTY_TIME;
  const timeOfDayMs = parseTimeOfDay(timeText);
  if (timeOfDayMs < 0) return BAD_TIME;

  const lat = readLat(f, 1);
  const lon = readLon(f, 3);
  if (Number.isNaN(lat) || Number.isNaN(lon)) return positionProblem(f, 1);

  const satText = f[6] ?? '';
  const hdopText = f[7] ?? '';
  const altText = f[8] ?? '';
  const satellites = satText === '' ? 0 : parseCount(satText);
  if (satellites < 0) return BAD_SATELLITES;
  const hdop = hdopText === '' ? 0 : parseDecimal(hdopText);
  if (!(hdop >= 0)) return BAD_HDOP;
  const altitudeM = altText === '' ? 0 : parseDecimal(altText);
  if (Number.isNaN(altitudeM)) return BAD_ALTITUDE;

  const atMs = dates.resolve(ctx.source, timeOfDayMs, ctx.receivedAtMs);
  const fix: MutableFix = { sentence: 'GGA', talker: s.talker, atMs, lat, lon, quality };
  if (satText !== '') fix.satellites = satellites;
  if (hdopText !== '') fix.hdop = hdop;
  if (altText !== '') fix.altitudeM = altitudeM;
  return ok(fix);
}
