import { readHexByte } from './checksum.js';
import { parseTagBlock } from './tag-block.js';
import type { Framed, RawSentence, TagBlock } from './types.js';
import type { RejectCode } from '../../model/index.js';

const BACKSLASH = 92;
const BANG = 33;
const DOLLAR = 36;
const HASH = 35;

export type RecordSink = (framed: Framed, recordText: string) => void;

/**
 * Frames one input line. A line normally holds one record (optional tag block + sentence), but
 * real feeds also concatenate records (`…*28\s:r1\!AIVDM…`) and append receiver fields after
 * `*hh` (`,1357134218`). Each record is handed to `sink` with its own outcome, so a corrupt
 * record never hides a good one beside it.
 */
export function frameLine(line: string, sink: RecordSink): void {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
  let pos = 0;
  while (pos < end && line.charCodeAt(pos) <= 32) pos++;
  if (pos >= end) return sink(SKIP, '');
  const first = line.charCodeAt(pos);
  if (first === HASH) return sink(SKIP, line.slice(pos, end));
  if (first !== BANG && first !== DOLLAR && first !== BACKSLASH) {
    // Tolerate a log prefix (receipt time, port name) before the first record.
    const at = firstRecordStart(line, pos, end);
    if (at < 0) return sink(rejected('nmea.format', 'no sentence start'), line.slice(pos, end));
    pos = at;
  }
  while (pos < end) pos = frameRecord(line, pos, end, sink);
}

/** Frames the record starting at `pos`; returns where the next record starts (or `end`). */
function frameRecord(line: string, pos: number, end: number, sink: RecordSink): number {
  const recordStart = pos;
  let tag: TagBlock | undefined;
  let tagProblem: RejectCode | undefined;
  if (line.charCodeAt(pos) === BACKSLASH) {
    const close = line.indexOf('\\', pos + 1);
    if (close < 0 || close >= end) {
      sink(rejected('nmea.tag_format', 'tag block not closed'), line.slice(pos, end));
      return end;
    }
    const parsed = parseTagBlock(line, pos + 1, close);
    if (parsed.ok) tag = parsed.value;
    else tagProblem = parsed.code;
    pos = close + 1;
    if (pos >= end) {
      // A lone tag block: nothing to decode (seen in DMA captures between sentences).
      sink(tagProblem === undefined ? SKIP : rejected(tagProblem), line.slice(recordStart, end));
      return end;
    }
  }
  const startChar = line.charCodeAt(pos);
  if (startChar !== BANG && startChar !== DOLLAR) {
    const next = firstRecordStart(line, pos + 1, end);
    sink(rejected('nmea.format', 'no ! or $ after the tag block'), line.slice(recordStart, next < 0 ? end : next));
    return next < 0 ? end : next;
  }
  const star = line.indexOf('*', pos + 1);
  if (star < 0 || star + 3 > end) {
    sink(rejected('nmea.format', 'no *hh checksum'), line.slice(recordStart, end));
    return end;
  }
  const next = nextRecordAfterChecksum(line, star + 3, end);
  const recordEnd = next < 0 ? end : next;
  const text = recordStart === 0 && recordEnd === line.length ? line : line.slice(recordStart, recordEnd);
  const want = readHexByte(line, star + 1);
  if (want < 0) {
    sink(rejected('nmea.format', 'checksum is not hex'), text);
    return recordEnd;
  }
  // One pass computes the checksum and finds the commas, so no consumer has to split or search.
  let sum = 0;
  let nc = 0;
  for (let i = pos + 1; i < star; i++) {
    const c = line.charCodeAt(i);
    sum ^= c;
    if (c === COMMA && nc < MAX_COMMAS) SCRATCH[nc++] = i;
  }
  if (sum !== want) {
    sink(rejected('nmea.checksum'), text);
    return recordEnd;
  }
  const addressEnd = nc === 0 ? star : SCRATCH[0]!;
  if (!isAddress(line, pos + 1, addressEnd)) {
    sink(rejected('nmea.format', 'bad address field'), text);
    return recordEnd;
  }
  const commas: number[] = new Array<number>(nc);
  for (let k = 0; k < nc; k++) commas[k] = SCRATCH[k]!;
  const proprietary = line.charCodeAt(pos + 1) === 80; // 'P'
  const talker = proprietary ? 'P' : intern(line, pos + 1, pos + 3);
  const formatter = intern(line, proprietary ? pos + 2 : pos + 3, addressEnd);
  const sentence = new FramedSentence(
    startChar === BANG ? '!' : '$',
    talker,
    formatter,
    tag,
    tagProblem,
    line,
    addressEnd === star ? star : addressEnd + 1,
    star,
    commas,
  );
  sink(sentence, text);
  return recordEnd;
}

