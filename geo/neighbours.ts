import type { H3Cell, LatLon, VesselId } from '../model/index.js';
import { cellDisk, cellGridRing, cellRing, latLonToCell } from './cells.js';
import { lonReachDeg } from './lat-lon-grid.js';
import { arcOfHav, EARTH_RADIUS_M, havOfArc, havTerm, M_PER_NM, RAD, unitVector, vectorAngle } from './sphere.js';

// The batch companion of this index (one grid for a whole batch, thrown away after it).
export { LatLonGrid, lonReachDeg } from './lat-lon-grid.js';

/**
 * Neighbour index for collision screening: vessels bucketed by H3 cell (res 6 by default), so
 * `near` and `sweep` look at the vessels of a ring of cells around each one instead of all of them.
 *
 * Ring size — why no vessel within the radius is ever missed
 * ----------------------------------------------------------
 * Let p lie in cell C, q within r of p, and let ring_j(C) be the cells at exactly j grid steps
 * from C. Walk the great circle from p to q: consecutive cells on the way are adjacent (H3
 * vertices all join three mutually adjacent cells), so the grid distance from C changes by at most
 * one per cell. If q's cell were outside disk_k(C), the walk would pass a point y of some cell in
 * ring_{k+1}(C), and d(p, y) ≤ d(p, q) ≤ r. Hence, with
 *
 *     reach_k(C) = min over X in ring_{k+1}(C) of d(C, X)   (distance between the two polygons),
 *
 * every q within r of any point of C lies in disk_k(C) as soon as reach_k(C) > r. We take the
 * smallest such k ≥ 1 (reach_0 = 0: the neighbours touch C).
 *
 * reach_k is not estimated: it is computed per cell from h3's own boundaries (edges are great-circle
 * arcs — h3 draws hexagons on gnomonic face projections, whose straight lines are great circles;
 * face-crossing vertices are in the boundary). Two disjoint polygons are closest at a vertex of one
 * and an arc of the other, so d(C, X) is a minimum of vertex-to-arc distances. This holds for
 * distorted and pentagon cells alike, where averages would not: at res 6 over 22–38°N,
 * 117–132°E edges range 2.81–3.89 km (average 3.72 km).
 *
 * For the regular planar lattice of edge e the same quantity is reach_k = e(3k − 1)/2 (k ≥ 1:
 * from a vertex of C to the nearest "valley" vertex of the ring-(k+1) outline), i.e.
 * k = ⌈(2r/e + 1)/3⌉ (`ringSizeEstimate`). reach_k never decreases with k (the cap it measures
 * inside disk_k is inside disk_{k+1} too), so the search starts one below that estimate, with the
 * cell's own mean edge, and usually computes two reaches. Each ring cell is first bounded by
 * centre distance minus both circumradii; only those that could be nearer get the exact
 * polygon distance. Reaches, disks and cell outlines are cached per cell (cold cost ≈ 0.1–0.3 ms a
 * cell, once). Tests check the bound independently: from every vertex of cells across the East
 * China Sea, points exactly r away in 72 directions land in the disk (res 5–7, 0.5–12 nm).
 *
 * Distances are sphere.ts' haversine (the terms `distanceM` uses, in its order), so "within the
 * radius" means exactly `distanceM(a, b) ≤ radiusNm · 1852`.
 *
 * Cost of a query (the collision rule's per-fix path: ≈ 24 disk cells, 7 near enough to open,
 * 55 candidates, 17 found on the collision bench's sea): memory reads more than arithmetic, so a
 * disk keeps its cells' centres in one array and a bucket its vessels' positions next to their
 * slots — a query reads a few rows instead of a record per cell and three arrays per candidate.
 * A caller may keep numbers of its own in that row too (`reserve`, `setCarried`: the collision
 * rule's kinematics), read by the scan with the position instead of a look-up per vessel found.
 */

/** A reach must beat the radius by this much (radians, ≈ 6 mm): room for rounding in both. */
const REACH_MARGIN_RAD = 1e-9;
/** The fast "still in the same cell" test uses this share of the inradius. */
const CAP_SHARE = 0.999;

export interface NeighbourIndexOptions {
  /** H3 resolution of the buckets. Default 6 (≈ 3.7 km edges): a 2 nm CPA screen needs k = 1–2. */
  readonly res?: number;
}

