/**
 * The static sea grids as an H3 index: which grids hold a fix, in O(1) with exact answers.
 *
 * Build. Each area polygon is classified cell by cell, coarse to fine (res 3 → `res`):
 * - a cell whose covering cap (below) meets no polygon edge lies wholly inside or wholly outside;
 *   its centre decides. Inside cells are stored at the coarsest resolution that proves it, so a
 *   latitude band 2,000 km wide costs hundreds of entries, not a million res-7 cells;
 * - a cell the boundary may cross is split into its children, down to `res`, where it keeps the
 *   polygon for an exact point-in-polygon test (geometry.ts, half-open edges).
 * The covering cap of a cell at `res` is the circle through its farthest vertex (its edges are
 * great-circle arcs between vertices in the cap, and a cap is convex, so the cell lies in it). A coarser cell answers for the res-`res` cells whose index descends from
 * it, which stick out of it a little (H3 children do not tile their parent exactly): measured ≤ 1.05×
 * the parent's circumradius (geo/sea-grid.test.ts re-measures it), so coarse caps use 1.5×.
 *
 * Look-up. `assign` = one h3 call (`latLngToCell`), a small-integer key read from the cell text,
 * one Map look-up of the cell's answer (cached per cell: its inside grids, the polygons to test,
 * the seasonal zones among them), the exact tests, and a shared frozen `GridAssignment` picked by a
 * number built from (渔区 sub-zone, boundary hits, zones in force). No allocation once warm, and
 * equal answers are the same object (GridTracker compares by identity).
 *
 * Memo. `assignFor(vesselId, …)` skips the h3 call while the fix is provably in the vessel's last
 * cell: either within 0.99 × the distance from the cell centre to the great circles of its edges
 * (a haversine bound without trigonometry: sin x ≤ x, cos φ ≤ cos φ₀ + |φ − φ₀|), or on the inner
 * side of every edge's great circle by ≈ 0.6 m (h3 cell edges are great-circle arcs: straight in
 * the gnomonic projection of their icosahedron face). When the last answer needed no exact test and
 * neither the 渔区 sub-zone nor the season changed, it is returned as it is. A hit is never a guess:
 * tests hold memo = full path on every fix of random tracks and on 30,000 fixes within 3 m of cell
 * edges and corners (and fail at once if the edge margin is made 1.3 m too generous).
 */
import type { GridLayer, GridMembership, H3Cell } from '../model/index.js';
import { cellCenter, cellChildren, cellDisk, cellKey, cellKeyParent, cellRing, cellSmallKey, latLonToCell, polygonCells } from './cells.js';
import { fishingZoneKey, fishingZoneOfKey } from './fishing-zone.js';
import { capBox, minDistanceToRingCirclesRad, polygonContains, polygonEdgesMeetBox, preparePolygon, type PreparedPolygon } from './geometry.js';
import { inForceAt, inForceSwitches, type GridDef } from './grid-file.js';
import { arcDistanceRad, RAD, unitVector } from './sphere.js';

/** A fix's grids: `GridMembership` without the fleet (G2's layer), with the sea-grid cell. */
export interface GridAssignment extends GridMembership {
  readonly h3: H3Cell;
}

export interface SeaGridOptions {
  /** H3 resolution of the index, 0–12 (default 7, ≈1.2 km edges). */
  readonly res?: number;
  /** Cell answers kept before the cache is emptied (default 500,000). */
  readonly maxCachedCells?: number;
}

/** Coarsest resolution the build starts from. */
const COARSE_RES = 3;
/** How far res-`res` descendants reach beyond a coarser cell's circumradius, with margin (measured ≤ 1.05). */
const DESCENDANT_SPREAD = 1.5;
const EMPTY: readonly string[] = Object.freeze([]);
const NO_NORMALS = new Float64Array(0);
/**
 * A memo hit outside the inscribed circle needs the fix this far (radians of arc, ≈ 0.6 m) inside
 * every edge's great circle: far above the rounding of the dot products and of h3's own assignment.
 */
