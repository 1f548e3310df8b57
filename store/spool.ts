/**
 * The disk spool: what the database could not take, as append-only segment files in
 * `${dataDir}/spool/` (`000000000001.jsonl` …), one record (a batch or an alert change) per line.
 * Replayed oldest first on recovery and on the next start, each segment deleted once all its
 * records are written. A crash mid-replay replays a segment again, which the tables' keys make
 * harmless. Bounded in bytes: past the bound a record is refused and its rows counted as dropped.
 *
 * Alert changes are few and precious, positions many and replaceable by the next fix: alert change
 * records have a budget of their own (`alertMaxBytes`) beside the bound on position and grid event
 * batches, so a spool filled by positions during a long outage still takes every alert change (a
 * fault run with a 1 MiB spool and PostgreSQL down 60 s lost 221 alert changes to a shared bound).
 */
import { appendFile, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SpoolRecord } from './rows.js';
import type { StoreLog } from './types.js';

/** A segment is closed and a new one begun past this size, so replay never reads a huge file. */
const SEGMENT_BYTES = 32 * 1024 * 1024;

/**
 * Alert changes' own budget: ~40,000 changes of ~1.5 kB, hours of the simulated hour's 9,400 alerts
 * (a few changes each) with the database down.
 */
export const ALERT_SPOOL_BYTES = 64 * 1024 * 1024;

export class Spool {
  private segment = 0;
  private segmentBytes = 0;
  /** Bytes of position and grid event batches (bounded by maxBytes) and of alert changes (by alertMaxBytes). */
  private batchBytes = 0;
  private alertBytes = 0;
  private rowsTotal = 0;
  /** Appends run one after another, in call order. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly log?: StoreLog,
    private readonly alertMaxBytes = ALERT_SPOOL_BYTES,
  ) {}

  /** Opens the spool dir, counting what an earlier run left (a new segment is always begun). */
  static async open(dir: string, maxBytes: number, log?: StoreLog, alertMaxBytes = ALERT_SPOOL_BYTES): Promise<Spool> {
    await mkdir(dir, { recursive: true });
    const s = new Spool(dir, maxBytes, log, alertMaxBytes);
    for (const f of await s.segments()) {
      s.count(await readFile(path.join(dir, f.name), 'utf8'), 1);
      s.segment = Math.max(s.segment, f.seq);
    }
    s.segment++;
    return s;
  }

  get bytes(): number {
    return this.batchBytes + this.alertBytes;
  }

  get rows(): number {
    return this.rowsTotal;
  }

  /**
   * Appends one record; resolves true when it is on disk, false when the bound (or a disk error)
   * refused it — the caller counts its rows as dropped.
   */
  append(rec: SpoolRecord): Promise<boolean> {
    return this.serial(async () => {
      const line = `${JSON.stringify(rec)}\n`;
      const size = Buffer.byteLength(line);
      const alert = rec.k === 'a';
      if (alert ? this.alertBytes + size > this.alertMaxBytes : this.batchBytes + size > this.maxBytes) return false;
      if (this.segmentBytes > 0 && this.segmentBytes + size > SEGMENT_BYTES) this.rotate();
      try {
        await appendFile(this.file(this.segment), line);
      } catch (e) {
        this.log?.error({ err: String(e), dir: this.dir }, 'store spool: cannot write');
        return false;
      }
      this.segmentBytes += size;
      if (alert) this.alertBytes += size;
      else this.batchBytes += size;
      this.rowsTotal += rec.n;
      return true;
    });
  }

  /** Resolves when every append called so far has finished. */
  settled(): Promise<void> {
    return this.serial(() => undefined);
  }

  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.catch(() => undefined);
    return p;
  }

  /**
   * Replays every record, oldest segment first, through `apply`; a segment is deleted once all its
   * records applied. Stops at the first `apply` that throws and rethrows (the rest stays on disk).
   * Records that cannot be parsed (a line torn by a crash) are skipped and reported by `onBad`.
   */
  async replay(apply: (rec: SpoolRecord) => Promise<void>, onBad: (rows: number) => void): Promise<number> {
    let replayed = 0;
    for (;;) {
      // Close the segment being written (between two appends) so everything listed below is immutable.
      const current = await this.serial(() => {
        if (this.segmentBytes > 0) this.rotate();
        return this.segment;
      });
      const closed = (await this.segments()).filter((f) => f.seq < current);
      if (closed.length === 0) return replayed;
      for (const f of closed) {
        const file = path.join(this.dir, f.name);
        const text = await readFile(file, 'utf8');
        for (const line of text.split('\n')) {
          if (line === '') continue;
          let rec: SpoolRecord;
          try {
            rec = JSON.parse(line) as SpoolRecord;
          } catch {
            const n = countRows(line);
            this.log?.error({ file, rows: n }, 'store spool: unreadable record skipped (torn write?)');
            onBad(n);
            continue;
          }
          await apply(rec);
          replayed += rec.n;
        }
        await unlink(file);
        this.count(text, -1);
      }
    }
  }

  /** Adds (sign 1) or takes away (-1) a segment's text from the byte and row counts. */
  private count(text: string, sign: 1 | -1): void {
    const m = measure(text);
    this.batchBytes = Math.max(0, this.batchBytes + sign * m.batchBytes);
    this.alertBytes = Math.max(0, this.alertBytes + sign * m.alertBytes);
    this.rowsTotal = Math.max(0, this.rowsTotal + sign * m.rows);
  }

  private rotate(): void {
    this.segment++;
    this.segmentBytes = 0;
  }

  private file(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.jsonl`);
  }

  private async segments(): Promise<{ name: string; seq: number }[]> {
    const out: { name: string; seq: number }[] = [];
    for (const name of await readdir(this.dir)) {
      const m = /^(\d{12})\.jsonl$/.exec(name);
      if (m === null) continue;
      try {
        if ((await stat(path.join(this.dir, name))).isFile()) out.push({ name, seq: Number(m[1]) });
      } catch {
        // deleted meanwhile
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }
}

/** Sum of the `"n":` row counts that open each record line (cheap: no full parse). */
function countRows(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/^\{"k":"[a-z]","n":(\d+)/gm)) n += Number(m[1]);
  return n;
}

/** A segment's rows, and its bytes of batches and of alert changes (each line's opening says which). */
function measure(text: string): { rows: number; batchBytes: number; alertBytes: number } {
  let alertBytes = 0;
  const lines = text.split('\n');
  // The last piece follows the last newline (empty, or a torn line) and has none of its own.
  lines.forEach((line, i) => {
    if (line.startsWith('{"k":"a"')) alertBytes += Buffer.byteLength(line) + (i < lines.length - 1 ? 1 : 0);
  });
  return { rows: countRows(text), batchBytes: Math.max(0, Buffer.byteLength(text) - alertBytes), alertBytes };
}
