/**
 * The receipt journal: every MQTT frame written to a local append-only file before its QoS 1
 * acknowledgement, so a `kill -9` loses nothing the broker has forgotten. Without it a message was
 * acknowledged as soon as the pipeline had queued its positions for the store, and a kill -9 lost what
 * was queued (210 positions and an alert in a fault run of 2,000 vessels).
 *
 * Why a `write()` per frame and not an fsync per frame: mqtt.js handles incoming packets one at a
 * time, the next only after the previous one's PUBACK is written, so holding the acknowledgement
 * for a group fsync holds the whole feed — one message per fsync (measured in ARCHITECTURE.md's
 * decision). A `write()` that returned is in the kernel's page cache, which a killed process does not
 * take with it; an fdatasync every `syncIntervalMs` (off the event loop) bounds what a machine crash
 * (power, kernel) could still lose to that window.
 *
 * Segments `${dir}/000000000001.rj` …; one record per frame: u32 length of the rest, f64 receipt
 * time (ms), u16 topic length, topic (UTF-8), payload. A record cut short (a crash mid-write) ends
 * its segment's replay and is counted. `checkpoint(stored)` closes the segment being written, waits
 * until the caller says everything handed on so far is stored (the store's flush: in the database or
 * its disk spool), and deletes the closed segments. Bounded by `maxBytes`: past it a frame is not
 * journaled but still handed on and acknowledged — counted (`unjournaled`), the guarantee suspended
 * until a checkpoint frees room (the store has been unable to flush for that long).
 */
