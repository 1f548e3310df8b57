import { ok, reject, type RejectCode, type Result } from '../../model/index.js';
import type { TagBlock } from '../nmea/types.js';

/**
 * Joins multipart AIS messages, and never joins a fragment to a message it may not belong to.
 *
 * What may join. A fragment joins a pending message only when all of these hold:
 * - same source (the MQTT topic or file: one receiver's feed), never across sources;
 * - same link: the radio channel and the sequence id, or the NMEA 4 group id (`g:`) when the tag
 *   block has one (fragments with and without `g:` never join). A later fragment whose sequence id
 *   differs from every pending message is an orphan: gpsd joins it by channel alone, but the id is
 *   the only link the line format gives, and two lost lines make such a guess wrong;
 * - same fragment count, and the fragment's slot still empty;
 * - compatible station: tag-block `s:` equal, or absent on either side. Merged feeds put a tag block
 *   on some lines and not on others, so an absent `s:` says nothing (gpsd ignores tag blocks); two
 *   different `s:` are two receivers. A message learns its station from the first fragment naming one.
 *
 * A first fragment starts a new message and ends (`ais.fragment_mismatch`) every pending message
 * under its link with a compatible station: a sender reuses a sequence id only once its message with
 * that id is over, so the old one lost a part (gpsd likewise restarts the channel). A message naming
 * another station is another receiver's and is kept. Later fragments may arrive in any order; one
 * with nothing to join is an orphan.
 *
 * Ambiguity is refused, not guessed. Messages of different stations may wait under one link; a
 * later fragment naming no station fits each of them. It is rejected (`ais.fragment_ambiguous`) and
 * so are they: one of them lost this fragment and no later line can tell which.
 *
 * What lines cannot tell: a source's lines without `s:` are taken as one receiver's (gpsd takes a
 * whole stream as one). Receivers merged into one source that leave `s:` off some lines can be told
 * apart only on the lines that carry it: give each receiver its own topic, or an `s:` on every line.
 *
 * Bounds: a message not completed within the time to live of its first fragment is dropped
 * (`ais.fragment_timeout`); pending messages are bounded per source and in total, and room is made
 * by dropping the oldest message of the source holding the most (`ais.fragment_evicted`), so a
 * noisy receiver cannot push out the fragments of quiet ones. Every dropped message is reported.
 */

export interface Fragment {
  /** The receiver (MQTT topic or file): fragments of different sources never join. */
  readonly source: string;
  /** What every fragment of one message shares exactly: channel + sequence id, or the `g:` group id. */
  readonly link: string;
  /** Tag-block `s:` of this fragment's sentence, if it had one. */
  readonly station: string | undefined;
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
  /** The first fragment's record. */
  readonly firstText: string;
  /**
   * The tag block of the first fragment, else of the first later one that had one (merged feeds tag
   * some lines only), and the time it gives (`c:`), else the first fragment's.
   */
  readonly atMs: number;
  readonly tag: TagBlock | undefined;
}

/** A fragment's payload characters, held as given: the joiner never looks inside. */
export type FragmentPayload = string | Uint8Array;

export interface ReassemblyOptions {
  /** Messages pending at once over all sources. */
  readonly maxPending: number;
  /** Messages pending at once from one source. */
  readonly maxPendingPerSource: number;
  /** A message not completed within this many ms of its first fragment is dropped. */
  readonly ttlMs: number;
}

export type DropSink = (code: RejectCode, text: string) => void;

interface Pending {
  readonly source: string;
  /** `source` + link: the map key of the list this message sits in. */
  readonly linkKey: string;
  station: string | undefined;
  readonly total: number;
  readonly parts: (FragmentPayload | undefined)[];
  readonly fills: number[];
  received: number;
  readonly firstAtMs: number;
  readonly firstText: string;
  atMs: number;
  tag: TagBlock | undefined;
}

export class Reassembler {
  /** Pending messages by source + link; a list, as messages of different stations may share one. */
  private readonly byLink = new Map<string, Pending[]>();
  /** Every pending message in first-fragment order (the time to live walks it). */
  private readonly all = new Set<Pending>();
  /** Pending messages per source, each in first-fragment order. A source leaves the map when it has none. */
  private readonly bySource = new Map<string, Set<Pending>>();

