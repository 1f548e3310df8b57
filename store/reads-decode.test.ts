/**
 * `decode`, the binary track columns (reads.ts KEY_AGG and the replay's full form) into typed
 * arrays: columns written here the way PostgreSQL's *send functions write them (big-endian, base64),
 * from fixes whose expected order is a plain sort of the objects. The rows arrive as a parallel scan
 * hands them over (a few interleaved runs) or shuffled, with fixes of both sources at one time.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../model/index.js';
import { decode, PG_EPOCH_US, type TrackColumns } from './reads.js';

interface Fix {
  us: number;
  source: 'a' | 'b';
  lat: number;
  lon: number;
  sog: number;
  cog: number;
  heading: number | null;
  nav: number | null;
  receiver: string | null;
}

function columns(fixes: readonly Fix[]): TrackColumns {
  const n = fixes.length;
  const at = Buffer.alloc(8 * n);
  const lat = Buffer.alloc(8 * n);
  const lon = Buffer.alloc(8 * n);
  const sog = Buffer.alloc(4 * n);
  const cog = Buffer.alloc(4 * n);
  fixes.forEach((f, i) => {
    at.writeBigInt64BE(BigInt(f.us), 8 * i);
    lat.writeDoubleBE(f.lat, 8 * i);
    lon.writeDoubleBE(f.lon, 8 * i);
    sog.writeFloatBE(f.sog, 4 * i);
    cog.writeFloatBE(f.cog, 4 * i);
  });
  return {
    at: at.toString('base64'),
    lat: lat.toString('base64'),
    lon: lon.toString('base64'),
    sog: sog.toString('base64'),
    cog: cog.toString('base64'),
    source: fixes.map((f) => f.source).join(''),
    heading: fixes.map((f) => f.heading),
    nav: fixes.map((f) => f.nav),
    receiver: fixes.map((f) => f.receiver),
    // A column a caller's query adds (the evidence read's receipt times, ids): it must go along.
    ...{ tag: fixes.map((f) => `${f.us}${f.source}`) },
  };
}

function fixesOf(rand: () => number, n: number): Fix[] {
  const out: Fix[] = [];
  // µs since 2000, 10 s apart with jitter; every fifth time also heard from the other source.
  let us = 814_000_000_000_000;
  for (let i = 0; out.length < n; i++) {
    us += 10_000_000 + Math.floor(rand() * 1_000_000);
    const one = (source: 'a' | 'b'): Fix => ({
      us,
      source,
      lat: 29 + rand(),
      lon: 122 + rand(),
      sog: Math.fround(rand() * 12),
      cog: Math.fround(rand() * 360),
      heading: rand() < 0.2 ? null : Math.round(rand() * 359),
      nav: rand() < 0.5 ? null : 0,
      receiver: rand() < 0.3 ? null : `rx-${Math.floor(rand() * 5)}`,
    });
    out.push(one('a'));
    if (i % 5 === 0 && out.length < n) out.push(one('b'));
  }
  return out;
}

function expectDecoded(got: ReturnType<typeof decode>, sorted: readonly Fix[]): void {
  expect(got).toBeDefined();
  const d = got!;
  expect(d.n).toBe(sorted.length);
  expect(Array.from(d.us)).toEqual(sorted.map((f) => f.us));
  expect(Array.from(d.lat)).toEqual(sorted.map((f) => f.lat));
  expect(Array.from(d.lon)).toEqual(sorted.map((f) => f.lon));
  expect(Array.from(d.sog)).toEqual(sorted.map((f) => f.sog));
  expect(Array.from(d.cog)).toEqual(sorted.map((f) => f.cog));
  expect(d.source).toBe(sorted.map((f) => f.source).join(''));
  expect(d.row.heading).toEqual(sorted.map((f) => f.heading));
  expect(d.row.nav).toEqual(sorted.map((f) => f.nav));
  expect(d.row.receiver).toEqual(sorted.map((f) => f.receiver));
  expect((d.row as TrackColumns & { tag?: unknown }).tag).toEqual(sorted.map((f) => `${f.us}${f.source}`));
}

const bySort = (a: Fix, b: Fix): number => a.us - b.us || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);

describe('decode', () => {
  it('keeps columns already in time order as they are', () => {
    const fixes = fixesOf(seededRandom(1), 500);
    expectDecoded(decode(columns(fixes)), fixes);
  });

  it('puts three interleaved runs (a parallel scan: leader and two workers) in time order, every column alike', () => {
    const rand = seededRandom(2);
    const fixes = fixesOf(rand, 5_000);
    // Blocks of 1–40 rows dealt to three scanners, then their outputs interleaved in chunks.
    const runs: Fix[][] = [[], [], []];
    for (let i = 0; i < fixes.length; ) {
      const k = 1 + Math.floor(rand() * 40);
      runs[Math.floor(rand() * 3)]!.push(...fixes.slice(i, i + k));
      i += k;
    }
    const arrived: Fix[] = [];
    while (runs.some((r) => r.length > 0)) {
      const r = runs[Math.floor(rand() * 3)]!;
      arrived.push(...r.splice(0, 1 + Math.floor(rand() * 30)));
    }
    expect(arrived).not.toEqual(fixes);
    expectDecoded(decode(columns(arrived)), [...arrived].sort(bySort));
  });

  it('puts shuffled columns in time order, the AIS fix before the BeiDou fix of the same time', () => {
    const rand = seededRandom(3);
    const fixes = fixesOf(rand, 9_000);
    const shuffled = [...fixes];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const d = decode(columns(shuffled));
    expectDecoded(d, [...shuffled].sort(bySort));
    expect(d!.source).toContain('ab');
    // The times, as epoch ms, of a fix the sort put first.
    expect((d!.us[0]! + PG_EPOCH_US) / 1000).toBe((fixes[0]!.us + PG_EPOCH_US) / 1000);
  });
});
