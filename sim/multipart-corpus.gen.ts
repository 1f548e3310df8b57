/**
 * Generates `fixtures/ais/generated-multipart/`: two receivers' streams of random AIS messages of
 * every decoded type, many of them split into 2–3 fragments, with what makes joining hard in
 * merged feeds — tag blocks on some lines and not others (`\s:…,c:…*hh\` or nothing, chosen per
 * line), channels A and B interleaved, sequence ids reused every ten messages, a few fragments with
 * another sequence id than their first (as AISHub sends), a few NMEA 4 `g:` groups and a few lost
 * fragments. Within one channel a message's fragments are consecutive, as a receiver sends them, so
 * gpsd's channel-only joining is right and `gpsdecode` gives the expected decode.
 *
 * Besides the lines it writes the ground truth: which input lines carry the fragments of which
 * message, so a test can prove no decoded message holds another's fragment.
 *
 *   npx tsx sim/multipart-corpus.gen.ts   # rewrites the fixture, gpsdecode's output included
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { withChecksum } from '../ingest/index.js';
import { encodePositionA, encodePositionB, encodeStaticPartA, encodeStaticPartB, encodeStaticVoyage } from './ais-encode.js';
import { tagBlock } from './nmea-out.js';
import { Rng } from './rng.js';
import { SixbitWriter, type ArmouredPayload } from './sixbit-writer.js';

export const CORPUS_SEED = 0x5ea9_0010;
export const CORPUS_DIR = 'fixtures/ais/generated-multipart';
/** The receivers, each one input file (one MQTT topic); two `s:` names each in their tag blocks. */
export const CORPUS_SOURCES = [
  { name: 'rx1', tagSources: ['heldout1', 'heldout2'] },
  { name: 'rx2', tagSources: ['shore7', 'shore8'] },
] as const;
const MESSAGES_PER_SOURCE = 10_000;

const P_SPLIT_SHORT = 0.3; // a payload that fits one sentence is still split (receivers may)
const P_TAG = 0.5; // per line
const P_GROUP = 0.05; // per multipart message: `g:` on every fragment

/** How often the feed goes wrong; the fixture's rates are the defaults, tests may ask for worse. */
export interface CorpusFaults {
  /** Per multipart message: later fragments under another sequence id (AISHub's capture: 1 in 2,429). */
  readonly otherSeq: number;
  /** Per fragment of a multipart message: the line never arrives. */
  readonly lost: number;
}
export const FIXTURE_FAULTS: CorpusFaults = { otherSeq: 0.0005, lost: 0.001 };

export interface GeneratedSource {
  readonly name: string;
  readonly lines: readonly string[];
  /** Per message, the 0-based line numbers of its fragments in fragment order; -1 for a lost one. */
  readonly messages: readonly (readonly number[])[];
}

const TEXT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';

export function generateMultipartCorpus(seed = CORPUS_SEED, faults = FIXTURE_FAULTS, messagesPerSource = MESSAGES_PER_SOURCE): GeneratedSource[] {
  return CORPUS_SOURCES.map((s, k) =>
    generateSource(new Rng(seed + k), s.name, s.tagSources, 200_000_000 + k * 10_000_000, faults, messagesPerSource),
  );
}

interface Line {
  readonly text: string;
  readonly message: number;
}