export interface NearHit {
  readonly vesselId: VesselId;
  readonly distanceNm: number;
}

/**
 * One vessel found by `forEachNear`: its id, distance and slot (see `slotOfVessel`), and where the
 * numbers callers keep with it (`reserve`, `setCarried`) are: carried[at + lane …].
 */
export type NearVisitor = (vesselId: VesselId, distanceNm: number, slot: number, carried: Float64Array, at: number) => void;

/** What one `sweep` did: pairs whose distance was looked at, against n(n − 1)/2. */
export interface SweepStats {
  readonly vessels: number;
  readonly pairsExamined: number;
  readonly pairsFound: number;
  readonly allPairs: number;
  readonly cellsVisited: number;
}

/** Inscribed cap of a cell: a point within it is in the cell without asking h3. */
export interface CellCap {
  readonly cell: H3Cell;
  readonly phi: number;
  readonly lonDeg: number;
  readonly cosPhi: number;
  /** haversine term sin²(ρ/2) of CAP_SHARE × the cell's inradius ρ. */
  readonly hav: number;
}

/** The inscribed cap of a cell (from its boundary; a few µs). */
export function cellCap(cell: H3Cell): CellCap {
  return capOf(cell, cellGeo(cell));
}

/** The largest cap around the geometry's centre that stays inside the outline, shrunk by CAP_SHARE. */
function capOf(cell: H3Cell, g: CellGeo): CellCap {
  const inradius = chordToAngle(pointToOutlineChord2(g.cx, g.cy, g.cz, g));
  const phi = Math.asin(g.cz);
  return { cell, phi, lonDeg: Math.atan2(g.cy, g.cx) / RAD, cosPhi: Math.cos(phi), hav: havOfArc(CAP_SHARE * inradius) };
}

/** Whether (lat, lon) is certainly in the cell of `cap` (false means: ask h3). */
export function inCap(cap: CellCap, lat: number, lon: number): boolean {
  const p = lat * RAD;
  return havTerm(cap.phi, p, cap.cosPhi, Math.cos(p), (lon - cap.lonDeg) * RAD) < cap.hav;
}

/** The planar-lattice ring size for a radius at a resolution (an estimate; the index computes per cell). */
export function ringSizeEstimate(edgeKm: number, radiusNm: number): number {
  return Math.max(1, Math.ceil(((2 * radiusNm * M_PER_NM) / (edgeKm * 1000) + 1) / 3));
}

/** One interned cell: its bucket of vessel slots and, lazily, its geometry and disks. */
class CellRec {
  readonly slots: number[] = [];
  /**
   * Latitude (radians), longitude (degrees) and cos(latitude) of slots[i] at stride·i … + 2, then
   * the numbers callers carry with it (`reserve`), kept with the bucket: a scan reads one cell's
   * positions in a row instead of three arrays at random slots (a cache miss each; on the per-fix
   * path the scan was most of the cost), and a caller's numbers for a vessel found next to them.
   */
  pos: Float64Array = EMPTY_POS;
  /** Position in `occupied` while the bucket is not empty, else -1. */
  occupiedAt = -1;
  cap: CellCap | undefined = undefined;
  /** disks[k]: gridDisk(cell, k). */
  readonly disks: (Disk | undefined)[] = [];
  /** reach[k] in radians (see the header), computed for the k looked at. */
  readonly reach: number[] = [];
  /** Its geometry, once a ring size was asked. */
  geo: CellGeo | undefined = undefined;
  /** The last radius asked and its ring size. */
  lastRad = -1;
  lastK = 1;

  constructor(
    readonly cell: H3Cell,
    readonly idx: number,
  ) {}
}

const EMPTY_POS = new Float64Array(0);

/**
 * A cell's disk: the cells' indexes and, 4 numbers a cell, each one's centre (unit vector) and the
 * chord of its circumradius. A scan skips a cell whose centre is farther than the radius's chord
 * plus that one (no point of the cell can then be within the radius — chords obey the triangle
 * inequality), reading the disk's own array instead of every cell's record.
 */
interface Disk {
  readonly idx: Int32Array;
  readonly geo: Float64Array;
}

/**
 * Vessels by H3 cell. `upsert` moves a vessel between buckets (no h3 call while it stays inside its
 * cell's inscribed cap); `near` and `sweep` filter the ring's candidates by exact haversine.
 * Synchronous, no clock, no IO.
 */
