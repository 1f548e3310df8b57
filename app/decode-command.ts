import { closeSync, createReadStream, openSync, readSync, writeSync } from 'node:fs';
import { createNmeaDecoder, GpsdWriter, type DecodeContext, type DecodeEvent, type NmeaDecoder } from '../ingest/index.js';
import type { RejectCode } from '../model/index.js';

/**
 * Where `seagrid decode` reads and writes. Output goes through synchronous sinks, as a filter like
 * gpsdecode does: no stream machinery per chunk, and output order is simply call order.
 */
export interface DecodeIo {
  /** Descriptor read for `-` (or no FILE): 0 in the CLI. */
  readonly stdinFd: number;
  readonly out: (chunk: Uint8Array) => void;
  readonly err: (chunk: Uint8Array) => void;
  readonly nowMs: () => number;
}

export interface DecodeOptions {
  /** gpsd's `-u`: raw integer fields instead of scaled units. */
  readonly unscaled: boolean;
}

/** Output is handed to its sink in chunks of about this many bytes. */
const FLUSH_BYTES = 1 << 18;
/** Room kept free for one JSON line (the longest, a type 5 or 21, is under 600 bytes). */
const MAX_LINE_BYTES = 4096;
const READ_BYTES = 1 << 20;

/**
 * `seagrid decode [FILE…]`: NMEA lines in, gpsd JSON out, one rejection per stderr line.
 * Returns the exit code: 0 unless an input could not be read.
 */
export async function runDecode(files: readonly string[], options: DecodeOptions, io: DecodeIo): Promise<number> {
  const out = new Buffered(io.out);
  const err = new Buffered(io.err);
  const run = new DecodeRun(createNmeaDecoder(), new GpsdWriter({ scaled: !options.unscaled }), out, err);
  let exit = 0;
  for (const file of files.length === 0 ? ['-'] : files) {
    run.begin({ source: file, receivedAtMs: io.nowMs() });
    try {
      if (file.endsWith('.gz')) await readGzip(file, run);
      else readPlain(file, io.stdinFd, run);
    } catch (e) {
      err.push(JSON.stringify({ code: 'input.unreadable' satisfies RejectCode, source: file, detail: (e as Error).message }));
      exit = 2;
    }
    run.endOfInput();
  }
  run.finish();
  out.flush();
  err.flush();
  return exit;
}

/** A plain file or stdin, read synchronously in large chunks straight into the decode loop. */
function readPlain(file: string, stdinFd: number, run: DecodeRun): void {
  const fd = file === '-' ? stdinFd : openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(READ_BYTES);
  try {
    for (;;) {
      const n = readRetrying(fd, chunk);
      if (n === 0) break;
      run.feed(chunk.subarray(0, n));
    }
  } finally {
    if (fd !== stdinFd) closeSync(fd);
  }
}

async function readGzip(file: string, run: DecodeRun): Promise<void> {
  // zlib is loaded only for a .gz input.
  const { createGunzip } = await import('node:zlib');
  const raw = createReadStream(file, { highWaterMark: READ_BYTES });
  const gunzip = createGunzip();
  // pipe() does not forward a read error (a missing file): hand it on, so it ends the loop below.
  raw.once('error', (e) => gunzip.destroy(e));
  for await (const chunk of raw.pipe(gunzip)) run.feed(chunk as Buffer);
}

/** A descriptor opened non-blocking by whoever started us (a pipe from Node, say) answers EAGAIN. */
function readRetrying(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      sleepMs(1);
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * The decode loop: finds lines in the bytes as read (a line cut by a chunk boundary is carried to
 * the next chunk), decodes them in place and writes gpsd JSON or rejections.
 */
class DecodeRun {
  private ctx: DecodeContext = { source: '-', receivedAtMs: 0 };
  private lineNo = 0;
  private carry: Buffer | undefined;
  private readonly onEvent: (e: DecodeEvent) => void;

  constructor(
    private readonly decoder: NmeaDecoder,
    writer: GpsdWriter,
    private readonly out: Buffered,
    private readonly err: Buffered,
  ) {
    this.onEvent = (e) => {
      if (e.kind === 'reject') {
        err.push(rejectionJson(e.code, e.detail, e.text, this.ctx.source, this.lineNo));
        return;
      }
      out.reserve(MAX_LINE_BYTES);
      const r = writer.writeInto(e, out);
      if (typeof r !== 'boolean') err.push(rejectionJson(r.code, r.detail, '', this.ctx.source, this.lineNo));
    };
  }

  begin(ctx: DecodeContext): void {
    this.ctx = ctx;
    this.lineNo = 0;
  }

  feed(chunk: Buffer): void {
    const buf = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const start = this.decodeLines(buf);
    // Copied: the chunk's memory is reused by the next read.
    this.carry = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
  }

  /**
   * Decodes every complete line; returns where the incomplete tail starts. The hot loop is a
   * function of its own so the once-per-chunk code around it cannot deoptimise it.
   */
  private decodeLines(buf: Buffer): number {
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      this.lineNo++;
      this.decoder.decodeBytes(buf, start, nl, this.ctx, this.onEvent);
      start = nl + 1;
      if (this.out.pos > FLUSH_BYTES) this.out.flush();
      if (this.err.pos > FLUSH_BYTES) this.err.flush();
    }
    return start;
  }

  /** The last line of an input needs no newline. */
  endOfInput(): void {
    const last = this.carry;
    this.carry = undefined;
    if (last === undefined) return;
    this.lineNo++;
    this.decoder.decodeBytes(last, 0, last.length, this.ctx, this.onEvent);
  }

  /** Multipart messages still incomplete at the end of all input will never complete. */
  finish(): void {
    this.decoder.expire(Number.POSITIVE_INFINITY, this.onEvent);
  }
}

function rejectionJson(code: string, detail: string | undefined, text: string, source: string, lineNo: number): string {
  return JSON.stringify(detail === undefined ? { code, source, lineNo, text } : { code, detail, source, lineNo, text });
}

/**
 * Collects output lines into a byte buffer handed to the sink in large chunks (this is the writer's
 * `ByteOut`). Lines are written as latin1: input is read as latin1, so every byte of a rejected line
 * comes back out unchanged, and no UTF-8 encoding pass is needed.
 */
class Buffered {
  buf = Buffer.allocUnsafe(FLUSH_BYTES + (1 << 16));
  /** Bytes filled: the writer appends at `pos`. */
  pos = 0;

  constructor(private readonly sink: (chunk: Uint8Array) => void) {}

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

  /** Sinks are synchronous: the buffer is reused as soon as they return. */
  flush(): void {
    if (this.pos === 0) return;
    this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

/**
 * A synchronous sink on a descriptor: writes all of each chunk, waits out EAGAIN (a non-blocking
 * pipe), and calls `onClosed` when the reader has gone (EPIPE: `seagrid decode … | head`).
 */
export function fdSink(fd: number, onClosed: () => void): (chunk: Uint8Array) => void {
  return (chunk) => {
    let off = 0;
    while (off < chunk.length) {
      try {
        off += writeSync(fd, chunk, off, chunk.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') sleepMs(1);
        else if (code === 'EPIPE') return onClosed();
        else throw e;
      }
    }
  };
}
