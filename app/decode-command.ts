import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable, Writable } from 'node:stream';
import { createNmeaDecoder, GpsdWriter, type DecodeEvent } from '../ingest/index.js';

export interface DecodeIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly nowMs: () => number;
}

export interface DecodeOptions {
  /** gpsd's `-u`: raw integer fields instead of scaled units. */
  readonly unscaled: boolean;
}

/** Output is flushed in chunks of about this many bytes. */
const FLUSH_CHARS = 1 << 18;
const CHUNK_BYTES = FLUSH_CHARS + (1 << 16);
/** Room kept free for one JSON line (the longest, a type 5 or 21, is under 600 bytes). */
const MAX_LINE_BYTES = 4096;

/**
 * `seagrid decode [FILE…]`: NMEA lines in, gpsd JSON out, one rejection per stderr line.
 * Returns the exit code: 0 unless an input could not be read.
 */
export async function runDecode(files: readonly string[], options: DecodeOptions, io: DecodeIo): Promise<number> {
  const decoder = createNmeaDecoder();
  const writer = new GpsdWriter({ scaled: !options.unscaled });
  const out = new Buffered(io.stdout);
  const err = new Buffered(io.stderr);
  let exit = 0;
  let source = '-';
  let lineNo = 0;

  const onEvent = (e: DecodeEvent): void => {
    if (e.kind === 'reject') {
      err.push(rejectionJson(e.code, e.detail, e.text, source, lineNo));
      return;
    }
    out.reserve(MAX_LINE_BYTES);
    const r = writer.writeInto(e, out);
    if (typeof r !== 'boolean') err.push(rejectionJson(r.code, r.detail, '', source, lineNo));
  };

  const inputs = files.length === 0 ? ['-'] : files;
  for (const file of inputs) {
    source = file;
    lineNo = 0;
    const ctx = { source: file, receivedAtMs: io.nowMs() };
    try {
      const stream = await openInput(file, io.stdin);
      // Lines are found and decoded in the bytes as read; a line cut by a chunk boundary is carried.
      let carry: Buffer | undefined;
      for await (const chunk of stream) {
        const buf = carry === undefined ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
        let start = 0;
        for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
          lineNo++;
          decoder.decodeBytes(buf, start, nl, ctx, onEvent);
          start = nl + 1;
          if (out.size > FLUSH_CHARS) await out.flush();
          if (err.size > FLUSH_CHARS) await err.flush();
        }
        carry = start < buf.length ? buf.subarray(start) : undefined;
      }
      if (carry !== undefined) {
        lineNo++;
        decoder.decodeBytes(carry, 0, carry.length, ctx, onEvent);
      }
    } catch (e) {
      err.push(JSON.stringify({ code: 'input.unreadable', source: file, detail: (e as Error).message }));
      exit = 2;
    }
  }
  // Multipart messages still incomplete at the end of input will never complete.
  decoder.expire(Number.POSITIVE_INFINITY, onEvent);
  await out.flush();
  await err.flush();
  return exit;
}

async function openInput(file: string, stdin: Readable): Promise<AsyncIterable<unknown>> {
  const raw: Readable = file === '-' ? stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  if (file.endsWith('.gz')) return raw.pipe(createGunzip());
  return raw;
}

function rejectionJson(code: string, detail: string | undefined, text: string, source: string, lineNo: number): string {
  return JSON.stringify(detail === undefined ? { code, source, lineNo, text } : { code, detail, source, lineNo, text });
}

/**
 * Collects output lines into a byte buffer and writes it in large chunks, respecting backpressure.
 * Lines are written as latin1: input is read as latin1, so every byte of a rejected line comes
 * back out unchanged, and no UTF-8 encoding pass is needed.
 */
class Buffered {
  buf = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Bytes filled: the writer appends at `pos` (this is a `ByteOut`). */
  pos = 0;

  constructor(private readonly target: Writable) {}

  get size(): number {
    return this.pos;
  }

  /** Makes sure `n` bytes are free after `pos`. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  push(line: string): void {
    // latin1 is one byte per char.
    this.reserve(line.length + 1);
    this.pos += this.buf.write(line, this.pos, 'latin1');
    this.buf[this.pos++] = 10;
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    // The chunk is handed to the stream: take a fresh buffer rather than overwrite it.
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
    if (!this.target.write(chunk)) await new Promise<void>((resolve) => this.target.once('drain', resolve));
  }
}
