import { asMmsi } from '../../../model/index.js';
import { flag, sbits, ubits } from '../bits.js';
import type { AisLongRange } from '../types.js';
import { unless } from './base-station.js';

/**
 * Type 27 — long-range AIS broadcast (96 bits; some senders fill a 168-bit slot).
 *
 *   bit  len  field
 *    38   1   position accuracy
 *    39   1   RAIM
 *    40   4   navigational status
 *    44  18s  longitude, 1/10 min (181° = n/a)
 *    62  17s  latitude, 1/10 min (91° = n/a)
 *    79   6   SOG, knots (63 = n/a)
 *    85   9   COG, degrees (511 = n/a)
 *    94   1   position latency (gpsd: "gnss")
 *    95   1   spare
 */

/** gpsd accepts exactly 96 or 168 bits; every field ends at 95, so 95 bits and more decode. */
export const LONG_RANGE_MIN_BITS = 95;

const TENTH_MINUTE = 600;
const LON_NA = 181 * TENTH_MINUTE;
const LAT_NA = 91 * TENTH_MINUTE;

export function decodeLongRange(repeat: number, mmsi: number): AisLongRange {
  const lon = sbits(44, 18);
  const lat = sbits(62, 17);
  return {
    type: 27,
    repeat,
    mmsi: asMmsi(mmsi),
    accuracy: flag(38),
    raim: flag(39),
    navStatus: ubits(40, 4),
    lon: lon === LON_NA ? undefined : lon / TENTH_MINUTE,
    lat: lat === LAT_NA ? undefined : lat / TENTH_MINUTE,
    sogKn: unless(ubits(79, 6), 63),
    cogDeg: unless(ubits(85, 9), 511),
    gnss: flag(94),
  };
}
