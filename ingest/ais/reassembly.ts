import { ok, reject, type RejectCode, type Result } from '../../model/index.js';

export interface Fragment {
  /** Which message this fragment belongs to: source + channel + sequence id, or the tag-block group. */
  readonly key: string;
  readonly total: number;
  /** 1-based. */
  readonly index: number;
  readonly payload: string;
  readonly fillBits: number;
  /** Receipt time, for the time to live. */
  readonly receivedAtMs: number;
  /** The record text, kept for the rejection line if the message never completes. */
  readonly text: string;
}

export interface Assembled {
  readonly payload: string;
  readonly fillBits: number;
  /** The first fragment's record (it carries the tag-block time in real feeds). */
  readonly firstText: string;
}

export interface ReassemblyOptions {
  /** Messages pending at once; past this the oldest is dropped (`ais.fragment_evicted`). */
  readonly maxPending: number;
  /** A message not completed within this many ms of its first fragment is dropped. */
  readonly ttlMs: number;
}

export type DropSink = (code: RejectCode, text: string) => void;

interface Pending {
  readonly total: number;
  readonly parts: (string | undefined)[];
  received: number;
  fillBits: number;
  readonly firstAtMs: number;
  readonly firstText: string;
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
    if (p === undefined) {
      if (f.index !== 1) return reject('ais.fragment_orphan', `fragment ${f.index} of ${f.total}`);
      if (this.pending.size >= this.options.maxPending) this.evictOldest();
      p = {
        total: f.total,
        parts: new Array<string | undefined>(f.total).fill(undefined),
        received: 0,
        fillBits: 0,
        firstAtMs: f.receivedAtMs,
        firstText: f.text,
      };
      this.pending.set(f.key, p);
    }
    p.parts[f.index - 1] = f.payload;
    p.received++;
    if (f.index === f.total) p.fillBits = f.fillBits;
    if (p.received < p.total) return ok(undefined);
    this.pending.delete(f.key);
    return ok({ payload: p.parts.join(''), fillBits: p.fillBits, firstText: p.firstText });
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
