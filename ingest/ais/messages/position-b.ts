import { asMmsi } from '../../../model/index.js';
import { flag, sbits, sixbitText, ubits } from '../bits.js';
import type { AisPositionB, AisPositionBExtended } from '../types.js';
import { unless } from './base-station.js';
import { cogTenths, headingDeg, latDeg, lonDeg, reportSecond, sogTenths, text } from './fields.js';

/**
 * Types 18 and 19 — class B position reports. Bits 0–132 are shared:
 *
 *   bit  len  field
 *    38   8   regional reserved
 *    46  10   SOG, 1/10 kn
 *    56   1   position accuracy
 *    57  28s  longitude, 1/10000 min
 *    85  27s  latitude, 1/10000 min
 *   112  12   COG, 1/10°
 *   124   9   true heading
 *   133   6   time stamp (UTC second)
 *
 * Type 18 (168 bits) continues:
 *   139   2   regional reserved
 *   141   1   CS unit   142 display   143 DSC   144 band   145 message 22
 *   146   1   assigned mode
 *   147   1   RAIM
 *   148  20   communication state
 *
 * Type 19 (312 bits) continues:
 *   139   4   regional reserved
 *   143 120   name, 20 six-bit chars
 *   263   8   ship and cargo type
 *   271   9   to bow   280 9 to stern   289 6 to port   295 6 to starboard
 *   301   4   type of EPFD
 *   305   1   RAIM
 *   306   1   DTE
 *   307   1   assigned mode
 *   308   4   spare
 */
export const POSITION_B_MIN_BITS = 168;

/** gpsd wants 312; every field ends at 308 (the rest is spare), so 308 bits decode too. */
export const POSITION_B_EXTENDED_MIN_BITS = 308;

export function decodePositionB(repeat: number, mmsi: number): AisPositionB {
  return {
    type: 18,
    repeat,
    mmsi: asMmsi(mmsi),
    reserved: ubits(38, 8),
    sogKn: sogTenths(ubits(46, 10)),
    accuracy: flag(56),
    lon: lonDeg(sbits(57, 28)),
    lat: latDeg(sbits(85, 27)),
    cogDeg: cogTenths(ubits(112, 12)),
    headingDeg: headingDeg(ubits(124, 9)),
    second: reportSecond(ubits(133, 6)),
    regional: ubits(139, 2),
    cs: flag(141),
    display: flag(142),
    dsc: flag(143),
    band: flag(144),
    msg22: flag(145),
    assigned: flag(146),
    raim: flag(147),
    radio: ubits(148, 20),
  };
}

export function decodePositionBExtended(repeat: number, mmsi: number): AisPositionBExtended {
  return {
    type: 19,
    repeat,
    mmsi: asMmsi(mmsi),
    reserved: ubits(38, 8),
    sogKn: sogTenths(ubits(46, 10)),
    accuracy: flag(56),
    lon: lonDeg(sbits(57, 28)),
    lat: latDeg(sbits(85, 27)),
    cogDeg: cogTenths(ubits(112, 12)),
    headingDeg: headingDeg(ubits(124, 9)),
    second: reportSecond(ubits(133, 6)),
    regional: ubits(139, 4),
    shipname: text(sixbitText(143, 20)),
    shipType: unless(ubits(263, 8), 0),
    toBowM: ubits(271, 9),
    toSternM: ubits(280, 9),
    toPortM: ubits(289, 6),
    toStarboardM: ubits(295, 6),
    epfd: ubits(301, 4),
    raim: flag(305),
    dte: ubits(306, 1),
    assigned: flag(307),
  };
}
