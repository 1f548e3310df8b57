import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createNmeaDecoder, type DecodeEvent } from './decoder.js';

const CAPTURES = [
  'fixtures/ais/gpsd/ais-nmea-sample.log',
  'fixtures/ais/gpsd/sample.aivdm',
  'fixtures/ais/amsa-risky/ais.txt.gz',
  'fixtures/ais/dma-aislib/stream_example.txt',
  'fixtures/ais/gfw-ais-tools/errors.nmea',
  'fixtures/ais/gfw-ais-tools/type1-bad-bitcount.nmea',
  'fixtures/ais/pyais/nmea_data_sample.txt',
];

function run(lines: readonly string[], fastLane: boolean): DecodeEvent[] {
  const d = createNmeaDecoder({ fastLane });
  const out: DecodeEvent[] = [];
  for (const line of lines) d.decodeLine(line, { source: 'x', receivedAtMs: 1 }, (e) => out.push(e));
  return out;
}

describe('createNmeaDecoder', () => {
  it('the fast lane changes nothing: same events, in the same order, as the general framer on real captures', () => {
    for (const file of CAPTURES) {
      const raw = readFileSync(file);
      const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1').split('\n');
      const fast = run(lines, true);
      const general = run(lines, false);
      expect(fast.length, file).toBe(general.length);
      expect(fast, file).toEqual(general);
    }
  });

  it('decodeBytes gives the same events as decodeLine of the same lines, fast lane or not', () => {
    for (const file of CAPTURES) {
      const raw = readFileSync(file);
      const buf = file.endsWith('.gz') ? gunzipSync(raw) : raw;
      const fromText = run(buf.toString('latin1').split('\n'), true);
      const d = createNmeaDecoder();
      const fromBytes: DecodeEvent[] = [];
      let start = 0;
      for (let nl = buf.indexOf(10, start); ; nl = buf.indexOf(10, start)) {
        const end = nl < 0 ? buf.length : nl;
        d.decodeBytes(buf, start, end, { source: 'x', receivedAtMs: 1 }, (e) => fromBytes.push(e));
        if (nl < 0) break;
        start = nl + 1;
      }
      expect(fromBytes.length, file).toBe(fromText.length);
      expect(fromBytes, file).toEqual(fromText);
    }
  });

  it('a rejected simple sentence reports its record text without trailing blanks, as the framer does', () => {
    const line = '!AIVDM,1,1,,A,1,0*17'; // one character: too short for type 1
    for (const fastLane of [true, false]) {
      const d = createNmeaDecoder({ fastLane });
      const out: DecodeEvent[] = [];
      const buf = Buffer.from(`${line} \r`, 'latin1');
      d.decodeBytes(buf, 0, buf.length, { source: 'x', receivedAtMs: 1 }, (e) => out.push(e));
      d.decodeLine(`${line}\r`, { source: 'x', receivedAtMs: 1 }, (e) => out.push(e));
      expect(out, `fastLane ${fastLane}`).toMatchObject([
        { kind: 'reject', code: 'ais.short_payload', text: line },
        { kind: 'reject', code: 'ais.short_payload', text: line },
      ]);
    }
  });

  it('a line with more fields than a simple sentence is decoded like the general framer reads it', () => {
    // Seven fields, checksum right: the general framer takes field 6 as the fill bits.
    const line = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0,x*1E';
    expect(run([line], true)).toEqual(run([line], false));
    expect(run([line], true)[0]).toMatchObject({ kind: 'ais', msg: { mmsi: 371798000 } });
  });
});
