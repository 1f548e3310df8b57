/**
 * Pacing for `seagrid replay`: capture lines → MQTT payloads with due times. Lines are grouped the
 * way a receiver sends them (consecutive lines with the same tag-block time, up to N lines), the
 * fragments of a multipart message always share one payload, and each payload is due at its
 * tag-block `c:` time relative to the first, divided by `speed`. No IO here: the clock, the sleep
 * and the publish function are injected, so pacing is testable with a fake clock and no broker.
 */
import { frameLine } from '../ingest/index.js';

export interface ReplayBatch {
  /** Lines joined and terminated with CRLF, as receivers send them. */
  readonly payload: string;
  readonly lines: number;
  /** Capture time (tag block `c:`, epoch ms) of the batch, if any line so far had one. */
  readonly captureMs: number | undefined;
  /** When to publish, ms after the replay started (0 for as-fast-as-possible). */
  readonly dueMs: number;
}

export interface ReplayPacing {
  /** Time scale: 2 replays twice as fast as recorded. Default 1. */
  readonly speed?: number;
  /** Ignore tag-block times and publish back to back (still paced by `publish`'s backpressure). */
  readonly asFastAsPossible?: boolean;
  /** Lines per payload at most (a multipart message may exceed it to stay whole). Default 10. */
  readonly maxLinesPerPayload?: number;
}

/** What one line says about pacing and grouping. */
interface LineInfo {
  readonly timeMs: number | undefined;
  /**
   * After this line a multipart message is still waiting for fragments (true), is complete
   * (false), or the line says nothing about it (undefined: single-part, GNSS, rejected).
   */
  readonly open: boolean | undefined;
}

/** Fragments of one AIS message: 9 at most (the fragment count is one digit). */
const MAX_FRAGMENTS = 9;

function lineInfo(line: string): LineInfo {
  let timeMs: number | undefined;
  let open: boolean | undefined;
  frameLine(line, (framed) => {
    if (framed.kind !== 'sentence') return;
    const s = framed.sentence;
    timeMs ??= s.tag?.timeMs;
    // The last fragment seen decides: k of n leaves the message open until k = n.
    const g = s.tag?.group;
    if (g !== undefined && g.total > 1) open = g.index < g.total;
    if (s.start === '!' && (s.formatter === 'VDM' || s.formatter === 'VDO')) {
      const f = s.fields;
      const total = Number(f[0]);
      const index = Number(f[1]);
      if (Number.isInteger(total) && Number.isInteger(index) && total > 1 && index >= 1) open = index < total;
    }
  });
  return { timeMs, open };
}

/**
 * Turns lines into batches incrementally (captures can be large): `push` returns the batch a line
 * completed, if any; `end` returns the last one.
 */
export class ReplayBatcher {
  /** Lines that were blank or comments and are not published. */
  skipped = 0;
  /** Lines without a tag-block time of their own (they take the previous line's time). */
  inherited = 0;
  private readonly maxLines: number;
  private readonly speed: number;
  private readonly asFast: boolean;
  private lines: string[] = [];
  private batchTimeMs: number | undefined;
  private open = false;
  private lastTimeMs: number | undefined;
  private firstTimeMs: number | undefined;
  private lastDueMs = 0;

  constructor(p: ReplayPacing = {}) {
    this.asFast = p.asFastAsPossible === true;
    this.speed = p.speed ?? 1;
    if (!this.asFast && !(Number.isFinite(this.speed) && this.speed > 0)) {
      throw new RangeError(`replay speed must be a positive number, got ${this.speed}`);
    }
    this.maxLines = Math.max(1, Math.floor(p.maxLinesPerPayload ?? 10));
  }

  push(rawLine: string): ReplayBatch | undefined {
    const line = trimEol(rawLine);
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      this.skipped++;
      return undefined;
    }
    const info = lineInfo(line);
    if (info.timeMs === undefined) this.inherited++;
    else this.lastTimeMs = info.timeMs;
    const t = this.lastTimeMs;
    let done: ReplayBatch | undefined;
    const n = this.lines.length;
    const joins =
      n > 0 && ((this.open && n < this.maxLines + MAX_FRAGMENTS) || (t === this.batchTimeMs && n < this.maxLines));
    if (n > 0 && !joins) done = this.take();
    if (this.lines.length === 0) this.batchTimeMs = t;
    this.lines.push(line);
    // A single-part line between fragments (receivers interleave) leaves the message open.
    if (info.open !== undefined) this.open = info.open;
    return done;
  }

  end(): ReplayBatch | undefined {
    return this.lines.length > 0 ? this.take() : undefined;
  }

  private take(): ReplayBatch {
    const lines = this.lines;
    this.lines = [];
    this.open = false;
    const captureMs = this.batchTimeMs;
    let dueMs = 0;
    if (!this.asFast && captureMs !== undefined) {
      this.firstTimeMs ??= captureMs;
      // Never earlier than the previous batch: captures merged from several receivers step back.
      dueMs = Math.max(this.lastDueMs, (captureMs - this.firstTimeMs) / this.speed);
    } else if (!this.asFast) {
      dueMs = this.lastDueMs;
    }
    this.lastDueMs = dueMs;
    return { payload: `${lines.join('\r\n')}\r\n`, lines: lines.length, captureMs, dueMs };
  }
}

function trimEol(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  return end === line.length ? line : line.slice(0, end);
}

export interface ReplayOptions extends ReplayPacing {
  readonly topic: string;
  /** Resolving is the backpressure: the next payload waits for it (e.g. `MqttPublisher.send`). */
  readonly publish: (topic: string, payload: string) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

export interface ReplayCounts {
  /** Lines published. */
  readonly lines: number;
  readonly payloads: number;
  readonly skipped: number;
  readonly inherited: number;
  /** Capture time covered: last batch time − first (ms), 0 without tag times. */
  readonly captureSpanMs: number;
  /** Wall time from the first publish to the last. */
  readonly elapsedMs: number;
  /** How far behind schedule the worst payload went out (publisher or broker too slow). */
  readonly maxLateMs: number;
}

/** Publishes a capture paced by its tag-block times (or as fast as possible). */
export async function replayCapture(
  lines: Iterable<string> | AsyncIterable<string>,
  o: ReplayOptions,
): Promise<ReplayCounts> {
  const batcher = new ReplayBatcher(o);
  let published = 0;
  let payloads = 0;
  let maxLateMs = 0;
  let startMs: number | undefined;
  let firstCapture: number | undefined;
  let lastCapture: number | undefined;

  const emit = async (b: ReplayBatch): Promise<void> => {
    startMs ??= o.now();
    const target = startMs + b.dueMs;
    const wait = target - o.now();
    if (wait > 0) await o.sleep(wait);
    maxLateMs = Math.max(maxLateMs, o.now() - target);
    await o.publish(o.topic, b.payload);
    published += b.lines;
    payloads++;
    if (b.captureMs !== undefined) {
      firstCapture ??= b.captureMs;
      lastCapture = b.captureMs;
    }
  };

  for await (const line of lines) {
    const b = batcher.push(line);
    if (b !== undefined) await emit(b);
  }
  const last = batcher.end();
  if (last !== undefined) await emit(last);
  return {
    lines: published,
    payloads,
    skipped: batcher.skipped,
    inherited: batcher.inherited,
    captureSpanMs: firstCapture === undefined || lastCapture === undefined ? 0 : lastCapture - firstCapture,
    elapsedMs: startMs === undefined ? 0 : o.now() - startMs,
    maxLateMs,
  };
}