import { closeSync, fdatasync, close, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';
import type { RawFrame } from './mqtt-source.js';

export interface ReceiptJournalOptions {
  readonly dir: string;
  /** Bytes on disk at most (segments not yet checkpointed); default 256 MiB. */
  readonly maxBytes?: number;
  /** fdatasync of the segment being written at most this often while frames come (default 10 ms); 0: never (tests). */
  readonly syncIntervalMs?: number;
  /** A segment is closed past this size, so a checkpoint deletes (and a replay reads) bounded files; default 16 MiB. */
  readonly segmentBytes?: number;
}

export interface ReceiptJournalState {
  readonly bytes: number;
  readonly segments: number;
  /** Frames journaled since open. */
  readonly appended: number;
  /** Frames handed on without a journal record (the bound reached, or the disk refused): not kill -9 safe. */
  readonly unjournaled: number;
  /** Frames read back from an earlier run's segments. */
  readonly replayed: number;
  /** Records cut short (a crash mid-write) or unreadable, skipped on replay. */
  readonly torn: number;
  /** Checkpoints done: the segments they covered deleted. */
  readonly checkpoints: number;
  readonly lastError?: string;
}

const HEADER = 4 + 8 + 2;

export class ReceiptJournal {
  private readonly maxBytes: number;
  private readonly segmentMax: number;
  /** Closed segments (an earlier run's included), oldest first, with their sizes. */
  private readonly closed: { file: string; bytes: number }[] = [];
  private seq = 0;
  private fd = -1;
  private segmentBytes = 0;
  private total = 0;
  private dirty = false;
  /** fdatasync and close calls, one after another, so none runs on a closed descriptor. */
  private io: Promise<void> = Promise.resolve();
  private syncing = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> | undefined;
  private readonly earlier: string[];
  private readonly s = { appended: 0, unjournaled: 0, replayed: 0, torn: 0, checkpoints: 0 };
  private lastError: string | undefined;

  /** Opens (creates) the dir; segments left there by an earlier run wait for `replay()`. */
  constructor(private readonly o: ReceiptJournalOptions) {
    this.maxBytes = o.maxBytes ?? 256 * 1024 * 1024;
    this.segmentMax = o.segmentBytes ?? 16 * 1024 * 1024;
    mkdirSync(o.dir, { recursive: true });
    this.earlier = [];
    for (const name of readdirSync(o.dir).sort()) {
      const m = /^(\d{12})\.rj$/.exec(name);
      if (m === null) continue;
      const file = path.join(o.dir, name);
      const bytes = statSync(file).size;
      this.closed.push({ file, bytes });
      this.earlier.push(file);
      this.total += bytes;
      this.seq = Math.max(this.seq, Number(m[1]));
    }
    this.begin();
    const every = o.syncIntervalMs ?? 10;
    if (every > 0) {
      this.timer = setInterval(() => this.sync(), every);
      this.timer.unref();
    }
  }

  /**
   * The frames an earlier run journaled and may not have stored, oldest first. Their segments stay
   * on disk until the next checkpoint, so a crash during the replay replays them again.
   */
  *replay(): Generator<RawFrame> {
    for (const file of this.earlier.splice(0)) {
      const buf = readFileSync(file);
      let at = 0;
      while (at < buf.length) {
        const len = at + 4 <= buf.length ? buf.readUInt32LE(at) : 0;
        const end = at + 4 + len;
        const topicLen = len >= HEADER - 4 && end <= buf.length ? buf.readUInt16LE(at + 12) : -1;
        if (topicLen < 0 || HEADER + topicLen > 4 + len) {
          this.s.torn++;
          break;
        }
        const receivedAtMs = buf.readDoubleLE(at + 4);
        const topic = buf.toString('utf8', at + HEADER, at + HEADER + topicLen);
        this.s.replayed++;
        yield { topic, payload: buf.subarray(at + HEADER + topicLen, end), receivedAtMs };
        at = end;
      }
    }
  }

  /** Writes one frame; false when it was not journaled (bound reached, disk error): counted. */
  append(f: RawFrame): boolean {
    const topic = Buffer.from(f.topic, 'utf8');
    const size = HEADER + topic.length + f.payload.length;
    if (this.total + size > this.maxBytes || topic.length > 0xffff || this.fd < 0) {
      this.s.unjournaled++;
      return false;
    }
    if (this.segmentBytes > 0 && this.segmentBytes + size > this.segmentMax) this.rotate();
    const head = Buffer.allocUnsafe(HEADER);
    head.writeUInt32LE(size - 4, 0);
    head.writeDoubleLE(f.receivedAtMs, 4);
    head.writeUInt16LE(topic.length, 12);
    try {
      writevSync(this.fd, [head, topic, f.payload]);
    } catch (e) {
      // A full or failing disk: the feed goes on, unjournaled and counted, rather than stopping.
      this.lastError = e instanceof Error ? e.message : String(e);
      this.s.unjournaled++;
      return false;
    }
    this.segmentBytes += size;
    this.total += size;
    this.dirty = true;
    this.s.appended++;
    return true;
  }

  /**
   * Closes the segment being written, awaits `stored` (which must resolve once everything handed on
   * before the call is stored), then deletes every closed segment, an earlier run's included: call
   * it only once `replay()` has been drained. One at a time; a call during another returns that one.
   */
  checkpoint(stored: () => Promise<void>): Promise<void> {
    this.checkpointing ??= (async () => {
      try {
        if (this.segmentBytes > 0) this.rotate();
        const covered = this.closed.length;
        if (covered === 0) return;
        await stored();
        for (const seg of this.closed.splice(0, covered)) {
          try {
            unlinkSync(seg.file);
          } catch (e) {
            this.lastError = e instanceof Error ? e.message : String(e);
          }
          this.total -= seg.bytes;
        }
        this.s.checkpoints++;
      } finally {
        this.checkpointing = undefined;
      }
    })();
    return this.checkpointing;
  }

  state(): ReceiptJournalState {
    const s = { ...this.s, bytes: this.total, segments: this.closed.length + (this.segmentBytes > 0 ? 1 : 0) };
    return this.lastError === undefined ? s : { ...s, lastError: this.lastError };
  }

  /** Stops syncing and closes the segment (what is on disk stays for the next start). */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.checkpointing?.catch(() => undefined);
    const fd = this.fd;
    this.fd = -1;
    await this.io;
    if (fd >= 0) {
      await fsyncQuietly(fd);
      closeSync(fd);
    }
  }

  private begin(): void {
    this.seq++;
    this.segmentBytes = 0;
    try {
      this.fd = openSync(path.join(this.o.dir, `${String(this.seq).padStart(12, '0')}.rj`), 'a');
    } catch (e) {
      this.fd = -1;
      this.lastError = e instanceof Error ? e.message : String(e);
    }
  }

  /** The segment being written joins the closed ones; its descriptor is synced and closed in the background. */
  private rotate(): void {
    const fd = this.fd;
    this.closed.push({ file: path.join(this.o.dir, `${String(this.seq).padStart(12, '0')}.rj`), bytes: this.segmentBytes });
    this.begin();
    if (fd >= 0) this.io = this.io.then(() => fsyncQuietly(fd)).then(() => new Promise<void>((r) => close(fd, () => r())));
  }

  private sync(): void {
    if (!this.dirty || this.syncing || this.fd < 0) return;
    this.dirty = false;
    this.syncing = true;
    const fd = this.fd;
    this.io = this.io
      .then(() => fsyncQuietly(fd))
      .finally(() => {
        this.syncing = false;
      });
  }
}

function fsyncQuietly(fd: number): Promise<void> {
  return new Promise<void>((r) => fdatasync(fd, () => r()));
}