export class NeighbourIndex {
  readonly res: number;
  private readonly cellIndex = new Map<string, number>();
  private readonly cells: CellRec[] = [];
  private readonly occupied: CellRec[] = [];
  private readonly geometry = new Map<string, CellGeo>();
  private readonly slotOf = new Map<VesselId, number>();
  private ids: (VesselId | undefined)[] = [];
  private latDeg: Float64Array = new Float64Array(1024);
  private lonDeg: Float64Array = new Float64Array(1024);
  private phi: Float64Array = new Float64Array(1024);
  private cosPhi: Float64Array = new Float64Array(1024);
  private cellOf: Int32Array = new Int32Array(1024);
  private posIn: Int32Array = new Int32Array(1024);
  private readonly free: number[] = [];
  private used = 0;
  /** Numbers carried per vessel (`reserve`), NaN until set, by slot; and a bucket row's length. */
  private width = 0;
  private stride = 3;
  private carried: Float64Array = new Float64Array(0);
  /** Upserts that needed h3 (outside the cap of the previous cell, or a new vessel). */
  cellLookups = 0;

  constructor(opts: NeighbourIndexOptions = {}) {
    this.res = opts.res ?? 6;
    if (!Number.isInteger(this.res) || this.res < 0 || this.res > 15) throw new Error(`neighbours: bad H3 resolution ${this.res}`);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** The vessel's bucket cell, if indexed. */
  cellOfVessel(vesselId: VesselId): H3Cell | undefined {
    const s = this.slotOf.get(vesselId);
    return s === undefined ? undefined : this.cells[this.cellOf[s]!]!.cell;
  }

  /** Adds or moves a vessel. Returns true when its cell changed (or it is new). */
  upsert(vesselId: VesselId, lat: number, lon: number): boolean {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90) throw new Error(`neighbours: bad position ${lat},${lon} for ${vesselId}`);
    let s = this.slotOf.get(vesselId);
    const p = lat * RAD;
    if (s !== undefined) {
      const rec = this.cells[this.cellOf[s]!]!;
      this.latDeg[s] = lat;
      this.lonDeg[s] = lon;
      this.phi[s] = p;
      this.cosPhi[s] = Math.cos(p);
      const next = inCap(rec.cap!, lat, lon) ? rec : this.recOf(this.lookup(lat, lon));
      if (next === rec) {
        this.posOf(rec, this.posIn[s]!, s);
        return false;
      }
      this.leave(s, rec);
      this.enter(s, next);
      return true;
    }
    s = this.free.pop() ?? this.grow();
    // A reused slot carries its last vessel's numbers.
    if (this.width > 0) this.carried.fill(NaN, s * this.width, (s + 1) * this.width);
    this.slotOf.set(vesselId, s);
    this.ids[s] = vesselId;
    this.latDeg[s] = lat;
    this.lonDeg[s] = lon;
    this.phi[s] = p;
    this.cosPhi[s] = Math.cos(p);
    this.enter(s, this.recOf(this.lookup(lat, lon)));
    return true;
  }

  remove(vesselId: VesselId): boolean {
    const s = this.slotOf.get(vesselId);
    if (s === undefined) return false;
    this.leave(s, this.cells[this.cellOf[s]!]!);
    this.slotOf.delete(vesselId);
    this.ids[s] = undefined;
    this.free.push(s);
    return true;
  }

  /**
   * Room for `width` numbers a caller keeps per vessel next to its position in the buckets (its
   * lane), so a scan hands them to the visitor without the caller looking the vessel up: the
   * collision rule pre-screens a neighbour on its kinematics there, reading no record of its own
   * for the many that cannot meet. NaN until `setCarried`, and again for a vessel new to a slot.
   * Returns the lane's offset from the visitor's `at`.
   */
  reserve(width: number): number {
    if (!Number.isInteger(width) || width < 1) throw new Error(`neighbours: bad carried width ${width}`);
    const lane = this.width;
    const w = lane + width;
    const carried = new Float64Array(this.latDeg.length * w).fill(NaN);
    for (let s = 0; s < this.used; s++) for (let k = 0; k < lane; k++) carried[s * w + k] = this.carried[s * lane + k]!;
    this.width = w;
    this.stride = 3 + w;
    this.carried = carried;
    for (const rec of this.occupied) {
      rec.pos = new Float64Array(Math.max(8 * this.stride, 2 * this.stride * rec.slots.length));
      for (let at = 0; at < rec.slots.length; at++) this.posOf(rec, at, rec.slots[at]!);
    }
    return lane;
  }

