import type { FleetGridView, FleetId, H3Cell, LatLon, MultiPolygonGeometry, VesselId, VesselRegistry } from '../model/index.js';
import { cellDisk, cellsOutline, latLonToCell } from './cells.js';
import { cellCap, inCap, type CellCap } from './neighbours.js';
import { EARTH_RADIUS_M, M_PER_NM, RAD, vectorAngle } from './sphere.js';

/**
 * Mobile fleet grids: each fleet group (编组) of the registry as a live grid — its members' cells,
 * the footprint around them, centroid, spread and who is straying, silent or unheard.
 *
 * Definitions (what a fleet-group leader reads off the map):
 * - fresh member: has a fix no older than `staleAfterMs` at the last `tick`; only fresh members
 *   shape the grid. `stale`: had a fix, now older; `missing`: no fix since start.
 * - centroid: the normalised mean of the fresh members' unit vectors (the mean on the sphere), so
 *   no longitude care is needed anywhere; over a fleet a few nm across it equals the lat/lon mean
 *   to metres.
 * - spreadNm: the farthest fresh member from the centroid (great circle).
 * - outside: fresh members farther from the centroid than
 *   `max(stragglerMinNm, stragglerMedianFactor × median member distance)` (3 nm and 3× by default):
 *   relative to how loosely the fleet works, never flagging a vessel within 3 nm of the centre, and
 *   robust to the straggler itself (the median ignores it). With two members, neither is outside
 *   (who strayed from whom?) — `spreadNm` still shows the gap.
 * - cells: the fresh members' H3 cells (res 6); footprint: those cells with `footprintRing` rings
 *   around them (1 by default), outlined as a GeoJSON MultiPolygon.
 *
 * Updates are O(1) (no h3 call while a member stays inside its cell's inscribed cap); views are
 * recomputed lazily, and the footprint outline only when the set of cells changed.
 */

export interface FleetGridOptions {
  /** H3 resolution of members' cells. Default 6 (≈ 3.7 km edges). */
  readonly res?: number;
  /** Rings of cells around the members' cells in the footprint. Default 1. */
  readonly footprintRing?: number;
  /** A fix older than this (against the last `tick`) makes the member stale. Default 10 min: three BeiDou intervals, and an AIS vessel at anchor reports every 3 min. */
  readonly staleAfterMs?: number;
  /** Straggler radius floor, nm. Default 3. */
  readonly stragglerMinNm?: number;
  /** Straggler radius as a multiple of the median member distance from the centroid. Default 3. */
  readonly stragglerMedianFactor?: number;
}

/** Fleets changed after a cursor, and the cursor to ask with next time. */
export interface FleetChanges {
  readonly cursor: number;
  readonly fleets: FleetGridView[];
}

const DEFAULTS = {
  res: 6,
  footprintRing: 1,
  staleAfterMs: 10 * 60_000,
  stragglerMinNm: 3,
  stragglerMedianFactor: 3,
} satisfies Required<FleetGridOptions>;


class Member {
  located = false;
  atMs = -Infinity;
  x = 0;
  y = 0;
  z = 0;
  cap: CellCap | undefined = undefined;
  /** Whether the last view counted this member as stale. */
  wasStale = false;

  constructor(
    readonly vesselId: VesselId,
    readonly fleet: FleetRec,
  ) {}
}

class FleetRec {
  readonly members: Member[] = [];
  readonly memberIds: VesselId[] = [];
  seq = 0;
  dirty = true;
  view: FleetGridView | undefined = undefined;
  /** Lower bound of the time the next fresh member turns stale. */
  nextStaleAtMs = Infinity;
  cellsKey = '';
  cells: H3Cell[] = [];
  footprint: MultiPolygonGeometry = { type: 'MultiPolygon', coordinates: [] };
  footprintSeq = 0;

  constructor(readonly fleetId: FleetId) {}
}

/**
 * The live fleet grids of a registry. Feed `update` with each vessel's accepted fix and `tick`
 * with the clock (staleness is judged at the last tick; no clock is read here). Pure and
 * synchronous.
 */
export class FleetGrids {
  private readonly opts: Required<FleetGridOptions>;
  private readonly fleets = new Map<FleetId, FleetRec>();
  private readonly members = new Map<VesselId, Member>();
  private readonly caps = new Map<H3Cell, CellCap>();
  private seq = 0;
  private nowMs = -Infinity;
  /** Recomputations done (views; footprint outlines). */
  readonly counters = { views: 0, footprints: 0, cellLookups: 0 };

  constructor(registry: VesselRegistry, opts: FleetGridOptions = {}) {
    this.opts = { ...DEFAULTS, ...opts };
    for (const fleetId of registry.fleetIds()) {
      const rec = new FleetRec(fleetId);
      for (const f of registry.fleet(fleetId)) {
        const m = new Member(f.vesselId, rec);
        rec.members.push(m);
        rec.memberIds.push(f.vesselId);
        this.members.set(f.vesselId, m);
      }
      this.fleets.set(fleetId, rec);
    }
  }

  /** The newest change sequence: `changedSince(grids.cursor)` later returns what changed after now. */
  get cursor(): number {
    return this.seq;
  }

  fleetOf(vesselId: VesselId): FleetId | undefined {
    return this.members.get(vesselId)?.fleet.fleetId;
  }

