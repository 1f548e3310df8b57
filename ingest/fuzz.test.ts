/**
 * Fuzz: ≥ 100,000 mutated real lines (bit flips, truncation, splices, wrong checksums, bad fields
 * and payloads under a right checksum, duplicated/dropped/interleaved fragments, random and
 * non-ASCII bytes, very long lines) fed to one long-running decoder, each mutation placed around
 * or inside an untouched message. Checks: nothing throws; every event is well-formed; and the
 * untouched message decodes exactly as it does fed alone — a corrupt line inside a good multipart
 * message must not stop it being assembled. Reproducible: FUZZ_SEED=n picks another stream.
 */
import { seededRandom } from '../model/index.js';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toGpsdJson } from './ais/gpsd-json.js';
import { Type24Merger } from './ais/type24.js';
import type { AisMessage } from './ais/types.js';
import { createNmeaDecoder, type DecodeEvent } from './decoder.js';
import { frameLine } from './nmea/frame.js';
import { fixtureFilesDeep, fixtureLines, malformation } from './test-support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5ea6_71d);
const CASES = 100_000;

const prng = seededRandom;

// ---------------------------------------------------------------------------------------------
// Material: every NMEA-ish line of fixtures/ais/**, and the messages ("units") they hold

/** Expected decodes (.chk, .json) are not input; PROVENANCE.md is prose. */
const isInput = (f: string): boolean => !/\.(md|chk|json|json\.gz)$/.test(f);
const FILES = fixtureFilesDeep('fixtures/ais').filter(isInput);

interface AisLine {
  readonly total: number;
  readonly index: number;
  /** Reassembly identity as our decoder keys it (tag group, else tag source + channel + sequence id). */
  readonly key: string;
}

/** The line's single VDM/VDO record, if it is exactly that (a unit may only be made of such lines). */
function asAisLine(line: string): AisLine | undefined {
  const records: AisLine[] = [];
  let other = 0;
  frameLine(line, (framed) => {
    if (framed.kind !== 'sentence' || (framed.sentence.formatter !== 'VDM' && framed.sentence.formatter !== 'VDO')) {
      other++;
      return;
    }
    const s = framed.sentence;
    const f = s.fields;
    const key = s.tag?.group !== undefined ? `g${s.tag.group.id}` : `${s.tag?.source ?? ''}/${f[3]}/${f[2]}`;
    records.push({ total: Number(f[0]), index: Number(f[1]), key });
  });
  return records.length === 1 && other === 0 ? records[0] : undefined;
}

/** True when a record of `lines` frames as a multipart fragment: it could join a pending message. */
function hasValidFragment(lines: readonly string[]): boolean {
  let found = false;
  for (const line of lines) {
    frameLine(line, (framed) => {
      if (framed.kind !== 'sentence' || framed.sentence.start !== '!') return;
      const total = framed.sentence.fields[0];
      if (total !== undefined && total !== '1' && total !== '01') found = true;
    });
  }
  return found;
}

interface Unit {
  readonly lines: readonly string[];
  readonly multipart: boolean;
  /** Multipart, without tag blocks: safe to re-key by editing the sequence id (interleave). */
  readonly plain: boolean;
  readonly key: string;
}

const sourceLines: string[] = [];
const units: Unit[] = [];
{
  const seen = new Set<string>();
  for (const file of FILES) {
    const pending = new Map<string, { ais: AisLine; lines: string[] }>();
    for (const line of fixtureLines(file)) {
      if (line.trim() === '') continue;
      sourceLines.push(line);
      const a = asAisLine(line);
      if (a === undefined || !(a.total >= 1 && a.index >= 1 && a.index <= a.total && a.total <= 9)) continue;
      let u: string[] | undefined;
      if (a.total === 1) u = [line];
      else if (a.index === 1) pending.set(a.key, { ais: a, lines: [line] });
      else {
        const p = pending.get(a.key);
        if (p === undefined || p.ais.total !== a.total || p.lines.length !== a.index - 1) pending.delete(a.key);
        else {
          p.lines.push(line);
          if (a.index === a.total) {
            u = p.lines;
            pending.delete(a.key);
          }
        }
      }
      if (u === undefined) continue;
      const id = u.join('\n');
      if (seen.has(id)) continue;
      seen.add(id);
      const plain = u.length > 1 && u.every((l) => l.startsWith('!'));
      units.push({ lines: u, multipart: u.length > 1, plain, key: a.key });
    }
  }
}
const multipartUnits = units.filter((u) => u.multipart);
const plainMultipart = units.filter((u) => u.plain);