  /**
   * Sets the numbers of a lane (`reserve`) for a vessel, from from[fromAt …]; `slot` is where the
   * caller last met it (no look-up when it is still there; -1: unknown). False if not indexed.
   */
  setCarried(vesselId: VesselId, slot: number, lane: number, width: number, from: Float64Array, fromAt: number): boolean {
    const s = slot >= 0 && this.ids[slot] === vesselId ? slot : this.slotOf.get(vesselId);
    if (s === undefined) return false;
    if (!(lane >= 0 && lane + width <= this.width)) throw new Error(`neighbours: lane ${lane}+${width} not reserved`);
    const c = this.carried;
    const pos = this.cells[this.cellOf[s]!]!.pos;
    const o = s * this.width + lane;
    const p = this.stride * this.posIn[s]! + 3 + lane;
    for (let k = 0; k < width; k++) {
      const x = from[fromAt + k]!;
      c[o + k] = x;
      pos[p + k] = x;
    }
    return true;
  }

  /**
   * The vessels bucketed in these cells (of this index's resolution), or undefined as soon as there
   * are more than `max`: the caller then takes another way instead of building a huge list.
   */
  idsInCells(cells: readonly H3Cell[], max: number): VesselId[] | undefined {
    const out: VesselId[] = [];
    for (const cell of cells) {
      const idx = this.cellIndex.get(cell);
      if (idx === undefined) continue;
      const slots = this.cells[idx]!.slots;
      if (out.length + slots.length > max) return undefined;
      for (const s of slots) out.push(this.ids[s]!);
    }
    return out;
  }

  /** Ring size used around `cell` for a radius (≥ 1; see the header). */
  ringSize(cell: H3Cell, radiusNm: number): number {
    return this.kFor(this.recOf(cell), radiusRad(radiusNm));
  }

  /**
   * Vessels within radiusNm (inclusive) of a vessel (itself excluded; [] if not indexed) or of a
   * point, nearest first. Allocates the list and sorts it: hot paths use `forEachNear`.
   */
  near(from: VesselId | LatLon, radiusNm: number): NearHit[] {
    const out: NearHit[] = [];
    this.forEachNear(from, radiusNm, (vesselId, distanceNm) => {
      out.push({ vesselId, distanceNm });
    });
    return out.sort((x, y) => x.distanceNm - y.distanceNm);
  }

  /**
   * `near` without the list: calls `visit` for each vessel within radiusNm (inclusive) of a vessel
   * (itself excluded; none if not indexed) or of a point, in no particular order, and returns how
   * many. No allocation, so a caller screening every vessel of a batch (the collision rule) pays
   * only for the distances. `visit` must not change the index.
   */
  forEachNear(from: VesselId | LatLon, radiusNm: number, visit: NearVisitor): number {
    const rRad = radiusRad(radiusNm);
    if (typeof from === 'string') {
      const s = this.slotOf.get(from);
      if (s === undefined) return 0;
      const rec = this.cells[this.cellOf[s]!]!;
      return this.scan(this.diskOf(rec, this.kFor(rec, rRad)), s, this.latDeg[s]!, this.lonDeg[s]!, radiusNm, visit);
    }
    const rec = this.recOf(latLonToCell(from.lat, from.lon, this.res));
    return this.scan(this.diskOf(rec, this.kFor(rec, rRad)), -1, from.lat, from.lon, radiusNm, visit);
  }

  /**
   * Vessels within radiusNm (inclusive) of a point near a vessel — typically where that vessel will
   * be — the vessel itself excluded; distances are to the point. The ring is taken about the
   * vessel's own cell, wide enough for the point's distance plus the radius, so no h3 look-up is
   * needed for the point. None if the vessel is not indexed.
   */
  forEachNearPoint(vesselId: VesselId, at: LatLon, radiusNm: number, visit: NearVisitor): number {
    const s = this.slotOf.get(vesselId);
    if (s === undefined) return 0;
    radiusRad(radiusNm);
    const p = this.phi[s]!;
    const offsetRad = arcOfHav(havTerm(p, at.lat * RAD, this.cosPhi[s]!, Math.cos(at.lat * RAD), (at.lon - this.lonDeg[s]!) * RAD));
    const rec = this.cells[this.cellOf[s]!]!;
    return this.scan(this.diskOf(rec, this.kFor(rec, offsetRad * (1 + 1e-9) + (radiusNm * M_PER_NM) / EARTH_RADIUS_M)), s, at.lat, at.lon, radiusNm, visit);
  }

