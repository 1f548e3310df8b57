import { describe, expect, it } from 'vitest';
import type { RejectCode } from '../../model/index.js';
import { Reassembler, type Fragment } from './reassembly.js';

function setup(maxPending = 8, ttlMs = 1000) {
  const drops: { code: RejectCode; text: string }[] = [];
  const r = new Reassembler({ maxPending, ttlMs }, (code, text) => drops.push({ code, text }));
  return { r, drops };
}

function frag(key: string, index: number, total: number, payload: string, receivedAtMs = 0, fillBits = 0): Fragment {
  const text = `${key}#${index}`;
  return { key, channelKey: key.split('/')[0]!, index, total, payload, fillBits, receivedAtMs, text, atMs: receivedAtMs + index, tag: undefined };
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

  it('joins a fragment whose sequence id differs from its first, when one message on the channel waits for it', () => {
    // AISHub capture lines 18536–18537: `!AIVDM,2,1,4,A,…` then `!AIVDM,2,2,1,A,…` (gpsd joins them).
    const { r } = setup();
    r.add(frag('A/4', 1, 2, 'first'));
    const done = r.add(frag('A/1', 2, 2, 'second'));
    expect(done.ok && done.value?.payloads.join('')).toBe('firstsecond');
    expect(r.size).toBe(0);
  });

  it('refuses to guess when two messages on the channel wait for the same fragment', () => {
    const { r } = setup();
    r.add(frag('A/4', 1, 2, 'x'));
    r.add(frag('A/5', 1, 2, 'y'));
    expect(r.add(frag('A/1', 2, 2, 'z'))).toMatchObject({ ok: false, code: 'ais.fragment_orphan' });
    expect(r.size).toBe(2);
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
