import { ok, type Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { parseCount, parseDecimal, parseTimeOfDay } from './fields.js';
import { positionProblem, readLat, readLon } from './position.js';
import { BAD_ALTITUDE, BAD_HDOP, BAD_SATELLITES, BAD_TIME, EMPTY_TIME } from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, MutableFix } from './types.js';

/**
 * The fields GGA and GNS share at the same places — `time, lat, N/S, lon, E/W, (quality | mode),
 * satellites, hdop, altitude` — read into a fix once their own no-fix checks have passed.
 * Fields left empty in the sentence stay out of the fix.
 */
export function readGgaLike(
  s: Sentence,
  sentence: 'GGA' | 'GNS',
  ctx: GnssContext,
  dates: SourceDates,
): Result<MutableFix> {
  const f = s.fields;
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
  const fix: MutableFix = { sentence, talker: s.talker, atMs, lat, lon };
  if (satText !== '') fix.satellites = satellites;
  if (hdopText !== '') fix.hdop = hdop;
  if (altText !== '') fix.altitudeM = altitudeM;
  return ok(fix);
}
