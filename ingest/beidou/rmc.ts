import { ok, type Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { modeState, parseDate, parseDecimal, parseTimeOfDay } from './fields.js';
import { positionProblem, readLat, readLon } from './position.js';
import {
  BAD_COG,
  BAD_DATE,
  BAD_MODE,
  BAD_SOG,
  BAD_STATUS,
  BAD_TIME,
  EMPTY_DATE,
  EMPTY_STATUS,
  EMPTY_TIME,
  FIELD_COUNT,
  NO_FIX_MODE,
  NO_FIX_STATUS,
} from './rejections.js';
import type { SourceDates } from './source-dates.js';
import type { GnssContext, GnssFix, MutableFix } from './types.js';

/**
 * RMC, the fix with its date:
 * `time, status, lat, N/S, lon, E/W, sog kn, cog °T, ddmmyy, magvar, E/W[, mode[, nav status]]`
 * — 11 fields (NMEA 2.0), 12 with the 2.3 mode, 13 with the 4.1 navigational status. The nav
 * status is not used: u-blox and others always send `V` ("no status information") there on
 * valid fixes, as the sample feed does.
 */
export function decodeRmc(s: Sentence, ctx: GnssContext, dates: SourceDates): Result<GnssFix> {
  const f = s.fields;
  if (f.length < 11 || f.length > 13) return FIELD_COUNT;
  const status = f[1] ?? '';
  const mode = f[11] ?? '';
  const modeIs = mode === '' ? 0 : modeState(mode);
  if (status === 'V') return NO_FIX_STATUS;
  if (modeIs === 1) return NO_FIX_MODE;
  if (status === '') return EMPTY_STATUS;
  // D (differential) is sent by some receivers in place of A.
  if (status !== 'A' && status !== 'D') return BAD_STATUS;
  if (modeIs < 0) return BAD_MODE;

  const timeText = f[0] ?? '';
  const dateText = f[8] ?? '';
  if (timeText === '') return EMPTY_TIME;
  if (dateText === '') return EMPTY_DATE;
  const timeOfDayMs = parseTimeOfDay(timeText);
  if (timeOfDayMs < 0) return BAD_TIME;
  const dayMs = parseDate(dateText);
  if (dayMs < 0) return BAD_DATE;
  const atMs = dayMs + timeOfDayMs;
  // The receiver's date is good even if a later field is not: GGA/GNS/GLL still need it.
  dates.remember(ctx.source, atMs, ctx.receivedAtMs);

  const lat = readLat(f, 2);
  const lon = readLon(f, 4);
  if (Number.isNaN(lat) || Number.isNaN(lon)) return positionProblem(f, 2);

  const sogText = f[6] ?? '';
  const cogText = f[7] ?? '';
  const sogKn = sogText === '' ? 0 : parseDecimal(sogText);
  if (!(sogKn >= 0)) return BAD_SOG;
  const cogDeg = cogText === '' ? 0 : parseDecimal(cogText);
  if (!(cogDeg >= 0 && cogDeg <= 360)) return BAD_COG;

  const fix: MutableFix = { sentence: 'RMC', talker: s.talker, atMs, lat, lon };
  if (sogText !== '') fix.sogKn = sogKn;
  if (cogText !== '') fix.cogDeg = cogDeg;
  if (mode !== '') fix.mode = mode;
  return ok(fix);
}
