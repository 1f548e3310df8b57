import { ok, reject, type Mmsi, type Result } from '../../model/index.js';
import type { AisMessage, AisStaticMerged, AisStaticPartA } from './types.js';

export interface Type24MergerOptions {
  /** Part A messages held at once, over all MMSIs; past this the oldest MMSI's are forgotten. */
  readonly maxPending?: number;
  /** Part A messages held per MMSI (a feed heard by two receivers repeats both parts). */
  readonly maxPerMmsi?: number;
}

/**
 * Joins type 24 parts A and B per MMSI, as gpsd does: a part A is held; a part B takes the
 * oldest A held for its MMSI and yields the merged message (so each A merges once and a
 * repeated B does not merge twice, while an A,A,B,B sequence from a doubled feed merges twice,
 * like gpsd); a B with no A held is rejected (`ais.type24_orphan`).
 *
 * Bounded: at most `maxPerMmsi` As per MMSI (the oldest is dropped) and `maxPending` in all,
 * evicting the MMSI that sent an A least recently. gpsd itself keeps only the last 8 As of the
 * whole feed, so on busy feeds it loses merges that this store keeps.
 */
export class Type24Merger {
  /** Map order is "least recently sent an A" first. */
  private readonly pending = new Map<Mmsi, AisStaticPartA[]>();
  private held = 0;
  private readonly maxPending: number;
  private readonly maxPerMmsi: number;

  constructor(options: Type24MergerOptions = {}) {
    this.maxPending = Math.max(1, options.maxPending ?? 4096);
    this.maxPerMmsi = Math.max(1, options.maxPerMmsi ?? 4);
  }

  /** Part A messages held. */
  get size(): number {
    return this.held;
  }

  /**
   * undefined for a part A (held), the merged message for a part B that has its A, a
   * rejection for a B without one. An already merged message passes through.
   */
  push(msg: Extract<AisMessage, { type: 24 }>): Result<AisStaticMerged> | undefined {
    if (msg.partno === 'AB') return ok(msg);
    if (msg.partno === 0) {
      this.hold(msg);
      return undefined;
    }
    const queue = this.pending.get(msg.mmsi);
    const a = queue?.shift();
    if (queue === undefined || a === undefined) {
      return reject('ais.type24_orphan', `type 24 part B from ${msg.mmsi} without part A`);
    }
    this.held--;
    if (queue.length === 0) this.pending.delete(msg.mmsi);
    return ok({
      type: 24,
      repeat: msg.repeat,
      mmsi: msg.mmsi,
      partno: 'AB',
      shipname: a.shipname,
      shipType: msg.shipType,
      vendorId: msg.vendorId,
      model: msg.model,
      serial: msg.serial,
      callsign: msg.callsign,
      mothershipMmsi: msg.mothershipMmsi,
      toBowM: msg.toBowM,
      toSternM: msg.toSternM,
      toPortM: msg.toPortM,
      toStarboardM: msg.toStarboardM,
    });
  }

  private hold(a: AisStaticPartA): void {
    let queue = this.pending.get(a.mmsi);
    if (queue === undefined) {
      queue = [];
    } else {
      // Re-insert so this MMSI becomes the most recent in eviction order.
      this.pending.delete(a.mmsi);
      if (queue.length >= this.maxPerMmsi) {
        queue.shift();
        this.held--;
      }
    }
    while (this.held >= this.maxPending) {
      // When only this MMSI holds As (it is out of the map meanwhile), drop its own oldest.
      if (!this.evictOldest()) {
        queue.shift();
        this.held--;
      }
    }
    queue.push(a);
    this.held++;
    this.pending.set(a.mmsi, queue);
  }

  private evictOldest(): boolean {
    const first = this.pending.entries().next();
    if (first.done) return false;
    const [mmsi, queue] = first.value;
    queue.shift();
    this.held--;
    if (queue.length === 0) this.pending.delete(mmsi);
    return true;
  }
}
