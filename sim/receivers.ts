import { tagBlock } from './nmea-out.js';
import type { Rng } from './rng.js';

/** One MQTT message as the simulator hands it out. */
export interface MqttOut {
  readonly topic: string;
  /** NMEA lines joined with CRLF. */
  readonly payload: string;
  /** Sim time the payload is due for publishing (window end for AIS, fix time for BeiDou). */
  readonly atMs: number;
}

/**
 * A receiver's outgoing feed: lines gathered into payloads of up to `maxLines`, released when the
 * batching window closes. Each line carries the receiver's tag block (`s:` and `c:`); multipart
 * messages are grouped with `g:` when the receiver does NMEA 4 grouping, and now and then split
 * across two consecutive payloads, as forwarding receivers do.
 */
export class ReceiverFeed {
  private lines: string[] = [];
  private readonly ready: string[] = [];
  private tagSecond = -1;
  private tag = '';
  private groupId = 0;

  constructor(
    readonly id: string,
    readonly topic: string,
    private readonly tagGroups: boolean,
    private readonly maxLines: number,
    private readonly splitChance: number,
    private readonly rng: Rng,
  ) {}

  /** One single-sentence message heard at `second` (UNIX seconds). */
  add(sentence: string, second: number): void {
    this.push(this.tagFor(second) + sentence);
  }

  /** The fragments of one multipart message. */
  addMultipart(sentences: readonly string[], second: number): void {
    const n = sentences.length;
    const gid = this.tagGroups ? (this.groupId = (this.groupId % 9999) + 1) : 0;
    for (let i = 0; i < n; i++) {
      const tag = this.tagGroups ? tagBlock({ group: { index: i + 1, total: n, id: gid }, source: this.id, timeS: second }) : this.tagFor(second);
      this.push(tag + sentences[i]!);
      if (i === 0 && n > 1 && this.rng.chance(this.splitChance)) this.cut();
    }
  }

  /** Moves every line gathered so far into `out` as payloads. */
  flush(out: MqttOut[], atMs: number): void {
    this.cut();
    for (const payload of this.ready) out.push({ topic: this.topic, payload, atMs });
    this.ready.length = 0;
  }

  private tagFor(second: number): string {
    if (second !== this.tagSecond) {
      this.tagSecond = second;
      this.tag = tagBlock({ source: this.id, timeS: second });
    }
    return this.tag;
  }

  private push(line: string): void {
    if (this.lines.length >= this.maxLines) this.cut();
    this.lines.push(line);
  }

  private cut(): void {
    if (this.lines.length === 0) return;
    this.ready.push(this.lines.join('\r\n'));
    this.lines = [];
  }
}
