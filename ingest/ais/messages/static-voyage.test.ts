import { describe, expect, it } from 'vitest';
import { decodeAisFragments, decodeAisPayload } from '../decode.js';
import type { AisStaticVoyage } from '../types.js';

// Expected values: gpsd test/sample.aivdm annotations, daemon .chk files, libais typeexamples.json.

function staticVoyage(payload: string, fill: number): AisStaticVoyage {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.detail ?? ''}`);
  if (r.value.type !== 5) throw new Error(`type ${r.value.type}`);
  return r.value;
}

const EVER_DIADEM = [
  '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8',
  '88888888880',
] as const;

describe('type 5: static and voyage related data', () => {
  it('two-sentence message (sample.aivdm, 351759000, checked with noaadata and Maritec)', () => {
    const m = staticVoyage(EVER_DIADEM.join(''), 2);
    expect(m).toEqual({
      type: 5,
      repeat: 0,
      mmsi: 351759000,
      aisVersion: 0,
      imo: 9134270,
      callsign: '3FOF8',
      shipname: 'EVER DIADEM',
      shipType: 70,
      toBowM: 225,
      toSternM: 70,
      toPortM: 1,
      toStarboardM: 31,
      epfd: 1,
      etaMonth: 5,
      etaDay: 15,
      etaHour: 14,
      etaMinute: 0,
      draughtM: 12.2,
      destination: 'NEW YORK',
      dte: 0,
    });
    expect(decodeAisFragments(EVER_DIADEM, [0, 2])).toEqual(decodeAisPayload(EVER_DIADEM.join(''), 2));
  });

  it('single 424-bit sentence (libais typeexamples, 249190000)', () => {
    const m = staticVoyage('53eaFL02?;fwTPm7V219E@R1@PE8E<622222221@9hG1A7?@NCPSlm3kc5DhH8888888880', 2);
    expect(m).toMatchObject({ mmsi: 249190000, imo: 9383663, callsign: '9HMQ9', shipname: 'RUTH THERESA', shipType: 80 });
    expect(m).toMatchObject({ toBowM: 78, toSternM: 23, toPortM: 1, toStarboardM: 17, epfd: 1, draughtM: 7.8 });
    expect(m).toMatchObject({ destination: 'BOSTON,USA', dte: 0 });
  });

  it('text stops at the first @ and loses trailing spaces (ais_unpack_sixbit.log.chk)', () => {
    const m = staticVoyage('53aDpaT000010;CKKB0h4Q8TpLDr222222222216<P:656rd07Tai0CKk5hDQ1C`8888880', 2);
    expect(m).toMatchObject({ mmsi: 244660390, callsign: 'PB4664', shipname: 'LAHRINGEN', destination: "R'DAM/LWARDEN" });
    expect(m).toMatchObject({ draughtM: 3, etaMonth: 11, etaDay: 21, etaHour: 12, etaMinute: 0, aisVersion: 1 });
  });

  it('not-available IMO, ETA and destination are absent (sample.aivdm.js.chk, 271010059)', () => {
    const m = staticVoyage('542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht500000000000000' + '0000002', 2);
    expect(m).toMatchObject({ mmsi: 271010059, callsign: 'TCA2350', shipname: 'HEALTH CONTROL 13', shipType: 55 });
    expect(m).toMatchObject({ draughtM: 2, dte: 0 });
    for (const k of ['imo', 'etaMonth', 'etaDay', 'etaHour', 'etaMinute', 'destination'] as const) {
      expect(m[k], k).toBeUndefined();
    }
  });

  it('420 bits decode (gpsd accepts them), without DTE; 419 bits are too short', () => {
    const full = staticVoyage(EVER_DIADEM.join(''), 2); // 424 bits
    const cut = staticVoyage(EVER_DIADEM.join('').slice(0, 70), 0); // 420 bits
    expect({ ...cut, dte: 0 }).toEqual(full);
    expect(cut.dte).toBeUndefined();
    expect(decodeAisPayload(EVER_DIADEM.join('').slice(0, 70), 1)).toMatchObject({ ok: false, code: 'ais.short_payload' });
  });
});
