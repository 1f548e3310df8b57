/**
 * Multipart fragments through the bytes fast lane (`decodeBytes`): the lane must change nothing —
 * same events (fields, rejection codes, details and texts), same order, same counters and pending
 * count as the general framer (`fastLane: false`) — and must actually keep plain fragments away
 * from the framer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../model/index.js';
import { decodeAisFragments } from './ais/decode.js';
import { createNmeaDecoder, type DecodeEvent, type DecoderOptions, type NmeaDecoder } from './decoder.js';
import { withChecksum } from './nmea/checksum.js';
import * as frame from './nmea/frame.js';
import { fixtureFilesDeep, REPO_ROOT } from './test-support.js';

// Counts the lines that reach the general framer.
vi.mock('./nmea/frame.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./nmea/frame.js')>();
  return { ...real, frameLine: vi.fn(real.frameLine) };
});
const framed = vi.mocked(frame.frameLine);

interface Outcome {
  readonly events: DecodeEvent[];
  readonly counters: object;
  readonly pending: number;
}

/** Feeds each line as its own `decodeBytes` call; `receivedAtMs` may vary per line. */
function feed(lines: readonly (string | Buffer)[], options: DecoderOptions = {}, atMs: (i: number) => number = () => 1): Outcome {
  const d = createNmeaDecoder(options);
  const events: DecodeEvent[] = [];
  const sink = (e: DecodeEvent): void => void events.push(e);
  lines.forEach((line, i) => {
    const buf = typeof line === 'string' ? Buffer.from(line, 'latin1') : line;
    d.decodeBytes(buf, 0, buf.length, { source: 'src', receivedAtMs: atMs(i) }, sink);
  });
  return finish(d, events);
}

function finish(d: NmeaDecoder, events: DecodeEvent[]): Outcome {
  const pending = d.pendingFragments;
  d.expire(Number.POSITIVE_INFINITY, (e) => events.push(e));
  return { events, counters: { ...d.counters }, pending };
}

/** Both lanes over the same lines must agree on everything. */
function expectLanesAgree(lines: readonly string[], options: DecoderOptions = {}, atMs?: (i: number) => number): Outcome {
  const fast = feed(lines, options, atMs);
  const general = feed(lines, { ...options, fastLane: false }, atMs);
  expect(fast).toEqual(general);
  return fast;
}

/** Reseals `body` (text between `!` and `*`) with a right checksum. */
const vdm = (body: string): string => withChecksum('!', body);

// Two real type 5 messages (gpsd's ais-nmea-sample.log) and a type 1 for company.
const SHIP_A = [
  '!AIVDM,2,1,9,B,53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp,0*09',
  '!AIVDM,2,2,9,B,888888888888880,2*2E',
];
const SHIP_B = [
  '!AIVDM,2,1,6,B,56:fS:D0000000000008v0<QD4r0`T4v3400000t0`D147?ps1P00000,0*3D',
  '!AIVDM,2,2,6,B,000000000000008,2*29',
];
const POSITION = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';

/** SHIP_B moved to channel A under another sequence id. */
const SHIP_B_ON_A = SHIP_B.map((l) => vdm(l.slice(1, l.indexOf('*')).replace(',6,B,', ',4,A,')));

const aisEvents = (o: Outcome): Extract<DecodeEvent, { kind: 'ais' }>[] =>
  o.events.filter((e): e is Extract<DecodeEvent, { kind: 'ais' }> => e.kind === 'ais');

