/**
 * The only h3-js import. h3 speaks (lat, lng) for points and, with `isGeoJson`, [lng, lat] for
 * rings; everything leaving this file is `{lat, lon}` or GeoJSON `[lon, lat]`, and cells are the
 * branded `H3Cell` string of model/.
 */
import * as h3 from 'h3-js';
import type { H3Cell, LatLon } from '../model/index.js';

/** GeoJSON polygon rings: outer first, then holes; each ring `[lon, lat][]`. */
export type PolygonRings = readonly (readonly (readonly [number, number])[])[];

export function latLonToCell(lat: number, lon: number, res: number): H3Cell {
  return h3.latLngToCell(lat, lon, res) as H3Cell;
}

export function cellCenter(cell: H3Cell): LatLon {
  const [lat, lon] = h3.cellToLatLng(cell);
  return { lat, lon };
}

/** Closed GeoJSON ring `[lon, lat][]` of the cell's boundary. */
export function cellRing(cell: H3Cell): [number, number][] {
  return h3.cellToBoundary(cell, true) as [number, number][];
}

export function cellResolution(cell: H3Cell): number {
  return h3.getResolution(cell);
}

export function isCell(text: string): text is H3Cell {
  return h3.isValidCell(text);
}

/** Cells within k steps (k = 0 is the cell itself). */
export function cellDisk(cell: H3Cell, k: number): H3Cell[] {
  return h3.gridDisk(cell, k) as H3Cell[];
}

export function cellParent(cell: H3Cell, res: number): H3Cell {
  return h3.cellToParent(cell, res) as H3Cell;
}

/**
 * Cells covering a polygon. `center`: cells whose centre is inside (h3's classic fill);
 * `overlapping`: every cell that touches the polygon at all, so no point of the polygon falls in a
 * cell left out — what an exact point look-up needs.
 */
export function polygonCells(rings: PolygonRings, res: number, mode: 'center' | 'overlapping'): H3Cell[] {
  const coords = rings.map((r) => r.map(([lon, lat]) => [lon, lat]));
  if (mode === 'center') return h3.polygonToCells(coords, res, true) as H3Cell[];
  return h3.polygonToCellsExperimental(coords, res, h3.POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true) as H3Cell[];
}

/** GeoJSON MultiPolygon coordinates of the union of cells (outline of a fleet footprint). */
export function cellsOutline(cells: readonly H3Cell[]): [number, number][][][] {
  return h3.cellsToMultiPolygon([...cells], true) as [number, number][][][];
}

/** Average hexagon edge length at a resolution, km. */
export function edgeLengthAvgKm(res: number): number {
  return h3.getHexagonEdgeLengthAvg(res, h3.UNITS.km);
}

/** Exact great-circle edge lengths of one cell, km (pentagons and distorted cells differ from the average). */
export function cellEdgeLengthsKm(cell: H3Cell): number[] {
  return h3.originToDirectedEdges(cell).map((e) => h3.edgeLength(e, h3.UNITS.km));
}

/** Grid distance in steps, or undefined where h3 cannot compute it (across pentagon distortion). */
export function cellDistance(a: H3Cell, b: H3Cell): number | undefined {
  try {
    return h3.gridDistance(a, b);
  } catch {
    return undefined;
  }
}

/** The cell's children at a finer resolution (by index digits, as `cellParent` reverses). */
export function cellChildren(cell: H3Cell, res: number): H3Cell[] {
  return h3.cellToChildren(cell, res) as H3Cell[];
}

/**
 * A number unique per cell up to resolution 12, built from the index bits so ancestors follow by
 * arithmetic (`cellKeyParent`) without an h3 call: `(baseCell·8^res + digits 1…res)·16 + res`
 * (7 + 36 + 4 bits ≤ 47, exact in a double). Reads the hex text h3-js gives, no h3 call.
 */
export function cellKey(cell: H3Cell): number {
  const n = cell.length;
  const hi = parseInt(cell.slice(0, n - 8), 16);
  const lo = parseInt(cell.slice(n - 8), 16);
  const res = (hi >>> 20) & 0xf;
  let prefix = (hi >>> 13) & 0x7f; // base cell, bits 45–51
  for (let i = 1; i <= res; i++) {
    const off = (15 - i) * 3; // digit i occupies bits off…off+2 of the 64-bit index
    const digit = off >= 32 ? (hi >>> (off - 32)) & 7 : off <= 29 ? (lo >>> off) & 7 : ((lo >>> 30) | ((hi & 1) << 2)) & 7;
    prefix = prefix * 8 + digit;
  }
  return prefix * 16 + res;
}

/** Key of the ancestor at `res` (≤ the key's own resolution) of the cell with key `key`. */
export function cellKeyParent(key: number, res: number): number {
  const own = key % 16;
  const prefix = (key - own) / 16;
  return Math.floor(prefix / 8 ** (own - res)) * 16 + res;
}

/** Resolution of a cell key. */
export function cellKeyResolution(key: number): number {
  return key % 16;
}

/** Cells exactly k steps away (h3's safe `gridRing`: correct near pentagons too). */
export function cellGridRing(cell: H3Cell, k: number): H3Cell[] {
  return h3.gridRing(cell, k) as H3Cell[];
}

/**
 * For cells of one resolution ≤ 7: a small integer (< 2^28) unique among them, read from the text
 * (base cell and digits 1–7 are bits 24–51, hex characters 2–8 of h3-js's 15-character form). A Map
 * finds a small-integer key several times faster than a freshly made string.
 */
export function cellSmallKey(cell: H3Cell): number {
  const n = cell.length;
  return parseInt(cell.slice(n - 13, n - 6), 16);
}