  /** The vessels of `disk` within radiusNm of (lat, lon), slot `self` excluded. */
  private scan(disk: Disk, self: number, lat: number, lon: number, radiusNm: number, visit: NearVisitor): number {
    const rRad = (radiusNm * M_PER_NM) / EARTH_RADIUS_M;
    const p = lat * RAD;
    const cp = Math.cos(p);
    const rM = radiusNm * M_PER_NM;
    const aMax = havOfArc(rRad) * (1 + 1e-9);
    const dPhiMax = rRad * (1 + 1e-9);
    const dLonMax = lonReachDeg(rRad, cp);
    const ids = this.ids;
    // The point as a unit vector and the radius as a chord, for the cell test below.
    const l = lon * RAD;
    const qx = cp * Math.cos(l);
    const qy = cp * Math.sin(l);
    const qz = Math.sin(p);
    const rChord = 2 * Math.sin(Math.min(rRad, Math.PI) / 2);
    let found = 0;
    const { idx, geo } = disk;
    for (let i = 0; i < idx.length; i++) {
      // A disk holds ≈ 10× the circle's area: most of its cells lie wholly outside (room for rounding).
      const dx = geo[4 * i]! - qx;
      const dy = geo[4 * i + 1]! - qy;
      const dz = geo[4 * i + 2]! - qz;
      const reach = (rChord + geo[4 * i + 3]!) * (1 + 1e-6) + 1e-9;
      if (dx * dx + dy * dy + dz * dz > reach * reach) continue;
      const rec = this.cells[idx[i]!]!;
      const slots = rec.slots;
      if (slots.length === 0) continue;
      const pos = rec.pos;
      const stride = this.stride;
      for (let j = 0; j < slots.length; j++) {
        const o = stride * j;
        const p2 = pos[o]!;
        if (Math.abs(p2 - p) > dPhiMax) continue;
        // Longitude next: cheaper than the haversine's sines, and most of a disk fails it.
        const l2 = pos[o + 1]!;
        let dl = Math.abs(l2 - lon);
        if (dl > 180) dl = 360 - dl;
        if (dl > dLonMax) continue;
        const b = slots[j]!;
        if (b === self) continue;
        const a = havTerm(p, p2, cp, pos[o + 2]!, (l2 - lon) * RAD);
        if (a > aMax) continue;
        const d = EARTH_RADIUS_M * arcOfHav(a);
        if (d > rM) continue;
        found++;
        visit(ids[b]!, d / M_PER_NM, b, pos, o + 3);
      }
    }
    return found;
  }

  /** Calls `visit` for every indexed vessel with its position and slot (a batch that needs them all). */
  forEachVessel(visit: (vesselId: VesselId, lat: number, lon: number, slot: number) => void): void {
    const { ids, latDeg, lonDeg } = this;
    for (let s = 0; s < this.used; s++) {
      const id = ids[s];
      if (id !== undefined) visit(id, latDeg[s]!, lonDeg[s]!, s);
    }
  }

  /**
   * The vessel's slot: a small integer naming it while it stays indexed (reused once it leaves),
   * the third argument of a `forEachNear` visit. Lets a caller keep per-vessel data in an array
   * instead of a map; it must check the id it stored there, since slots are reused.
   */
  slotOfVessel(vesselId: VesselId): number | undefined {
    return this.slotOf.get(vesselId);
  }

