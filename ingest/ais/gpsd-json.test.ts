import { describe, expect, it } from 'vitest';
import { asMmsi, seededRandom } from '../../model/index.js';
import { decodeAisPayload } from './decode.js';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createNmeaDecoder } from '../decoder.js';
import { gpsdJsonMaxBytes, LEGEND_SIZES, toGpsdJson, writeGpsdJson } from './gpsd-json.js';
import { rotDegMin } from './messages/position-a.js';
import type { AisMessage, AisPositionA, AisSarAircraft } from './types.js';

// Expected strings are lines of gpsd's own regression output (.chk files), with the
// "device":"stdin" that gpsdecode adds; the golden test covers every fixture line.

function decoded(payload: string, fill = 0): AisMessage {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(r.code);
  return r.value;
}

const withDevice = (chk: string): string => chk.replace('{"class":"AIS",', '{"class":"AIS","device":"stdin",');

describe('toGpsdJson', () => {
  it('prints the gpsd sentinels back for absent values, unscaled (ais-raw-messages.log.chk)', () => {
    const line =
      '{"class":"AIS","type":1,"repeat":0,"mmsi":244780460,"scaled":false,"status":8,"status_text":"Under way sailing",' +
      '"turn":-128,"speed":1023,"accuracy":false,"lon":108600000,"lat":54600000,"course":3600,"heading":511,' +
      '"second":63,"maneuver":0,"raim":false,"radio":59916}';
    expect(toGpsdJson(decoded('13aL=c8P?w<tSF0l4Q@>4?wv0>`<'), { scaled: false })).toBe(withDevice(line));
  });

  it('scaled type 1 (sample.aivdm.js.chk)', () => {
    const line =
      '{"class":"AIS","device":"stdin","type":1,"repeat":0,"mmsi":371798000,"scaled":true,"status":0,' +
      '"status_text":"Under way using engine","turn":"fastleft","speed":12.3,"accuracy":true,"lon":-123.3953833,' +
      '"lat":48.3816333,"course":224.0,"heading":215,"second":33,"maneuver":0,"raim":false,"radio":34017}';
    expect(toGpsdJson(decoded('15RTgt0PAso;90TKcjM8h6g208CQ'), { scaled: true })).toBe(line);
  });

  it('scaled position sentinels: speed "n/a", lat 91, lon 181, course 360.0', () => {
    const o = JSON.parse(toGpsdJson(decoded('13aL=c8P?w<tSF0l4Q@>4?wv0>`<'), { scaled: true })) as Record<string, unknown>;
    expect(o).toMatchObject({ turn: 'n/a', speed: 'n/a', lon: 181, lat: 91, course: 360, heading: 511 });
  });

  it('round-trips every ROT byte through rotDegMin', () => {
    const base = decoded('38Id705000rRVJhE7cl9n;160000') as AisPositionA;
    for (let raw = -126; raw <= 126; raw++) {
      const m: AisPositionA = { ...base, rotDegMin: rotDegMin(raw) };
      const unscaled = JSON.parse(toGpsdJson(m, { scaled: false })) as { turn: number };
      expect(unscaled.turn).toBe(raw);
      const scaled = JSON.parse(toGpsdJson(m, { scaled: true })) as { turn: string };
      const r = (raw / 4.733) ** 2;
      expect(scaled.turn).toBe((raw < 0 ? -r : r).toFixed(2));
    }
  });

  it('scaled type 1-3 speed 102.2 prints "fast"; type 9 names its special values', () => {
    const a = { ...(decoded('38Id705000rRVJhE7cl9n;160000') as AisPositionA), sogKn: 102.2 };
    expect(toGpsdJson(a, { scaled: true })).toContain('"speed":"fast"');
    const sar = decoded('91b55uOwww<tSF0l4Q@>4?h20h@B') as AisSarAircraft;
    expect(toGpsdJson(sar, { scaled: true })).toContain('"alt":"nan","speed":"nan"');
    expect(toGpsdJson({ ...sar, altitudeM: 4094, sogKn: 1022 }, { scaled: true })).toContain('"alt":"high","speed":"fast"');
    expect(toGpsdJson(sar, { scaled: false })).toContain('"alt":4095,"speed":1023');
  });

  it('escapes " and \\ in six-bit text', () => {
    const m = { ...(decoded('H42O55i18tMET00000000000000', 2) as AisMessage & { type: 24; partno: 0 }), shipname: 'A"B\\C' };
    const o = JSON.parse(toGpsdJson(m, { scaled: true })) as { shipname: string; part: string };
    expect(o).toMatchObject({ shipname: 'A"B\\C', part: 'A' });
  });

  it('pass-through types print the header only', () => {
    expect(toGpsdJson({ type: 7, repeat: 0, mmsi: asMmsi(2655651) }, { scaled: true })).toBe(
      '{"class":"AIS","device":"stdin","type":7,"repeat":0,"mmsi":2655651,"scaled":true}',
    );
  });

  it('prints %.7f, %.4f and %.1f like printf over the whole field ranges', () => {
    const b = decoded('B52K>;h00Fc>jpUlNV@ikwpUoP06') as Extract<AisMessage, { type: 18 }>;
    const l = decoded('KCQ9r=hrFUnH7P00') as Extract<AisMessage, { type: 27 }>;
    const next = seededRandom(99);
    for (let i = 0; i < 20_000; i++) {
      const lonRaw = Math.floor(next() * 2 ** 28) - 2 ** 27; // every 28-bit signed value is possible
      const latRaw = Math.floor(next() * 2 ** 27) - 2 ** 26;
      const sogRaw = Math.floor(next() * 1023);
      const m = { ...b, lon: lonRaw / 600000, lat: latRaw / 600000, sogKn: sogRaw / 10, cogDeg: (sogRaw * 3) / 10 };
      const o = toGpsdJson(m, { scaled: true });
      // toFixed rounds the exact double, as glibc printf does.
      expect(o).toContain(`"lon":${(lonRaw / 600000).toFixed(7)},"lat":${(latRaw / 600000).toFixed(7)},`);
      expect(o).toContain(`"speed":${(sogRaw / 10).toFixed(1)},`);
      expect(o).toContain(`"course":${((sogRaw * 3) / 10).toFixed(1)},`);
      const lon27 = Math.floor(next() * 2 ** 18) - 2 ** 17;
      const lat27 = Math.floor(next() * 2 ** 17) - 2 ** 16;
      const o27 = toGpsdJson({ ...l, lon: lon27 / 600, lat: lat27 / 600 }, { scaled: true });
      expect(o27).toContain(`"lon":${(lon27 / 600).toFixed(4)},"lat":${(lat27 / 600).toFixed(4)},`);
    }
  });

  it('has one legend per code', () => {
    expect(LEGEND_SIZES).toEqual({ navStatus: 16, epfd: 16, shipType: 100, aidType: 32 });
  });
});