/** What a unit decodes to fed alone to a fresh decoder; undefined if it is not clean (a rejection or no message). */
const aloneCache = new Map<Unit, readonly AisMessage[] | null>();
function decodedAlone(u: Unit): readonly AisMessage[] | undefined {
  let r = aloneCache.get(u);
  if (r === undefined) {
    const msgs: AisMessage[] = [];
    let clean = true;
    const d = createNmeaDecoder();
    const sink = (e: DecodeEvent): void => {
      if (e.kind === 'ais') msgs.push(e.msg);
      else if (e.kind === 'reject') clean = false;
    };
    for (const line of u.lines) d.decodeLine(line, { source: 'fuzz', receivedAtMs: 0 }, sink);
    d.expire(Number.POSITIVE_INFINITY, sink);
    r = clean && msgs.length > 0 ? msgs : null;
    aloneCache.set(u, r);
  }
  return r ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Mutations

const HEX = '0123456789ABCDEF';
const ARMOUR = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw'.split('');

function checksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return HEX[x >> 4]! + HEX[x & 15]!;
}

/** Splits `[prefix]!body*hh[suffix]` at the first `!`/`$` after any tag block; undefined if not that shape. */
function parts(line: string): { pre: string; start: string; body: string; post: string } | undefined {
  const at = line.search(/[!$]/);
  if (at < 0) return undefined;
  const star = line.indexOf('*', at);
  if (star < 0 || star + 3 > line.length) return undefined;
  return { pre: line.slice(0, at), start: line[at]!, body: line.slice(at + 1, star), post: line.slice(star + 3) };
}

/** The line with its body replaced and a correct checksum: mutations that framing cannot catch. */
function resealed(line: string, edit: (fields: string[]) => void): string | undefined {
  const p = parts(line);
  if (p === undefined) return undefined;
  const fields = p.body.split(',');
  edit(fields);
  const body = fields.join(',');
  return `${p.pre}${p.start}${body}*${checksum(body)}${p.post}`;
}

interface Mutation {
  readonly kind: string;
  readonly lines: readonly string[];
  /** Untouched messages carried in the mutation (interleaved fragments) that must still decode. */
  readonly alsoExpected?: readonly AisMessage[];
}

class Mutator {
  constructor(private readonly rnd: () => number) {}

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  line(): string {
    return this.pick(sourceLines);
  }

  /** A random code unit: mostly printable ASCII, some control, Latin-1 and wider characters. */
  char(): string {
    const r = this.rnd();
    if (r < 0.6) return String.fromCharCode(32 + this.int(95));
    if (r < 0.75) return String.fromCharCode(this.int(32));
    if (r < 0.9) return String.fromCharCode(128 + this.int(128));
    const wide = ['\u2603', '\uFFFD', '\uD83D', '\uDE00', '\u00A0', '\u202E', '\u0000', '\uFEFF'];
    return this.pick(wide);
  }

