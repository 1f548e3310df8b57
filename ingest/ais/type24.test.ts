import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from './decode.js';
import { Type24Merger } from './type24.js';
import type { AisMessage } from './types.js';

// Sentences and expected merges: gpsd test/sample.aivdm ("Type 24 collisions") and its .chk.

function part(payload: string, fill: number): Extract<AisMessage, { type: 24 }> {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok || r.value.type !== 24) throw new Error('not a type 24');
  return r.value;
}

const A_271041815 = part('H42O55i18tMET00000000000000', 2);
const B_271041815 = part('H42O55lti4hhhilD3nink000?050', 0);

describe('Type24Merger', () => {
  it('merges part B with the held part A of its MMSI, once', () => {
    const merger = new Type24Merger();
    expect(merger.push(A_271041815)).toBeUndefined();
    expect(merger.push(B_271041815)).toEqual({
      ok: true,
      value: {
        type: 24,
        repeat: 0,
        mmsi: 271041815,
        partno: 'AB',
        shipname: 'PROGUY',
        shipType: 60,
        vendorId: '1D00014',
        model: 12,
        serial: 199796,
        callsign: 'TC6163',
        mothershipMmsi: undefined,
        toBowM: 0,
        toSternM: 15,
        toPortM: 0,
        toStarboardM: 5,
      },
    });
    // A repeated B does not merge twice (sample.aivdm: "missing 24A and is discarded").
    expect(merger.push(B_271041815)).toMatchObject({ ok: false, code: 'ais.type24_orphan' });
    expect(merger.size).toBe(0);
  });

  it('reproduces the collision section of sample.aivdm', () => {
    const merger = new Type24Merger();
    const out = [
      merger.push(part('H42O3qiA8U10Tp0000000000000', 2)), // A 271041511
      merger.push(part('H42O0U0Lu`@Dno4000000000000', 2)), // A 271040660
      merger.push(part('H42Mh`lUi2hhljiI=mikk000B050', 0)), // B 271020195, no A
      merger.push(part('H42O0U4Ui3hhhlmI=mmhl000H060', 0)), // B 271040660
    ];
    expect(out[0]).toBeUndefined();
    expect(out[1]).toBeUndefined();
    expect(out[2]).toMatchObject({ ok: false, code: 'ais.type24_orphan' });
    expect(out[3]).toMatchObject({
      ok: true,
      value: { mmsi: 271040660, shipname: 'GOZDEM-1', shipType: 37, vendorId: '1C00045', callsign: 'YM5504' },
    });
    expect(out[3]).toMatchObject({ value: { model: 12, serial: 199989, toSternM: 24, toStarboardM: 6 } });
  });

  it('a doubled feed (A, A, B, B) merges twice, as gpsd does', () => {
    const merger = new Type24Merger();
    merger.push(A_271041815);
    merger.push(A_271041815);
    expect(merger.push(B_271041815)).toMatchObject({ ok: true });
    expect(merger.push(B_271041815)).toMatchObject({ ok: true });
    expect(merger.push(B_271041815)).toMatchObject({ ok: false });
  });

  it('is bounded: forgets the MMSI that sent an A least recently', () => {
    const merger = new Type24Merger({ maxPending: 2 });
    const a = (mmsi: number) => ({ ...A_271041815, mmsi }) as typeof A_271041815;
    const b = (mmsi: number) => ({ ...B_271041815, mmsi }) as typeof B_271041815;
    merger.push(a(1));
    merger.push(a(2));
    merger.push(a(1)); // full: 2 is forgotten; 1 holds two As and is the most recent
    merger.push(a(3)); // full again: one of 1's As goes, 3's is held
    expect(merger.size).toBe(2);
    expect(merger.push(b(2))).toMatchObject({ ok: false });
    expect(merger.push(b(3))).toMatchObject({ ok: true });
    expect(merger.push(b(1))).toMatchObject({ ok: true });
  });

  it('holds at most maxPerMmsi As of one MMSI, and never loops when it is alone', () => {
    const merger = new Type24Merger({ maxPending: 1, maxPerMmsi: 3 });
    for (let i = 0; i < 5; i++) merger.push(A_271041815);
    expect(merger.size).toBe(1);
    expect(merger.push(B_271041815)).toMatchObject({ ok: true });
    expect(merger.push(B_271041815)).toMatchObject({ ok: false });
  });

  it('passes an already merged message through', () => {
    const merger = new Type24Merger();
    merger.push(A_271041815);
    const merged = merger.push(B_271041815);
    if (merged === undefined || !merged.ok) throw new Error('no merge');
    expect(merger.push(merged.value)).toEqual(merged);
  });
});
