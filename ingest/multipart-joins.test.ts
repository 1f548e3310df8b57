/**
 * Issue 10, section 3 and the multipart part of section 1, through the whole decoder (both lanes):
 * fragments whose tag blocks differ only by presence join as gpsd joins them, a join that could be
 * wrong is refused, and a noisy source cannot push out another receiver's pending fragments.
 * Expected messages are gpsdecode 3.22's output for the same lines (quoted where used).
 */
import { describe, expect, it } from 'vitest';
import { createNmeaDecoder, type DecodeEvent, type DecoderOptions } from './decoder.js';

type Ais = Extract<DecodeEvent, { kind: 'ais' }>;

/** `\body*hh\`: an NMEA 4 tag block, its checksum the XOR of the text between `\` and `*` (NMEA 0183 v4). */
const tag = (body: string): string => `\\${body}*${[...body].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0')}\\`;

/** The lines as [source, line] through one decoder, a second apart; every event, for each lane. */
function run(lines: readonly (readonly [string, string])[], options: DecoderOptions = {}): DecodeEvent[] {
  const byLane = [true, false].map((fastLane) => {
    const d = createNmeaDecoder({ ...options, fastLane });
    const events: DecodeEvent[] = [];
    lines.forEach(([source, line], i) => {
      const buf = Buffer.from(line, 'latin1');
      d.decodeBytes(buf, 0, buf.length, { source, receivedAtMs: 1_760_660_000_000 + i }, (e) => events.push(e));
    });
    return events;
  });
  expect(byLane[0]).toEqual(byLane[1]);
  return byLane[0]!;
}

const ais = (events: readonly DecodeEvent[]): Ais[] => events.filter((e): e is Ais => e.kind === 'ais');
const rejections = (events: readonly DecodeEvent[]): string[] => events.flatMap((e) => (e.kind === 'reject' ? [e.code] : []));

// The issue's example: the second fragment carries a tag block, the first none.
const X = [
  '!AIVDM,2,1,2,B,57Rl`hINudlDh8=8d01R30<p5<@4000000000016eg:274gf9wCPD=Td>@00,0*2B',
  '\\s:heldout1,c:1760660785*6C\\!AIVDM,2,2,2,B,00000000008,2*2D',
] as const;
// gpsd's FALKVIK (ais-nmea-sample.log) under the same channel and sequence id, tagged the other way round.
const Y = [
  '\\s:heldout1,c:1760660790*68\\!AIVDM,2,1,2,B,53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp,0*02',
  '!AIVDM,2,2,2,B,888888888888880,2*25',
] as const;
// `gpsdecode -j` of X then Y (fields of each message that the second fragment carries included).
const X_GPSD = { mmsi: 506276033, callsign: 'LBCRK', shipname: 'X 0CNASDA', destination: 'NAP6R09', draught: 25.3, dte: 1 };
const Y_GPSD = { mmsi: 258315000, callsign: 'LFNA', shipname: 'FALKVIK', destination: 'FORUS', draught: 3.8, dte: 0 };