  /** Builds one mutation around the untouched message `g`. */
  make(g: Unit): Mutation {
    const r = this.rnd();
    if (r < 0.2) return { kind: 'bit flip', lines: [this.bitFlip(this.line())] };
    if (r < 0.32) return { kind: 'truncation', lines: [this.truncate(this.line())] };
    if (r < 0.42) return { kind: 'splice', lines: [this.splice(this.line(), this.line())] };
    if (r < 0.52) return { kind: 'wrong checksum', lines: [this.wrongChecksum(this.line())] };
    if (r < 0.62) return this.resealedFields();
    if (r < 0.7) return this.resealedPayload();
    if (r < 0.76) return this.fragmentTrouble();
    if (r < 0.84 && g.multipart && plainMultipart.length > 0) return this.interleave(g);
    if (r < 0.92) return { kind: 'random bytes', lines: [this.randomBytes()] };
    if (r < 0.99) return this.tagTrouble();
    return { kind: 'long line', lines: [this.longLine()] };
  }

  bitFlip(line: string): string {
    const cs = line.split('');
    const n = 1 + this.int(3);
    for (let k = 0; k < n && cs.length > 0; k++) {
      const i = this.int(cs.length);
      cs[i] = String.fromCharCode(cs[i]!.charCodeAt(0) ^ (1 << this.int(8)));
    }
    return cs.join('');
  }

  truncate(line: string): string {
    const at = this.int(line.length + 1);
    return this.rnd() < 0.8 ? line.slice(0, at) : line.slice(at);
  }

  splice(a: string, b: string): string {
    return a.slice(0, this.int(a.length + 1)) + b.slice(this.int(b.length + 1));
  }

  wrongChecksum(line: string): string {
    const p = parts(line);
    if (p === undefined) return this.bitFlip(line);
    let want = 0;
    for (let i = 0; i < p.body.length; i++) want ^= p.body.charCodeAt(i);
    const bad = want ^ (1 + this.int(255));
    const hh = HEX[bad >> 4]! + HEX[bad & 15]!;
    return `${p.pre}${p.start}${p.body}*${this.rnd() < 0.5 ? hh : hh.toLowerCase()}${p.post}`;
  }

  /** Fragment count/number, sequence id, channel or fill bits made wrong under a right checksum. */
  resealedFields(): Mutation {
    const weird = ['', '0', '00', '10', '99', '-1', '1a', ' 1', '+1', 'X', '1.0', '6', '7', '\u00e9'];
    const line = this.pick(units).lines[0]!;
    const out = resealed(line, (f) => {
      const idx = 1 + this.pick([0, 1, 2, 3, 5, 6]); // after the address; 5 is the payload
      if (idx < f.length) f[idx] = this.pick(weird);
      else f.push(this.pick(weird));
    });
    return { kind: 'bad field, right checksum', lines: [out ?? this.bitFlip(line)] };
  }

  /** Payload cut short, padded, or holding characters outside the armour, under a right checksum. */
  resealedPayload(): Mutation {
    const line = this.pick(units).lines[0]!;
    const out = resealed(line, (f) => {
      const p = f[5] ?? '';
      const r = this.rnd();
      if (r < 0.4) f[5] = p.slice(0, this.int(p.length + 1));
      else if (r < 0.6) f[5] = p + Array.from({ length: 1 + this.int(40) }, () => this.pick(ARMOUR)).join('');
      else if (r < 0.8) {
        const cs = p.split('');
        if (cs.length > 0) cs[this.int(cs.length)] = this.char();
        f[5] = cs.join('');
      } else f[5] = this.pick(ARMOUR) + p.slice(1); // another message type, same bits
    });
    return { kind: 'bad payload, right checksum', lines: [out ?? this.bitFlip(line)] };
  }

  /** A multipart message with a fragment duplicated, dropped, or its order swapped. */
  fragmentTrouble(): Mutation {
    const u = this.pick(multipartUnits);
    const ls = [...u.lines];
    const i = this.int(ls.length);
    const r = this.rnd();
    if (r < 0.35) {
      ls.splice(i, 0, ls[i]!);
      return { kind: 'duplicated fragment', lines: ls };
    }
    if (r < 0.75) {
      ls.splice(i, 1);
      return { kind: 'dropped fragment', lines: ls };
    }
    ls.reverse();
    return { kind: 'reordered fragments', lines: ls };
  }