const EDGE_MARGIN = Math.sin(1e-7);
/**
 * Boundary tests + seasonal zones one cell may carry and still use the answer cache; a cell with
 * more (none in the fixtures) takes the plain, allocating path.
 */
const MAX_KEY_BITS = 10;
const KEY_SPAN = 2 ** MAX_KEY_BITS;

interface BoundaryTest {
  readonly gi: number;
  readonly poly: PreparedPolygon;
}

interface Node {
  readonly inside: number[];
  readonly boundary: BoundaryTest[];
}

/** Everything about one res-`res` cell that does not depend on the fix. */
interface CellAnswer {
  readonly cell: H3Cell;
  /** Grid indices wholly holding the cell, ascending (= by id). */
  readonly inside: readonly number[];
  readonly boundary: readonly BoundaryTest[];
  /** Season numbers of the cell's grids with dates (inside or boundary). */
  readonly seasonal: readonly number[];
  /** Answer number by (sub-zone, hits, seasons) key. */
  readonly results: Map<number, number>;
  /** Memo geometry; `hLimit` 0 until computed. */
  lat0: number;
  lon0: number;
  cosLat0: number;
  hLimit: number;
  /** Unit normals (x, y, z per edge) of the great circles of the cell's edges, pointing inwards. */
  normals: Float64Array;
}

/** GeoJSON of the grids (RFC 7946 shapes, typed here so geo/ needs no types package). */
export interface GridFeatureCollection {
  readonly type: 'FeatureCollection';
  readonly features: readonly GridFeature[];
}

export interface GridFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly properties: {
    readonly id: string;
    readonly layer: GridLayer;
    readonly kind: string;
    readonly name_zh: string;
    readonly name_en: string | null;
    readonly approximate: boolean;
    readonly inForce: { readonly start: string; readonly end: string; readonly recurrence: 'yearly' | 'once' } | null;
    readonly membership: boolean;
  };
  readonly geometry:
    | { readonly type: 'LineString'; readonly coordinates: number[][] }
    | { readonly type: 'Polygon'; readonly coordinates: number[][][] }
    | { readonly type: 'MultiPolygon'; readonly coordinates: number[][][][] };
}

/**
 * Per-vessel memo: one 64-byte row of a Float64Array per vessel slot, so a memo hit that reuses the
 * last answer reads one row: the last cell's centre, cos φ₀ and circle bound, the 渔区 sub-zone and
 * season window of the last answer, and that answer's number (-1: its cell needs an exact test, so
 * it is never reused as it is). The cell's edge normals sit in a second array, read only when the
 * fix is outside the circle.
 */
const M_LAT0 = 0;
const M_LON0 = 1;
const M_COS = 2;
const M_H = 3;
const M_FZ = 4;
const M_FROM = 5;
const M_TO = 6;
const M_RESULT = 7;
const STRIDE = 8;
/** Normals row: count, then up to 9 edges × 3 (cells with more use the circle alone). */
const MAX_NORMALS = 27;
const N_STRIDE = 28;

export interface SeaGridStats {
  readonly res: number;
  readonly areaGrids: number;
  /** Index entries: coarse inside cells and res-`res` boundary cells. */
  readonly nodes: number;
  readonly boundaryCells: number;
  readonly cachedCells: number;
  readonly memoHits: number;
  readonly memoMisses: number;
  readonly buildMs: number;
}

