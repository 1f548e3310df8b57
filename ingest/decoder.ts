import type { RejectCode, Result } from '../model/index.js';
import { armouredXor, lastPayloadXor } from './ais/bits.js';
import { decodeAisBytes, decodeAisFragments, decodeAisPayload, decodeAisRange } from './ais/decode.js';
import { Reassembler, type FragmentPayload } from './ais/reassembly.js';
import type { AisMessage } from './ais/types.js';
import { GnssDecoder, type GnssFix } from './beidou/index.js';
import { frameLine } from './nmea/frame.js';
import { checksumMatches, emptySimpleVdm, readSimpleVdm, readSimpleVdmBytes } from './nmea/simple-vdm.js';
import type { Framed, RawSentence, Sentence, TagBlock } from './nmea/types.js';

/** Where a line came from: the MQTT receiver/card id or the file name, and when it arrived. */
export interface DecodeContext {
  readonly source: string;
  readonly receivedAtMs: number;
}

export type DecodeEvent =
  | {
      readonly kind: 'ais';
      readonly msg: AisMessage;
      /** Tag-block time of the (first) sentence, else receipt time. */
      readonly atMs: number;
      readonly source: string;
      readonly channel: string;
      readonly talker: string;
      readonly tag: TagBlock | undefined;
    }
  | { readonly kind: 'gnss'; readonly fix: GnssFix; readonly atMs: number; readonly source: string; readonly tag: TagBlock | undefined }
  | { readonly kind: 'reject'; readonly code: RejectCode; readonly detail?: string; readonly text: string };

export type EventSink = (e: DecodeEvent) => void;

/** Things that are not rejections but are worth counting. */
export interface DecoderCounters {
  lines: number;
  sentences: number;
  /** Valid sentences we do not use ($GPGSV, $PGHP, !AIABK …) and comments. */
  ignored: number;
  /** Tag blocks dropped from otherwise good sentences, by reason. */
  tagProblems: number;
  fragments: number;
}

export interface NmeaDecoder {
  /** Decodes one line (any of CRLF/LF already split off or not). Never throws on wire data. */
  decodeLine(line: string, ctx: DecodeContext, emit: EventSink): void;
  /**
   * Decodes the line `buf[start, end)` (the bytes of an MQTT payload or file as received). Same
   * outcome as `decodeLine` of its latin1 text; the common simple sentence never becomes a string.
   */
  decodeBytes(buf: Buffer, start: number, end: number, ctx: DecodeContext, emit: EventSink): void;
  /** Reports multipart messages whose time to live has passed (call from a timer). */
  expire(nowMs: number, emit: EventSink): void;
  readonly counters: Readonly<DecoderCounters>;
  readonly pendingFragments: number;
}

export interface DecoderOptions {
  /**
   * The fast lane for plain VDM/VDO sentences and (bytes) multipart fragments (default on); off,
   * every line takes the general framer (tests compare the two).
   */
  readonly fastLane?: boolean;
  /** Multipart messages pending at once, in total (default 1,024) and from one source (default 256). */
  readonly maxPendingFragments?: number;
  readonly maxPendingFragmentsPerSource?: number;
  readonly fragmentTtlMs?: number;
  readonly maxGnssSources?: number;
}

/**
 * Frame → reassemble → decode, for AIS (`!xxVDM`/`!xxVDO`, any talker) and GNSS (`$xxRMC/GGA/GNS/GLL`).
 * One instance holds the multipart and GNSS-date state of a whole feed, so fragments may arrive in
 * separate calls (separate MQTT payloads).
 */
export function createNmeaDecoder(options: DecoderOptions = {}): NmeaDecoder {
  return new StreamDecoder(options);
}

class StreamDecoder implements NmeaDecoder {
  readonly counters: DecoderCounters = { lines: 0, sentences: 0, ignored: 0, tagProblems: 0, fragments: 0 };
  private readonly reassembler: Reassembler;
  private readonly gnss: GnssDecoder;
  /** The sink of the call in progress: fragment drops are reported to whoever caused them. */
  private sink: EventSink = () => {};
  private ctx: DecodeContext = { source: '', receivedAtMs: 0 };
  private lastExpiryMs = 0;
  private readonly onRecord = (framed: Framed, text: string): void => this.record(framed, text);
  private readonly simple = emptySimpleVdm();

  private readonly fastLane: boolean;

  constructor(options: DecoderOptions) {
    this.fastLane = options.fastLane ?? true;
    this.reassembler = new Reassembler(
      {
        maxPending: options.maxPendingFragments ?? 1024,
        maxPendingPerSource: options.maxPendingFragmentsPerSource ?? 256,
        ttlMs: options.fragmentTtlMs ?? 60_000,
      },
      (code, text) => this.sink({ kind: 'reject', code, text }),
    );
    this.gnss = new GnssDecoder({ maxSources: options.maxGnssSources ?? 100_000 });
  }

