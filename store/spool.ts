/**
 * The disk spool: what the database could not take, as append-only segment files in
 * `${dataDir}/spool/` (`000000000001.jsonl` …), one record (a batch or an alert change) per line.
 * Replayed oldest first on recovery and on the next start, each segment deleted once all its
 * records are written. A crash mid-replay replays a segment again, which the tables' keys make
 * harmless. Bounded in bytes: past the bound a record is refused and its rows counted as dropped.
 */
import { appendFile, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SpoolRecord } from './rows.js';
import type { StoreLog } from './types.js';

/** A segment is closed and a new one begun past this size, so replay never reads a huge file. */
const SEGMENT_BYTES = 32 * 1024 * 1024;

export class Spool {
  private segment = 0;
  private segmentBytes = 0;
  private bytesTotal = 0;
  private rowsTotal = 0;
  /** Appends run one after another, in call order. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly log?: StoreLog,
  ) {}

  /** Opens the spool dir, counting what an earlier run left (a new segment is always begun). */
  static async open(dir: string, maxBytes: number, log?: StoreLog): Promise<Spool> {
    await mkdir(dir, { recursive: true });
    const s = new Spool(dir, maxBytes, log);
    for (const f of await s.segments()) {
      const text = await readFile(path.join(dir, f.name), 'utf8');
      s.bytesTotal += Buffer.byteLength(text);
      s.rowsTotal += countRows(text);
      s.segment = Math.max(s.segment, f.seq);
    }
    s.segment++;
    return s;
  }

  get bytes(): number {
    return this.bytesTotal;
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
      if (this.bytesTotal + size > this.maxBytes) return false;
      if (this.segmentBytes > 0 && this.segmentBytes + size > SEGMENT_BYTES) this.rotate();
      try {
        await appendFile(this.file(this.segment), line);
      } catch (e) {
        this.log?.error({ err: String(e), dir: this.dir }, 'store spool: cannot write');
        return false;
      }
      this.segmentBytes += size;
      this.bytesTotal += size;
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
        this.bytesTotal = Math.max(0, this.bytesTotal - Buffer.byteLength(text));
        this.rowsTotal = Math.max(0, this.rowsTotal - countRows(text));
      }
    }
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
