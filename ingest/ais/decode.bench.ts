import { existsSync, readFileSync } from 'node:fs';
import { decodeAisPayload } from './decode.js';
import { toGpsdJson } from './gpsd-json.js';

/**
 * Micro-benchmark of the payload decoder on the AISHub capture (gpsd contrib
 * ais-nmea-sample.log, 82k messages): payloads are extracted once, then decoded in a loop.
 * Imported by the bench runner from dist/ (or run from source with tsx).
 */
export async function run(): Promise<{ name: string; opsPerSec: number; notes?: string }[]> {
  const payloads = loadPayloads();
  const decodeRate = measure(payloads, (p, f) => (decodeAisPayload(p, f).ok ? 1 : 0));
  const jsonRate = measure(payloads, (p, f) => {
    const r = decodeAisPayload(p, f);
    return r.ok ? toGpsdJson(r.value, { scaled: true }).length : 0;
  });
  const notes = `${payloads.length / 2} payloads of ais-nmea-sample.log (multipart joined), one core`;
  return [
    { name: 'ais decodeAisPayload', opsPerSec: decodeRate, notes },
    { name: 'ais decodeAisPayload + toGpsdJson (scaled)', opsPerSec: jsonRate, notes },
  ];
}

type Work = (payload: string, fill: number) => number;

/** Best of a few ~1 s rounds after a warm-up; returns payloads per second. */
function measure(items: readonly (string | number)[], work: Work): number {
  let sink = 0;
  const pass = (): void => {
    for (let i = 0; i < items.length; i += 2) sink += work(items[i] as string, items[i + 1] as number);
  };
  for (let w = 0; w < 3; w++) pass();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 1e9) {
      pass();
      n += items.length / 2;
      elapsed = Number(process.hrtime.bigint() - start);
    }
    best = Math.max(best, (n * 1e9) / elapsed);
  }
  if (sink === -1) console.log(sink); // keep the work observable
  return Math.round(best);
}

/** Flat [payload, fill, payload, fill, …]; fragments joined per channel and sequence id. */
function loadPayloads(): (string | number)[] {
  const text = readFileSync(findFixture('fixtures/ais/gpsd/ais-nmea-sample.log'), 'latin1');
  const out: (string | number)[] = [];
  const pending = new Map<string, string>();
  for (const line of text.split('\n')) {
    const star = line.lastIndexOf('*');
    const f = line.slice(line.indexOf(',') + 1, star < 0 ? undefined : star).split(',');
    if (f.length < 6) continue;
    const [total, index, seq, channel, payload, fill] = f as [string, string, string, string, string, string];
    if (total === '1') {
      out.push(payload, Number(fill));
      continue;
    }
    const key = `${channel}/${seq}`;
    const joined = (index === '1' ? '' : (pending.get(key) ?? '')) + payload;
    if (index === total) {
      pending.delete(key);
      out.push(joined, Number(fill));
    } else pending.set(key, joined);
  }
  return out;
}

/** The fixture above this module (source or dist/ layout), else under the working directory. */
function findFixture(rel: string): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 6; i++) {
    const candidate = new URL(rel, dir);
    if (existsSync(candidate)) return candidate.pathname;
    dir = new URL('..', dir);
  }
  const fromCwd = `${process.cwd()}/${rel}`;
  if (existsSync(fromCwd)) return fromCwd;
  throw new Error(`${rel} not found above ${import.meta.url} or in ${process.cwd()}`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.opsPerSec.toLocaleString('en')} /s (${r.notes ?? ''})`);
}