describe('writeGpsdJson (bytes)', () => {
  it('stays within gpsdJsonMaxBytes, spill-over included, on every message of real captures', () => {
    const out = { buf: Buffer.alloc(1 << 13), pos: 0 };
    let compared = 0;
    for (const file of ['fixtures/ais/gpsd/ais-nmea-sample.log', 'fixtures/ais/amsa-risky/ais.txt.gz', 'fixtures/ais/gpsd/sample.aivdm']) {
      const raw = readFileSync(file);
      const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1');
      const d = createNmeaDecoder();
      for (const line of text.split('\n')) {
        d.decodeLine(line, { source: file, receivedAtMs: 0 }, (e) => {
          if (e.kind !== 'ais') return;
          for (const scaled of [true, false]) {
            const start = 1 + (compared % 7); // any alignment
            const bound = gpsdJsonMaxBytes(e.msg);
            out.buf.fill(0xaa, 0, start + bound + 8);
            out.pos = start;
            writeGpsdJson(e.msg, scaled, out);
            const line = out.buf.toString('latin1', start, out.pos);
            if (line !== toGpsdJson(e.msg, { scaled })) expect(line).toBe(toGpsdJson(e.msg, { scaled }));
            if (out.pos + 3 > start + bound) expect(out.pos + 3 - start).toBeLessThanOrEqual(bound);
            const touched = out.buf.subarray(out.pos + 3, start + bound + 8).findIndex((x) => x !== 0xaa);
            if (touched >= 0) expect(`byte ${touched} past the spill-over written`).toBe('');
            compared++;
          }
        });
      }
    }
    expect(compared).toBeGreaterThan(2 * 100_000);
  });

  it('fits the longest line of any type in the room the callers keep', () => {
    let longest = 0;
    for (const m of extremeMessages()) {
      const bound = gpsdJsonMaxBytes(m);
      for (const scaled of [true, false]) {
        const line = toGpsdJson(m, { scaled });
        expect(() => JSON.parse(line) as unknown).not.toThrow();
        expect(line.length + 3).toBeLessThanOrEqual(bound);
        longest = Math.max(longest, line.length);
      }
      // app/decode-command.ts reserves MAX_LINE_BYTES (4096) per line, newline included.
      expect(bound + 1).toBeLessThanOrEqual(4096);
    }
    expect(longest).toBeGreaterThan(500);
  });

  it('toGpsdJson takes texts longer than any payload can carry', () => {
    const m = { ...(decoded('H42O55i18tMET00000000000000', 2) as AisMessage & { type: 24; partno: 0 }), shipname: '"\\'.repeat(5000) };
    const o = JSON.parse(toGpsdJson(m, { scaled: false })) as { shipname: string };
    expect(o.shipname).toBe(m.shipname);
  });
});

