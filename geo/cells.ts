/**
 * The only h3-js import. h3 speaks (lat, lng) for points and, with `isGeoJson`, [lng, lat] for
 * rings; everything leaving this file is `{lat, lon}` or GeoJSON `[lon, lat]`, and cells are the
 * branded `H3Cell` string of model/.
 */
import * as h3 from 'h3-js';
import type { H3Cell } from '../model/index.js';

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

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
