import { ok, type Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { modeState, parseTimeOfDay } from './fields.js';
import { positionProblem, readLat, readLon } from './position.js';
import {
  BAD_MODE,
  BAD_STATUS,
  BAD_TIME,
  EMPTY_STATUS,
  EMPTY_TIME,
  FIELD_COUNT,
  NO_FIX_MODE,
  NO_FIX_STATUS,
} from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, GnssFix, MutableFix } from './types.js';

/**
 * GLL: `lat, N/S, lon, E/W, time, status[, mode]` — 6 fields, 7 with the NMEA 2.3 mode. Older
 * 4-field GLL (no time, no status) cannot be dated and is a layout error here.
 */
export function decodeGll(s: Sentence, ctx: GnssContext, dates: SourceDates): Result<GnssFix> {
  const f = s.fields;
  if (f.length < 6 || f.length > 7) return FIELD_COUNT;
  const status = f[5] ?? '';
  const mode = f[6] ?? '';
  const modeIs = mode === '' ? 0 : modeState(mode);
  if (status === 'V') return NO_FIX_STATUS;
  if (modeIs === 1) return NO_FIX_MODE;
  if (status === '') return EMPTY_STATUS;
  if (status !== 'A') return BAD_STATUS;
  if (modeIs < 0) return BAD_MODE;

  const timeText = f[4] ?? '';
  if (timeText === '') return EMPTY_TIME;
  const timeOfDayMs = parseTimeOfDay(timeText);
  if (timeOfDayMs < 0) return BAD_TIME;

  const lat = readLat(f, 0);
  const lon = readLon(f, 2);
  if (Number.isNaN(lat) || Number.isNaN(lon)) return positionProblem(f, 0);

  const atMs = dates.resolve(ctx.source, timeOfDayMs, ctx.receivedAtMs);
  const fix: MutableFix = { sentence: 'GLL', talker: s.talker, atMs, lat, lon };
  if (mode !== '') fix.mode = mode;
  return ok(fix);
}