  /** A member's accepted fix. False when the vessel is in no fleet or the fix is older than its last. */
  update(vesselId: VesselId, lat: number, lon: number, atMs: number): boolean {
    const m = this.members.get(vesselId);
    if (m === undefined || atMs < m.atMs) return false;
    const p = lat * RAD;
    const l = lon * RAD;
    m.x = Math.cos(p) * Math.cos(l);
    m.y = Math.cos(p) * Math.sin(l);
    m.z = Math.sin(p);
    m.atMs = atMs;
    m.located = true;
    if (m.cap === undefined || !inCap(m.cap, lat, lon)) {
      this.counters.cellLookups++;
      m.cap = this.capOf(latLonToCell(lat, lon, this.opts.res));
    }
    const f = m.fleet;
    f.seq = ++this.seq;
    f.dirty = true;
    f.nextStaleAtMs = Math.min(f.nextStaleAtMs, atMs + this.opts.staleAfterMs);
    return true;
  }

  /**
   * A member left the live picture (not heard for long): it counts as never heard (`missing`) until
   * its next fix. False when the vessel is in no fleet.
   */
  forget(vesselId: VesselId): boolean {
    const m = this.members.get(vesselId);
    if (m === undefined) return false;
    m.located = false;
    m.atMs = -Infinity;
    m.cap = undefined;
    m.wasStale = false;
    m.fleet.seq = ++this.seq;
    m.fleet.dirty = true;
    return true;
  }

  /** Moves the clock on; fleets where a member turned stale become changed. O(fleets) plus their members. */
  tick(nowMs: number): void {
    this.nowMs = nowMs;
    for (const f of this.fleets.values()) {
      if (nowMs <= f.nextStaleAtMs) continue;
      let next = Infinity;
      let turned = false;
      for (const m of f.members) {
        if (!m.located) continue;
        const stale = this.isStale(m);
        if (stale !== m.wasStale) turned = true;
        if (!stale) next = Math.min(next, m.atMs + this.opts.staleAfterMs);
      }
      f.nextStaleAtMs = next;
      if (turned) {
        f.seq = ++this.seq;
        f.dirty = true;
      }
    }
  }

  fleet(fleetId: FleetId): FleetGridView | undefined {
    const f = this.fleets.get(fleetId);
    return f === undefined ? undefined : this.viewOf(f);
  }

  all(): FleetGridView[] {
    return [...this.fleets.values()].map((f) => this.viewOf(f));
  }

  /** Fleets changed after `cursor`, oldest change first. Scans the fleets (hundreds), recomputes only those. */
  changedSince(cursor: number): FleetChanges {
    const changed: FleetRec[] = [];
    for (const f of this.fleets.values()) if (f.seq > cursor) changed.push(f);
    changed.sort((a, b) => a.seq - b.seq);
    return { cursor: this.seq, fleets: changed.map((f) => this.viewOf(f)) };
  }

  private isStale(m: Member): boolean {
    return this.nowMs - m.atMs > this.opts.staleAfterMs;
  }

  private capOf(cell: H3Cell): CellCap {
    let c = this.caps.get(cell);
    if (c === undefined) {
      c = cellCap(cell);
      this.caps.set(cell, c);
    }
    return c;
  }

  private viewOf(f: FleetRec): FleetGridView {
    if (!f.dirty && f.view !== undefined) return f.view;
    this.counters.views++;
    const fresh: Member[] = [];
    const stale: VesselId[] = [];
    const missing: VesselId[] = [];
    let atMs: number | null = null;
    let x = 0;
    let y = 0;
    let z = 0;
    for (const m of f.members) {
      m.wasStale = false;
      if (!m.located) {
        missing.push(m.vesselId);
        continue;
      }
      atMs = atMs === null ? m.atMs : Math.max(atMs, m.atMs);
      if (this.isStale(m)) {
        m.wasStale = true;
        stale.push(m.vesselId);
        continue;
      }
      fresh.push(m);
      x += m.x;
      y += m.y;
      z += m.z;
    }
    let centroid: LatLon | null = null;
    let spreadNm = 0;
    let radiusNm = this.opts.stragglerMinNm;
    const outside: VesselId[] = [];
    const norm = Math.hypot(x, y, z);
    if (fresh.length > 0 && norm > 1e-9) {
      x /= norm;
      y /= norm;
      z /= norm;
      centroid = { lat: Math.asin(Math.max(-1, Math.min(1, z))) / RAD, lon: Math.atan2(y, x) / RAD };
      const dist = fresh.map((m) => (vectorAngle(x, y, z, m.x, m.y, m.z) * EARTH_RADIUS_M) / M_PER_NM);
      spreadNm = Math.max(...dist);
      radiusNm = Math.max(this.opts.stragglerMinNm, this.opts.stragglerMedianFactor * median(dist));
      for (let i = 0; i < fresh.length; i++) if (dist[i]! > radiusNm) outside.push(fresh[i]!.vesselId);
    }
    this.refreshFootprint(f, fresh);
    f.dirty = false;
    f.view = {
      fleetId: f.fleetId,
      members: f.memberIds,
      located: fresh.length,
      cells: f.cells,
      footprint: f.footprint,
      centroid,
      spreadNm,
      stragglerRadiusNm: radiusNm,
      outside,
      stale,
      missing,
      atMs,
      seq: f.seq,
      footprintSeq: f.footprintSeq,
    };
    return f.view;
  }

  /** Cells of the fresh members; the outline is rebuilt only when that set changed. */
  private refreshFootprint(f: FleetRec, fresh: readonly Member[]): void {
    const cells = [...new Set(fresh.map((m) => m.cap!.cell))].sort();
    const key = cells.join(',');
    if (key === f.cellsKey) return;
    this.counters.footprints++;
    const area = new Set<H3Cell>();
    for (const c of cells) for (const n of cellDisk(c, this.opts.footprintRing)) area.add(n);
    f.cellsKey = key;
    f.cells = cells;
    f.footprint = { type: 'MultiPolygon', coordinates: area.size === 0 ? [] : cellsOutline([...area]) };
    f.footprintSeq = f.seq;
  }
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