function generateSource(
  rng: Rng,
  name: string,
  tagSources: readonly string[],
  mmsiBase: number,
  faults: CorpusFaults,
  messages: number,
): GeneratedSource {
  const queues: Record<'A' | 'B', Line[]> = { A: [], B: [] };
  const seq = { A: 0, B: 0 };
  const fragments: (Line | undefined)[][] = [];
  let timeS = 1_760_660_000;
  let nextMmsi = mmsiBase;
  const pendingPartB: { mmsi: number; due: number }[] = [];

  const emit = (p: ArmouredPayload): void => {
    const message = fragments.length;
    const channel = rng.chance(0.5) ? 'A' : 'B';
    const tagSource = rng.pick(tagSources);
    timeS += rng.int(0, 1);
    const n = p.payload.length > 60 ? Math.ceil(p.payload.length / 60) : rng.chance(P_SPLIT_SHORT) ? rng.int(2, 3) : 1;
    const parts = split(rng, p.payload, n);
    const id = n === 1 ? '' : String(seq[channel]);
    if (n > 1) seq[channel] = (seq[channel] + 1) % 10;
    const otherId = n > 1 && rng.chance(faults.otherSeq) ? String((Number(id) + rng.int(1, 9)) % 10) : id;
    const group = n > 1 && rng.chance(P_GROUP) ? rng.int(1, 99_999) : undefined;
    const own: (Line | undefined)[] = [];
    for (let i = 0; i < n; i++) {
      const body = `AIVDM,${n},${i + 1},${i === 0 ? id : otherId},${channel},${parts[i]},${i === n - 1 ? p.fillBits : 0}`;
      let tag = '';
      if (group !== undefined) {
        tag = tagBlock(i === 0 ? { group: { index: 1, total: n, id: group }, source: tagSource, timeS } : { group: { index: i + 1, total: n, id: group } });
      } else if (rng.chance(P_TAG)) {
        tag = tagBlock({ source: tagSource, timeS });
      }
      const line = { text: `${tag}${withChecksum('!', body)}`, message };
      if (n > 1 && rng.chance(faults.lost)) {
        own.push(undefined);
        continue;
      }
      own.push(line);
      queues[channel].push(line);
    }
    fragments.push(own);
  };

  for (let made = 0; made < messages; made++) {
    const due = pendingPartB.findIndex((b) => b.due <= made);
    if (due >= 0) {
      const b = pendingPartB.splice(due, 1)[0]!;
      emit(encodeStaticPartB({ mmsi: b.mmsi, shipType: rng.int(0, 99), vendor: text(rng, 3), model: rng.int(0, 15), serial: rng.int(0, 2 ** 20 - 1), callsign: text(rng, 7), ...dims(rng), epfd: rng.int(0, 8) }));
      continue;
    }
    const mmsi = nextMmsi++;
    const type = rng.weighted<number>([[1, 6], [2, 1], [3, 2], [4, 1], [5, 6], [9, 1], [11, 1], [18, 2], [19, 2], [21, 2], [24, 2], [27, 1]]);
    if (type === 24) pendingPartB.push({ mmsi, due: made + rng.int(1, 20) });
    emit(encode(rng, type, mmsi));
  }

  // Channels A and B interleaved line by line, each keeping its own order.
  const lines: Line[] = [];
  while (queues.A.length + queues.B.length > 0) {
    const fromA = queues.B.length === 0 || (queues.A.length > 0 && rng.chance(queues.A.length / (queues.A.length + queues.B.length)));
    lines.push((fromA ? queues.A : queues.B).shift()!);
  }
  const lineNo = new Map(lines.map((l, i) => [l, i] as const));
  return {
    name,
    lines: lines.map((l) => l.text),
    messages: fragments.map((own) => own.map((l) => (l === undefined ? -1 : lineNo.get(l)!))),
  };
}

/** `payload` in `n` non-empty pieces; an over-long one in 60-character sentences. */
function split(rng: Rng, payload: string, n: number): string[] {
  if (n === 1) return [payload];
  if (payload.length > 60) {
    const out: string[] = [];
    for (let i = 0; i < payload.length; i += 60) out.push(payload.slice(i, i + 60));
    return out;
  }
  const cuts = new Set<number>();
  while (cuts.size < n - 1) cuts.add(rng.int(1, payload.length - 1));
  const at = [0, ...[...cuts].sort((a, b) => a - b), payload.length];
  return at.slice(1).map((end, i) => payload.slice(at[i], end));
}

function text(rng: Rng, max: number): string {
  let s = '';
  for (let i = rng.int(0, max); i > 0; i--) s += rng.pick([...TEXT]);
  return s.trim();
}

function dims(rng: Rng): { toBowM: number; toSternM: number; toPortM: number; toStarboardM: number } {
  return { toBowM: rng.int(0, 511), toSternM: rng.int(0, 511), toPortM: rng.int(0, 63), toStarboardM: rng.int(0, 63) };
}

/** Latitude/longitude in 1/10000 minute, now and then "not available" (91°/181°). */
function rawLat(rng: Rng, scale = 600_000): number {
  return rng.chance(0.03) ? 91 * scale : rng.int(-90 * scale, 90 * scale);
}
function rawLon(rng: Rng, scale = 600_000): number {
  return rng.chance(0.03) ? 181 * scale : rng.int(-180 * scale, 180 * scale);
}

