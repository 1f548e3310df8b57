import { describe, expect, it } from 'vitest';
import { frameLine } from './frame.js';
import type { Framed, Sentence } from './types.js';

function frame(line: string): { framed: Framed; text: string }[] {
  const out: { framed: Framed; text: string }[] = [];
  frameLine(line, (framed, text) => out.push({ framed, text }));
  return out;
}

function sentence(line: string): Sentence {
  const [first] = frame(line);
  if (first?.framed.kind !== 'sentence') throw new Error(`not a sentence: ${JSON.stringify(first)}`);
  return first.framed.sentence;
}

// Real sentences from the fixtures (gpsd sample.aivdm, libais, AMSA, DMA); the expected values below
// are read off the sentence text itself.
const TYPE1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';

describe('frameLine', () => {
  it('splits address, talker and fields and keeps the payload intact', () => {
    const s = sentence(TYPE1);
    expect(s.start).toBe('!');
    expect(s.talker).toBe('AI');
    expect(s.formatter).toBe('VDM');
    expect(s.fields).toEqual(['1', '1', '', 'A', '15RTgt0PAso;90TKcjM8h6g208CQ', '0']);
    expect(s.tag).toBeUndefined();
  });

  it('accepts the checksum in lower case, CRLF, LF and surrounding blanks', () => {
    expect(sentence(TYPE1.replace('*4A', '*4a')).fields[4]).toBe('15RTgt0PAso;90TKcjM8h6g208CQ');
    expect(sentence(`${TYPE1}\r\n`).fields.length).toBe(6);
    expect(sentence(`  ${TYPE1}\n`).fields.length).toBe(6);
  });

  it('rejects a wrong checksum, a missing checksum and non-hex digits with stable codes', () => {
    expect(frame(TYPE1.replace('*4A', '*4B'))[0]?.framed).toEqual({ kind: 'reject', code: 'nmea.checksum' });
    expect(frame(TYPE1.slice(0, -3))[0]?.framed).toMatchObject({ kind: 'reject', code: 'nmea.format' });
    expect(frame(TYPE1.replace('*4A', '*4G'))[0]?.framed).toMatchObject({ kind: 'reject', code: 'nmea.format' });
  });

  it('ignores receiver fields after the checksum (USCG and AMSA trailers)', () => {
    const s = sentence('!AIVDM,1,1,,B,14pWHb?P03rwO<F:RQOnROw<25bd,0*3E,1daasd4218,,1357134222');
    expect(s.fields[4]).toBe('14pWHb?P03rwO<F:RQOnROw<25bd');
    const uscg = sentence('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A,d-109,S2105,t050056.00,T56.137,r003669946,1325394060');
    expect(uscg.fields.length).toBe(6);
  });

  it('accepts every talker, including the `--` of DMA feeds, and rejects a corrupt one', () => {
    expect(sentence('!BSVDM,1,1,,B,14QsDOP01?0nGuHOM4n;vqTn0p4S,0*23').talker).toBe('BS');
    expect(sentence('!--VDM,1,1,,A,802R5Ph0Bkgh@@a8Q@tpRAHD2Wwwwwwwwk7Owwwwwwwwwwwwwwwwwwwwwwt,2*79').talker).toBe('--');
    // AMSA's corrupt `!=IVDM` lines: checksum fine, address impossible.
    const corrupt = '!=IVDM,1,1,,B,14QsDOP01?0nGuHOM4n;vqTn0p4S,0*';
    const sum = [...corrupt.slice(1, -1)].reduce((a, c) => a ^ c.charCodeAt(0), 0);
    const line = corrupt + sum.toString(16).toUpperCase().padStart(2, '0');
    expect(frame(line)[0]?.framed).toMatchObject({ kind: 'reject', code: 'nmea.format' });
  });

  it('parses a tag block: source, time in seconds, group', () => {
    const s = sentence(
      '\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63',
    );
    expect(s.tag).toEqual({ source: 'rORBCOMM008', timeMs: 1418169601000, group: { index: 1, total: 2, id: '1604' } });
    expect(s.tagProblem).toBeUndefined();
  });

  it('reads c: in milliseconds as well as seconds', () => {
    const body = 's:r1,c:1418169601123';
    const sum = [...body].reduce((a, c) => a ^ c.charCodeAt(0), 0).toString(16).padStart(2, '0');
    expect(sentence(`\\${body}*${sum}\\${TYPE1}`).tag?.timeMs).toBe(1418169601123);
  });

  it('reads the NMEA 4 `1G2:0125` grouping form', () => {
    const s = sentence('\\1G2:0125,c:1354719387*0D\\!AIVDM,2,1,4,A,539LiHP2;42`@pE<000<tq@V1<TpL4000000001?1SV@@73R0J0TQCAD,0*1E');
    expect(s.tag?.group).toEqual({ index: 1, total: 2, id: '0125' });
    expect(s.tag?.timeMs).toBe(1354719387000);
  });

  it('keeps the sentence when its tag block is bad, and says why', () => {
    // AMSA nmea-timestamped.txt: every tag block has the checksum 00.
    const s = sentence('\\c:1420030798*00\\!ABVDM,1,1,4,B,17P;HV?P008F98Il;EC1mOwL0@KP,0*22');
    expect(s.tag).toBeUndefined();
    expect(s.tagProblem).toBe('nmea.tag_checksum');
    expect(s.fields[4]).toBe('17P;HV?P008F98Il;EC1mOwL0@KP');
  });

  it('accepts negative group ids seen in GFW samples', () => {
    const s = sentence('\\g:1-2--001,c:1326055296*3C\\!AIVDM,2,1,3,A,E7`B1:dW7oHth@@@@@@@@@@@@@@6@6R;mMQM@10888Qr8`8888888888,0*65');
    expect(s.tag?.group).toEqual({ index: 1, total: 2, id: '-001' });
  });

  it('splits two records concatenated on one line (MarineTraffic/Spire) and frames both', () => {
    const line =
      '\\s:rMT2083,t:marinetraffic,c:1698785948*44\\!ABVDM,2,1,8,A,53l3sj42A590=5Q2220UHE:04=@Ttr222222221@9HH>46ii0=D532Dp?`1D,0*28' +
      '\\s:rMT2083,t:marinetraffic,c:1698785947*4B\\!AIVDM,2,2,8,A,888888888888880,2*2C';
    const records = frame(line);
    expect(records.map((r) => r.framed.kind)).toEqual(['sentence', 'sentence']);
    const second = records[1]?.framed;
    expect(second?.kind === 'sentence' && second.sentence.fields[4]).toBe('888888888888880');
    expect(second?.kind === 'sentence' && second.sentence.tag?.timeMs).toBe(1698785947000);
  });

  it('treats a literal `\\x0d\\x0a` trailer (gpsd sample.aivdm) as junk, not as a record', () => {
    const records = frame('!AIVDM,2,2,8,B,00,4*19\\x0d\\x0a');
    expect(records).toHaveLength(1);
    expect(records[0]?.framed.kind).toBe('sentence');
  });

  it('a corrupt record does not hide a good record after it on the same line', () => {
    const records = frame(`${TYPE1.replace('*4A', '*00')}${TYPE1}`);
    expect(records.map((r) => r.framed.kind)).toEqual(['reject', 'sentence']);
  });

  it('skips comments, blank lines and lone tag blocks; rejects garbage with nmea.format', () => {
    expect(frame('# a comment')[0]?.framed.kind).toBe('skip');
    expect(frame('   ')[0]?.framed.kind).toBe('skip');
    expect(frame('\\c:1354719388*56\\')[0]?.framed.kind).toBe('skip');
    expect(frame('IamNotAnAisMessage1111')[0]?.framed).toMatchObject({ kind: 'reject', code: 'nmea.format' });
    expect(frame('\\:,c:1364272372*4E\\!AIVDM,1,1,,C,18153ogP?w1dD@@`JiRN4?wp0000,0*48')[0]?.framed.kind).toBe('sentence');
  });

  it('tolerates a log prefix before the sentence', () => {
    expect(sentence(`2024-01-01T00:00:00Z ${TYPE1}`).fields[4]).toBe('15RTgt0PAso;90TKcjM8h6g208CQ');
  });

  it('frames GNSS parametric sentences and proprietary ones', () => {
    const rmc = sentence('$GNRMC,053229.438,V,,,,,,,020315,,,N*56'); // gpsd beidou-gb.log
    expect(rmc.talker).toBe('GN');
    expect(rmc.formatter).toBe('RMC');
    expect(rmc.fields).toEqual(['053229.438', 'V', '', '', '', '', '', '', '020315', '', '', 'N']);
    const pghp = sentence('$PGHP,1,2010,6,11,11,46,11,929,244,0,,1,72*21');
    expect(pghp.talker).toBe('P');
    expect(pghp.formatter).toBe('GHP');
  });
});