  /**
   * Another multipart message interleaved with `g`'s fragments under a different sequence id
   * (resealed): both must be assembled.
   */
  interleave(g: Unit): Mutation {
    const h = this.pick(plainMultipart);
    const expected = decodedAlone(h);
    const seq = /\/(\d?)$/.exec(g.key)?.[1] ?? '';
    const other = String((Number(seq === '' ? 0 : seq) + 1 + this.int(8)) % 10);
    const lines = h.lines.map((l) => resealed(l, (f) => (f[3] = other)) ?? l);
    return expected === undefined ? { kind: 'interleaved fragments', lines } : { kind: 'interleaved fragments', lines, alsoExpected: expected };
  }

  randomBytes(): string {
    const prefix = this.pick(['', '', '!AIVDM,', '!AIVDM,1,1,,A,', '$GPRMC,', '\\s:', '!', '\\']);
    return prefix + Array.from({ length: this.int(200) }, () => this.char()).join('');
  }

  /** A broken or misleading NMEA 4 tag block in front of a real sentence. */
  tagTrouble(): Mutation {
    const line = this.pick(units).lines[0]!;
    const bare = line.replace(/^\\[^\\]*\\/, '');
    const body = this.pick(['s:fuzz,c:1700000000', 'c:99999999999999', 'g:1-2-77,s:x', 'g:2-2-77', 'g:1-1-', 'x', '']);
    const tags = [
      `\\${body}*${checksum(body)}\\`,
      `\\${body}*00\\`,
      `\\${body}`,
      `\\${body}*${checksum(body)}`,
      '\\\\',
      `\\${body}*${checksum(body)}\\\\${body}\\`,
    ];
    return { kind: 'tag block', lines: [this.pick(tags) + bare] };
  }

  /** Tens of kB, now and then hundreds: many records on one line, a huge payload, or junk. */
  longLine(): string {
    const r = this.rnd();
    const n = this.rnd() < 0.1 ? 100_000 + this.int(200_000) : 2_000 + this.int(20_000);
    if (r < 0.4) {
      const records: string[] = [];
      let len = 0;
      while (len < Math.min(n, 30_000)) {
        const l = this.line();
        records.push(l);
        len += l.length;
      }
      return records.join(this.pick(['', ' ', '\r']));
    }
    // Random blocks repeated: cheap to build, and no shorter than `n`.
    const block = (chars: () => string): string => {
      const b = Array.from({ length: 1000 }, chars).join('');
      return b.repeat(Math.ceil(n / 1000));
    };
    if (r < 0.7) {
      const body = `AIVDM,1,1,,A,${block(() => this.pick(ARMOUR))},0`;
      return `!${body}*${checksum(body)}`;
    }
    return block(() => this.char());
  }
}

// ---------------------------------------------------------------------------------------------

/** Long lines are part of the fuzz; a failure report must still be readable. */
function clip(s: string): string {
  return s.length <= 600 ? s : `${s.slice(0, 400)} … (${s.length} chars) … ${s.slice(-150)}`;
}

/** `want` in order within `got` (other events may sit between: the mutated lines may decode too). */
function containsInOrder(got: readonly AisMessage[], want: readonly AisMessage[]): boolean {
  let k = 0;
  for (const m of got) if (k < want.length && isDeepStrictEqual(m, want[k])) k++;
  return k === want.length;
}

