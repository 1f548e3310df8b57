import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from '../decode.js';
import type { AisMessage } from '../types.js';
import { isAuxiliaryMmsi } from './static-data.js';

// Expected values: gpsd test/sample.aivdm annotations (Maritec) and .chk files, libais
// typeexamples.json.

function decodeOk(payload: string, fill: number): AisMessage {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.detail ?? ''}`);
  return r.value;
}

describe('type 24: class B static data', () => {
  it('part A carries the name (sample.aivdm 271041815; libais 366764000)', () => {
    expect(decodeOk('H42O55i18tMET00000000000000', 2)).toEqual({
      type: 24,
      repeat: 0,
      mmsi: 271041815,
      partno: 0,
      shipname: 'PROGUY',
    });
    expect(decodeOk('H5MiOp1:uJ0MDhJ0<P4hhDpLE80', 2)).toMatchObject({ partno: 0, shipname: 'R/V GULF CHALLENGER' });
  });

  it('part B carries type, vendor, call sign and dimensions (sample.aivdm 271041815)', () => {
    expect(decodeOk('H42O55lti4hhhilD3nink000?050', 0)).toEqual({
      type: 24,
      repeat: 0,
      mmsi: 271041815,
      partno: 1,
      shipType: 60,
      vendorId: '1D00014',
      model: 12, // gpsd .chk: the M.1371-4 reading of the vendor id's last bits
      serial: 199796,
      callsign: 'TC6163',
      mothershipMmsi: undefined,
      toBowM: 0,
      toSternM: 15,
      toPortM: 0,
      toStarboardM: 5,
    });
  });

  it('162-bit part A (gpsd accepts 160-168) decodes; part numbers 2 and 3 are rejected', () => {
    expect(decodeOk('H7`B1l@@U<<uHE9V1H000000000', 0)).toMatchObject({ partno: 0 });
    // ais-18-27.log: gpsd emits nothing for these (part number 3).
    expect(decodeAisPayload('H3KLehdt00000000?6ekkjm000000', 0)).toMatchObject({ ok: false, code: 'ais.bad_part' });
  });

  it('auxiliary craft (98xxxxxxx) send the mother ship MMSI instead of dimensions', () => {
    expect(isAuxiliaryMmsi(982710123)).toBe(true);
    expect(isAuxiliaryMmsi(271041815)).toBe(false);
    // Synthetic: part B of MMSI 982710123 with mother ship 271041815 in bits 132-161 (M.1371-5 table 71).
    const m = decodeOk(armour(partB(982710123, 271041815)), 0);
    expect(m).toMatchObject({ partno: 1, mmsi: 982710123, mothershipMmsi: 271041815 });
    expect(m).toMatchObject({ toBowM: undefined, toSternM: undefined, toPortM: undefined, toStarboardM: undefined });
  });
});

/** Test-side encoder: a 168-bit part B with only type, MMSI, part number and bits 132-161 set. */
function partB(mmsi: number, tail30: number): string {
  const bin = (v: number, n: number): string => v.toString(2).padStart(n, '0');
  return bin(24, 6) + bin(0, 2) + bin(mmsi, 30) + bin(1, 2) + '0'.repeat(92) + bin(tail30, 30) + '0'.repeat(6);
}

function armour(bits: string): string {
  let s = '';
  for (let i = 0; i < bits.length; i += 6) {
    const v = parseInt(bits.slice(i, i + 6), 2);
    s += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  return s;
}