const w = new SixbitWriter();

/** One random message of `type`; types without a simulator encoder are written field by field (ITU-R M.1371-5). */
function encode(rng: Rng, type: number, mmsi: number): ArmouredPayload {
  const repeat = rng.int(0, 3);
  switch (type) {
    case 1:
    case 2:
    case 3:
      return encodePositionA({
        type,
        mmsi,
        repeat,
        navStatus: rng.int(0, 15),
        rotDegMin: rng.chance(0.3) ? undefined : rng.range(-700, 700),
        sogKn: rng.chance(0.05) ? undefined : rng.range(0, 102),
        lat: rawLat(rng) / 600_000,
        lon: rawLon(rng) / 600_000,
        cogDeg: rng.chance(0.05) ? undefined : rng.range(0, 359.9),
        headingDeg: rng.chance(0.1) ? undefined : rng.int(0, 359),
        second: rng.int(0, 63),
        accuracy: rng.chance(0.5),
        raim: rng.chance(0.5),
        maneuver: rng.int(0, 2),
        radio: rng.int(0, 2 ** 19 - 1),
      });
    case 18:
      return encodePositionB({
        mmsi,
        repeat,
        sogKn: rng.chance(0.05) ? undefined : rng.range(0, 102),
        lat: rawLat(rng) / 600_000,
        lon: rawLon(rng) / 600_000,
        cogDeg: rng.chance(0.05) ? undefined : rng.range(0, 359.9),
        headingDeg: rng.chance(0.3) ? undefined : rng.int(0, 359),
        second: rng.int(0, 63),
        cs: rng.chance(0.5),
        display: rng.chance(0.5),
        dsc: rng.chance(0.5),
        band: rng.chance(0.5),
        msg22: rng.chance(0.5),
        assigned: rng.chance(0.1),
        raim: rng.chance(0.5),
        radio: rng.int(0, 2 ** 20 - 1),
      });
    case 5:
      return encodeStaticVoyage({
        mmsi,
        repeat,
        aisVersion: rng.int(0, 3),
        imo: rng.int(0, 2 ** 30 - 1),
        callsign: text(rng, 7),
        shipname: text(rng, 20),
        shipType: rng.int(0, 99),
        ...dims(rng),
        epfd: rng.int(0, 8),
        eta: { month: rng.int(0, 12), day: rng.int(0, 31), hour: rng.int(0, 24), minute: rng.int(0, 60) },
        draughtM: rng.int(0, 255) / 10,
        destination: text(rng, 20),
        dteNotReady: rng.chance(0.5),
      });
    case 4:
    case 11:
      return w.reset().u(type, 6).u(repeat, 2).u(mmsi, 30)
        .u(rng.int(0, 9999), 14).u(rng.int(0, 12), 4).u(rng.int(0, 31), 5).u(rng.int(0, 24), 5).u(rng.int(0, 60), 6).u(rng.int(0, 60), 6)
        .flag(rng.chance(0.5)).s(rawLon(rng), 28).s(rawLat(rng), 27).u(rng.int(0, 8), 4).zero(10).flag(rng.chance(0.5)).u(rng.int(0, 2 ** 19 - 1), 19)
        .armour();
    case 9:
      return w.reset().u(9, 6).u(repeat, 2).u(mmsi, 30)
        .u(rng.int(0, 4095), 12).u(rng.int(0, 1023), 10).flag(rng.chance(0.5)).s(rawLon(rng), 28).s(rawLat(rng), 27)
        .u(rng.int(0, 3600), 12).u(rng.int(0, 63), 6).u(rng.int(0, 255), 8).flag(rng.chance(0.5)).zero(3).flag(rng.chance(0.5)).flag(rng.chance(0.5))
        .u(rng.int(0, 2 ** 20 - 1), 20)
        .armour();
    case 19: {
      const d = dims(rng);
      return w.reset().u(19, 6).u(repeat, 2).u(mmsi, 30)
        .u(rng.int(0, 255), 8).u(rng.int(0, 1023), 10).flag(rng.chance(0.5)).s(rawLon(rng), 28).s(rawLat(rng), 27)
        .u(rng.int(0, 3600), 12).u(rng.chance(0.3) ? 511 : rng.int(0, 359), 9).u(rng.int(0, 63), 6).u(rng.int(0, 15), 4)
        .text(text(rng, 20), 20).u(rng.int(0, 99), 8).u(d.toBowM, 9).u(d.toSternM, 9).u(d.toPortM, 6).u(d.toStarboardM, 6)
        .u(rng.int(0, 8), 4).flag(rng.chance(0.5)).flag(rng.chance(0.5)).flag(rng.chance(0.5)).zero(4)
        .armour();
    }
    case 21: {
      const d = dims(rng);
      // The name's overflow beyond 20 characters rides at the end, in whole characters.
      const extension = rng.chance(0.5) ? text(rng, 14) : '';
      return w.reset().u(21, 6).u(repeat, 2).u(mmsi, 30)
        .u(rng.int(0, 31), 5).text(text(rng, 20).padEnd(extension === '' ? 0 : 20, 'X'), 20).flag(rng.chance(0.5))
        .s(rawLon(rng), 28).s(rawLat(rng), 27).u(d.toBowM, 9).u(d.toSternM, 9).u(d.toPortM, 6).u(d.toStarboardM, 6)
        .u(rng.int(0, 8), 4).u(rng.int(0, 63), 6).flag(rng.chance(0.5)).u(rng.int(0, 255), 8).flag(rng.chance(0.5)).flag(rng.chance(0.5))
        .flag(rng.chance(0.5)).zero(1).text(extension, extension.length)
        .armour();
    }
    case 24:
      return encodeStaticPartA({ mmsi, repeat, shipname: text(rng, 20) });
    case 27:
      return w.reset().u(27, 6).u(repeat, 2).u(mmsi, 30)
        .flag(rng.chance(0.5)).flag(rng.chance(0.5)).u(rng.int(0, 15), 4)
        .s(rawLon(rng, 600), 18).s(rawLat(rng, 600), 17).u(rng.int(0, 63), 6).u(rng.int(0, 511), 9).flag(rng.chance(0.5)).zero(1)
        .armour();
    default:
      throw new RangeError(`no encoder for type ${type}`);
  }
}

