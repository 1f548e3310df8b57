import { DAY_MS, nearestDayTime } from './fields.js';

interface LastRmc {
  /** Fix time of the source's last valid RMC: the receiver's own date and time. */
  fixAtMs: number;
  /** When that RMC arrived, on our clock. */
  receivedAtMs: number;
}

/**
 * Gives GGA/GNS/GLL (time of day only) their date. Per source it remembers the last valid RMC
 * in a Map bounded to `maxSources`: Map iteration order is insertion order, and an update
 * re-inserts its source, so the first key is always the least recently updated one to evict.
 */
export class SourceDates {
  private readonly last = new Map<string, LastRmc>();

  constructor(private readonly maxSources: number) {}

  get size(): number {
    return this.last.size;
  }

  remember(source: string, fixAtMs: number, receivedAtMs: number): void {
    const entry = this.last.get(source);
    if (entry !== undefined) {
      this.last.delete(source);
      entry.fixAtMs = fixAtMs;
      entry.receivedAtMs = receivedAtMs;
      this.last.set(source, entry);
      return;
    }
    if (this.last.size >= this.maxSources) {
      const oldest = this.last.keys().next();
      if (oldest.done !== true) this.last.delete(oldest.value);
    }
    this.last.set(source, { fixAtMs, receivedAtMs });
  }

  /**
   * Epoch ms for a time of day from `source`. With an RMC received less than a day ago, the
   * reference is the receiver's clock now (that RMC's time plus the time elapsed since it
   * arrived), so replayed or old captures keep their own dates and a GGA just after midnight
   * follows an RMC from just before it. Otherwise the reference is the receipt time. The time
   * is then placed on the day nearest to the reference.
   */
  resolve(source: string, timeOfDayMs: number, receivedAtMs: number): number {
    let reference = receivedAtMs;
    const entry = this.last.get(source);
    if (entry !== undefined) {
      const elapsed = receivedAtMs - entry.receivedAtMs;
      if (elapsed > -DAY_MS && elapsed < DAY_MS) reference = entry.fixAtMs + elapsed;
    }
    return nearestDayTime(timeOfDayMs, reference);
  }
}