describe('fuzz: mutated real lines', () => {
  it(`≥ 100,000 mutations: nothing throws, events well-formed, untouched messages decode as alone (seed ${SEED})`, () => {
    const started = performance.now();
    const rnd = prng(SEED);
    const mutator = new Mutator(rnd);
    const decoder = createNmeaDecoder({ maxPendingFragments: 256 });
    const merger = new Type24Merger();
    const byKind = new Map<string, number>();
    const failures: string[] = [];
    const fail = (what: string, window: readonly string[]): void => {
      if (failures.length < 10) failures.push(`${clip(what)}\n  window: ${clip(JSON.stringify(window))}`);
    };

    let window: AisMessage[] = [];
    let mutatedLines = 0;
    let checked = 0;
    let insideMultipart = 0;
    let fed = 0;
    let events = 0;
    let nowMs = 0;
    const sink = (e: DecodeEvent): void => {
      events++;
      const bad = malformation(e);
      if (bad !== undefined) throw new Error(`malformed event: ${bad}: ${JSON.stringify(e)}`);
      if (e.kind !== 'ais') return;
      window.push(e.msg);
      // Output stages must take whatever the decoder emits, too.
      JSON.parse(toGpsdJson(e.msg, { scaled: (events & 1) === 0 }));
      if (e.msg.type === 24) merger.push(e.msg);
    };

    for (let c = 0; c < CASES; c++) {
      let g = mutator.pick(rnd() < 0.4 ? multipartUnits : units);
      let expected = decodedAlone(g);
      while (expected === undefined) {
        g = mutator.pick(units);
        expected = decodedAlone(g);
      }
      const m = mutator.make(g);
      byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
      mutatedLines += m.lines.length;

      // Inside a multipart message only what cannot be mistaken for one of its fragments:
      // corrupt lines, or fragments under another key (the interleave).
      let stream: string[];
      const inside =
        g.multipart && (m.kind === 'interleaved fragments' || (rnd() < 0.6 && !hasValidFragment(m.lines)));
      if (m.kind === 'interleaved fragments') {
        stream = [];
        let a = 0;
        let b = 0;
        while (a < g.lines.length || b < m.lines.length) {
          if (b >= m.lines.length || (a < g.lines.length && rnd() < 0.5)) stream.push(g.lines[a++]!);
          else stream.push(m.lines[b++]!);
        }
      } else if (inside) {
        const at = 1 + mutator.int(g.lines.length - 1);
        stream = [...g.lines.slice(0, at), ...m.lines, ...g.lines.slice(at)];
      } else {
        stream = rnd() < 0.5 ? [...m.lines, ...g.lines] : [...g.lines, ...m.lines];
      }
      if (inside) insideMultipart++;

      window = [];
      nowMs += 7; // the fragment time to live (60 s) passes every ~8,600 cases
      const ctx = { source: 'fuzz', receivedAtMs: nowMs };
      for (const line of stream) {
        fed++;
        try {
          decoder.decodeLine(line, ctx, sink);
        } catch (err) {
          fail(`case ${c} (${m.kind}): threw on ${JSON.stringify(line)}: ${err instanceof Error ? err.message : String(err)}`, stream);
        }
      }
      if (decoder.pendingFragments > 256) fail(`case ${c}: ${decoder.pendingFragments} fragments pending`, stream);
      checked++;
      if (!containsInOrder(window, expected)) {
        fail(`case ${c} (${m.kind}${inside ? ', inside' : ''}): untouched message not decoded as alone: ${JSON.stringify(expected)}; got ${JSON.stringify(window)}`, stream);
      }
      if (m.alsoExpected !== undefined && !containsInOrder(window, m.alsoExpected)) {
        fail(`case ${c} (${m.kind}): interleaved message lost: ${JSON.stringify(m.alsoExpected)}`, stream);
      }
    }
    decoder.expire(Number.POSITIVE_INFINITY, sink);

    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fuzz seed ${SEED}: ${CASES.toLocaleString('en-US')} cases, ${mutatedLines.toLocaleString('en-US')} mutated lines, ` +
        `${fed.toLocaleString('en-US')} lines fed, ${events.toLocaleString('en-US')} events, ` +
        `${insideMultipart.toLocaleString('en-US')} mutations inside a multipart message, ${units.length.toLocaleString('en-US')} units ` +
        `from ${FILES.length} files, ${seconds.toFixed(1)} s\n  by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
    expect(failures).toEqual([]);
    expect(mutatedLines).toBeGreaterThanOrEqual(100_000);
    expect(checked).toBe(CASES);
    expect(insideMultipart).toBeGreaterThan(CASES / 10);
  });
});
