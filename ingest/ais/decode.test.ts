import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../model/index.js';
import { decodeAisFragments, decodeAisPayload } from './decode.js';

describe('decodeAisPayload rejections', () => {
  it('empty payload', () => {
    expect(decodeAisPayload('', 0)).toMatchObject({ ok: false, code: 'ais.empty_payload' });
  });

  it('fill bits outside 0-9', () => {
    for (const fill of [-1, 10, 1.5, Number.NaN]) {
      expect(decodeAisPayload('15RTgt0PAso;90TKcjM8h6g208CQ', fill)).toMatchObject({ ok: false, code: 'ais.format' });
    }
  });

  it('fill bits 6 (an extra pad character, decoded by gpsd) leave the 96 bits before them', () => {
    // AISHub capture: !AIVDM,1,1,,2,601uEP19bi7P04810,6*5D — gpsd 3.22 prints a type 6 from MMSI 2053504.
    expect(decodeAisPayload('601uEP19bi7P04810', 6)).toMatchObject({ ok: true, value: { type: 6, mmsi: 2053504 } });
  });

  it('characters outside the armour alphabet', () => {
    for (const bad of ['15RTgt0PAso;90TKcjM8h6g208CX', '15RTgt0PAso;90TKcjM8h6g208Cx', '15RT t0P', '15RTgé0P', '1,']) {
      expect(decodeAisPayload(bad, 0), bad).toMatchObject({ ok: false, code: 'ais.armour' });
    }
  });

  it('message type 0 or above 27', () => {
    expect(decodeAisPayload('05RTgt0PAso;90TKcjM8h6g208CQ', 0)).toMatchObject({ ok: false, code: 'ais.bad_type' });
    expect(decodeAisPayload('L5RTgt0PAso;90TKcjM8h6g208CQ', 0)).toMatchObject({ ok: false, code: 'ais.bad_type' });
    expect(decodeAisPayload('w', 0)).toMatchObject({ ok: false, code: 'ais.bad_type' });
  });

  it('too short for the header, never zero-filled', () => {
    expect(decodeAisPayload('1', 1)).toMatchObject({ ok: false, code: 'ais.short_payload' });
    expect(decodeAisPayload('702R5`', 0)).toMatchObject({ ok: false, code: 'ais.short_payload' }); // 36 bits
  });
});

describe('decodeAisPayload pass-through types', () => {
  it('types outside the decoded set keep type, repeat and MMSI (sample.aivdm.js.chk)', () => {
    expect(decodeAisPayload('702R5`hwCjq8', 0)).toEqual({ ok: true, value: { type: 7, repeat: 0, mmsi: 2655651 } });
    expect(decodeAisPayload('85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs', 0)).toEqual({
      ok: true,
      value: { type: 8, repeat: 0, mmsi: 366999712 },
    });
  });
});

describe('decodeAisFragments', () => {
  it('equals decodeAisPayload of the joined text when only the last fragment has fill bits', () => {
    const parts = ['55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8', '88888888880'];
    expect(decodeAisFragments(parts, [0, 2])).toEqual(decodeAisPayload(parts.join(''), 2));
  });

  it('decodes fragments held as bytes, or mixed with text, exactly as the text', () => {
    const parts = ['55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8', '88888888880'];
    const bytes = parts.map((p) => new Uint8Array(Buffer.from(p, 'latin1')));
    for (const fills of [[0, 2], [0, 0], [4, 2], [2, 9]]) {
      const want = decodeAisFragments(parts, fills);
      expect(decodeAisFragments(bytes, fills), String(fills)).toEqual(want);
      expect(decodeAisFragments([bytes[0]!, parts[1]!], fills), String(fills)).toEqual(want);
      expect(decodeAisFragments([parts[0]!, bytes[1]!], fills), String(fills)).toEqual(want);
    }
    expect(decodeAisFragments([bytes[0]!], [0])).toEqual(decodeAisPayload(parts[0]!, 0));
    // A view into a larger buffer is read from its own offset.
    const inside = Buffer.from(`xx${parts[1]}yy`, 'latin1').subarray(2, 2 + parts[1]!.length);
    expect(decodeAisFragments([bytes[0]!, inside], [0, 2])).toEqual(decodeAisFragments(parts, [0, 2]));
    for (const bad of ['8888,', '88\u00e9', '88\u0080']) {
      const asBytes = new Uint8Array(Buffer.from(bad, 'latin1'));
      expect(decodeAisFragments([bytes[0]!, asBytes], [0, 2]), bad).toEqual(decodeAisFragments([parts[0]!, bad], [0, 2]));
      expect(decodeAisFragments([bytes[0]!, asBytes], [0, 2]), bad).toMatchObject({ ok: false, code: 'ais.armour' });
    }
    expect(decodeAisFragments([new Uint8Array(0), new Uint8Array(0)], [0, 0])).toMatchObject({ ok: false, code: 'ais.empty_payload' });
  });

  it('rejects mismatched lists, empty input and bad fill bits', () => {
    expect(decodeAisFragments([], [])).toMatchObject({ ok: false, code: 'ais.format' });
    expect(decodeAisFragments(['15RT'], [0, 0])).toMatchObject({ ok: false, code: 'ais.format' });
    expect(decodeAisFragments(['', ''], [0, 0])).toMatchObject({ ok: false, code: 'ais.empty_payload' });
    expect(decodeAisFragments(['15RT', 'gt'], [10, 0])).toMatchObject({ ok: false, code: 'ais.format' });
  });
});

describe('never throws on wire data', () => {
  it('survives 100,000 random and mutated payloads', () => {
    const next = seededRandom(12345);
    const seeds = [
      '15RTgt0PAso;90TKcjM8h6g208CQ',
      '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880',
      'E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q:D44QDlp0C1DU00',
      'H42O55lti4hhhilD3nink000?050',
      'KCQ9r=hrFUnH7P00',
      'C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220',
    ];
    let decoded = 0;
    for (let i = 0; i < 100_000; i++) {
      const seed = seeds[i % seeds.length]!;
      let p: string;
      switch (i % 4) {
        case 0: // truncation
          p = seed.slice(0, Math.floor(next() * (seed.length + 1)));
          break;
        case 1: {
          // character flip, possibly outside the alphabet
          const at = Math.floor(next() * seed.length);
          p = seed.slice(0, at) + String.fromCharCode(Math.floor(next() * 130)) + seed.slice(at + 1);
          break;
        }
        case 2: // splice of two payloads
          p = seed.slice(0, Math.floor(next() * seed.length)) + seeds[Math.floor(next() * seeds.length)]!.slice(3);
          break;
        default: {
          // random text over the alphabet, any length
          const n = Math.floor(next() * 200);
          p = '';
          for (let k = 0; k < n; k++) p += String.fromCharCode(48 + Math.floor(next() * 72));
        }
      }
      const fill = Math.floor(next() * 8) - 1;
      const r = decodeAisPayload(p, fill);
      expect(typeof r.ok).toBe('boolean');
      if (r.ok) decoded++;
    }
    expect(decoded).toBeGreaterThan(10_000);
  });
});