  get pendingFragments(): number {
    return this.reassembler.size;
  }

  decodeLine(line: string, ctx: DecodeContext, emit: EventSink): void {
    this.begin(ctx, emit);
    const v = this.simple;
    if (this.fastLane && readSimpleVdm(line, v)) {
      if (this.emitSimple(decodeAisRange(line, v.payloadFrom, v.payloadTo, v.fillBits), line, 0)) return;
    }
    frameLine(line, this.onRecord);
  }

  decodeBytes(buf: Buffer, start: number, end: number, ctx: DecodeContext, emit: EventSink): void {
    this.begin(ctx, emit);
    const v = this.simple;
    if (this.fastLane && readSimpleVdmBytes(buf, start, end, v)) {
      if (v.total === 1) {
        if (this.emitSimple(decodeAisBytes(buf, v.payloadFrom, v.payloadTo, v.fillBits), buf, start)) return;
      } else if (this.fragmentBytes(buf, start)) return;
    }
    // Declined by the bytes lane: the string lane would decline it too, so go straight to framing.
    frameLine(buf.toString('latin1', start, end), this.onRecord);
  }

  /** The per-line prologue shared by both entries. */
  private begin(ctx: DecodeContext, emit: EventSink): void {
    this.counters.lines++;
    this.sink = emit;
    this.ctx = ctx;
    this.expireIfDue(ctx.receivedAtMs);
  }

  /**
   * Emits the fast lane's outcome for the sentence starting at `src[start]` and returns true, or
   * returns false when the general way must decide: a checksum mismatch or an armour error (which
   * may be a sentence with more fields than it seemed), both named exactly by the framer.
   */
  private emitSimple(r: Result<AisMessage>, src: string | Buffer, start: number): boolean {
    const v = this.simple;
    if (!checksumMatches(v, lastPayloadXor()) || (!r.ok && r.code === 'ais.armour')) return false;
    this.counters.sentences++;
    if (!r.ok) this.sink(rejection(r.code, r.detail, simpleText(src, start, v.end)));
    else {
      const ctx = this.ctx;
      this.sink({ kind: 'ais', msg: r.value, atMs: ctx.receivedAtMs, source: ctx.source, channel: v.channel, talker: v.talker, tag: undefined });
    }
    return true;
  }

  /**
   * The fast lane's multipart fragment `buf[start, v.end)`: checked (armour, checksum) and handed
   * to the reassembler exactly as `ais` hands a framed one. False, with nothing done: the general
   * way must decide (a character outside the armour alphabet may be a sentence with more fields).
   */
  private fragmentBytes(buf: Buffer, start: number): boolean {
    const v = this.simple;
    const payloadXor = armouredXor(buf, v.payloadFrom, v.payloadTo);
    if (payloadXor < 0 || !checksumMatches(v, payloadXor)) return false;
    this.counters.sentences++;
    const text = buf.toString('latin1', start, v.end);
    // Held as bytes, so the message decodes from bytes too: a copy, as the caller reuses its
    // buffer (TypedArray slice copies; Buffer#slice would share).
    const payload = Uint8Array.prototype.slice.call(buf, v.payloadFrom, v.payloadTo);
    this.fragment(v.total, v.index, v.seq, v.channel, v.talker, payload, v.fillBits, undefined, text);
    return true;
  }

  expire(nowMs: number, emit: EventSink): void {
    this.sink = emit;
    this.lastExpiryMs = nowMs;
    this.reassembler.expire(nowMs);
  }

  /** Multipart time-outs are checked at most once a second of receipt time, without a timer. */
  private expireIfDue(nowMs: number): void {
    if (nowMs - this.lastExpiryMs > 1000) {
      this.lastExpiryMs = nowMs;
      this.reassembler.expire(nowMs);
    }
  }

  private record(framed: Framed, text: string): void {
    if (framed.kind === 'skip') {
      this.counters.ignored++;
      return;
    }
    if (framed.kind === 'reject') {
      this.sink(rejection(framed.code, framed.detail, text));
      return;
    }
    const s = framed.sentence;
    this.counters.sentences++;
    if (s.tagProblem !== undefined) this.counters.tagProblems++;
    if (s.start === '!' && (s.formatter === 'VDM' || s.formatter === 'VDO')) this.ais(s, text);
    else if (s.start === '$') this.gnssSentence(s, text);
    else this.counters.ignored++;
  }

