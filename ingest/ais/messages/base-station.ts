import { asMmsi } from '../../../model/index.js';
import { flag, sbits, ubits } from '../bits.js';
import type { AisBaseStation } from '../types.js';
import { latDeg, lonDeg } from './fields.js';

/**
 * Types 4 (base station report) and 11 (UTC/date response), same layout (168 bits).
 *
 *   bit  len  field
 *    38  14   UTC year (0 = n/a)
 *    52   4   month (0 = n/a)
 *    56   5   day (0 = n/a)
 *    61   5   hour (24 = n/a)
 *    66   6   minute (60 = n/a)
 *    72   6   second (60 = n/a)
 *    78   1   position accuracy
 *    79  28s  longitude, 1/10000 min
 *   107  27s  latitude, 1/10000 min
 *   134   4   type of EPFD
 *   138  10   spare
 *   148   1   RAIM
 *   149  19   communication state
 */
export const BASE_STATION_MIN_BITS = 168;

export function decodeBaseStation(type: 4 | 11, repeat: number, mmsi: number): AisBaseStation {
  return {
    type,
    repeat,
    mmsi: asMmsi(mmsi),
    year: unless(ubits(38, 14), 0),
    month: unless(ubits(52, 4), 0),
    day: unless(ubits(56, 5), 0),
    hour: unless(ubits(61, 5), 24),
    minute: unless(ubits(66, 6), 60),
    second: unless(ubits(72, 6), 60),
    accuracy: flag(78),
    lon: lonDeg(sbits(79, 28)),
    lat: latDeg(sbits(107, 27)),
    epfd: ubits(134, 4),
    raim: flag(148),
    radio: ubits(149, 19),
  };
}

/** The value, or undefined when it is the field's "not available" value. */
export function unless(value: number, notAvailable: number): number | undefined {
  return value === notAvailable ? undefined : value;
}