  /**
   * Every unordered pair of indexed vessels within radiusNm (inclusive), each once: a pair in two
   * cells is visited from the cell interned first, which is enough because the ring bound holds
   * from either side.
   */
  sweep(radiusNm: number, visit: (a: VesselId, b: VesselId, distanceNm: number) => void): SweepStats {
    const rRad = radiusRad(radiusNm);
    const rM = radiusNm * M_PER_NM;
    const aMax = havOfArc(rRad) * (1 + 1e-9);
    const dPhiMax = rRad * (1 + 1e-9);
    const { phi, lonDeg, cosPhi, ids } = this;
    let examined = 0;
    let found = 0;
    let cellsVisited = 0;
    // A pair test inlined twice below (same cell / other cell) to keep the loop monomorphic.
    for (let o = 0; o < this.occupied.length; o++) {
      const c = this.occupied[o]!;
      const own = c.slots;
      const disk = this.diskOf(c, this.kFor(c, rRad)).idx;
      for (let i = 0; i < disk.length; i++) {
        const x = disk[i]!;
        if (x < c.idx) continue;
        const other = this.cells[x]!.slots;
        if (other.length === 0) continue;
        cellsVisited++;
        const same = x === c.idx;
        for (let m = 0; m < own.length; m++) {
          const a = own[m]!;
          const pa = phi[a]!;
          const la = lonDeg[a]!;
          const ca = cosPhi[a]!;
          for (let n = same ? m + 1 : 0; n < other.length; n++) {
            const b = other[n]!;
            examined++;
            const pb = phi[b]!;
            if (Math.abs(pb - pa) > dPhiMax) continue;
            const h = havTerm(pa, pb, ca, cosPhi[b]!, (lonDeg[b]! - la) * RAD);
            if (h > aMax) continue;
            const d = EARTH_RADIUS_M * arcOfHav(h);
            if (d > rM) continue;
            found++;
            visit(ids[a]!, ids[b]!, d / M_PER_NM);
          }
        }
      }
    }
    const n = this.slotOf.size;
    return { vessels: n, pairsExamined: examined, pairsFound: found, allPairs: (n * (n - 1)) / 2, cellsVisited };
  }

  private lookup(lat: number, lon: number): H3Cell {
    this.cellLookups++;
    return latLonToCell(lat, lon, this.res);
  }

  private recOf(cell: H3Cell): CellRec {
    const i = this.cellIndex.get(cell);
    if (i !== undefined) return this.cells[i]!;
    const rec = new CellRec(cell, this.cells.length);
    this.cells.push(rec);
    this.cellIndex.set(cell, rec.idx);
    return rec;
  }

  private enter(s: number, rec: CellRec): void {
    if (rec.cap === undefined) {
      const g = this.geoOf(rec.cell);
      rec.cap = capOf(rec.cell, g);
    }
    this.cellOf[s] = rec.idx;
    const at = rec.slots.length;
    this.posIn[s] = at;
    rec.slots.push(s);
    if (rec.pos.length < this.stride * (at + 1)) {
      const grown = new Float64Array(Math.max(8 * this.stride, 2 * rec.pos.length));
      grown.set(rec.pos);
      rec.pos = grown;
    }
    this.posOf(rec, at, s);
    if (rec.occupiedAt < 0) {
      rec.occupiedAt = this.occupied.length;
      this.occupied.push(rec);
    }
  }

  private leave(s: number, rec: CellRec): void {
    const at = this.posIn[s]!;
    const last = rec.slots.pop()!;
    if (last !== s) {
      rec.slots[at] = last;
      this.posIn[last] = at;
      this.posOf(rec, at, last);
    }
    if (rec.slots.length === 0) {
      const tail = this.occupied.pop()!;
      if (tail !== rec) {
        this.occupied[rec.occupiedAt] = tail;
        tail.occupiedAt = rec.occupiedAt;
      }
      rec.occupiedAt = -1;
    }
  }

  /** Slot s's position and carried numbers into its bucket's `pos` at index `at`. */
  private posOf(rec: CellRec, at: number, s: number): void {
    const pos = rec.pos;
    const o = this.stride * at;
    pos[o] = this.phi[s]!;
    pos[o + 1] = this.lonDeg[s]!;
    pos[o + 2] = this.cosPhi[s]!;
    const w = this.width;
    const c = this.carried;
    for (let k = 0; k < w; k++) pos[o + 3 + k] = c[s * w + k]!;
  }

  private grow(): number {
    const s = this.used++;
    if (s >= this.latDeg.length) {
      const n = this.latDeg.length * 2;
      this.latDeg = growF(this.latDeg, n);
      this.lonDeg = growF(this.lonDeg, n);
      this.phi = growF(this.phi, n);
      this.cosPhi = growF(this.cosPhi, n);
      this.cellOf = growI(this.cellOf, n);
      this.posIn = growI(this.posIn, n);
      if (this.width > 0) this.carried = growF(this.carried, n * this.width);
    }
    return s;
  }

