import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from '../decode.js';
import type { AisMessage, AisPositionA } from '../types.js';

// Expected values: gpsd's test/sample.aivdm annotations (Kurt Schwehr's noaadata dumps) and
// .chk files, and libais test/data/typeexamples.json — never this decoder's own output.

function positionA(payload: string, fill = 0): AisPositionA {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.detail ?? ''}`);
  const m: AisMessage = r.value;
  if (m.type !== 1 && m.type !== 2 && m.type !== 3) throw new Error(`type ${m.type}`);
  return m;
}

describe('types 1-3: class A position report', () => {
  it('type 1 turning fast to port (sample.aivdm, 371798000)', () => {
    const m = positionA('15RTgt0PAso;90TKcjM8h6g208CQ');
    expect(m).toMatchObject({ type: 1, repeat: 0, mmsi: 371798000, navStatus: 0, sogKn: 12.3, accuracy: true });
    expect(m).toMatchObject({ cogDeg: 224, headingDeg: 215, second: 33, maneuver: 0, raim: false, radio: 34017 });
    // ROT −127: "turning left at more than 5°/30 s", no rate.
    expect(m.turnFast).toBe('left');
    expect(m.rotDegMin).toBeUndefined();
    expect(m.lon).toBeCloseTo(-123.395383333, 8);
    expect(m.lat).toBeCloseTo(48.38163333333, 8);
  });

  it('type 1 with ROT and heading not available (sample.aivdm, 440348000)', () => {
    const m = positionA('16SteH0P00Jt63hHaa6SagvJ087r');
    expect(m).toMatchObject({ mmsi: 440348000, sogKn: 0, accuracy: false, cogDeg: 93.4, second: 13, radio: 33274 });
    expect(m.rotDegMin).toBeUndefined();
    expect(m.turnFast).toBeUndefined();
    expect(m.headingDeg).toBeUndefined();
    expect(m.lon).toBeCloseTo(-70.7582, 8);
    expect(m.lat).toBeCloseTo(43.08015, 8);
  });

  it('type 2 turning fast to starboard (sample.aivdm, 356302000)', () => {
    const m = positionA('25Cjtd0Oj;Jp7ilG7=UkKBoB0<06');
    expect(m).toMatchObject({ type: 2, mmsi: 356302000, turnFast: 'right', sogKn: 13.9, cogDeg: 87.7, headingDeg: 91 });
    expect(m.rotDegMin).toBeUndefined();
    expect(m.lon).toBeCloseTo(-71.626143333, 8);
    expect(m.lat).toBeCloseTo(40.392358333, 8);
  });

  it('type 3 moored, not turning (sample.aivdm, 563808000)', () => {
    const m = positionA('38Id705000rRVJhE7cl9n;160000');
    expect(m).toMatchObject({ type: 3, mmsi: 563808000, navStatus: 5, rotDegMin: 0, sogKn: 0, accuracy: true });
    expect(m).toMatchObject({ cogDeg: 252, headingDeg: 352, second: 35, radio: 0 });
    expect(m.turnFast).toBeUndefined();
    expect(m.lat).toBeCloseTo(36.91, 8);
  });

  it('ROT is sign·(raw/4.733)² (libais typeexamples: type 2, raw −31)', () => {
    const m = positionA('2T8Mur>pJNw77ks5q?7mdfhoOgMo');
    expect(m.rotDegMin).toBeCloseTo(-42.8993, 3);
    // Out-of-range values that are not "not available" are kept as transmitted.
    expect(m).toMatchObject({ repeat: 2, mmsi: 277315048, navStatus: 14, sogKn: 67, headingDeg: 472, second: 27 });
    expect(m).toMatchObject({ maneuver: 2, raim: true, accuracy: true, cogDeg: 145.8 });
    expect(m.lat).toBeCloseTo(-101.547043, 5);
    expect(m.lon).toBeCloseTo(-12.425179, 5);
  });

  it('small ROT (ais-raw-messages.log.chk: raw 2; second 60 = not available)', () => {
    const m = positionA('13R3Hq00P01ciaPEekF0;P=p0t8N');
    expect(m.rotDegMin).toBeCloseTo((2 / 4.733) ** 2, 12);
    expect(m).toMatchObject({ mmsi: 237033700, cogDeg: 4.6, headingDeg: 6, radio: 246302 });
    expect(m.second).toBeUndefined();
  });

  it('every "not available" value is absent (ais-raw-messages.log.chk, 244780460)', () => {
    const m = positionA('13aL=c8P?w<tSF0l4Q@>4?wv0>`<');
    expect(m).toMatchObject({ mmsi: 244780460, navStatus: 8, radio: 59916 });
    for (const k of ['rotDegMin', 'turnFast', 'sogKn', 'lon', 'lat', 'cogDeg', 'headingDeg'] as const) {
      expect(m[k], k).toBeUndefined();
    }
    // 63 = "positioning system inoperative": a meaning, not a sentinel; kept.
    expect(m.second).toBe(63);
  });

  it('163-167 bits decode like gpsd (the communication state is cut short), 162 is too short', () => {
    const full = positionA('15RTgt0PAso;90TKcjM8h6g208CQ');
    const cut = positionA('15RTgt0PAso;90TKcjM8h6g208CQ', 5); // 163 bits
    expect({ ...cut, radio: 0 }).toEqual({ ...full, radio: 0 });
    expect(cut.radio).toBe(34017 >>> 5); // the 14 radio bits that were sent
    const short = decodeAisPayload('15RTgt0PAso;90TKcjM8h6g208C', 0); // 162 bits
    expect(short).toMatchObject({ ok: false, code: 'ais.short_payload' });
  });
});