  private ais(s: RawSentence, text: string): void {
    // The six VDM fields are read in place from the comma offsets framing found (this is the hottest path).
    const line = s.line;
    const end = s.bodyEnd;
    const commas = s.commas;
    if (commas.length < 6) return this.sink(rejection('ais.format', 'fewer than 6 fields', text));
    const c1 = commas[1]!;
    const c2 = commas[2]!;
    const c3 = commas[3]!;
    const c4 = commas[4]!;
    const c5 = commas[5]!;
    const fillEnd = commas.length > 6 ? commas[6]! : end;
    const total = smallInt(line, s.bodyStart, c1);
    const index = smallInt(line, c1 + 1, c2);
    const fillBits = fillEnd === c5 + 1 ? 0 : smallInt(line, c5 + 1, fillEnd);
    if (total < 1 || index < 1 || index > total) return this.sink(rejection('ais.format', 'fragment count/number', text));
    if (fillBits < 0 || fillBits > 9) return this.sink(rejection('ais.format', 'fill bits', text));
    const channel = channelOf(line, c3 + 1, c4);
    const payload = line.slice(c4 + 1, c5);
    const tag = s.tag;
    if (total === 1) {
      const atMs = tag?.timeMs ?? this.ctx.receivedAtMs;
      return this.emitDecoded(decodeAisPayload(payload, fillBits), s.talker, channel, atMs, tag, text);
    }
    const seq = line.slice(c2 + 1, c3);
    this.fragment(total, index, seq, channel, s.talker, payload, fillBits, tag, text);
  }

  /**
   * Holds one fragment of a multipart message (either lane) and emits the message it completes.
   * `seq` is the sequence id field; a tag-block group keys the message instead.
   */
  private fragment(
    total: number,
    index: number,
    seq: string,
    channel: string,
    talker: string,
    payload: FragmentPayload,
    fillBits: number,
    tag: TagBlock | undefined,
    text: string,
  ): void {
    this.counters.fragments++;
    // One message's fragments share channel and sequence id, or the tag-block group (reassembly.ts says why no more).
    const link = tag?.group !== undefined ? `g\u0000${tag.group.id}` : `c\u0000${channel}\u0000${seq}`;
    const receivedAtMs = this.ctx.receivedAtMs;
    const atMs = tag?.timeMs ?? receivedAtMs;
    const r = this.reassembler.add({
      source: this.ctx.source,
      link,
      station: tag?.source,
      total,
      index,
      payload,
      fillBits,
      receivedAtMs,
      atMs,
      tag,
      text,
    });
    if (!r.ok) return this.sink(rejection(r.code, r.detail, text));
    if (r.value === undefined) return;
    const m = r.value;
    this.emitDecoded(decodeAisFragments(m.payloads, m.fillBits), talker, channel, m.atMs, m.tag, m.firstText);
  }

  private emitDecoded(
    r: Result<AisMessage>,
    talker: string,
    channel: string,
    atMs: number,
    tag: TagBlock | undefined,
    text: string,
  ): void {
    if (!r.ok) return this.sink(rejection(r.code, r.detail, text));
    this.sink({ kind: 'ais', msg: r.value, atMs, source: this.ctx.source, channel, talker, tag });
  }

  private gnssSentence(s: Sentence, text: string): void {
    const r = this.gnss.decode(s, this.ctx);
    if (r === undefined) {
      this.counters.ignored++;
      return;
    }
    if (!r.ok) return this.sink(rejection(r.code, r.detail, text));
    this.sink({ kind: 'gnss', fix: r.value, atMs: r.value.atMs, source: this.ctx.source, tag: s.tag });
  }
}

/** The record text of a fast-lane sentence `src[start, end)` (trailing blanks already cut, as the framer cuts them). */
function simpleText(src: string | Buffer, start: number, end: number): string {
  if (typeof src !== 'string') return src.toString('latin1', start, end);
  return start === 0 && end === src.length ? src : src.slice(start, end);
}

function rejection(code: RejectCode, detail: string | undefined, text: string): DecodeEvent {
  return detail === undefined ? { kind: 'reject', code, text } : { kind: 'reject', code, detail, text };
}

/** The 1–2 digit decimal in s[from, to), or -1. Faster than Number() and strict about junk. */
function smallInt(s: string, from: number, to: number): number {
  const n = to - from;
  if (n < 1 || n > 2) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The radio channel; the usual one-letter values come back as literals (no allocation). */
function channelOf(s: string, from: number, to: number): string {
  if (to === from) return '';
  if (to === from + 1) {
    const c = s.charCodeAt(from);
    if (c === 65) return 'A';
    if (c === 66) return 'B';
  }
  return s.slice(from, to);
}