  /** Smallest k ≥ 1 with reach_k(cell) > r. reach grows with k, so search from the lattice estimate. */
  private kFor(rec: CellRec, rRad: number): number {
    if (rec.lastRad === rRad) return rec.lastK;
    // Called for every vessel a screen starts from, each with its own radius: no closure, no map.
    const g = (rec.geo ??= this.geoOf(rec.cell));
    const need = rRad + REACH_MARGIN_RAD;
    let k = Math.max(1, Math.ceil(((2 * rRad) / g.edgeRad + 1) / 3) - 1);
    if (this.reachOf(rec, g, k) > need) while (k > 1 && this.reachOf(rec, g, k - 1) > need) k--;
    else while (!(this.reachOf(rec, g, ++k) > need));
    rec.lastRad = rRad;
    rec.lastK = k;
    return k;
  }

  private diskOf(rec: CellRec, k: number): Disk {
    let d = rec.disks[k];
    if (d === undefined) {
      const cells = cellDisk(rec.cell, k);
      const idx = new Int32Array(cells.length);
      const geo = new Float64Array(4 * cells.length);
      for (let i = 0; i < cells.length; i++) {
        idx[i] = this.recOf(cells[i]!).idx;
        const g = this.geoOf(cells[i]!);
        geo[4 * i] = g.cx;
        geo[4 * i + 1] = g.cy;
        geo[4 * i + 2] = g.cz;
        geo[4 * i + 3] = 2 * Math.sin(g.circumRad / 2);
      }
      d = { idx, geo };
      rec.disks[k] = d;
    }
    return d;
  }

  /**
   * reach_k (radians): the distance from the cell's polygon to the nearest cell of ring k + 1.
   * Ring cells are taken nearest centre first and skipped once their centre bound
   * (centre distance − both circumradii) cannot beat the best so far.
   */
  private reachOf(rec: CellRec, g: CellGeo, k: number): number {
    if (k === 0) return 0;
    const known = rec.reach[k];
    if (known !== undefined) return known;
    const ring = cellGridRing(rec.cell, k + 1).map((c) => {
      const x = this.geoOf(c);
      return { x, lb: vectorAngle(g.cx, g.cy, g.cz, x.cx, x.cy, x.cz) - g.circumRad - x.circumRad };
    });
    ring.sort((a, b) => a.lb - b.lb);
    let best = Infinity;
    for (const { x, lb } of ring) {
      if (lb >= best) break;
      best = Math.min(best, outlineDistanceRad(g, x));
    }
    rec.reach[k] = best;
    return best;
  }

  /** Boundary, centre and sizes of a cell, cached for every cell any reach has looked at. */
  private geoOf(cell: H3Cell): CellGeo {
    let g = this.geometry.get(cell);
    if (g === undefined) {
      g = cellGeo(cell);
      this.geometry.set(cell, g);
    }
    return g;
  }
}

/** A cell's outline for the reach computation: xyz vertices, a centre and the radius around it. */
interface CellGeo {
  /** Vertices, xyz triples (open ring). */
  readonly boundary: Float64Array;
  /** Unit normal of each edge's great circle (vertex i to i + 1), xyz triples. */
  readonly normals: Float64Array;
  readonly cx: number;
  readonly cy: number;
  readonly cz: number;
  /** Largest centre-to-vertex angle: no point of the cell is farther from the centre (arcs are short). */
  readonly circumRad: number;
  /** Mean edge angle (for the starting estimate only). */
  readonly edgeRad: number;
}

