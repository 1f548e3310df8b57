/**
 * Decode rate on gpsd's AISHub capture (85,182 sentences), in-process on one core, lines already
 * in memory. Besides the whole `decodeLine` path it times framing alone and payload decoding alone,
 * so a shortfall against the goal can be located. Run by bench/run.ts (one call = one round).
 * Results follow bench/types.ts `BenchResult`, restated here so ingest/ imports nothing from bench/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAisPayload } from './ais/decode.js';
import { Reassembler } from './ais/reassembly.js';
import { createNmeaDecoder, type DecodeEvent } from './decoder.js';
import { GpsdWriter } from './gpsd-output.js';
import { frameLine } from './nmea/frame.js';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly notes?: string;
  readonly goal?: { readonly op: '>=' | '>' | '<=' | '<'; readonly target: number };
}

export const title = 'NMEA/AIS decode, in-process, one core (gpsd AISHub capture)';

const CAPTURE = 'fixtures/ais/gpsd/ais-nmea-sample.log';
/** Each figure repeats whole passes over the capture for at least this long, so timer noise stays small. */
const MIN_MS = 250;
const CTX = { source: 'bench', receivedAtMs: 0 };

interface Corpus {
  readonly bytes: Buffer;
  /** start, end (exclusive, before the newline) of each line in `bytes`. */
  readonly lineOffsets: readonly number[];
  readonly lines: readonly string[];
  readonly sentences: number;
  readonly payloads: readonly { readonly payload: string; readonly fillBits: number }[];
}

let corpus: Corpus | undefined;

export async function run(): Promise<Result[]> {
  corpus ??= load();
  const c = corpus;

  const counts = { ais: 0, gnss: 0, reject: 0 };
  const count = (e: DecodeEvent): void => {
    counts[e.kind]++;
  };
  const whole = timePasses(() => {
    const decoder = createNmeaDecoder();
    for (const line of c.lines) decoder.decodeLine(line, CTX, count);
  });
  const perPass = { ais: counts.ais / whole.passes, reject: counts.reject / whole.passes };
  // A broken decoder is fast: refuse to report a rate for one that decodes nothing.
  if (perPass.ais < 80_000) throw new Error(`decoder produced only ${perPass.ais} AIS messages per pass`);

  const bytesCounts = { ais: 0, gnss: 0, reject: 0 };
  const countBytes = (e: DecodeEvent): void => {
    bytesCounts[e.kind]++;
  };
  const bytes = timePasses(() => {
    const decoder = createNmeaDecoder();
    const b = c.bytes;
    const o = c.lineOffsets;
    for (let i = 0; i < o.length; i += 2) decoder.decodeBytes(b, o[i]!, o[i + 1]!, CTX, countBytes);
  });
  if (bytesCounts.ais / bytes.passes !== perPass.ais) throw new Error('decodeBytes and decodeLine disagree on the message count');

  let records = 0;
  const framing = timePasses(() => {
    for (const line of c.lines) frameLine(line, () => records++);
  });

  let decoded = 0;
  const payload = timePasses(() => {
    for (const p of c.payloads) if (decodeAisPayload(p.payload, p.fillBits).ok) decoded++;
  });

  let chars = 0;
  const json = timePasses(() => {
    const decoder = createNmeaDecoder();
    const writer = new GpsdWriter({ scaled: true });
    const sink = (e: DecodeEvent): void => {
      const out = writer.write(e);
      if (typeof out === 'string') chars += out.length;
    };
    for (const line of c.lines) decoder.decodeLine(line, CTX, sink);
  });
  if (records === 0 || decoded === 0 || chars === 0) throw new Error('a pass did no work');

  const n = c.sentences;
  return [
    {
      name: 'decodeBytes: frame + reassemble + decode, lines in the bytes as received',
      value: (n * bytes.passes) / bytes.seconds,
      unit: 'sentences/s',
      goal: { op: '>=', target: 2_000_000 },
      notes: `the path MQTT frames and \`seagrid decode\` take; ${n.toLocaleString('en-US')} sentences → ${perPass.ais.toLocaleString('en-US')} messages, ${perPass.reject.toLocaleString('en-US')} rejections per pass`,
    },
    {
      name: 'decodeLine: the same from JS strings (one per line)',
      value: (n * whole.passes) / whole.seconds,
      unit: 'sentences/s',
      notes: 'for callers that already hold text; slower: charCodeAt on sliced strings',
    },
    { name: 'framing only (frameLine)', value: (n * framing.passes) / framing.seconds, unit: 'sentences/s' },
    {
      name: 'payload decode only (decodeAisPayload)',
      value: (c.payloads.length * payload.passes) / payload.seconds,
      unit: 'messages/s',
      notes: `${c.payloads.length.toLocaleString('en-US')} reassembled payloads`,
    },
    {
      name: 'decodeLine + gpsd JSON text (GpsdWriter)',
      value: (n * json.passes) / json.seconds,
      unit: 'sentences/s',
      notes: 'what `seagrid decode` does per line, minus IO',
    },
  ];
}

function timePasses(pass: () => void): { passes: number; seconds: number } {
  let passes = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (passes < 2 || elapsedNs < BigInt(MIN_MS) * 1_000_000n) {
    pass();
    passes++;
    elapsedNs = process.hrtime.bigint() - start;
  }
  return { passes, seconds: Number(elapsedNs) / 1e9 };
}

function load(): Corpus {
  const file = path.join(findUp(CAPTURE), CAPTURE);
  // latin1, as `seagrid decode` reads its input.
  const bytes = readFileSync(file);
  const lines = bytes.toString('latin1').split('\n');
  const lineOffsets: number[] = [];
  for (let start = 0; start < bytes.length; ) {
    let nl = bytes.indexOf(10, start);
    if (nl < 0) nl = bytes.length;
    lineOffsets.push(start, nl);
    start = nl + 1;
  }
  let sentences = 0;
  const payloads: { payload: string; fillBits: number }[] = [];
  const joiner = new Reassembler({ maxPending: 1024, maxPendingPerSource: 1024, ttlMs: 60_000 }, () => {});
  for (const line of lines) {
    frameLine(line, (framed, text) => {
      if (framed.kind !== 'sentence') return;
      sentences++;
      const f = framed.sentence.fields;
      if (framed.sentence.formatter !== 'VDM' && framed.sentence.formatter !== 'VDO') return;
      const total = Number(f[0]);
      const fillBits = Number(f[5] ?? 0);
      const payload = f[4] ?? '';
      if (total === 1) payloads.push({ payload, fillBits });
      else {
        const r = joiner.add({
          source: CAPTURE,
          link: `${f[3]}/${f[2]}`,
          station: undefined,
          total,
          index: Number(f[1]),
          payload,
          fillBits,
          receivedAtMs: 0,
          atMs: 0,
          tag: undefined,
          text,
        });
        // Joined as the payload decoder sees a standard multipart message (fill bits on the last part).
        if (r.ok && r.value !== undefined) payloads.push({ payload: r.value.payloads.join(''), fillBits: r.value.fillBits.at(-1) ?? 0 });
      }
    });
  }
  return { bytes, lineOffsets, lines, sentences, payloads };
}

/** The directory above this module (source or dist/) that holds `rel`. */
function findUp(rel: string): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, rel))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`${rel} not found above ${import.meta.url}`);
  }
}
