import { asMmsi } from '../../../model/index.js';
import { sixbitText, ubits } from '../bits.js';
import type { AisStaticVoyage } from '../types.js';
import { unless } from './base-station.js';
import { text } from './fields.js';

/**
 * Type 5 — class A static and voyage related data (424 bits, two sentences).
 *
 *   bit  len  field
 *    38   2   AIS version
 *    40  30   IMO number (0 = n/a)
 *    70  42   call sign, 7 six-bit chars
 *   112 120   name, 20 six-bit chars
 *   232   8   ship and cargo type (0 = n/a)
 *   240   9   dimension to bow, m
 *   249   9   dimension to stern, m
 *   258   6   dimension to port, m
 *   264   6   dimension to starboard, m
 *   270   4   type of EPFD
 *   274   4   ETA month (0 = n/a)
 *   278   5   ETA day (0 = n/a)
 *   283   5   ETA hour (24 = n/a)
 *   288   6   ETA minute (60 = n/a)
 *   294   8   draught, 1/10 m (0 = n/a)
 *   302 120   destination, 20 six-bit chars
 *   422   1   DTE
 *   423   1   spare
 */

/**
 * Many transmitters send 420 or 422 bits; gpsd accepts them, and so do we: the destination
 * keeps the whole characters that are there and DTE is absent when its bit is missing.
 */
export const STATIC_VOYAGE_MIN_BITS = 420;

export function decodeStaticVoyage(repeat: number, mmsi: number, bitLength: number): AisStaticVoyage {
  const draught = ubits(294, 8);
  return {
    type: 5,
    repeat,
    mmsi: asMmsi(mmsi),
    aisVersion: ubits(38, 2),
    imo: unless(ubits(40, 30), 0),
    callsign: text(sixbitText(70, 7)),
    shipname: text(sixbitText(112, 20)),
    shipType: unless(ubits(232, 8), 0),
    toBowM: ubits(240, 9),
    toSternM: ubits(249, 9),
    toPortM: ubits(258, 6),
    toStarboardM: ubits(264, 6),
    epfd: ubits(270, 4),
    etaMonth: unless(ubits(274, 4), 0),
    etaDay: unless(ubits(278, 5), 0),
    etaHour: unless(ubits(283, 5), 24),
    etaMinute: unless(ubits(288, 6), 60),
    draughtM: draught === 0 ? undefined : draught / 10,
    destination: text(sixbitText(302, 20)),
    dte: bitLength >= 423 ? ubits(422, 1) : undefined,
  };
}
