import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from '../decode.js';
import type { AisMessage } from '../types.js';

// Expected values: gpsd test/sample.aivdm annotations (noaadata, Maritec) and daemon .chk files.

function decodeOk(payload: string, fill = 0): AisMessage {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.detail ?? ''}`);
  return r.value;
}

describe('type 18: class B position report', () => {
  it('sample.aivdm 338087471 (noaadata)', () => {
    const m = decodeOk('B52K>;h00Fc>jpUlNV@ikwpUoP06');
    expect(m).toMatchObject({ type: 18, mmsi: 338087471, reserved: 0, sogKn: 0.1, accuracy: false, cogDeg: 79.6 });
    expect(m).toMatchObject({ second: 49, regional: 0, raim: true, cs: true, display: false, dsc: true, band: true });
    expect(m).toMatchObject({ msg22: true, assigned: false, radio: 917510 });
    if (m.type !== 18) return;
    expect(m.headingDeg).toBeUndefined();
    expect(m.lon).toBeCloseTo(-74.072131667, 8);
    expect(m.lat).toBeCloseTo(40.68454, 8);
  });

  it('sample.aivdm 368161000: flags', () => {
    const m = decodeOk('B5O6hr00<veEKmUaMFdEow`UWP06');
    expect(m).toMatchObject({ type: 18, sogKn: 5.1, accuracy: true, cogDeg: 34.9, second: 17, msg22: false, raim: true });
  });

  it('COG not available is absent, an out-of-range heading is kept (ais-18-27.log.chk)', () => {
    const m = decodeOk('B3KILP000@LWW8`VVWcQ2l063P06');
    expect(m).toMatchObject({ type: 18, mmsi: 230055040, sogKn: 0.1, headingDeg: 360, display: true, dsc: false });
    if (m.type === 18) expect(m.cogDeg).toBeUndefined();
  });

  it('167 bits are too short', () => {
    expect(decodeAisPayload('B52K>;h00Fc>jpUlNV@ikwpUoP06', 1)).toMatchObject({ ok: false, code: 'ais.short_payload' });
  });
});

describe('type 19: extended class B position report', () => {
  it('sample.aivdm 367059850 (noaadata, Maritec)', () => {
    const m = decodeOk('C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220');
    expect(m).toEqual({
      type: 19,
      repeat: 0,
      mmsi: 367059850,
      reserved: 248, // gpsd .chk; the noaadata dump splits these bits differently
      sogKn: 8.7,
      accuracy: false,
      lon: expect.closeTo(-88.8103916667, 9) as number,
      lat: expect.closeTo(29.543695, 9) as number,
      cogDeg: 335.9,
      headingDeg: undefined,
      second: 46,
      regional: 4,
      shipname: 'CAPT.J.RIMES',
      shipType: 70,
      toBowM: 5,
      toSternM: 21,
      toPortM: 4,
      toStarboardM: 4,
      epfd: 1,
      raim: false,
      dte: 0,
      assigned: false,
    });
  });

  it('ais_unpack_sixbit.log.chk 413990342: name with spaces and digits', () => {
    const m = decodeOk('C6:kuiP0021mUQSCHwAvKwk2>bB>2L?0>2L>`2C1iik0S38351P7');
    expect(m).toMatchObject({ type: 19, mmsi: 413990342, shipname: 'GUIGANG GANGTAI 889', cogDeg: 202.2, second: 38 });
    expect(m).toMatchObject({ regional: 1, toBowM: 50, toSternM: 6, toPortM: 10, toStarboardM: 3, epfd: 0 });
  });
});