/**
 * After `*hh`: receiver fields (`,1357134218`), junk, or another record. Another record starts
 * at a `\` or `!`/`$` — but only if a sentence start follows, so trailing text such as a literal
 * `\x0d\x0a` is treated as junk rather than a broken record.
 */
function nextRecordAfterChecksum(line: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === BANG || c === DOLLAR) return i;
    if (c === BACKSLASH) {
      const close = line.indexOf('\\', i + 1);
      if (close > 0 && close + 1 < end) {
        const after = line.charCodeAt(close + 1);
        if (after === BANG || after === DOLLAR) return i;
      }
    }
  }
  return -1;
}

function firstRecordStart(line: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === BANG || c === DOLLAR || c === BACKSLASH) return i;
  }
  return -1;
}

/** Address field: 2–10 characters of A–Z, 0–9 or `-` (the `!--VDM` talker of DMA feeds). */
function isAddress(line: string, from: number, to: number): boolean {
  const n = to - from;
  if (n < 2 || n > 10) return false;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}

/**
 * The sentence is its own `Framed` record (`kind` + `sentence` getter) so the hot path allocates one
 * object per sentence; `fields` is split only when a consumer asks (the AIS path never does).
 */
class FramedSentence implements RawSentence {
  readonly kind = 'sentence' as const;
  private splitFields: readonly string[] | undefined;

  constructor(
    readonly start: '!' | '$',
    readonly talker: string,
    readonly formatter: string,
    readonly tag: TagBlock | undefined,
    readonly tagProblem: RejectCode | undefined,
    readonly line: string,
    readonly bodyStart: number,
    readonly bodyEnd: number,
    readonly commas: readonly number[],
  ) {}

  get sentence(): RawSentence {
    return this;
  }

  get fields(): readonly string[] {
    if (this.splitFields === undefined) {
      this.splitFields = this.bodyStart >= this.bodyEnd && this.line.charCodeAt(this.bodyStart - 1) !== 44
        ? EMPTY_FIELDS
        : this.line.slice(this.bodyStart, this.bodyEnd).split(',');
    }
    return this.splitFields;
  }
}

/** Talkers and formatters repeat endlessly: look the spelling up by its char codes, no allocation. */
const interned = new Map<number, string>();

function intern(line: string, from: number, to: number): string {
  const n = to - from;
  if (n > 3 || n < 1) return line.slice(from, to);
  let key = n;
  for (let i = from; i < to; i++) key = key * 128 + (line.charCodeAt(i) & 127);
  const known = interned.get(key);
  if (known !== undefined) return known;
  const s = line.slice(from, to);
  if (interned.size < 65536) interned.set(key, s);
  return s;
}

const COMMA = 44;
/** Commas recorded per sentence: the address and 15 data fields cover AIS and GNSS sentences. */
const MAX_COMMAS = 16;
const SCRATCH = new Int32Array(MAX_COMMAS);

const SKIP: Framed = { kind: 'skip' };
const EMPTY_FIELDS: readonly string[] = [];

function rejected(code: RejectCode, detail?: string): Framed {
  return detail === undefined ? { kind: 'reject', code } : { kind: 'reject', code, detail };
}
