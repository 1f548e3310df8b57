import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createNmeaDecoder } from './decoder.js';
import { GpsdWriter, type ByteOut } from './gpsd-output.js';

const CAPTURES = [
  'fixtures/ais/gpsd/ais-nmea-sample.log',
  'fixtures/ais/amsa-risky/ais.txt.gz',
  'fixtures/ais/gpsd/ais-nmea-type6-fid55.log',
  'fixtures/ais/gpsd/sample.aivdm',
  'fixtures/beidou/gpsd/beidou-bd.log',
];

function lines(file: string): string[] {
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1').split('\n');
}

describe('GpsdWriter', () => {
  for (const scaled of [true, false]) {
    it(`writeInto writes what write returns, line for line, on real captures (${scaled ? 'scaled' : 'unscaled'})`, () => {
      // One buffer for all lines, refilled from the start as `seagrid decode` does after a flush:
      // each line lands on bytes the previous ones left behind.
      const out: ByteOut = { buf: Buffer.alloc(1 << 16, 0xaa), pos: 0 };
      const counts = { ais: 0, tpv: 0, nothing: 0, rejected: 0 };
      for (const file of CAPTURES) {
        const bytes = new GpsdWriter({ scaled });
        const text = new GpsdWriter({ scaled });
        const d = createNmeaDecoder();
        for (const line of lines(file)) {
          d.decodeLine(line, { source: file, receivedAtMs: 0 }, (e) => {
            if (out.pos > out.buf.length - 4096) out.pos = 0;
            const start = out.pos;
            const r = bytes.writeInto(e, out);
            const want = text.write(e);
            if (r === true) {
              const got = out.buf.toString('latin1', start, out.pos);
              if (got !== `${String(want)}\n`) expect(got).toBe(`${String(want)}\n`);
              counts[got.startsWith('{"class":"TPV"') ? 'tpv' : 'ais']++;
            } else if (r === false) {
              expect(want).toBeUndefined();
              expect(out.pos).toBe(start);
              counts.nothing++;
            } else {
              expect(r).toEqual(want);
              counts.rejected++;
            }
          });
        }
      }
      expect(counts.ais).toBeGreaterThan(110_000);
      expect(counts.tpv).toBeGreaterThan(10);
      expect(counts.nothing).toBeGreaterThan(100); // type 24 part As held for their Bs
      expect(counts.rejected).toBeGreaterThan(10); // part Bs without their As
    });
  }

  it('refuses to write past the end of a buffer without the room it asks for', () => {
    const d = createNmeaDecoder();
    const events: Parameters<GpsdWriter['writeInto']>[0][] = [];
    d.decodeLine('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', { source: 't', receivedAtMs: 0 }, (e) => events.push(e));
    expect(events[0]?.kind).toBe('ais');
    const out: ByteOut = { buf: Buffer.alloc(200), pos: 0 };
    expect(() => new GpsdWriter({ scaled: true }).writeInto(events[0]!, out)).toThrow(RangeError);
    expect(out.pos).toBe(0);
  });
});
