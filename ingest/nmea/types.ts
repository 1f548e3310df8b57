import type { RejectCode } from '../../model/index.js';

/** NMEA 4 multi-sentence group (`g:1-2-123` or `1G2:123`). */
export interface TagGroup {
  /** 1-based index of this sentence in the group. */
  readonly index: number;
  readonly total: number;
  readonly id: string;
}

/** Parsed NMEA 4 tag block (`\s:rec,c:1700000000,g:1-2-7*hh\`). */
export interface TagBlock {
  /** `s:` source station / receiver. */
  readonly source?: string;
  /** `c:` time, normalised to epoch milliseconds (feeds send seconds or milliseconds). */
  readonly timeMs?: number;
  readonly group?: TagGroup;
  /** `t:` free text. */
  readonly text?: string;
}

/** One framed, checksum-verified sentence. */
export interface Sentence {
  /** `!` (encapsulated, AIS) or `$` (parametric, GNSS). */
  readonly start: '!' | '$';
  /** Two-letter talker (`AI`, `BS`, `GN`, `--`…); `P` for proprietary sentences. */
  readonly talker: string;
  /** Sentence formatter (`VDM`, `RMC`…); for proprietary sentences, the rest of the address. */
  readonly formatter: string;
  /** Data fields after the address, up to the `*`. */
  readonly fields: readonly string[];
  /** Valid tag block, if the sentence had one. */
  readonly tag: TagBlock | undefined;
  /**
   * A tag block that was present but unusable (bad format or checksum). The sentence itself
   * is still good (it has its own checksum): it is kept, the tag is dropped and counted.
   */
  readonly tagProblem: RejectCode | undefined;
}

/**
 * A framed sentence as `frameLine` hands it out: the `Sentence` view plus where its data fields sit
 * in the original line, so the AIS hot path can read them without splitting (`fields` is computed
 * only when asked for).
 */
export interface RawSentence extends Sentence {
  readonly line: string;
  /** Index of the first data field (after the address and its comma). */
  readonly bodyStart: number;
  /** Index of the `*`. */
  readonly bodyEnd: number;
  /**
   * Indexes of the first 16 commas before the `*`: `commas[0]` ends the address, `commas[k]` ends
   * data field k−1. Found during the checksum pass, so consumers need no split or search.
   */
  readonly commas: readonly number[];
}

/** What a line (or one record of a line) turned out to be before any AIS/GNSS decoding. */
export type Framed =
  | { readonly kind: 'sentence'; readonly sentence: RawSentence }
  /** Comment, blank line, lone tag block: nothing to decode and nothing wrong. */
  | { readonly kind: 'skip' }
  | { readonly kind: 'reject'; readonly code: RejectCode; readonly detail?: string };