describe('multipart fragments in the bytes fast lane', () => {
  it('plain fragments never reach the general framer; tagged or odd ones still do', () => {
    framed.mockClear();
    const o = feed([...SHIP_A, POSITION, ...SHIP_B]);
    expect(framed).not.toHaveBeenCalled();
    expect(aisEvents(o).map((e) => [e.msg.type, e.msg.mmsi])).toEqual([[5, 258315000], [1, 371798000], [5, 413901609]]);
    expect(o.counters).toEqual({ lines: 5, sentences: 5, ignored: 0, tagProblems: 0, fragments: 4 });

    framed.mockClear();
    feed([`\\s:r1*${'00'}\\${SHIP_A[0]}`, `${SHIP_A[1]},1357134218`, '!AIVDM,02,01,9,B,5,0*00']);
    expect(framed).toHaveBeenCalledTimes(3);
  });

  it('joins messages interleaved on two channels, each reported on its own channel and talker', () => {
    const lines = [SHIP_A[0]!, SHIP_B_ON_A[0]!, SHIP_A[1]!, SHIP_B_ON_A[1]!];
    const o = expectLanesAgree(lines);
    const ais = aisEvents(o);
    expect(ais.map((e) => [e.msg.type, e.channel, e.talker, e.tag, e.atMs, e.source])).toEqual([
      [5, 'B', 'AI', undefined, 1, 'src'],
      [5, 'A', 'AI', undefined, 1, 'src'],
    ]);
    expect(ais.map((e) => e.msg.mmsi)).toEqual([258315000, 413901609]);
    expect(o.pending).toBe(0);
  });

  it('joins a message whose fragments arrive in separate decodeBytes calls, even when the first buffer is reused', () => {
    const d = createNmeaDecoder();
    const events: DecodeEvent[] = [];
    const sink = (e: DecodeEvent): void => void events.push(e);
    // One receive buffer reused for each payload, as a socket reader would.
    const buf = Buffer.alloc(128);
    const put = (line: string): number => buf.write(line, 0, 'latin1');
    let n = put(`${SHIP_A[0]}\r\n`);
    d.decodeBytes(buf, 0, n - 2, { source: 'src', receivedAtMs: 10 }, sink);
    expect(d.pendingFragments).toBe(1);
    buf.fill(0x30);
    n = put(`${SHIP_A[1]}\r\n`);
    d.decodeBytes(buf, 0, n, { source: 'src', receivedAtMs: 20 }, sink);
    expect(events).toEqual(feed(SHIP_A, { fastLane: false }, (i) => (i === 0 ? 10 : 20)).events);
    expect(events).toMatchObject([{ kind: 'ais', atMs: 10, channel: 'B', msg: { type: 5, mmsi: 258315000, shipname: 'FALKVIK' } }]);
  });

  it('a bad checksum on fragment 2 rejects that line only; the message beside it is decoded; the orphan times out with its first line', () => {
    const bad = SHIP_A[1]!.replace('*2E', '*2F');
    const lines = [SHIP_A[0]!, ...SHIP_B, bad, POSITION, `${POSITION} `];
    const o = expectLanesAgree(lines, { fragmentTtlMs: 5_000 }, (i) => i * 1000);
    expect(o.events.map((e) => (e.kind === 'reject' ? [e.code, e.text] : [e.kind]))).toEqual([
      ['ais'],
      ['nmea.checksum', bad],
      ['ais'],
      ['ais'],
      ['ais.fragment_timeout', SHIP_A[0]],
    ]);
  });

  it('fill bits on the last fragment (and, gpsd-style, on an early one) count as in the general lane', () => {
    const [first, last] = SHIP_A as [string, string];
    const early = vdm(first.slice(1, first.indexOf('*')).replace(/,0$/, ',4'));
    for (const lines of [SHIP_A, [early, last], [first, vdm('AIVDM,2,2,9,B,888888888888880,5')]]) {
      const o = expectLanesAgree(lines);
      expect(aisEvents(o)).toHaveLength(1);
    }
    const msg = aisEvents(feed(SHIP_A))[0]!.msg;
    const joined = decodeAisFragments(['53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp', '888888888888880'], [0, 2]);
    expect(joined).toEqual({ ok: true, value: msg });
  });

  it('a message whose fragments take different lanes (tag block, trailer) decodes as in the general lane', () => {
    const tag = (body: string): string => `\\${body}*${withChecksum('!', body).slice(-2)}\\`;
    const cases: string[][] = [
      [`${tag('c:1700000000')}${SHIP_A[0]}`, SHIP_A[1]!], // time from the first fragment's tag block
      [SHIP_A[0]!, `${tag('c:1700000000')}${SHIP_A[1]}`],
      [`${SHIP_A[0]},1357134218`, SHIP_A[1]!],
      [SHIP_A[0]!, `${SHIP_A[1]},1357134218`],
      [`${tag('s:r1')}${SHIP_A[0]}`, SHIP_A[1]!], // tag blocks differ only by presence: one message, as gpsd joins it
      [`${tag('g:1-2-7')}${SHIP_A[0]}`, `${tag('g:2-2-7')}${SHIP_A[1]}`, ...SHIP_B],
    ];
    for (const lines of cases) expectLanesAgree(lines);
    expect(aisEvents(feed(cases[0]!))).toMatchObject([{ atMs: 1_700_000_000_000, tag: { timeMs: 1_700_000_000_000 }, msg: { mmsi: 258315000 } }]);
    expect(aisEvents(feed(cases[4]!))).toMatchObject([{ tag: { source: 'r1' }, msg: { mmsi: 258315000 } }]);
  });

  it('fragment timeouts, orphans, mismatches and evictions report the same codes and texts in both lanes', () => {
    const three = ['!AIVDM,3,1,2,A,<NjB8;0mJnR8:E1>PIP<E391dPC5P5CD1P1@B?H9=1>4?P5>P5H35C?P1PE>,0*64'];
    const cases: string[][] = [
      [SHIP_A[1]!], // orphan
      [SHIP_A[0]!, SHIP_A[0]!, SHIP_A[1]!], // a repeated first fragment replaces the old message
      [SHIP_A[0]!, ...three, SHIP_A[1]!], // another total on the channel, other sequence id
      [SHIP_A[0]!, SHIP_B[0]!, SHIP_B_ON_A[0]!, SHIP_A[1]!, SHIP_B[1]!], // eviction at maxPending 2
      [SHIP_A[0]!, vdm('AIVDM,2,2,7,B,888888888888880,2')], // sequence id differs: an orphan
      [vdm('AIVDM,2,1,9,B,53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp,0'), vdm('AIVDM,2,2,9,B,,2')],
    ];
    for (const lines of cases) {
      expectLanesAgree(lines, { maxPendingFragments: 2, fragmentTtlMs: 1500 }, (i) => i * 1000);
      expectLanesAgree(lines, { maxPendingFragments: 2 });
    }
  });

  it('agrees with the general framer on every capture with multipart lines, events and counters', () => {
    let multipart = 0;
    for (const file of fixtureFilesDeep('fixtures/ais').filter((f) => !/\.(md|chk|json|json\.gz)$/.test(f))) {
      const raw = readFileSync(path.join(REPO_ROOT, file));
      const buf = file.endsWith('.gz') ? gunzipSync(raw) : raw;
      const lines = buf.toString('latin1').split('\n');
      if (!lines.some((l) => /VD[MO],[2-9],/.test(l))) continue;
      multipart++;
      const run = (fastLane: boolean): Outcome => {
        const d = createNmeaDecoder({ fastLane, fragmentTtlMs: 30_000 });
        const events: DecodeEvent[] = [];
        let start = 0;
        let i = 0;
        // The bytes of the file as read, one line per call, the clock moving a second a line.
        for (let nl = buf.indexOf(10, start); ; nl = buf.indexOf(10, start)) {
          const end = nl < 0 ? buf.length : nl;
          d.decodeBytes(buf, start, end, { source: file, receivedAtMs: 1000 * i++ }, (e) => events.push(e));
          if (nl < 0) break;
          start = nl + 1;
        }
        return finish(d, events);
      };
      expect(run(true), file).toEqual(run(false));
    }
    expect(multipart).toBeGreaterThanOrEqual(20);
  });

  it('agrees with the general framer on 50,000 mutated multipart lines', () => {
    const rnd = seededRandom(0x3a17);
    const int = (n: number): number => Math.floor(rnd() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    // Runs of consecutive multipart lines, so untouched fragments still meet their partners.
    const sources = fixtureFilesDeep('fixtures/ais')
      .filter((f) => /\.(txt|log|nmea|aivdm)$/.test(f))
      .map((f) => readFileSync(path.join(REPO_ROOT, f), 'latin1').split('\n').filter((l) => /^!..VD[MO],[2-9],/.test(l)))
      .filter((ls) => ls.length >= 4);
    expect(sources.flat().length).toBeGreaterThan(1000);
    const edits: ((f: string[]) => void)[] = [
      (f) => (f[3] = pick(['', '0', '7', '12', '1*', 'x', '3 '])), // sequence id
      (f) => (f[4] = pick(['', 'A', 'B', '1', '2', 'AB', '*', 'C'])), // channel
      (f) => (f[1] = pick(['1', '2', '3', '9', '0', '02', '10', ''])), // total
      (f) => (f[2] = pick(['1', '2', '3', '0', '01', '9'])), // index
      (f) => (f[6] = pick(['0', '2', '5', '6', '9', '', '10', 'x'])), // fill bits
      (f) => (f[5] = pick(['', '0', f[5]!.slice(0, 3), `${f[5]},0`, `${f[5]}!`, `${f[5]}\u00e9`, `${f[5]}*`])), // payload
      (f) => (f[0] = pick(['AIVDM', 'AIVDO', 'BSVDM', '--VDM', 'AIVDX', 'A*VDM'])), // address
    ];
    const mutate = (line: string): string => {
      const f = line.slice(1, line.indexOf('*')).split(',');
      const r = rnd();
      if (r < 0.7) pick(edits)(f);
      const body = f.join(',');
      const sealed = vdm(body);
      if (r < 0.85) return sealed;
      if (r < 0.92) return `!${body}*${pick(['00', 'zz', '5'])}`;
      return `${sealed}${pick(['\r', ' ', ',1', '\\', '\t\r'])}`;
    };
    const lines: string[] = [];
    while (lines.length < 50_000) {
      const file = pick(sources);
      const at = int(file.length - 3);
      for (const line of file.slice(at, at + 1 + int(6))) lines.push(rnd() < 0.25 ? mutate(line.trimEnd()) : line);
    }
    for (const options of [{ maxPendingFragments: 8, fragmentTtlMs: 20_000 }, {}]) {
      const fast = feed(lines, options, (i) => i * 100);
      const general = feed(lines, { ...options, fastLane: false }, (i) => i * 100);
      expect(fast.counters).toEqual(general.counters);
      expect(fast.pending).toBe(general.pending);
      expect(fast.events.length).toBe(general.events.length);
      for (let i = 0; i < fast.events.length; i++) {
        if (!Object.is(fast.events[i], general.events[i])) expect(fast.events[i], `event ${i}`).toEqual(general.events[i]);
      }
      expect(aisEvents(fast).length).toBeGreaterThan(10_000);
    }
  });
});
