/**
 * Grid events and occupancy: each vessel's last membership, the enter/exit events when it changes
 * (the handover between grid teams), and how many vessels each grid holds.
 *
 * - Layers tracked: static, control, patrol, zone (in-force zones) and fishingZone (the 渔区
 *   sub-zone id). Within one fix, exits come before enters, layers in that order, ids ascending.
 * - A fix older than the vessel's last (`atMs` <) changes nothing and gives no events: the live
 *   picture keeps it in the track but it does not move the vessel. A fix at the same time applies.
 * - The first fix of a vessel gives enter events for every grid it is in (it appeared there).
 * - `remove` takes the vessel out of the counts without events: going silent or leaving the
 *   picture is not a boundary crossing (the silence rule speaks for that).
 * - Memberships from `SeaGridIndex` are shared objects, so an unchanged one is recognised by
 *   identity and costs nothing.
 */
import type { GridEvent, GridLayer, GridMembership, VesselId } from '../model/index.js';

interface Tracked {
  membership: GridMembership;
  atMs: number;
}

const NO_EVENTS: readonly GridEvent[] = Object.freeze([]);
const NONE: readonly string[] = Object.freeze([]);

/** The membership's ids of one layer, ascending. */
function idsOf(m: GridMembership, layer: GridLayer): readonly string[] {
  switch (layer) {
    case 'static':
      return m.static;
    case 'control':
      return m.control;
    case 'patrol':
      return m.patrol;
    case 'zone':
      return m.zones;
    case 'fishingZone':
      return m.fishingZone === undefined ? NONE : [m.fishingZone];
  }
}

const LAYERS: readonly GridLayer[] = ['static', 'control', 'patrol', 'zone', 'fishingZone'];

export class GridTracker {
  private readonly vessels = new Map<VesselId, Tracked>();
  private readonly counts = new Map<string, number>();

  /**
   * Record a vessel's membership at a fix; returns the events it causes (none when unchanged or
   * when the fix is older than the vessel's last).
   */
  update(vesselId: VesselId, membership: GridMembership, atMs: number, lat: number, lon: number): readonly GridEvent[] {
    const prev = this.vessels.get(vesselId);
    if (prev !== undefined) {
      if (atMs < prev.atMs) return NO_EVENTS;
      prev.atMs = atMs;
      if (prev.membership === membership) return NO_EVENTS;
    } else {
      this.vessels.set(vesselId, { membership, atMs });
    }
    const events: GridEvent[] = [];
    const before = prev?.membership;
    const enters: GridEvent[] = [];
    for (const layer of LAYERS) {
      const a = before === undefined ? NONE : idsOf(before, layer);
      const b = idsOf(membership, layer);
      if (a === b) continue;
      // Both ascending: one merge walk finds the ids only in a (exit) and only in b (enter).
      let i = 0;
      let j = 0;
      while (i < a.length || j < b.length) {
        const x = a[i];
        const y = b[j];
        if (y === undefined || (x !== undefined && x < y)) {
          events.push({ vesselId, layer, gridId: x!, kind: 'exit', atMs, lat, lon });
          this.bump(x!, -1);
          i++;
        } else if (x === undefined || y < x) {
          enters.push({ vesselId, layer, gridId: y, kind: 'enter', atMs, lat, lon });
          this.bump(y, 1);
          j++;
        } else {
          i++;
          j++;
        }
      }
    }
    if (prev !== undefined) prev.membership = membership;
    for (const e of enters) events.push(e);
    return events.length === 0 ? NO_EVENTS : events;
  }

  /** Take a vessel out of the counts (expired or removed); no events. True when it was tracked. */
  remove(vesselId: VesselId): boolean {
    const t = this.vessels.get(vesselId);
    if (t === undefined) return false;
    for (const layer of LAYERS) for (const id of idsOf(t.membership, layer)) this.bump(id, -1);
    this.vessels.delete(vesselId);
    return true;
  }

  /** Remove every vessel whose last fix is older than `cutoffMs`; returns their ids. */
  expire(cutoffMs: number): VesselId[] {
    const gone: VesselId[] = [];
    for (const [id, t] of this.vessels) if (t.atMs < cutoffMs) gone.push(id);
    for (const id of gone) this.remove(id);
    return gone;
  }

  /** Vessels per grid id (grids with none are absent). Live view: read it, do not keep it. */
  occupancy(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** Occupancy as a plain object, for JSON. */
  occupancyObject(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  membershipOf(vesselId: VesselId): GridMembership | undefined {
    return this.vessels.get(vesselId)?.membership;
  }

  get size(): number {
    return this.vessels.size;
  }

  private bump(id: string, d: number): void {
    const n = (this.counts.get(id) ?? 0) + d;
    if (n <= 0) this.counts.delete(id);
    else this.counts.set(id, n);
  }
}
