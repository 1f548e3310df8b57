import { ok, reject, type RejectCode, type Result } from '../../model/index.js';
import type { TagBlock } from '../nmea/types.js';

export interface Fragment {
  /** Which message this fragment belongs to: source + channel + sequence id, or the tag-block group. */
  readonly key: string;
  /**
   * The key without the sequence id (source + channel). Some receivers number the fragments of one
   * message differently; gpsd joins by channel alone. A fragment that would be an orphan under its
   * own key joins the single pending message on its channel that waits for exactly it.
   */
  readonly channelKey: string;
  readonly total: number;
  /** 1-based. */
  readonly index: number;
  /** Text from the framer; bytes (a copy, ASCII armour) from the decoder's fast lane. */
  readonly payload: FragmentPayload;
  readonly fillBits: number;
  /** Receipt time, for the time to live. */
  readonly receivedAtMs: number;
  /** Message time (tag-block `c:` or receipt) and tag block of this fragment's sentence. */
  readonly atMs: number;
  readonly tag: TagBlock | undefined;
  /** The record text, kept for the rejection line if the message never completes. */
  readonly text: string;
}

export interface Assembled {
  /** Fragment payloads in order; each fragment's own fill bits (senders put them on early ones too). */
  readonly payloads: readonly FragmentPayload[];
  readonly fillBits: readonly number[];
  /** The first fragment's record, time and tag block: in real feeds only it carries `c:` and `s:`. */
  readonly firstText: string;
  readonly atMs: number;
  readonly tag: TagBlock | undefined;
}

/** A fragment's payload characters, held as given: the joiner never looks inside. */
export type FragmentPayload = string | Uint8Array;

export interface ReassemblyOptions {
  /** Messages pending at once; past this the oldest is dropped (`ais.fragment_evicted`). */
  readonly maxPending: number;
  /** A message not completed within this many ms of its first fragment is dropped. */
  readonly ttlMs: number;
}

export type DropSink = (code: RejectCode, text: string) => void;

interface Pending {
  readonly channelKey: string;
  readonly total: number;
  readonly parts: (FragmentPayload | undefined)[];
  readonly fills: number[];
  received: number;
  readonly firstAtMs: number;
  readonly firstText: string;
  readonly atMs: number;
  readonly tag: TagBlock | undefined;
}

/**
 * Joins multipart AIS messages. Fragments are held per key, so messages interleaved from two
 * channels, two receivers or two tag-block groups do not disturb each other, and fragments may
 * arrive in separate MQTT payloads. Bounded in count and age; every dropped message is reported.
 */
export class Reassembler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly options: ReassemblyOptions,
    private readonly onDrop: DropSink,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Ok(undefined): held, waiting for the rest. Ok(message): complete. Rejection: this fragment is unusable. */
  add(f: Fragment): Result<Assembled | undefined> {
    let p = this.pending.get(f.key);
    if (p !== undefined && f.receivedAtMs - p.firstAtMs > this.options.ttlMs) {
      this.drop(f.key, p, 'ais.fragment_timeout');
      p = undefined;
    }
    if (p !== undefined && (p.total !== f.total || p.parts[f.index - 1] !== undefined)) {
      // Sequence ids are reused every 10 messages: a clash means the old message lost a part.
      this.drop(f.key, p, 'ais.fragment_mismatch');
      p = undefined;
    }
    let key = f.key;
    if (p === undefined && f.index !== 1) {
      const adopted = this.soleWaitingFor(f);
      if (adopted === undefined) return reject('ais.fragment_orphan', `fragment ${f.index} of ${f.total}`);
      [key, p] = adopted;
    }
    if (p === undefined) {
      if (this.pending.size >= this.options.maxPending) this.evictOldest();
      p = {
        channelKey: f.channelKey,
        total: f.total,
        parts: new Array<FragmentPayload | undefined>(f.total).fill(undefined),
        fills: new Array<number>(f.total).fill(0),
        received: 0,
        firstAtMs: f.receivedAtMs,
        firstText: f.text,
        atMs: f.atMs,
        tag: f.tag,
      };
      this.pending.set(f.key, p);
    }
    p.parts[f.index - 1] = f.payload;
    p.fills[f.index - 1] = f.fillBits;
    p.received++;
    if (p.received < p.total) return ok(undefined);
    this.pending.delete(key);
    return ok({ payloads: p.parts as FragmentPayload[], fillBits: p.fills, firstText: p.firstText, atMs: p.atMs, tag: p.tag });
  }

  /** The one pending message on the fragment's channel that expects exactly this fragment next. */
  private soleWaitingFor(f: Fragment): [string, Pending] | undefined {
    let found: [string, Pending] | undefined;
    for (const entry of this.pending) {
      const p = entry[1];
      if (p.channelKey !== f.channelKey || p.total !== f.total || p.received !== f.index - 1) continue;
      if (p.parts[f.index - 1] !== undefined) continue;
      if (found !== undefined) return undefined; // ambiguous: refuse to guess
      found = entry;
    }
    return found;
  }

  /** Drops every message whose first fragment is older than the time to live. */
  expire(nowMs: number): void {
    // Map iteration is insertion order, which is first-fragment order: stop at the first young one.
    for (const [key, p] of this.pending) {
      if (nowMs - p.firstAtMs <= this.options.ttlMs) break;
      this.drop(key, p, 'ais.fragment_timeout');
    }
  }

  private evictOldest(): void {
    const first = this.pending.entries().next();
    if (!first.done) this.drop(first.value[0], first.value[1], 'ais.fragment_evicted');
  }

  private drop(key: string, p: Pending, code: RejectCode): void {
    this.pending.delete(key);
    this.onDrop(code, p.firstText);
  }
}
