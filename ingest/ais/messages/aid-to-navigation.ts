import { asMmsi } from '../../../model/index.js';
import { flag, sbits, sixbitText, sixbitUntrimmed, trimRight, ubits } from '../bits.js';
import type { AisAidToNavigation } from '../types.js';
import { latDeg, lonDeg, reportSecond, text } from './fields.js';

/**
 * Type 21 — aid-to-navigation report (272–360 bits).
 *
 *   bit  len  field
 *    38   5   type of aid
 *    43 120   name, 20 six-bit chars
 *   163   1   position accuracy
 *   164  28s  longitude, 1/10000 min
 *   192  27s  latitude, 1/10000 min
 *   219   9   to bow   228 9 to stern   237 6 to port   243 6 to starboard
 *   249   4   type of EPFD
 *   253   6   time stamp (UTC second)
 *   259   1   off-position indicator
 *   260   8   regional reserved
 *   268   1   RAIM
 *   269   1   virtual aid
 *   270   1   assigned mode
 *   271   1   spare
 *   272  ≤88  name extension, up to 14 six-bit chars
 */
export const AID_TO_NAVIGATION_MIN_BITS = 272;

/** Longest name extension: 88 bits. */
const MAX_EXTENSION_CHARS = 14;

export function decodeAidToNavigation(repeat: number, mmsi: number, bitLength: number): AisAidToNavigation {
  return {
    type: 21,
    repeat,
    mmsi: asMmsi(mmsi),
    aidType: ubits(38, 5),
    name: text(aidName(bitLength)),
    accuracy: flag(163),
    lon: lonDeg(sbits(164, 28)),
    lat: latDeg(sbits(192, 27)),
    toBowM: ubits(219, 9),
    toSternM: ubits(228, 9),
    toPortM: ubits(237, 6),
    toStarboardM: ubits(243, 6),
    epfd: ubits(249, 4),
    second: reportSecond(ubits(253, 6)),
    offPosition: flag(259),
    regional: ubits(260, 8),
    raim: flag(268),
    virtualAid: flag(269),
    assigned: flag(270),
  };
}

/**
 * gpsd's rule: the extension is appended only when the 20-character name is full (no `@`
 * inside it), and trailing spaces are trimmed from the joined name.
 */
function aidName(bitLength: number): string {
  const base = sixbitUntrimmed(43, 20);
  if (base.length < 20 || bitLength <= 272) return trimRight(base);
  return trimRight(base + sixbitText(272, MAX_EXTENSION_CHARS));
}