export class SeaGridIndex {
  readonly res: number;
  private readonly all: readonly GridDef[];
  /** Area grids, sorted by id; their position is the grid index `gi` used everywhere inside. */
  private readonly areas: readonly GridDef[];
  private readonly nodes = new Map<number, Node>();
  private readonly minRes: number;
  /** Keyed by `cellSmallKey` (res ≤ 7) or the cell text: a small-integer key is found much faster. */
  private readonly answers = new Map<number | string, CellAnswer>();
  private readonly maxCachedCells: number;
  private readonly slots = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private memo = new Float64Array(STRIDE * 1024);
  private memoNormals = new Float64Array(N_STRIDE * 1024);
  private readonly memoAns: (CellAnswer | undefined)[] = [];
  /** Every answer object made so far, by number (memo rows and cell caches hold numbers). */
  private resultList: GridAssignment[] = [];
  private slowResult: GridAssignment | undefined;
  /** Season number of each area grid with dates (-1: always in force) and the grid of each number. */
  private readonly seasonOf: Int32Array;
  private readonly seasonGrids: readonly GridDef[];
  /** In-force flag per season number, valid for atMs in [seasonFrom, seasonTo). */
  private readonly seasonInForce: Uint8Array;
  private seasonFrom = 1;
  private seasonTo = 0;
  private memoHits = 0;
  private memoMisses = 0;
  private readonly buildMs: number;
  private geoJson: GridFeatureCollection | undefined;

  private constructor(grids: readonly GridDef[], res: number, maxCachedCells: number) {
    const t0 = performance.now();
    this.res = res;
    this.maxCachedCells = maxCachedCells;
    this.all = grids;
    const ids = new Set<string>();
    for (const g of grids) {
      if (ids.has(g.id)) throw new Error(`SeaGridIndex: duplicate grid id ${g.id}`);
      ids.add(g.id);
    }
    this.areas = grids.filter((g) => g.shape.type === 'area').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.seasonOf = new Int32Array(this.areas.length).fill(-1);
    const seasonal: GridDef[] = [];
    this.areas.forEach((g, gi) => {
      if (g.inForce !== undefined) this.seasonOf[gi] = seasonal.push(g) - 1;
    });
    this.seasonGrids = seasonal;
    this.seasonInForce = new Uint8Array(seasonal.length);
    this.minRes = Math.min(res, COARSE_RES);
    this.areas.forEach((g, gi) => {
      if (g.shape.type !== 'area') return;
      for (const rings of g.shape.polygons) this.fillPolygon(gi, preparePolygon(rings));
    });
    this.buildMs = performance.now() - t0;
  }

  /** Index the area grids of `grids` (lines are kept for `grids()` and `toGeoJson()` only). */
  static build(grids: readonly GridDef[], opts: SeaGridOptions = {}): SeaGridIndex {
    const res = opts.res ?? 7;
    if (!Number.isInteger(res) || res < 0 || res > 12) throw new RangeError(`SeaGridIndex: res must be an integer 0–12, got ${res}`);
    return new SeaGridIndex(grids, res, opts.maxCachedCells ?? 500_000);
  }

  private fillPolygon(gi: number, poly: PreparedPolygon): void {
    const { west, south, east, north } = poly;
    const bbox: [number, number][] = [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ];
    // Every coarse cell touching the box, and two rings more: a polygon point's res-`res` cell may
    // descend from a neighbour of the coarse cell that holds the point.
    const seeds = new Set<H3Cell>();
    for (const c of polygonCells([bbox], this.minRes, 'overlapping')) for (const d of cellDisk(c, 2)) seeds.add(d);
    if (seeds.size === 0) for (const d of cellDisk(latLonToCell(south, west, this.minRes), 2)) seeds.add(d);
    for (const c of seeds) this.classify(c, this.minRes, gi, poly);
  }

  private classify(cell: H3Cell, r: number, gi: number, poly: PreparedPolygon): void {
    const c = cellCenter(cell);
    const ring = cellRing(cell);
    let radius = 0;
    for (const [lon, lat] of ring) radius = Math.max(radius, arcDistanceRad(c.lat, c.lon, lat, lon));
    radius *= (r < this.res ? DESCENDANT_SPREAD : 1) * (1 + 1e-6);
    const [w, s, e, n] = capBox(c.lat, c.lon, radius);
    if (!polygonEdgesMeetBox(poly, w, s, e, n)) {
      if (polygonContains(poly, c.lon, c.lat)) this.node(cellKey(cell)).inside.push(gi);
      return;
    }
    if (r === this.res) this.node(cellKey(cell)).boundary.push({ gi, poly });
    else for (const child of cellChildren(cell, r + 1)) this.classify(child, r + 1, gi, poly);
  }