describe('multipart joins across tag blocks present on some lines only', () => {
  it('joins the issue’s example as gpsd does, with the time of the tag block it carries', () => {
    const events = run(X.map((l) => ['rx', l] as const));
    expect(rejections(events)).toEqual([]);
    const [m] = ais(events);
    expect(m?.msg).toMatchObject({ type: 5, mmsi: X_GPSD.mmsi, callsign: X_GPSD.callsign, shipname: X_GPSD.shipname, destination: X_GPSD.destination, dte: X_GPSD.dte });
    expect(m?.msg.type === 5 && m.msg.draughtM).toBe(X_GPSD.draught);
    expect(m).toMatchObject({ atMs: 1_760_660_785_000, tag: { source: 'heldout1' } });
  });

  it('reused sequence id, tags swapped: each message keeps its own second fragment (once X was lost and Y got X’s tail)', () => {
    const events = run([...X, ...Y].map((l) => ['rx', l] as const));
    expect(rejections(events)).toEqual([]);
    expect(ais(events).map((e) => e.msg)).toMatchObject([
      { mmsi: X_GPSD.mmsi, destination: X_GPSD.destination, callsign: X_GPSD.callsign },
      { mmsi: Y_GPSD.mmsi, destination: Y_GPSD.destination, callsign: Y_GPSD.callsign },
    ]);
  });

  it('X lost its tail and Y, tagged, reuses the id: X is over, Y keeps its untagged tail (as gpsd decodes it)', () => {
    const events = run([X[0], ...Y].map((l) => ['rx', l] as const));
    expect(rejections(events)).toEqual(['ais.fragment_mismatch']);
    expect(ais(events).map((e) => e.msg)).toMatchObject([{ mmsi: Y_GPSD.mmsi, destination: Y_GPSD.destination }]);
  });

  /** `line` with a tag block naming `station` in place of its own. */
  const as = (station: string, line: string): string => `${tag(`s:${station}`)}${line.slice(line.lastIndexOf('\\') + 1)}`;

  it('two receivers in one topic, each naming itself: fragments interleaved under one id stay apart', () => {
    const events = run([as('r1', X[0]), as('r2', Y[0]), as('r2', Y[1]), as('r1', X[1])].map((l) => ['hub', l] as const));
    expect(rejections(events)).toEqual([]);
    expect(ais(events).map((e) => [e.msg.mmsi, e.tag?.source])).toEqual([
      [Y_GPSD.mmsi, 'r2'],
      [X_GPSD.mmsi, 'r1'],
    ]);
  });

  it('refuses to guess: two receivers wait under one id and a tail names neither; it and both messages are rejected', () => {
    const events = run([as('r1', X[0]), as('r2', Y[0]), Y[1], as('r1', X[1])].map((l) => ['hub', l] as const));
    expect(ais(events)).toEqual([]);
    // The untagged tail and both messages it could complete; then r1's own tail finds nothing.
    expect(rejections(events)).toEqual(['ais.fragment_ambiguous', 'ais.fragment_ambiguous', 'ais.fragment_ambiguous', 'ais.fragment_orphan']);
  });
});

describe('pending fragments bounded per source (issue 10 §1)', () => {
  /** A noisy receiver's first fragments, each its own message (NMEA 4 groups), never completed. */
  const flood = (source: string, n: number): [string, string][] =>
    Array.from({ length: n }, (_, i) => [source, `${tag(`g:1-2-${i}`)}${X[0]}`]);

  it('a flood of first fragments on one topic does not evict another receiver’s pending fragment, which then completes', () => {
    const events = run([['ais/raw/quiet', Y[0]], ...flood('ais/raw/noisy', 5000), ['ais/raw/quiet', Y[1]]]);
    expect(ais(events).map((e) => [e.source, e.msg.mmsi])).toEqual([['ais/raw/quiet', Y_GPSD.mmsi]]);
    // Only the noisy topic's own messages made room: its bound (256) is all it may hold.
    expect(rejections(events)).toEqual(Array<string>(5000 - 256).fill('ais.fragment_evicted'));
  });

  it('many noisy topics at once: the total bound takes from the noisiest, the quiet receiver’s message completes', () => {
    const noisy = [0, 1, 2, 3, 4, 5].flatMap((k) => flood(`ais/raw/noisy${k}`, 300));
    const d = createNmeaDecoder();
    const events: DecodeEvent[] = [];
    let i = 0;
    for (const [source, line] of [['ais/raw/quiet', Y[0]], ...noisy] as const) d.decodeLine(line, { source, receivedAtMs: i++ }, (e) => events.push(e));
    expect(d.pendingFragments).toBe(1024);
    d.decodeLine(Y[1], { source: 'ais/raw/quiet', receivedAtMs: i }, (e) => events.push(e));
    expect(ais(events).map((e) => e.msg.mmsi)).toEqual([Y_GPSD.mmsi]);
  });
});
