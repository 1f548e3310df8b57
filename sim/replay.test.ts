import { describe, expect, it } from 'vitest';
import { formatChecksum, withChecksum, xorChecksum } from '../ingest/index.js';
import { ReplayBatcher, replayCapture, type ReplayOptions } from './replay.js';

const T0 = 1_700_000_000; // epoch seconds

function tag(body: string): string {
  return `\\${body}*${formatChecksum(xorChecksum(body, 0, body.length))}\\`;
}

/** A checksummed single-part position report; `n` varies the payload so lines are distinct. */
function vdm(n: number): string {
  return withChecksum('!', `AIVDM,1,1,,A,15M67FC000G?ufbE\`FepT@3n0${n % 10}Sa,0`);
}

function timed(seconds: number, n: number): string {
  return `${tag(`s:r1,c:${seconds}`)}${vdm(n)}`;
}

/** Fake clock: `sleep` advances time; `publish` records when each payload went out. */
function harness(extra: Partial<ReplayOptions> = {}) {
  let t = 5_000;
  const sent: { atMs: number; payload: string }[] = [];
  const sleeps: number[] = [];
  const o: ReplayOptions = {
    topic: 'ais/raw/replay',
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    publish: async (topic, payload) => {
      expect(topic).toBe('ais/raw/replay');
      sent.push({ atMs: t - 5_000, payload });
    },
    ...extra,
  };
  return { o, sent, sleeps };
}

const linesOf = (payload: string): string[] => payload.split('\r\n').slice(0, -1);

describe('replay pacing', () => {
  it('follows tag-block times relative to the first, scaled by speed, one payload per time', async () => {
    const lines = [timed(T0, 1), timed(T0, 2), timed(T0 + 10, 3), timed(T0 + 25, 4), timed(T0 + 25, 5)];
    const h = harness({ speed: 2 });
    const counts = await replayCapture(lines, h.o);
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 5_000, 12_500]);
    expect(h.sent.map((s) => linesOf(s.payload))).toEqual([[lines[0], lines[1]], [lines[2]], [lines[3], lines[4]]]);
    expect(counts).toMatchObject({ lines: 5, payloads: 3, skipped: 0, inherited: 0, captureSpanMs: 25_000, maxLateMs: 0 });
  });

  it('plays at recorded speed by default and reads c: in milliseconds too', async () => {
    const ms = T0 * 1000;
    const lines = [`${tag(`c:${ms}`)}${vdm(1)}`, `${tag(`c:${ms + 1500}`)}${vdm(2)}`];
    const h = harness();
    await replayCapture(lines, h.o);
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 1_500]);
  });

  it('as fast as possible ignores times and never sleeps', async () => {
    const lines = [timed(T0, 1), timed(T0 + 3600, 2), timed(T0 + 7200, 3)];
    const h = harness({ asFastAsPossible: true });
    const counts = await replayCapture(lines, h.o);
    expect(h.sleeps).toEqual([]);
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 0, 0]);
    expect(counts.lines).toBe(3);
  });

  it('lines without a tag time inherit the previous one (and group with it)', async () => {
    const lines = [vdm(0), timed(T0, 1), vdm(2), vdm(3), timed(T0 + 4, 4), vdm(5)];
    const h = harness();
    const counts = await replayCapture(lines, h.o);
    // The untimed first line has no time to inherit: it goes out at once, on its own.
    expect(h.sent.map((s) => [s.atMs, linesOf(s.payload).length])).toEqual([
      [0, 1],
      [0, 3],
      [4_000, 2],
    ]);
    expect(counts.inherited).toBe(4);
  });

  it('keeps the fragments of a multipart message in one payload, even past the line limit or a time change', async () => {
    const lines = [
      '\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63',
      '\\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\\!AIVDM,2,2,6,A,00000000008,2*2A',
      '!AIVDM,2,1,3,B,55NBjP01mtGIL@CW;SM<D60P5Ld000000000000P0`<3557l0<50@kk@,0*66,b003669976,1272672016',
      withChecksum('!', 'AIVDM,2,2,3,B,1@0000000000000,2'),
      timed(1418169601 + 2, 7),
      withChecksum('!', 'AIVDM,3,1,5,A,55NBjP01mtGIL@CW;SM<D60P5Ld000000000000P0`<3557l0<50@kk@,0'),
      timed(1418169601 + 9, 8), // a stray timed line inside the message joins it (receivers interleave)
      withChecksum('!', 'AIVDM,3,2,5,A,1@0000000000000,0'),
      withChecksum('!', 'AIVDM,3,3,5,A,1@0000000000000,2'),
      vdm(9),
    ];
    const h = harness({ maxLinesPerPayload: 1 });
    await replayCapture(lines, h.o);
    expect(h.sent.map((s) => linesOf(s.payload))).toEqual([
      [lines[0], lines[1]],
      [lines[2], lines[3]],
      [lines[4]],
      [lines[5], lines[6], lines[7], lines[8]],
      [lines[9]],
    ]);
    // The last line inherits the stray line's time (+9 s), so it is a payload of its own.
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 0, 2_000, 2_000, 9_000]);
  });

  it('splits lines of one time into payloads of at most maxLinesPerPayload', async () => {
    const lines = Array.from({ length: 7 }, (_, i) => timed(T0, i));
    const h = harness({ maxLinesPerPayload: 3 });
    await replayCapture(lines, h.o);
    expect(h.sent.map((s) => linesOf(s.payload).length)).toEqual([3, 3, 1]);
    expect(h.sent.every((s) => s.atMs === 0)).toBe(true);
  });

  it('drops blank and comment lines, strips line ends, sends CRLF-terminated lines', async () => {
    const h = harness();
    const counts = await replayCapture([`${timed(T0, 1)}\r\n`, '', '# comment', '   ', `${timed(T0, 2)}\n`], h.o);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]!.payload).toBe(`${timed(T0, 1)}\r\n${timed(T0, 2)}\r\n`);
    expect(counts).toMatchObject({ lines: 2, skipped: 3 });
  });

  it('never schedules a payload before the previous one when capture time steps back', async () => {
    const lines = [timed(T0, 1), timed(T0 + 10, 2), timed(T0 + 5, 3), timed(T0 + 12, 4)];
    const h = harness();
    await replayCapture(lines, h.o);
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 10_000, 10_000, 12_000]);
  });

  it('waits for each publish (backpressure) and reports lateness when publishing is slow', async () => {
    let t = 0;
    let active = 0;
    let maxActive = 0;
    const counts = await replayCapture([timed(T0, 1), timed(T0 + 1, 2), timed(T0 + 2, 3)], {
      topic: 'ais/raw/x',
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      publish: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await Promise.resolve();
        t += 1_500; // each publish takes 1.5 s: the schedule slips
        active--;
      },
    });
    expect(maxActive).toBe(1);
    expect(counts.maxLateMs).toBe(1_000);
    expect(counts.elapsedMs).toBe(4_500);
  });

  it('reads async iterables (a file stream) the same way', async () => {
    async function* gen(): AsyncGenerator<string> {
      yield timed(T0, 1);
      yield timed(T0 + 1, 2);
    }
    const h = harness();
    const counts = await replayCapture(gen(), h.o);
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 1_000]);
    expect(counts.payloads).toBe(2);
  });

  it('rejects a speed that is not a positive number', () => {
    expect(() => new ReplayBatcher({ speed: 0 })).toThrow(RangeError);
    expect(() => new ReplayBatcher({ speed: Number.NaN })).toThrow(RangeError);
    expect(() => new ReplayBatcher({ speed: 0, asFastAsPossible: true })).not.toThrow();
  });
});