  private node(key: number): Node {
    let n = this.nodes.get(key);
    if (n === undefined) this.nodes.set(key, (n = { inside: [], boundary: [] }));
    return n;
  }

  /**
   * The grids holding (lat, lon) at `atMs` (zones only while in force). Coordinates must be finite
   * (the live picture rejects others as `track.invalid`); h3 throws on NaN.
   */
  assign(lat: number, lon: number, atMs: number): GridAssignment {
    const id = this.evaluate(this.answerAt(lat, lon), lat, lon, atMs);
    return id >= 0 ? this.resultList[id]! : this.slowResult!;
  }

  /**
   * `assign` for a vessel's next fix, skipping the h3 call while the fix is provably inside the
   * vessel's last cell, and returning the vessel's last answer outright when that answer depended
   * only on the cell (no boundary test), the 渔区 sub-zone and the season, none of which changed.
   * Same answer as `assign`, always.
   */
  assignFor(vesselId: string, lat: number, lon: number, atMs: number): GridAssignment {
    return this.assignForSlot(this.slots.get(vesselId) ?? this.newSlot(vesselId), lat, lon, atMs);
  }

  /**
   * A vessel's memo slot: a small integer, stable until `forget`. A caller that keeps it with its
   * own vessel record (`assignForSlot`) saves the string look-up of `assignFor` on every fix.
   */
  vesselSlot(vesselId: string): number {
    return this.slots.get(vesselId) ?? this.newSlot(vesselId);
  }

  /** `assignFor` by memo slot; `slot` must come from `vesselSlot` (and not be forgotten since). */
  assignForSlot(slot: number, lat: number, lon: number, atMs: number): GridAssignment {
    const m = this.memo;
    const o = slot * STRIDE;
    const h = m[o + M_H]!;
    if (h > 0) {
      const dPhi = (lat - m[o + M_LAT0]!) * RAD;
      const dLam = (lon - m[o + M_LON0]!) * RAD;
      const c = m[o + M_COS]!;
      // Upper bound of the haversine sin²(d/2) = sin²(Δφ/2) + cos φ₀ cos φ sin²(Δλ/2): inside the
      // inscribed circle; else inside every edge's great circle.
      if (0.25 * (dPhi * dPhi + c * (c + Math.abs(dPhi)) * dLam * dLam) < h || insideEdges(this.memoNormals, slot * N_STRIDE, lat, lon)) {
        this.memoHits++;
        const r = m[o + M_RESULT]! | 0; // an integer index, not a double, for the array load
        if (r >= 0 && atMs >= m[o + M_FROM]! && atMs < m[o + M_TO]! && fishingZoneKey(lat, lon) === m[o + M_FZ]) return this.resultList[r]!;
        return this.remember(slot, this.memoAns[slot]!, lat, lon, atMs);
      }
    }
    this.memoMisses++;
    const a = this.answerAt(lat, lon);
    if (a.hLimit === 0) this.memoGeometry(a);
    m[o + M_LAT0] = a.lat0;
    m[o + M_LON0] = a.lon0;
    m[o + M_COS] = a.cosLat0;
    m[o + M_H] = a.hLimit;
    const nc = a.normals.length <= MAX_NORMALS ? a.normals.length : 0;
    const no = slot * N_STRIDE;
    this.memoNormals[no] = nc;
    if (nc > 0) this.memoNormals.set(a.normals, no + 1);
    this.memoAns[slot] = a;
    return this.remember(slot, a, lat, lon, atMs);
  }