function cellGeo(cell: H3Cell): CellGeo {
  const b = boundaryVectors(cell);
  const n = b.length / 3;
  let x = 0;
  let y = 0;
  let z = 0;
  for (let i = 0; i < b.length; i += 3) {
    x += b[i]!;
    y += b[i + 1]!;
    z += b[i + 2]!;
  }
  const l = Math.hypot(x, y, z);
  x /= l;
  y /= l;
  z /= l;
  let circumRad = 0;
  let perimeter = 0;
  for (let i = 0; i < b.length; i += 3) {
    circumRad = Math.max(circumRad, vectorAngle(x, y, z, b[i]!, b[i + 1]!, b[i + 2]!));
    const j = (i + 3) % b.length;
    perimeter += vectorAngle(b[i]!, b[i + 1]!, b[i + 2]!, b[j]!, b[j + 1]!, b[j + 2]!);
  }
  const normals = new Float64Array(b.length);
  for (let i = 0; i < b.length; i += 3) {
    const j = (i + 3) % b.length;
    const nx = b[i + 1]! * b[j + 2]! - b[i + 2]! * b[j + 1]!;
    const ny = b[i + 2]! * b[j]! - b[i]! * b[j + 2]!;
    const nz = b[i]! * b[j + 1]! - b[i + 1]! * b[j]!;
    const l = Math.hypot(nx, ny, nz);
    normals[i] = nx / l;
    normals[i + 1] = ny / l;
    normals[i + 2] = nz / l;
  }
  return { boundary: b, normals, cx: x, cy: y, cz: z, circumRad, edgeRad: perimeter / n };
}

function radiusRad(radiusNm: number): number {
  if (!(radiusNm >= 0) || !Number.isFinite(radiusNm)) throw new Error(`neighbours: bad radius ${radiusNm} nm`);
  return (radiusNm * M_PER_NM) / EARTH_RADIUS_M;
}


function growF(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

// --- Spherical geometry on unit vectors (only for the cached cell geometry, not the hot path) ---

/** Boundary vertices as xyz triples, open ring (h3's closed GeoJSON ring minus its repeat). */
function boundaryVectors(cell: H3Cell): Float64Array {
  const ring = cellRing(cell);
  const n = ring.length - 1;
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const [lon, lat] = ring[i]!;
    out.set(unitVector(lat, lon), 3 * i);
  }
  return out;
}

/**
 * Squared chord from point p to the outline of g: to the foot of the perpendicular on an edge's
 * great circle when it falls between the edge's ends, else to the nearer end. Chords compare like
 * angles and need no trigonometry; 2s²/(1 + √(1 − s²)) is 2 − 2cos(asin s) without cancellation.
 */
function pointToOutlineChord2(px: number, py: number, pz: number, g: CellGeo): number {
  const v = g.boundary;
  const nv = g.normals;
  const len = v.length;
  let best = Infinity;
  for (let i = 0; i < len; i += 3) {
    const j = i + 3 === len ? 0 : i + 3;
    const ax = v[i]!, ay = v[i + 1]!, az = v[i + 2]!;
    const bx = v[j]!, by = v[j + 1]!, bz = v[j + 2]!;
    const nx = nv[i]!, ny = nv[i + 1]!, nz = nv[i + 2]!;
    // The foot lies between a and b when p is past a and before b along the edge.
    const sideA = (ay * pz - az * py) * nx + (az * px - ax * pz) * ny + (ax * py - ay * px) * nz;
    const sideB = (py * bz - pz * by) * nx + (pz * bx - px * bz) * ny + (px * by - py * bx) * nz;
    let c2: number;
    if (sideA >= 0 && sideB >= 0) {
      const sn = px * nx + py * ny + pz * nz;
      const s2 = sn * sn;
      c2 = (2 * s2) / (1 + Math.sqrt(Math.max(0, 1 - s2)));
    } else {
      const dax = px - ax, day = py - ay, daz = pz - az;
      const dbx = px - bx, dby = py - by, dbz = pz - bz;
      c2 = Math.min(dax * dax + day * day + daz * daz, dbx * dbx + dby * dby + dbz * dbz);
    }
    if (c2 < best) best = c2;
  }
  return best;
}

function chordToAngle(chord2: number): number {
  return 2 * Math.asin(Math.min(1, Math.sqrt(chord2) / 2));
}

/** Distance (radians) between two disjoint outlines: closest at a vertex of one and an edge of the other. */
function outlineDistanceRad(a: CellGeo, b: CellGeo): number {
  let best = Infinity;
  const va = a.boundary;
  const vb = b.boundary;
  for (let i = 0; i < va.length; i += 3) best = Math.min(best, pointToOutlineChord2(va[i]!, va[i + 1]!, va[i + 2]!, b));
  for (let i = 0; i < vb.length; i += 3) best = Math.min(best, pointToOutlineChord2(vb[i]!, vb[i + 1]!, vb[i + 2]!, a));
  return chordToAngle(best);
}
