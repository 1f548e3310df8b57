import { asMmsi } from '../../../model/index.js';
import { flag, sbits, ubits } from '../bits.js';
import type { AisSarAircraft } from '../types.js';
import { unless } from './base-station.js';
import { cogTenths, latDeg, lonDeg, reportSecond } from './fields.js';

/**
 * Type 9 — standard SAR aircraft position report (168 bits).
 *
 *   bit  len  field
 *    38  12   altitude, m (4095 = n/a, 4094 = 4094 m or higher)
 *    50  10   SOG, knots (1023 = n/a, 1022 = 1022 kn or more)
 *    60   1   position accuracy
 *    61  28s  longitude, 1/10000 min
 *    89  27s  latitude, 1/10000 min
 *   116  12   COG, 1/10°
 *   128   6   time stamp (UTC second)
 *   134   8   regional reserved (altitude sensor)
 *   142   1   DTE
 *   143   3   spare
 *   146   1   assigned mode
 *   147   1   RAIM
 *   148  20   communication state
 */
export const SAR_AIRCRAFT_MIN_BITS = 168;

export function decodeSarAircraft(repeat: number, mmsi: number): AisSarAircraft {
  return {
    type: 9,
    repeat,
    mmsi: asMmsi(mmsi),
    altitudeM: unless(ubits(38, 12), 4095),
    sogKn: unless(ubits(50, 10), 1023),
    accuracy: flag(60),
    lon: lonDeg(sbits(61, 28)),
    lat: latDeg(sbits(89, 27)),
    cogDeg: cogTenths(ubits(116, 12)),
    second: reportSecond(ubits(128, 6)),
    regional: ubits(134, 8),
    dte: ubits(142, 1),
    assigned: flag(146),
    raim: flag(147),
    radio: ubits(148, 20),
  };
}
