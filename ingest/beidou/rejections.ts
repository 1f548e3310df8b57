import { reject, type Rejection } from '../../model/index.js';

/*
 * Shared, frozen rejections: a feed of receivers without a fix sends one per second each, and
 * these need no allocation. The detail names the field (a hint for people, never parsed).
 */

function frozen(code: Rejection['code'], detail: string): Rejection {
  return Object.freeze(reject(code, detail));
}

export const FIELD_COUNT = frozen('beidou.format', 'field count');
export const EMPTY_TIME = frozen('beidou.format', 'time empty');
export const EMPTY_DATE = frozen('beidou.format', 'date empty');
export const EMPTY_POSITION = frozen('beidou.format', 'lat/lon empty');
export const EMPTY_STATUS = frozen('beidou.format', 'status empty');
export const EMPTY_QUALITY = frozen('beidou.format', 'quality empty');
export const EMPTY_MODE = frozen('beidou.format', 'mode empty');

export const NO_FIX_STATUS = frozen('beidou.no_fix', 'status V');
export const NO_FIX_MODE = frozen('beidou.no_fix', 'mode N');
export const NO_FIX_QUALITY = frozen('beidou.no_fix', 'quality 0');

export const BAD_TIME = frozen('beidou.field', 'time');
export const BAD_DATE = frozen('beidou.field', 'date');
export const BAD_LAT = frozen('beidou.field', 'latitude');
export const BAD_LON = frozen('beidou.field', 'longitude');
export const BAD_NS = frozen('beidou.field', 'N/S');
export const BAD_EW = frozen('beidou.field', 'E/W');
export const BAD_STATUS = frozen('beidou.field', 'status');
export const BAD_MODE = frozen('beidou.field', 'mode');
export const BAD_QUALITY = frozen('beidou.field', 'quality');
export const BAD_SOG = frozen('beidou.field', 'speed');
export const BAD_COG = frozen('beidou.field', 'course');
export const BAD_SATELLITES = frozen('beidou.field', 'satellites');
export const BAD_HDOP = frozen('beidou.field', 'hdop');
export const BAD_ALTITUDE = frozen('beidou.field', 'altitude');
