import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from '../decode.js';
import type { AisLongRange } from '../types.js';

// Expected values: gpsd sample.aivdm.js.chk and daemon .chk files (coordinates in 1/10 minute),
// libais typeexamples.json.

function longRange(payload: string, fill = 0): AisLongRange {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.detail ?? ''}`);
  if (r.value.type !== 27) throw new Error(`type ${r.value.type}`);
  return r.value;
}

describe('type 27: long-range broadcast', () => {
  it('96-bit message (sample.aivdm.js.chk, 236091959)', () => {
    expect(longRange('KCQ9r=hrFUnH7P00')).toEqual({
      type: 27,
      repeat: 1,
      mmsi: 236091959,
      accuracy: false,
      raim: false,
      navStatus: 3,
      lon: expect.closeTo(-154.2017, 4) as number,
      lat: expect.closeTo(87.065, 4) as number,
      sogKn: 0,
      cogDeg: 0,
      gnss: false,
    });
  });

  it('168-bit message (sample.aivdm.js.chk, 206914217)', () => {
    const m = longRange('KC5E2b@U19PFdLbMuc5=ROv62<7m');
    expect(m).toMatchObject({ repeat: 1, mmsi: 206914217, navStatus: 2, sogKn: 57, cogDeg: 167 });
    expect(m.lon).toBeCloseTo(137.0233, 4);
    expect(m.lat).toBeCloseTo(4.84, 4);
  });

  it('negative latitude is sign-extended, out-of-range longitude kept (libais typeexamples)', () => {
    const m = longRange('KvQ:1o`7EBrBQ`?w');
    expect(m).toMatchObject({ repeat: 3, mmsi: 974291422, accuracy: true, raim: false, navStatus: 0, sogKn: 16 });
    // libais reports "gnss": false: it inverts bit 94; gpsd (and we) give the bit as sent.
    expect(m).toMatchObject({ cogDeg: 255, gnss: true });
    expect(m.lat).toBeCloseTo(-77.96833, 4);
    expect(m.lon).toBeCloseTo(200.23167, 4);
  });

  it('course not available is absent (ais-18-27.log.chk, 244110563)', () => {
    const m = longRange('Kk`kDpu@;LkmU0Ot');
    expect(m).toMatchObject({ repeat: 3, mmsi: 244110563, navStatus: 5, accuracy: true, raim: true, sogKn: 0 });
    expect(m.lon).toBeCloseTo(2931 / 600, 10);
    expect(m.lat).toBeCloseTo(31434 / 600, 10);
    expect(m.cogDeg).toBeUndefined();
  });

  it('94 bits are too short', () => {
    expect(decodeAisPayload('KCQ9r=hrFUnH7P00', 2)).toMatchObject({ ok: false, code: 'ais.short_payload' });
  });
});