  /** Evaluate in the vessel's memo cell and note when the answer may be reused as it is. */
  private remember(slot: number, a: CellAnswer, lat: number, lon: number, atMs: number): GridAssignment {
    const id = this.evaluate(a, lat, lon, atMs);
    const m = this.memo;
    const o = slot * STRIDE;
    m[o + M_FZ] = fishingZoneKey(lat, lon);
    if (a.boundary.length > 0 || id < 0) m[o + M_RESULT] = -1;
    else {
      m[o + M_RESULT] = id;
      if (a.seasonal.length === 0) {
        m[o + M_FROM] = -Infinity;
        m[o + M_TO] = Infinity;
      } else {
        if (!(atMs >= this.seasonFrom && atMs < this.seasonTo)) this.updateSeason(atMs);
        m[o + M_FROM] = this.seasonFrom;
        m[o + M_TO] = this.seasonTo;
      }
    }
    return id >= 0 ? this.resultList[id]! : this.slowResult!;
  }

  private newSlot(vesselId: string): number {
    const slot = this.freeSlots.pop() ?? this.slots.size;
    this.slots.set(vesselId, slot);
    if ((slot + 1) * STRIDE > this.memo.length) {
      const grown = new Float64Array(this.memo.length * 2);
      grown.set(this.memo);
      this.memo = grown;
      const grownN = new Float64Array(this.memoNormals.length * 2);
      grownN.set(this.memoNormals);
      this.memoNormals = grownN;
    }
    this.memo.fill(0, slot * STRIDE, (slot + 1) * STRIDE); // M_H 0: no memo yet
    return slot;
  }

  /** Drop a vessel's memo (it left the picture). */
  forget(vesselId: string): void {
    const slot = this.slots.get(vesselId);
    if (slot === undefined) return;
    this.slots.delete(vesselId);
    this.memoAns[slot] = undefined;
    this.memo[slot * STRIDE + M_H] = 0;
    this.freeSlots.push(slot);
  }

