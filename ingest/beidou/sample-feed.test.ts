import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../model/index.js';
import { frameLine, type Framed } from '../nmea/index.js';
import { GnssDecoder, type GnssFix } from './index.js';

/*
 * The BeiDou MQTT messages of fixtures/geo/sample-feed-lines.tsv (topic<TAB>payload). Each
 * payload there is one line; a payload with several would separate them by real CR/LF or by the
 * escaped text `\r\n`, so both are split on. Receipt time is the tag block's `c:` (the file's
 * stated time base), the source is the card id at the end of the topic. Every expected value
 * below is read off the NMEA text: ddmm.mmmm → dd + mm.mmmm/60.
 */

interface Row {
  readonly topic: string;
  readonly lines: readonly string[];
  /** The `# …` comment right above the row. */
  readonly note: string;
}

function readRows(): Row[] {
  const text = readFileSync(new URL('../../fixtures/geo/sample-feed-lines.tsv', import.meta.url), 'utf8');
  const rows: Row[] = [];
  let note = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) {
      note = line;
      continue;
    }
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const payload = line.slice(tab + 1);
    rows.push({ topic: line.slice(0, tab), lines: payload.split(/\r\n|\n|\\r\\n|\\n/).filter((l) => l !== ''), note });
    note = '';
  }
  return rows;
}

interface Outcome {
  readonly framed: Framed;
  readonly result: Result<GnssFix> | undefined;
}

/** Frames and decodes every BeiDou row, in file order, with one decoder (per-source dates carry over). */
function decodeBeidouRows(): { row: Row; outcomes: Outcome[] }[] {
  const decoder = new GnssDecoder();
  return readRows()
    .filter((row) => row.topic.startsWith('zs/bds/'))
    .map((row) => {
      const source = row.topic.slice(row.topic.lastIndexOf('/') + 1);
      const outcomes: Outcome[] = [];
      for (const line of row.lines) {
        frameLine(line, (framed) => {
          if (framed.kind !== 'sentence') return outcomes.push({ framed, result: undefined });
          const receivedAtMs = framed.sentence.tag?.timeMs ?? Number.NaN;
          outcomes.push({ framed, result: decoder.decode(framed.sentence, { source, receivedAtMs }) });
        });
      }
      return { row, outcomes };
    });
}

const at = (iso: string): number => Date.parse(iso);

describe('sample feed BeiDou lines', () => {
  const rows = decodeBeidouRows();
  const results = rows.map((r) => r.outcomes.map((o) => o.result));

  it('has the seven BeiDou rows the file lists, one sentence each', () => {
    expect(rows.map((r) => r.outcomes.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('decodes the GNRMC fixes of card 1234567', () => {
    // $GNRMC,031500.00,A,2952.8000,N,12231.2000,E,3.6,95.0,121025,,,A,V
    expect(results[0]?.[0]).toEqual({
      ok: true,
      value: {
        sentence: 'RMC',
        talker: 'GN',
        atMs: at('2025-10-12T03:15:00.000Z'),
        lat: expect.closeTo(29 + 52.8 / 60, 12), // 29.88
        lon: expect.closeTo(122 + 31.2 / 60, 12), // 122.52
        sogKn: 3.6,
        cogDeg: 95,
        mode: 'A',
      },
    });
    // $GNRMC,031800.00,A,2952.7784,N,12231.4000,E,3.5,97.2,121025,,,A,V
    expect(results[1]?.[0]).toEqual({
      ok: true,
      value: {
        sentence: 'RMC',
        talker: 'GN',
        atMs: at('2025-10-12T03:18:00.000Z'),
        lat: expect.closeTo(29.87964, 12), // 29 + 52.7784/60
        lon: expect.closeTo(122.523333333333, 11), // 122 + 31.4/60
        sogKn: 3.5,
        cogDeg: 97.2,
        mode: 'A',
      },
    });
  });

  it('dates the GGA by the same card’s RMC and keeps its quality, satellites, hdop and altitude', () => {
    // $GNGGA,031800.00,2952.7784,N,12231.4000,E,1,18,0.7,6.2,M,9.8,M,, (date 121025 from the RMC above)
    expect(results[2]?.[0]).toEqual({
      ok: true,
      value: {
        sentence: 'GGA',
        talker: 'GN',
        atMs: at('2025-10-12T03:18:00.000Z'),
        lat: expect.closeTo(29.87964, 12),
        lon: expect.closeTo(122.523333333333, 11),
        quality: 1,
        satellites: 18,
        hdop: 0.7,
        altitudeM: 6.2,
      },
    });
  });

  it('decodes the $BDRMC of card 2000001 (NMEA 2.3: 12 fields)', () => {
    // $BDRMC,031500.00,A,3005.1200,N,12241.0500,E,9.4,41.0,121025,,,A
    expect(results[3]?.[0]).toEqual({
      ok: true,
      value: {
        sentence: 'RMC',
        talker: 'BD',
        atMs: at('2025-10-12T03:15:00.000Z'),
        lat: expect.closeTo(30.085333333333, 11), // 30 + 5.12/60
        lon: expect.closeTo(122.684166666667, 11), // 122 + 41.05/60
        sogKn: 9.4,
        cogDeg: 41,
        mode: 'A',
      },
    });
  });

  it('rejects the $GBRMC of card 2000002: status V, mode N', () => {
    // $GBRMC,031500.00,V,,,,,,,121025,,,N,V
    expect(results[4]?.[0]).toMatchObject({ ok: false, code: 'beidou.no_fix' });
  });

  it('ignores the RDSS $BDTXR: a received short message, not a position sentence', () => {
    // Its hex content reads "\xA4P,1760238900,29.88000,122.52000,3.6,95,7": an application's own
    // position report inside the message text, not NMEA fields; decoding it needs that format.
    const txr = rows[5]?.outcomes[0];
    expect(txr?.framed.kind === 'sentence' && txr.framed.sentence.formatter).toBe('TXR');
    expect(txr?.result).toBeUndefined();
  });

  it('rejects the negative case (checksum *00, correct *04) at framing, before any decoding', () => {
    expect(rows[6]?.row.note).toMatch(/NEGATIVE/);
    expect(rows[6]?.outcomes[0]).toEqual({ framed: { kind: 'reject', code: 'nmea.checksum' }, result: undefined });
  });
});