/**
 * The heavy-fault corpus of `ingest/corpora.test.ts` (5 % of fragments lost, 5 % of multipart
 * messages renumbered after their first), committed like the main one so ingest's tests read
 * files and never import this generator. No gpsdecode output: that test judges joins by the truth.
 */
export const HEAVY_CORPUS = { seed: 0x0bad, faults: { lost: 0.05, otherSeq: 0.05 }, messagesPerSource: 4000, dir: `${CORPUS_DIR}/heavy` } as const;

/** Writes the corpus, its truth and gpsdecode's decode of each receiver's file; then the heavy corpus and its truth. */
function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const write = (dir: string, s: GeneratedSource): string => {
    mkdirSync(dir, { recursive: true });
    const input = `${s.lines.join('\n')}\n`;
    writeFileSync(path.join(dir, `${s.name}.nmea.gz`), gzipSync(input, { level: 9 }));
    writeFileSync(path.join(dir, `${s.name}.truth.json.gz`), gzipSync(`${s.messages.map((m) => JSON.stringify(m)).join('\n')}\n`, { level: 9 }));
    return input;
  };
  const dir = path.join(root, CORPUS_DIR);
  for (const s of generateMultipartCorpus()) {
    const input = write(dir, s);
    const json = execFileSync('gpsdecode', ['-j'], { input, maxBuffer: 1 << 30 }).toString('latin1');
    const ais = json.split('\n').filter((l) => l.includes('"class":"AIS"'));
    writeFileSync(path.join(dir, `${s.name}.gpsdecode.json.gz`), gzipSync(`${ais.join('\n')}\n`, { level: 9 }));
    console.log(`${s.name}: ${s.lines.length} lines, ${s.messages.length} messages, gpsdecode ${ais.length} objects`);
  }
  for (const s of generateMultipartCorpus(HEAVY_CORPUS.seed, HEAVY_CORPUS.faults, HEAVY_CORPUS.messagesPerSource)) {
    write(path.join(root, HEAVY_CORPUS.dir), s);
    console.log(`heavy ${s.name}: ${s.lines.length} lines, ${s.messages.length} messages`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
