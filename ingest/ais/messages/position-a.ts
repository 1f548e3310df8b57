import { asMmsi } from '../../../model/index.js';
import { flag, sbits, ubits } from '../bits.js';
import type { AisPositionA } from '../types.js';
import { cogTenths, headingDeg, latDeg, lonDeg, reportSecond, sogTenths } from './fields.js';

/**
 * Types 1, 2, 3 — class A position report (168 bits).
 *
 *   bit  len  field
 *    38   4   navigational status
 *    42   8s  rate of turn (ROT_AIS = 4.733·√ROT_sensor, signed)
 *    50  10   SOG, 1/10 kn
 *    60   1   position accuracy
 *    61  28s  longitude, 1/10000 min
 *    89  27s  latitude, 1/10000 min
 *   116  12   COG, 1/10°
 *   128   9   true heading
 *   137   6   time stamp (UTC second)
 *   143   2   special manoeuvre indicator
 *   145   3   spare
 *   148   1   RAIM
 *   149  19   communication state
 */

/**
 * gpsd accepts 163 bits and more: some transmitters cut the communication state short. Every
 * other field ends at bit 149, so nothing is invented.
 */
export const POSITION_A_MIN_BITS = 163;

const ROT_SCALE = 4.733;

export function decodePositionA(type: 1 | 2 | 3, repeat: number, mmsi: number, bitLength: number): AisPositionA {
  const rot = sbits(42, 8);
  const radioBits = Math.min(19, bitLength - 149);
  return {
    type,
    repeat,
    mmsi: asMmsi(mmsi),
    navStatus: ubits(38, 4),
    rotDegMin: rotDegMin(rot),
    turnFast: rot === 127 ? 'right' : rot === -127 ? 'left' : undefined,
    sogKn: sogTenths(ubits(50, 10)),
    accuracy: flag(60),
    lon: lonDeg(sbits(61, 28)),
    lat: latDeg(sbits(89, 27)),
    cogDeg: cogTenths(ubits(116, 12)),
    headingDeg: headingDeg(ubits(128, 9)),
    second: reportSecond(ubits(137, 6)),
    maneuver: ubits(143, 2),
    raim: flag(148),
    radio: ubits(149, radioBits),
  };
}

/** sign·(raw/4.733)² °/min; undefined for −128 (not available) and ±127 (no rate, only a direction). */
export function rotDegMin(raw: number): number | undefined {
  if (raw <= -127 || raw >= 127) return undefined;
  const r = raw / ROT_SCALE;
  return raw < 0 ? -(r * r) : r * r;
}
