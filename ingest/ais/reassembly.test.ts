import { describe, expect, it } from 'vitest';
import type { RejectCode } from '../../model/index.js';
import { Reassembler, type Fragment } from './reassembly.js';

function setup(maxPending = 8, ttlMs = 1000, maxPendingPerSource = maxPending) {
  const drops: { code: RejectCode; text: string }[] = [];
  const r = new Reassembler({ maxPending, maxPendingPerSource, ttlMs }, (code, text) => drops.push({ code, text }));
  return { r, drops };
}

/** A fragment under `link` (channel/sequence id here), from source `src`, with tag-block `s:` `station` if given. */
function frag(link: string, index: number, total: number, payload: string, receivedAtMs = 0, fillBits = 0, station?: string, src = 'src'): Fragment {
  const text = `${link}#${index}`;
  const tag = station === undefined ? undefined : { source: station };
  return { source: src, link, station, index, total, payload, fillBits, receivedAtMs, text, atMs: receivedAtMs + index, tag };
}

describe('Reassembler', () => {
  it('joins fragments in order, keeping each fragment\'s fill bits', () => {
    const { r, drops } = setup();
    expect(r.add(frag('k', 1, 2, 'AAA', 0, 0))).toEqual({ ok: true, value: undefined });
    expect(r.add(frag('k', 2, 2, 'BB', 5, 2))).toEqual({
      ok: true,
      // Time and tag come from the first fragment (atMs = receivedAtMs + index in this helper).
      value: { payloads: ['AAA', 'BB'], fillBits: [0, 2], firstText: 'k#1', atMs: 1, tag: undefined },
    });
    expect(r.size).toBe(0);
    expect(drops).toEqual([]);
  });

  it('keeps interleaved messages under different keys apart', () => {
    const { r } = setup();
    r.add(frag('A/1', 1, 2, 'a1'));
    r.add(frag('B/1', 1, 3, 'b1'));
    r.add(frag('B/1', 2, 3, 'b2'));
    const a = r.add(frag('A/1', 2, 2, 'a2'));
    expect(a.ok && a.value?.payloads.join('')).toBe('a1a2');
    const b = r.add(frag('B/1', 3, 3, 'b3'));
    expect(b.ok && b.value?.payloads.join('')).toBe('b1b2b3');
  });

  it('accepts fragments out of order', () => {
    const { r } = setup();
    r.add(frag('k', 1, 3, 'x'));
    r.add(frag('k', 3, 3, 'z', 0, 4));
    const done = r.add(frag('k', 2, 3, 'y'));
    expect(done.ok && done.value).toEqual({ payloads: ['x', 'y', 'z'], fillBits: [0, 0, 4], firstText: 'k#1', atMs: 1, tag: undefined });
  });

  it('rejects a later fragment with nothing pending (orphan)', () => {
    const { r } = setup();
    expect(r.add(frag('k', 2, 2, 'x'))).toMatchObject({ ok: false, code: 'ais.fragment_orphan' });
  });

  it('does not join a fragment whose sequence id differs from its first (gpsd would, by channel alone)', () => {
    // AISHub capture lines 18536–18537 send such a pair; after two lost lines the same pair is two messages.
    const { r } = setup();
    r.add(frag('A/4', 1, 2, 'first'));
    expect(r.add(frag('A/1', 2, 2, 'second'))).toMatchObject({ ok: false, code: 'ais.fragment_orphan' });
    expect(r.size).toBe(1);
  });

  it('keeps sources apart: the same channel and sequence id from another source is another message', () => {
    const { r } = setup();
    r.add(frag('A/4', 1, 2, 'x', 0, 0, undefined, 'rx1'));
    expect(r.add(frag('A/4', 2, 2, 'y', 0, 0, undefined, 'rx2'))).toMatchObject({ ok: false, code: 'ais.fragment_orphan' });
  });

  it('joins fragments whose tag blocks differ only by presence, either way round, and keeps the tag it learns', () => {
    const { r } = setup();
    r.add(frag('B/2', 1, 2, 'a1'));
    const a = r.add(frag('B/2', 2, 2, 'a2', 5, 2, 'heldout1'));
    // The message takes the tag block (and its time) of the later fragment: the first had none.
    expect(a).toEqual({ ok: true, value: { payloads: ['a1', 'a2'], fillBits: [0, 2], firstText: 'B/2#1', atMs: 1, tag: { source: 'heldout1' } } });
    r.add(frag('B/2', 1, 2, 'b1', 0, 0, 'heldout1'));
    const b = r.add(frag('B/2', 2, 2, 'b2'));
    expect(b.ok && b.value?.payloads.join('')).toBe('b1b2');
    expect(r.size).toBe(0);
  });

  it('never joins fragments naming different stations', () => {
    const { r } = setup();
    r.add(frag('B/2', 1, 2, 'a1', 0, 0, 'rxA'));
    expect(r.add(frag('B/2', 2, 2, 'b2', 0, 0, 'rxB'))).toMatchObject({ ok: false, code: 'ais.fragment_orphan' });
    // A first fragment of another station leaves rxA's message alone.
    r.add(frag('B/2', 1, 2, 'b1', 0, 0, 'rxB'));
    const a = r.add(frag('B/2', 2, 2, 'a2', 0, 0, 'rxA'));
    expect(a.ok && a.value?.payloads.join('')).toBe('a1a2');
  });

  it('a reused sequence id ends the old message, tagged or not, unless it names another station', () => {
    const { r, drops } = setup();
    r.add(frag('B/2', 1, 2, 'x1'));
    r.add(frag('B/2', 1, 2, 'y1', 0, 0, 'heldout1'));
    expect(drops.map((d) => d.code)).toEqual(['ais.fragment_mismatch']);
    r.add(frag('B/2', 1, 2, 'z1', 0, 0, 'other'));
    expect(r.size).toBe(2);
    const y = r.add(frag('B/2', 2, 2, 'y2', 0, 0, 'heldout1'));
    expect(y.ok && y.value?.payloads.join('')).toBe('y1y2');
  });

  it('refuses to guess: a fragment naming no station that fits two stations\' messages is rejected, and so are both', () => {
    const { r, drops } = setup();
    r.add(frag('B/2', 1, 2, 'x1', 0, 0, 'rxA'));
    r.add(frag('B/2', 1, 2, 'y1', 0, 0, 'rxB'));
    expect(r.size).toBe(2);
    expect(r.add(frag('B/2', 2, 2, 'z2'))).toMatchObject({ ok: false, code: 'ais.fragment_ambiguous' });
    expect(drops.map((d) => d.code)).toEqual(['ais.fragment_ambiguous', 'ais.fragment_ambiguous']);
    expect(r.size).toBe(0);
  });

  it('a fragment naming a station joins its station’s message when the other one pending names another', () => {
    const { r } = setup();
    r.add(frag('B/2', 1, 2, 'x1', 0, 0, 'rxA'));
    r.add(frag('B/2', 1, 2, 'y1', 0, 0, 'rxB'));
    const y = r.add(frag('B/2', 2, 2, 'y2', 0, 0, 'rxB'));
    expect(y.ok && y.value?.payloads.join('')).toBe('y1y2');
    expect(r.size).toBe(1);
  });

  it('drops the old message when its sequence id is reused before it completed', () => {
    const { r, drops } = setup();
    r.add(frag('k', 1, 2, 'old'));
    expect(r.add(frag('k', 1, 2, 'new'))).toEqual({ ok: true, value: undefined });
    expect(drops).toEqual([{ code: 'ais.fragment_mismatch', text: 'k#1' }]);
    const done = r.add(frag('k', 2, 2, '!'));
    expect(done.ok && done.value?.payloads.join('')).toBe('new!');
  });

  it('times a message out after its time to live, on add and on expire()', () => {
    const { r, drops } = setup(8, 1000);
    r.add(frag('k', 1, 2, 'a', 0));
    expect(r.add(frag('k', 2, 2, 'b', 1001))).toMatchObject({ ok: false, code: 'ais.fragment_orphan' });
    expect(drops.map((d) => d.code)).toEqual(['ais.fragment_timeout']);
    r.add(frag('x', 1, 2, 'a', 2000));
    r.add(frag('y', 1, 2, 'a', 2500));
    r.expire(3200);
    expect(drops.map((d) => d.text)).toEqual(['k#1', 'x#1']);
    expect(r.size).toBe(1);
  });

  it('stays bounded: the oldest pending message is evicted', () => {
    const { r, drops } = setup(3);
    for (let i = 0; i < 5; i++) r.add(frag(`k${i}`, 1, 2, 'p'));
    expect(r.size).toBe(3);
    expect(drops).toEqual([
      { code: 'ais.fragment_evicted', text: 'k0#1' },
      { code: 'ais.fragment_evicted', text: 'k1#1' },
    ]);
    const done = r.add(frag('k4', 2, 2, 'q'));
    expect(done.ok && done.value?.payloads.join('')).toBe('pq');
  });
});

