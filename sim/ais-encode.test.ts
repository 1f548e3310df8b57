import { describe, expect, it } from 'vitest';
import type { AisMessage } from '../ingest/ais/types.js';
import {
  encodePositionA,
  encodePositionB,
  encodeStaticPartA,
  encodeStaticPartB,
  encodeStaticVoyage,
  rawRot,
} from './ais-encode.js';
import { tagBlock, vdmSentences } from './nmea-out.js';
import { checksumsValid, decodeAll } from './test-support.js';

function decodeOne(lines: string[]): AisMessage {
  const events = decodeAll(lines);
  expect(events.map((e) => e.kind)).toEqual(['ais']);
  const e = events[0]!;
  if (e.kind !== 'ais') throw new Error('not ais');
  return e.msg;
}

describe('AIS encoder', () => {
  it('type 1 round-trips through the decoder at AIS resolution', () => {
    const lines = vdmSentences(
      encodePositionA({ mmsi: 412345678, navStatus: 7, rotDegMin: 12, sogKn: 3.26, lat: 30.123456, lon: 123.456789, cogDeg: 359.96, headingDeg: 87.4, second: 42 }),
      { channel: 'B' },
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^!AIVDM,1,1,,B,[0-9:;<=>?@A-W`a-w]{28},0\*[0-9A-F]{2}$/);
    const m = decodeOne(lines);
    if (m.type !== 1) throw new Error(`type ${m.type}`);
    expect(m.mmsi).toBe(412345678);
    expect(m.navStatus).toBe(7);
    expect(m.sogKn).toBe(3.3);
    expect(m.cogDeg).toBe(0);
    expect(m.headingDeg).toBe(87);
    expect(m.second).toBe(42);
    expect(Math.abs(m.lat! - 30.123456)).toBeLessThanOrEqual(0.5 / 600_000);
    expect(Math.abs(m.lon! - 123.456789)).toBeLessThanOrEqual(0.5 / 600_000);
    // ROT_AIS = round(4.733·√12) = 16 → (16/4.733)² ≈ 11.43 °/min
    expect(m.rotDegMin).toBeCloseTo((16 / 4.733) ** 2, 6);
  });

  it('sends the ITU "not available" sentinels for unknown values', () => {
    const m = decodeOne(vdmSentences(encodePositionA({ type: 3, mmsi: 413000001, navStatus: 15 })));
    if (m.type !== 3) throw new Error(`type ${m.type}`);
    expect([m.lat, m.lon, m.sogKn, m.cogDeg, m.headingDeg, m.second, m.rotDegMin]).toEqual(Array(7).fill(undefined));
    expect(rawRot(undefined)).toBe(-128);
    expect(rawRot(-1000)).toBe(-126);
  });

  it('southern and western coordinates keep their sign (two\'s complement)', () => {
    const m = decodeOne(vdmSentences(encodePositionB({ mmsi: 412000002, lat: -33.8568, lon: -70.6483, sogKn: 12.1, cogDeg: 201.3 })));
    if (m.type !== 18) throw new Error(`type ${m.type}`);
    expect(m.lat).toBeCloseTo(-33.8568, 6);
    expect(m.lon).toBeCloseTo(-70.6483, 6);
    expect(m.headingDeg).toBeUndefined();
    expect(m.cs).toBe(true);
  });

  it('type 5 goes out as two sentences with fill bits on the last, and round-trips', () => {
    const lines = vdmSentences(
      encodeStaticVoyage({
        mmsi: 413987654,
        imo: 9321483,
        callsign: 'BQXK7',
        shipname: 'XIN HAI 18',
        shipType: 70,
        toBowM: 160,
        toSternM: 30,
        toPortM: 14,
        toStarboardM: 14,
        eta: { month: 10, day: 13, hour: 8, minute: 30 },
        draughtM: 10.4,
        destination: 'CN NGB',
      }),
      { sequenceId: 3, channel: 'A' },
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^!AIVDM,2,1,3,A,.{60},0\*/);
    expect(lines[1]).toMatch(/^!AIVDM,2,2,3,A,.{11},2\*/);
    const m = decodeOne(lines);
    if (m.type !== 5) throw new Error(`type ${m.type}`);
    expect(m).toMatchObject({
      mmsi: 413987654,
      imo: 9321483,
      callsign: 'BQXK7',
      shipname: 'XIN HAI 18',
      shipType: 70,
      toBowM: 160,
      toSternM: 30,
      toPortM: 14,
      toStarboardM: 14,
      etaMonth: 10,
      etaDay: 13,
      etaHour: 8,
      etaMinute: 30,
      draughtM: 10.4,
      destination: 'CN NGB',
    });
  });

  it('type 24 A and B round-trip name, call sign, type and dimensions', () => {
    const a = decodeOne(vdmSentences(encodeStaticPartA({ mmsi: 412111222, shipname: 'ZHEPUYU68123' })));
    const b = decodeOne(
      vdmSentences(encodeStaticPartB({ mmsi: 412111222, shipType: 30, vendor: 'SRT', callsign: 'BZUB4', toBowM: 28, toSternM: 7, toPortM: 3, toStarboardM: 3 })),
    );
    expect(a).toMatchObject({ type: 24, partno: 0, shipname: 'ZHEPUYU68123' });
    expect(b).toMatchObject({ type: 24, partno: 1, shipType: 30, callsign: 'BZUB4', toBowM: 28, toSternM: 7, toPortM: 3, toStarboardM: 3 });
  });

  it('rejects text outside the six-bit table and values that do not fit', () => {
    expect(() => encodeStaticPartA({ mmsi: 412111222, shipname: '浙普渔68123' })).toThrow(RangeError);
    expect(() => encodePositionA({ mmsi: 2 ** 30, navStatus: 0 })).toThrow(RangeError);
  });

  it('tag blocks carry valid checksums and group multipart messages', () => {
    const parts = vdmSentences(encodeStaticVoyage({ mmsi: 413987654, shipname: 'A' }), { sequenceId: 1 });
    const lines = parts.map(
      (s, i) => tagBlock({ group: { index: i + 1, total: 2, id: 77 }, source: 'zs-daishan', timeS: 1760238900 }) + s,
    );
    expect(lines[0]).toMatch(/^\\g:1-2-77,s:zs-daishan,c:1760238900\*[0-9A-F]{2}\\!AIVDM/);
    for (const l of lines) expect(checksumsValid(l)).toBe(true);
    const events = decodeAll(lines);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.kind).toBe('ais');
    if (e.kind === 'ais') expect(e.atMs).toBe(1760238900_000);
  });
});
