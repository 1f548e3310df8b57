import { asMmsi } from '../../../model/index.js';
import { sixbitText, ubits } from '../bits.js';
import type { AisStaticPartA, AisStaticPartB } from '../types.js';
import { unless } from './base-station.js';
import { text } from './fields.js';

/**
 * Type 24 — class B static data report, sent as two independent messages.
 *
 * Part A (partno 0, 160 bits; some senders pad to 168):
 *    38   2   part number
 *    40 120   name, 20 six-bit chars
 *
 * Part B (partno 1, 168 bits):
 *    38   2   part number
 *    40   8   ship and cargo type
 *    48  42   vendor id, 7 six-bit chars (M.1371-3); since M.1371-4 the last 24 bits are
 *    66   4     unit model code
 *    70  20     serial number
 *    90  42   call sign, 7 six-bit chars
 *   132  30   dimensions (9 bow, 9 stern, 6 port, 6 starboard) — or, for an auxiliary
 *             craft (MMSI 98xxxxxxx), the mother ship's MMSI
 *   162   6   spare
 */
export const STATIC_PART_A_MIN_BITS = 160;
/** gpsd wants 168; the fields end at 162 (the rest is spare), so 162 bits decode too. */
export const STATIC_PART_B_MIN_BITS = 162;

export function decodeStaticPartA(repeat: number, mmsi: number): AisStaticPartA {
  return { type: 24, repeat, mmsi: asMmsi(mmsi), partno: 0, shipname: text(sixbitText(40, 20)) };
}

export function decodeStaticPartB(repeat: number, mmsi: number): AisStaticPartB {
  const auxiliary = isAuxiliaryMmsi(mmsi);
  return {
    type: 24,
    repeat,
    mmsi: asMmsi(mmsi),
    partno: 1,
    shipType: unless(ubits(40, 8), 0),
    vendorId: text(sixbitText(48, 7)),
    model: ubits(66, 4),
    serial: ubits(70, 20),
    callsign: text(sixbitText(90, 7)),
    mothershipMmsi: auxiliary ? asMmsi(ubits(132, 30)) : undefined,
    toBowM: auxiliary ? undefined : ubits(132, 9),
    toSternM: auxiliary ? undefined : ubits(141, 9),
    toPortM: auxiliary ? undefined : ubits(150, 6),
    toStarboardM: auxiliary ? undefined : ubits(156, 6),
  };
}

/** Auxiliary craft associated with a parent ship: MMSI 98MIDxxxx (ITU-R M.585). */
export function isAuxiliaryMmsi(mmsi: number): boolean {
  return Math.floor(mmsi / 10_000_000) === 98;
}