describe('Reassembler bounds per source', () => {
  it('a flood from one source evicts only its own messages; another source\'s message completes', () => {
    const { r, drops } = setup(1024, 60_000, 256);
    r.add(frag('A/1', 1, 2, 'quiet1', 0, 0, undefined, 'quiet'));
    for (let i = 0; i < 5000; i++) r.add(frag(`g/${i}`, 1, 2, 'junk', 1, 0, undefined, 'noisy'));
    expect(r.size).toBe(257);
    expect(drops).toHaveLength(5000 - 256);
    expect(new Set(drops.map((d) => d.code))).toEqual(new Set(['ais.fragment_evicted']));
    expect(drops.every((d) => d.text.startsWith('g/'))).toBe(true);
    const done = r.add(frag('A/1', 2, 2, 'quiet2', 2, 0, undefined, 'quiet'));
    expect(done.ok && done.value?.payloads.join('')).toBe('quiet1quiet2');
  });

  it('at the total bound, room is made from the source holding the most', () => {
    const { r, drops } = setup(10, 60_000, 8);
    r.add(frag('A/1', 1, 2, 'q', 0, 0, undefined, 'quiet'));
    r.add(frag('A/2', 1, 2, 'q', 0, 0, undefined, 'quiet'));
    for (let i = 0; i < 8; i++) r.add(frag(`n/${i}`, 1, 2, 'n', 1, 0, undefined, 'noisy'));
    expect(r.size).toBe(10);
    // A third source's message: the noisy source's oldest goes, not the quiet one's (older still).
    r.add(frag('B/1', 1, 2, 't', 2, 0, undefined, 'third'));
    expect(drops).toEqual([{ code: 'ais.fragment_evicted', text: 'n/0#1' }]);
    for (const seq of ['A/1', 'A/2']) expect(r.add(frag(seq, 2, 2, 'q', 3, 0, undefined, 'quiet')).ok).toBe(true);
  });
});
