import { ok, type Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { modeState, parseCount, parseDecimal, parseTimeOfDay } from './fields.js';
import { positionProblem, readLat, readLon } from './position.js';
import {
  BAD_ALTITUDE,
  BAD_HDOP,
  BAD_MODE,
  BAD_SATELLITES,
  BAD_TIME,
  EMPTY_MODE,
  EMPTY_TIME,
  FIELD_COUNT,
  NO_FIX_MODE,
} from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, GnssFix, MutableFix } from './types.js';

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
  const fix: MutableFix = { sentence: 'GNS', talker: s.talker, atMs, lat, lon };
  if (satText !== '') fix.satellites = satellites;
  if (hdopText !== '') fix.hdop = hdop;
  if (altText !== '') fix.altitudeM = altitudeM;
  fix.mode = mode;
  return ok(fix);
}
