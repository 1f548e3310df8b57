import { seededRandom } from '../../model/index.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REJECT_CODES, type Result } from '../../model/index.js';
import { frameLine, withChecksum, type Sentence } from '../nmea/index.js';
import { GnssDecoder, type GnssFix } from './index.js';

/*
 * Property test: real sentences mutated (characters changed, dropped, inserted; fields dropped,
 * duplicated, swapped, emptied; truncation) and re-checksummed so that they reach the decoder
 * rather than stopping at framing. Nothing may throw; every outcome is undefined, a fix inside
 * the valid ranges, or a rejection with a beidou.* code; and a good RMC decoded between the
 * mutants always gives the same fix (no state is corrupted).
 */

const ITERATIONS = 20_000;

function realBodies(): string[] {
  const bodies: string[] = [];
  const add = (text: string): void => {
    for (const line of text.split(/\r?\n/)) {
      const start = line.indexOf('$');
      const star = line.lastIndexOf('*');
      if (start >= 0 && star > start) bodies.push(line.slice(start + 1, star));
    }
  };
  for (const f of ['beidou/gpsd/beidou-bd.log', 'beidou/gpsd/beidou-gb.log', 'geo/sample-feed-lines.tsv']) {
    add(readFileSync(new URL(`../../fixtures/${f}`, import.meta.url), 'utf8'));
  }
  // GLL appears in neither capture: the NMEA examples (valid, no fix).
  bodies.push('GPGLL,4916.45,N,12311.12,W,225444,A,A', 'GPGLL,4916.45,N,12311.12,W,225444,V,N');
  return bodies;
}

const prng = seededRandom;

const ALPHABET = ',.0123456789NSEWAVDNX-+ *$\\abc\u00e9';

function mutate(body: string, rnd: () => number): string {
  const pick = (n: number): number => Math.floor(rnd() * n);
  const fields = body.split(',');
  switch (pick(9)) {
    case 0: {
      const i = pick(body.length);
      return body.slice(0, i) + ALPHABET[pick(ALPHABET.length)] + body.slice(i + 1);
    }
    case 1: {
      const i = pick(body.length);
      return body.slice(0, i) + body.slice(i + 1);
    }
    case 2: {
      const i = pick(body.length + 1);
      return body.slice(0, i) + ALPHABET[pick(ALPHABET.length)] + body.slice(i);
    }
    case 3:
      return body.slice(0, pick(body.length + 1));
    case 4:
      fields.splice(1 + pick(Math.max(1, fields.length - 1)), 1);
      return fields.join(',');
    case 5: {
      const i = pick(fields.length);
      fields.splice(i, 0, fields[i] ?? '');
      return fields.join(',');
    }
    case 6: {
      const i = 1 + pick(Math.max(1, fields.length - 1));
      const j = 1 + pick(Math.max(1, fields.length - 1));
      const a = fields[i] ?? '';
      fields[i] = fields[j] ?? '';
      fields[j] = a;
      return fields.join(',');
    }
    case 7:
      fields[1 + pick(Math.max(1, fields.length - 1))] = '';
      return fields.join(',');
    default: {
      // Several hits at once.
      let s = body;
      for (let k = 0; k < 4; k++) s = mutate(s, rnd);
      return s;
    }
  }
}

function framed(line: string): Sentence[] {
  const out: Sentence[] = [];
  frameLine(line, (f) => {
    if (f.kind === 'sentence') out.push(f.sentence);
  });
  return out;
}

function checkOutcome(r: Result<GnssFix> | undefined, line: string): void {
  if (r === undefined) return;
  if (!r.ok) {
    expect(r.code.startsWith('beidou.') && r.code in REJECT_CODES, line).toBe(true);
    return;
  }
  const f = r.value;
  const sane =
    Number.isFinite(f.atMs) &&
    f.lat >= -90 && f.lat <= 90 &&
    f.lon >= -180 && f.lon <= 180 &&
    (f.sogKn === undefined || f.sogKn >= 0) &&
    (f.cogDeg === undefined || (f.cogDeg >= 0 && f.cogDeg <= 360)) &&
    (f.satellites === undefined || Number.isInteger(f.satellites)) &&
    (f.hdop === undefined || f.hdop >= 0) &&
    (f.altitudeM === undefined || Number.isFinite(f.altitudeM)) &&
    (f.mode === undefined || f.mode.length > 0);
  expect(sane, `${line} → ${JSON.stringify(f)}`).toBe(true);
}

describe('GnssDecoder on mutated real sentences', () => {
  it(`never throws over ${ITERATIONS} mutants, and a good RMC between them still decodes the same`, () => {
    const bodies = realBodies();
    expect(bodies.length).toBeGreaterThan(140);
    const rnd = prng(0x5ea9);
    const decoder = new GnssDecoder({ maxSources: 8 });
    const good = framed('$GNRMC,074159.799,A,3114.8943,N,12135.2444,E,0.23,4.94,250215,,,A*73')[0];
    if (good === undefined) throw new Error('reference RMC does not frame');
    const reference = decoder.decode(good, { source: 'ref', receivedAtMs: 0 });
    let reached = 0;
    let fixes = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const body = mutate(bodies[Math.floor(rnd() * bodies.length)] ?? '', rnd);
      // Mostly re-checksummed so the decoder sees it; sometimes raw, to exercise framing too.
      const line = rnd() < 0.9 ? withChecksum('$', body) : `$${body}*00`;
      const ctx = { source: `s${i % 11}`, receivedAtMs: 1_424_850_000_000 + i * 1000 };
      for (const s of framed(line)) {
        let r: Result<GnssFix> | undefined;
        expect(() => {
          r = decoder.decode(s, ctx);
        }, line).not.toThrow();
        if (r !== undefined) reached++;
        if (r?.ok === true) fixes++;
        checkOutcome(r, line);
      }
      if (i % 97 === 0) expect(decoder.decode(good, { source: 'ref', receivedAtMs: 0 })).toEqual(reference);
    }
    expect(decoder.trackedSources).toBeLessThanOrEqual(8);
    // The mutants must actually reach the position decoders, and some must still be fixes.
    expect(reached).toBeGreaterThan(ITERATIONS / 4);
    expect(fixes).toBeGreaterThan(100);
  });
});