  /** Every grid (areas and lines), or one layer's, in id order. */
  grids(layer?: GridLayer): GridDef[] {
    const out = layer === undefined ? [...this.all] : this.all.filter((g) => g.layer === layer);
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  stats(): SeaGridStats {
    let boundaryCells = 0;
    for (const n of this.nodes.values()) if (n.boundary.length > 0) boundaryCells++;
    return {
      res: this.res,
      areaGrids: this.areas.length,
      nodes: this.nodes.size,
      boundaryCells,
      cachedCells: this.answers.size,
      memoHits: this.memoHits,
      memoMisses: this.memoMisses,
      buildMs: this.buildMs,
    };
  }

  /**
   * The grids as GeoJSON for `GET /api/grids`: every area and line with properties `id, layer, kind,
   * name_zh, name_en, approximate, inForce ({start, end, recurrence} | null), membership` (false for
   * lines, which no vessel is "in"). Built once.
   */
  toGeoJson(): GridFeatureCollection {
    if (this.geoJson === undefined) {
      const features: GridFeature[] = this.grids().map((g) => ({
        type: 'Feature',
        id: g.id,
        properties: {
          id: g.id,
          layer: g.layer,
          kind: g.kind,
          name_zh: g.nameZh,
          name_en: g.nameEn ?? null,
          approximate: g.approximate,
          inForce: g.inForce === undefined ? null : { start: g.inForce.start, end: g.inForce.end, recurrence: g.inForce.recurrence },
          membership: g.shape.type === 'area',
        },
        geometry:
          g.shape.type === 'line'
            ? { type: 'LineString', coordinates: g.shape.coordinates.map(([x, y]) => [x, y]) }
            : g.shape.polygons.length === 1
              ? { type: 'Polygon', coordinates: g.shape.polygons[0]!.map((r) => r.map(([x, y]) => [x, y])) }
              : { type: 'MultiPolygon', coordinates: g.shape.polygons.map((p) => p.map((r) => r.map(([x, y]) => [x, y]))) },
      }));
      this.geoJson = { type: 'FeatureCollection', features };
    }
    return this.geoJson;
  }

  private answerAt(lat: number, lon: number): CellAnswer {
    const cell = latLonToCell(lat, lon, this.res);
    const a = this.answers.get(this.res <= 7 ? cellSmallKey(cell) : cell);
    return a ?? this.buildAnswer(cellKey(cell), cell);
  }

  private buildAnswer(key: number, cell: H3Cell): CellAnswer {
    const inside = new Set<number>();
    const boundary: BoundaryTest[] = [];
    for (let r = this.minRes; r <= this.res; r++) {
      const n = this.nodes.get(r === this.res ? key : cellKeyParent(key, r));
      if (n === undefined) continue;
      for (const gi of n.inside) inside.add(gi);
      boundary.push(...n.boundary);
    }
    const tests = boundary.filter((b) => !inside.has(b.gi)).sort((a, b) => a.gi - b.gi);
    const grids = new Set<number>([...inside, ...tests.map((b) => b.gi)]);
    const seasonal = [...grids].map((gi) => this.seasonOf[gi]!).filter((s) => s >= 0);
    const ans: CellAnswer = {
      cell,
      inside: [...inside].sort((a, b) => a - b),
      boundary: tests,
      seasonal,
      results: new Map(),
      lat0: 0,
      lon0: 0,
      cosLat0: 0,
      hLimit: 0,
      normals: NO_NORMALS,
    };
    if (this.answers.size >= this.maxCachedCells) this.clearCaches();
    this.answers.set(this.res <= 7 ? cellSmallKey(cell) : cell, ans);
    return ans;
  }

  /** Empty the cell and answer caches; every memo starts afresh (its answer numbers are gone). */
  private clearCaches(): void {
    this.answers.clear();
    this.resultList = [];
    for (let o = M_H; o < this.memo.length; o += STRIDE) this.memo[o] = 0;
    this.memoAns.fill(undefined);
  }

  private memoGeometry(a: CellAnswer): void {
    const c = cellCenter(a.cell);
    const ring = cellRing(a.cell);
    const rIn = 0.99 * minDistanceToRingCirclesRad(c.lat, c.lon, ring);
    const s = Math.sin(rIn / 2);
    a.lat0 = c.lat;
    a.lon0 = c.lon;
    a.cosLat0 = Math.cos(c.lat * RAD);
    a.normals = edgeNormals(ring, c.lat, c.lon);
    a.hLimit = Math.abs(c.lat) < 85 && rIn > 0 ? s * s : -1; // -1: never memoise (near the poles)
  }

  /**
   * The number of the answer for a fix in cell `a` (in `resultList`), or -1 for a cell too crowded
   * for the cache: then the answer is in `slowResult`.
   */
  private evaluate(a: CellAnswer, lat: number, lon: number, atMs: number): number {
    const b = a.boundary;
    const nb = b.length;
    const sl = a.seasonal;
    const ns = sl.length;
    if (nb + ns > MAX_KEY_BITS) {
      this.slowResult = this.buildResult(a, lat, lon, atMs, fishingZoneKey(lat, lon));
      return -1;
    }
    let bits = 0;
    for (let j = 0; j < nb; j++) if (polygonContains(b[j]!.poly, lon, lat)) bits |= 1 << j;
    if (ns > 0) {
      if (!(atMs >= this.seasonFrom && atMs < this.seasonTo)) this.updateSeason(atMs);
      for (let k = 0; k < ns; k++) if (this.seasonInForce[sl[k]!] === 1) bits |= 1 << (nb + k);
    }
    // (sub-zone + 1) · 2^10 + bits < 2^26: a small integer key, so the look-up allocates nothing.
    const fz = fishingZoneKey(lat, lon);
    const rkey = (fz + 1) * KEY_SPAN + bits;
    let id = a.results.get(rkey);
    if (id === undefined) {
      id = this.resultList.push(this.buildResult(a, lat, lon, atMs, fz)) - 1;
      a.results.set(rkey, id);
    }
    return id;
  }

  /** The answer object for one fix, by the plain rules (also the slow path of crowded cells). */
  private buildResult(a: CellAnswer, lat: number, lon: number, atMs: number, fz: number): GridAssignment {
    const gis = new Set<number>(a.inside);
    for (const t of a.boundary) if (polygonContains(t.poly, lon, lat)) gis.add(t.gi);
    const by: Record<GridLayer, string[]> = { static: [], control: [], patrol: [], zone: [], fishingZone: [] };
    for (const gi of [...gis].sort((x, y) => x - y)) {
      const g = this.areas[gi]!;
      if (g.inForce !== undefined && !inForceAt(g.inForce, atMs)) continue;
      by[g.layer].push(g.id);
    }
    const frozen = (xs: string[]): readonly string[] => (xs.length === 0 ? EMPTY : Object.freeze(xs));
    return Object.freeze({
      static: frozen(by.static),
      control: frozen(by.control),
      patrol: frozen(by.patrol),
      zones: frozen(by.zone),
      fishingZone: fz < 0 ? undefined : fishingZoneOfKey(fz).id,
      h3: a.cell,
    });
  }

  /** In-force flags of the grids with dates, valid until the next switch of any of them. */
  private updateSeason(atMs: number): void {
    let from = -Infinity;
    let to = Infinity;
    this.seasonGrids.forEach((g, s) => {
      this.seasonInForce[s] = inForceAt(g.inForce, atMs) ? 1 : 0;
      for (const t of inForceSwitches(g.inForce, atMs)) {
        if (t <= atMs && t > from) from = t;
        if (t > atMs && t < to) to = t;
      }
    });
    this.seasonFrom = from;
    this.seasonTo = to;
  }
}

/**
 * Inward unit normals of the great circles through consecutive vertices of a cell ring, oriented by
 * the ring's winding. A point on the inner side of every one of them (by `EDGE_MARGIN`) is inside
 * the cell: the intersection of the inner sides of all edges of a simple spherical polygon (its
 * kernel) lies within it, convex or not (cells cut by an icosahedron edge carry extra vertices).
 * The centre must pass too, else the cell gets no edge test (the inscribed circle still works).
 */
function edgeNormals(ring: readonly (readonly [number, number])[], lat: number, lon: number): Float64Array {
  const c = unitVector(lat, lon);
  const out = new Float64Array((ring.length - 1) * 3);
  let positive = 0;
  let negative = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = unitVector(ring[i]![1], ring[i]![0]);
    const b = unitVector(ring[i + 1]![1], ring[i + 1]![0]);
    const nx = a[1] * b[2] - a[2] * b[1];
    const ny = a[2] * b[0] - a[0] * b[2];
    const nz = a[0] * b[1] - a[1] * b[0];
    const len = Math.hypot(nx, ny, nz);
    if (len === 0) return NO_NORMALS; // repeated vertex: never take the edge test
    out[3 * i] = nx / len;
    out[3 * i + 1] = ny / len;
    out[3 * i + 2] = nz / len;
    if (nx * c[0] + ny * c[1] + nz * c[2] > 0) positive++;
    else negative++;
  }
  // One orientation for every edge (the ring's winding), with the centre inside each: else no test.
  if (negative === 0) return out;
  if (positive === 0) return out.map((v) => -v);
  return NO_NORMALS;
}

/** Whether (lat, lon) is on the inner side of every edge circle by `EDGE_MARGIN` (row at `at`: count, normals). */
function insideEdges(rows: Float64Array, at: number, lat: number, lon: number): boolean {
  const count = rows[at]!;
  if (!(count > 0)) return false;
  const p = lat * RAD;
  const l = lon * RAD;
  const cp = Math.cos(p);
  const x = cp * Math.cos(l);
  const y = cp * Math.sin(l);
  const z = Math.sin(p);
  const end = at + 1 + count;
  for (let i = at + 1; i < end; i += 3) if (rows[i]! * x + rows[i + 1]! * y + rows[i + 2]! * z < EDGE_MARGIN) return false;
  return true;
}