/**
 * Every type with the widest values it can print: the longest legend of each code table, false
 * for every flag, the longest numbers (signed fields at their most negative) and texts of the
 * longest length the decoder reads, all `"` so that each char is escaped.
 */
function extremeMessages(): AisMessage[] {
  const int = -2147483648;
  const q = (n: number): string => '"'.repeat(n);
  const header = { repeat: 3, mmsi: asMmsi(1073741823) };
  const pos = { accuracy: false, lon: -(2 ** 27) / 600000, lat: -(2 ** 26) / 600000, cogDeg: 409.5, second: int, raim: false };
  const dims = { toBowM: int, toSternM: int, toPortM: int, toStarboardM: int };
  const out: AisMessage[] = [];
  for (let code = 0; code < 256; code++) {
    const c16 = code & 15;
    out.push({
      ...header,
      ...pos,
      type: 1,
      navStatus: c16,
      rotDegMin: -((126 / 4.733) ** 2),
      turnFast: undefined,
      sogKn: 102.1,
      headingDeg: int,
      maneuver: int,
      radio: int,
    });
    out.push({ ...header, ...pos, type: 4, year: int, month: int, day: int, hour: int, minute: int, epfd: c16, radio: int });
    out.push({
      ...header,
      ...dims,
      type: 5,
      aisVersion: int,
      imo: int,
      callsign: q(7),
      shipname: q(20),
      shipType: code,
      epfd: c16,
      etaMonth: int,
      etaDay: int,
      etaHour: int,
      etaMinute: int,
      draughtM: 25.5,
      destination: q(20),
      dte: int,
    });
    out.push({ ...header, ...pos, type: 9, altitudeM: int, sogKn: int, regional: int, dte: int, assigned: false, radio: int });
    const classB = { ...header, ...pos, reserved: int, sogKn: 102.1, headingDeg: int, regional: int, assigned: false };
    out.push({ ...classB, type: 18, cs: false, display: false, dsc: false, band: false, msg22: false, radio: int });
    out.push({ ...classB, ...dims, type: 19, shipname: q(20), shipType: code, epfd: c16, dte: int });
    out.push({
      ...header,
      ...pos,
      ...dims,
      type: 21,
      aidType: code & 31,
      name: q(34),
      epfd: c16,
      offPosition: false,
      regional: int,
      virtualAid: false,
      assigned: false,
    });
    const partB = { vendorId: q(7), model: int, serial: int, callsign: q(7), shipType: code, mothershipMmsi: undefined, ...dims };
    out.push({ ...header, type: 24, partno: 0, shipname: q(20) });
    out.push({ ...header, ...partB, type: 24, partno: 1 });
    out.push({ ...header, ...partB, type: 24, partno: 'AB', shipname: q(20) });
    out.push({ ...header, ...partB, type: 24, partno: 'AB', shipname: q(20), mmsi: asMmsi(989999999), mothershipMmsi: asMmsi(1073741823) });
    out.push({
      ...header,
      type: 27,
      accuracy: false,
      raim: false,
      navStatus: c16,
      lon: -(2 ** 17) / 600,
      lat: -(2 ** 16) / 600,
      sogKn: int,
      cogDeg: int,
      gnss: false,
    });
  }
  return out;
}