  constructor(
    private readonly options: ReassemblyOptions,
    private readonly onDrop: DropSink,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** Ok(undefined): held, waiting for the rest. Ok(message): complete. Rejection: this fragment is unusable. */
  add(f: Fragment): Result<Assembled | undefined> {
    const linkKey = `${f.source}\u0000${f.link}`;
    const list = this.byLink.get(linkKey);
    if (list !== undefined) {
      // Backwards: a drop takes the message out of this very list.
      for (let i = list.length - 1; i >= 0; i--) {
        const p = list[i]!;
        if (f.receivedAtMs - p.firstAtMs > this.options.ttlMs) this.drop(p, 'ais.fragment_timeout');
        else if (f.index === 1 && compatible(p.station, f.station)) this.drop(p, 'ais.fragment_mismatch');
      }
    }
    if (f.index === 1) return ok(this.fill(this.startMessage(f, linkKey), f));
    let found: Pending | undefined;
    let fits = 0;
    for (const p of list ?? []) {
      if (!this.fits(p, f)) continue;
      found = p;
      fits++;
    }
    if (found === undefined) return reject('ais.fragment_orphan', `fragment ${f.index} of ${f.total}`);
    if (fits > 1) {
      for (let i = list!.length - 1; i >= 0; i--) if (this.fits(list![i]!, f)) this.drop(list![i]!, 'ais.fragment_ambiguous');
      return reject('ais.fragment_ambiguous', `fragment ${f.index} of ${f.total} fits ${fits} pending messages`);
    }
    return ok(this.fill(found, f));
  }

  /** A later fragment may join `p` (same source and link already). */
  private fits(p: Pending, f: Fragment): boolean {
    return p.total === f.total && p.parts[f.index - 1] === undefined && compatible(p.station, f.station);
  }

  /** Drops every message whose first fragment is older than the time to live. */
  expire(nowMs: number): void {
    // Set iteration is insertion order, which is first-fragment order: stop at the first young one.
    for (const p of this.all) {
      if (nowMs - p.firstAtMs <= this.options.ttlMs) break;
      this.drop(p, 'ais.fragment_timeout');
    }
  }

  /** A new pending message for the first fragment `f` (not yet filled in). */
  private startMessage(f: Fragment, linkKey: string): Pending {
    this.makeRoom(f.source);
    const p: Pending = {
      source: f.source,
      linkKey,
      station: f.station,
      total: f.total,
      parts: new Array<FragmentPayload | undefined>(f.total).fill(undefined),
      fills: new Array<number>(f.total).fill(0),
      received: 0,
      firstAtMs: f.receivedAtMs,
      firstText: f.text,
      atMs: f.atMs,
      tag: f.tag,
    };
    const list = this.byLink.get(linkKey);
    if (list === undefined) this.byLink.set(linkKey, [p]);
    else list.push(p);
    this.all.add(p);
    const own = this.bySource.get(f.source);
    if (own === undefined) this.bySource.set(f.source, new Set([p]));
    else own.add(p);
    return p;
  }

  /** Puts the fragment in its slot; the message when it is complete (and no longer pending). */
  private fill(p: Pending, f: Fragment): Assembled | undefined {
    p.parts[f.index - 1] = f.payload;
    p.fills[f.index - 1] = f.fillBits;
    p.received++;
    if (p.station === undefined) p.station = f.station;
    if (p.tag === undefined && f.tag !== undefined) {
      p.tag = f.tag;
      if (f.tag.timeMs !== undefined) p.atMs = f.tag.timeMs;
    }
    if (p.received < p.total) return undefined;
    this.remove(p);
    return { payloads: p.parts as FragmentPayload[], fillBits: p.fills, firstText: p.firstText, atMs: p.atMs, tag: p.tag };
  }

  /** Room for one more message of `source`: its own oldest goes at its bound, the noisiest source's at the total one. */
  private makeRoom(source: string): void {
    const own = this.bySource.get(source);
    if (own !== undefined && own.size >= this.options.maxPendingPerSource) {
      this.drop(own.values().next().value!, 'ais.fragment_evicted');
      return;
    }
    if (this.all.size < this.options.maxPending) return;
    // A scan over the sources holding messages: at most maxPending of them, and only when full.
    let noisiest: Set<Pending> | undefined;
    for (const messages of this.bySource.values()) if (noisiest === undefined || messages.size > noisiest.size) noisiest = messages;
    if (noisiest !== undefined) this.drop(noisiest.values().next().value!, 'ais.fragment_evicted');
  }

  private drop(p: Pending, code: RejectCode): void {
    this.remove(p);
    this.onDrop(code, p.firstText);
  }

  private remove(p: Pending): void {
    this.all.delete(p);
    const list = this.byLink.get(p.linkKey)!;
    list.splice(list.indexOf(p), 1);
    if (list.length === 0) this.byLink.delete(p.linkKey);
    const own = this.bySource.get(p.source)!;
    own.delete(p);
    if (own.size === 0) this.bySource.delete(p.source);
  }
}

/** Two `s:` values that may name one receiver: equal, or either unknown. */
function compatible(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
