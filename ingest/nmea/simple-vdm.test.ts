import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { frameLine } from './frame.js';
import { checksumMatches, emptySimpleVdm, readSimpleVdm, readSimpleVdmBytes } from './simple-vdm.js';

const CAPTURES = [
  'fixtures/ais/gpsd/ais-nmea-sample.log',
  'fixtures/ais/gpsd/sample.aivdm',
  'fixtures/ais/dma-aislib/stream_example.txt',
  'fixtures/ais/amsa-risky/ais.txt.gz',
  'fixtures/ais/gfw-ais-tools/errors.nmea',
  'fixtures/ais/gfw-ais-tools/type1-bad-bitcount.nmea',
];

const blank = emptySimpleVdm;

function xorOf(s: string): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x ^= s.charCodeAt(i);
  return x;
}

function lines(file: string): string[] {
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1').split('\n');
}

describe('readSimpleVdm (fast lane)', () => {
  it('agrees with the general framing on every line it accepts, and accepts the common case', () => {
    const out = blank();
    let accepted = 0;
    let total = 0;
    for (const file of CAPTURES) {
      for (const line of lines(file)) {
        total++;
        if (!readSimpleVdm(line, out)) continue;
        accepted++;
        const framed: { talker: string; fields: readonly string[] }[] = [];
        frameLine(line, (f) => {
          if (f.kind === 'sentence') framed.push({ talker: f.sentence.talker, fields: f.sentence.fields });
        });
        const payload = line.slice(out.payloadFrom, out.payloadTo);
        // The general framer accepts the line exactly when the checksum completes with the payload.
        expect(framed.length === 1, line).toBe(checksumMatches(out, xorOf(payload)));
        if (framed.length === 0) continue;
        const s = framed[0]!;
        expect([out.talker, out.channel, payload, String(out.fillBits)], line).toEqual([s.talker, s.fields[3], s.fields[4], s.fields[5]]);
        expect([s.fields[0], s.fields[1]], line).toEqual(['1', '1']);
      }
    }
    // Most lines of real captures take the fast lane (multipart, tag blocks and trailers do not).
    expect(accepted / total).toBeGreaterThan(0.5);
  });

  it('declines what it cannot vouch for, leaving the general path to give the code', () => {
    const out = blank();
    const good = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
    expect(readSimpleVdm(good, out)).toBe(true);
    expect(out).toMatchObject({ talker: 'AI', channel: 'A', fillBits: 0, want: 0x4a });
    expect(good.slice(out.payloadFrom, out.payloadTo)).toBe('15RTgt0PAso;90TKcjM8h6g208CQ');
    expect(checksumMatches(out, xorOf('15RTgt0PAso;90TKcjM8h6g208CQ'))).toBe(true);
    // A wrong checksum has the simple shape, but does not complete.
    expect(readSimpleVdm(good.replace('*4A', '*4B'), out)).toBe(true);
    expect(checksumMatches(out, xorOf('15RTgt0PAso;90TKcjM8h6g208CQ'))).toBe(false);
    for (const line of [
      `${good},1357134218`, // trailing field
      `\\c:1354719388*56\\${good}`, // tag block
      '!AIVDM,2,1,1,A,55NBjP01mtGIL@CW;SM<D60P5Ld000000000000P0`<3557l0<50@kk@K5h@00000,0*6A', // multipart
      '!AIVDM,1,1,*,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', // `*` where the framer looks for the checksum
    ]) {
      expect(readSimpleVdm(line, out), line).toBe(false);
    }
    expect(readSimpleVdm(`${good} \r`, out)).toBe(true);
    expect(out.end).toBe(good.length);
  });
});

describe('readSimpleVdmBytes (fast lane, with multipart fragments)', () => {
  it('agrees with the general framing on every line it accepts, single or fragment', () => {
    const out = blank();
    let fragments = 0;
    for (const file of CAPTURES) {
      for (const line of lines(file)) {
        const buf = Buffer.from(`##${line}##`, 'latin1');
        if (!readSimpleVdmBytes(buf, 2, buf.length - 2, out)) continue;
        if (out.total > 1) fragments++;
        const framed: { talker: string; fields: readonly string[]; text: string }[] = [];
        frameLine(line, (f, text) => {
          if (f.kind === 'sentence') framed.push({ talker: f.sentence.talker, fields: f.sentence.fields, text });
        });
        const payload = buf.toString('latin1', out.payloadFrom, out.payloadTo);
        expect(framed.length === 1, line).toBe(checksumMatches(out, xorOf(payload)));
        if (framed.length === 0) continue;
        const s = framed[0]!;
        const got = [out.talker, String(out.total), String(out.index), out.total === 1 ? s.fields[2] : out.seq, out.channel, payload, String(out.fillBits)];
        expect(got, line).toEqual([s.talker, ...s.fields]);
        expect(buf.toString('latin1', 2, out.end), line).toBe(s.text);
      }
    }
    expect(fragments).toBeGreaterThan(5_000);
  });

  it('takes one-digit fragment counts and numbers only, and no `*` before the payload', () => {
    const out = blank();
    const read = (line: string): boolean => readSimpleVdmBytes(Buffer.from(line, 'latin1'), 0, line.length, out);
    expect(read('!AIVDM,2,2,9,B,888888888888880,2*2E')).toBe(true);
    expect(out).toMatchObject({ total: 2, index: 2, seq: '9', channel: 'B', fillBits: 2, want: 0x2e });
    expect(read('!BSVDO,9,3,,,888888888888880,2*2E')).toBe(true);
    expect(out).toMatchObject({ talker: 'BS', total: 9, index: 3, seq: '', channel: '' });
    expect(read('!AIVDM,3,2,12,AB,888888888888880,2*2E')).toBe(true);
    expect(out).toMatchObject({ seq: '12', channel: 'AB' });
    for (const line of [
      '!AIVDM,2,3,9,B,888888888888880,2*2E', // number above count
      '!AIVDM,2,0,9,B,888888888888880,2*2E',
      '!AIVDM,0,0,9,B,888888888888880,2*2E',
      '!AIVDM,02,2,9,B,888888888888880,2*2E', // the framer's to read
      '!AIVDM,2,02,9,B,888888888888880,2*2E',
      '!AIVDM,2,2,*,B,888888888888880,2*2E',
      '!AIVDM,2,2,9,*,888888888888880,2*2E',
      '!AIVDM,2,2,9,B,,2*2E',
    ]) {
      expect(read(line), line).toBe(false);
    }
  });
});
