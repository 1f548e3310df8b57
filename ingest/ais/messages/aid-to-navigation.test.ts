import { describe, expect, it } from 'vitest';
import { decodeAisFragments, decodeAisPayload } from '../decode.js';
import type { AisAidToNavigation } from '../types.js';

// Expected values: gpsd test/sample.aivdm annotations (Maritec), daemon .chk files, libais
// typeexamples.json, Debian gpsdecode 3.22 on the AISHub capture.

function aton(payload: string, fill: number): AisAidToNavigation {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.detail ?? ''}`);
  if (r.value.type !== 21) throw new Error(`type ${r.value.type}`);
  return r.value;
}

describe('type 21: aid-to-navigation report', () => {
  it('name extension is joined (sample.aivdm 123456789, Maritec)', () => {
    const m = aton('E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q' + ':D44QDlp0C1DU00', 2);
    expect(m).toEqual({
      type: 21,
      repeat: 0,
      mmsi: 123456789,
      aidType: 20,
      name: 'CHINA ROSE MURPHY EXPRESS ALERT',
      accuracy: false,
      lon: expect.closeTo(-122.698591667, 8) as number,
      lat: expect.closeTo(47.9206183333, 8) as number,
      toBowM: 5,
      toSternM: 5,
      toPortM: 5,
      toStarboardM: 5,
      epfd: 1,
      second: 50,
      offPosition: false,
      regional: 165,
      raim: false,
      virtualAid: false,
      assigned: false,
    });
  });

  it('272-bit report, flags set (libais typeexamples 852992994)', () => {
    const m = aton('E<eNSpRtjkGoqmIsgm`>ekv92?KN9R<Man9UV;cwLhuFLh', 4);
    // libais prints '9%&//3*37-+P][`<RD^6': its legacy table maps 31 to '-' and 39 to '`';
    // ITU-R M.1371 table 47 (and gpsd) map them to '_' and "'".
    expect(m).toMatchObject({ mmsi: 852992994, aidType: 5, name: "9%&//3*37_+P]['<RD^6", accuracy: true });
    expect(m).toMatchObject({ toBowM: 395, toSternM: 351, toPortM: 59, toStarboardM: 38, epfd: 1, second: 58 });
    expect(m).toMatchObject({ offPosition: true, regional: 103, raim: false, virtualAid: false, assigned: true });
    expect(m.lat).toBeCloseTo(-77.433525, 5);
  });

  it('a name that ends in @ takes no extension (ais-nmea-type6-fid55.log.chk, 993672240)', () => {
    const m = aton('ENk`t<7I@@@@@@@@@@@@@@@@@@@<qL;K=05r`00003vP000', 2);
    expect(m).toMatchObject({ repeat: 1, mmsi: 993672240, aidType: 14, name: '2', second: 61, epfd: 7 });
  });

  it('fill bits on a first fragment are dropped where it ends, as gpsd does (AISHub capture, 2442016)', () => {
    const first = 'E02E381`60b37a6h6Lh@@@@@@@@0;FdI?Ede`00003v000';
    const a = decodeAisFragments([first, 'IV1'], [4, 4]);
    const b = decodeAisFragments([first, '880'], [4, 4]);
    expect(a).toMatchObject({ ok: true, value: { name: 'PLATFORM L9         Y&' } });
    expect(b).toMatchObject({ ok: true, value: { name: 'PLATFORM L9         HH' } });
  });

  it('271 bits are too short', () => {
    expect(decodeAisPayload('E<eNSpRtjkGoqmIsgm`>ekv92?KN9R<Man9UV;cwLhuFLh', 5)).toMatchObject({
      ok: false,
      code: 'ais.short_payload',
    });
  });
});
