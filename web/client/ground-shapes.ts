/**
 * Screen-sized marks (ship icons, 1–2 px lines, rings) as small ground polygons, rebuilt when the
 * zoom moves by a step. Why not deck.gl's IconLayer, PathLayer, LineLayer, ScatterplotLayer: they
 * draw one GPU instance per item, and SwiftShader (no GPU on these consoles) runs every instance as
 * its own pass — ~50 µs each whatever its size, so 8,000 icons cost ~450 ms a frame (app/map.bench.ts,
 * each layer timed alone). Polygons go through SolidPolygonLayer as one non-instanced draw.
 *
 * Every shape, and every polygon the chart draws, is given in common space: Web Mercator as deck.gl
 * lays it out (512 units round the world at zoom 0, y north), less ORIGIN, for layers in deck.gl's
 * CARTESIAN system with ORIGIN as their coordinateOrigin. A LNGLAT layer's vertex shader projects
 * every vertex (a log and a tangent, below zoom 12), which a software renderer pays per vertex at
 * every frame: the 8,000 ships' layer drew in ~21 ms as lon/lat and ~10 ms as common space
 * (2026-12-04, each layer timed alone in the demo). Offsets from ORIGIN keep float32's precision.
 */

import type { Ring } from './land.js';

export type LonLat = [number, number];

/** The common space's origin: the middle of the grounds the chart shows. */
export const ORIGIN_LONLAT: LonLat = [123, 30];

/** Web Mercator world units (deck.gl's common space at zoom 0: 512 round the world, y north). */
function world(lon: number, lat: number): [number, number] {
  return [((lon + 180) / 360) * 512, (256 / Math.PI) * (Math.PI + Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)))];
}

/** ORIGIN_LONLAT in world units, as float32 holds them: the layers' coordinateOrigin (a shader uniform) exactly. */
export const ORIGIN: readonly [number, number] = world(ORIGIN_LONLAT[0], ORIGIN_LONLAT[1]).map(Math.fround) as [number, number];

/** A lon/lat as the layers take it: world units less ORIGIN. */
export function toCommon(lon: number, lat: number): [number, number] {
  const [x, y] = world(lon, lat);
  return [x - ORIGIN[0], y - ORIGIN[1]];
}

/** A lon/lat ring in common space. */
export function ringToCommon(ring: readonly LonLat[]): Ring {
  return ring.map(([lon, lat]) => toCommon(lon, lat));
}

/** Zoom is quantised to this step (1/4: a mark grows at most 19 % before it is rebuilt to size). */
export const ZOOM_STEP = 0.25;

export function zoomStep(zoom: number): number {
  return Math.round(zoom / ZOOM_STEP) * ZOOM_STEP;
}

/** Common-space units per screen pixel at `zoom` (the same east and north: Mercator is conformal). */
function unitsPerPx(zoom: number): number {
  return 2 ** -zoom;
}

/** A shape given in pixels (x east, y north, about the anchor) placed at lon/lat, in common space, closed. */
function place(lon: number, lat: number, zoom: number, pts: readonly (readonly [number, number])[]): Ring {
  const u = unitsPerPx(zoom);
  const [cx, cy] = toCommon(lon, lat);
  const ring: Ring = pts.map(([x, y]) => [cx + x * u, cy + y * u]);
  ring.push(ring[0]!);
  return ring;
}

/**
 * The ship, nose up, in units of its height: one triangle (a notched stern doubled the triangles,
 * and a software renderer's frame cost follows the triangles drawn).
 */
const SHIP: readonly (readonly [number, number])[] = [
  [0, 0.5],
  [0.3, -0.42],
  [-0.3, -0.42],
];

const CIRCLE = (n: number): [number, number][] => Array.from({ length: n }, (_, i) => [Math.sin((2 * Math.PI * i) / n), Math.cos((2 * Math.PI * i) / n)]);
const DOT = CIRCLE(6);

/** Most a polygon standing for a circle may fall inside it (px): under half a pixel looks round. */
const ROUND_PX = 0.5;

/**
 * Sides for a circle of `radiusPx` whose polygon keeps within ROUND_PX of it (its sagitta,
 * r·(1 − cos(π/n))): 8 at the meeting points' 6 px, 13 at the selection ring's 17 — every side
 * more is two more triangles for a software renderer, and 200 alerts drew 6,400 of them at 16.
 */
export function circleSides(radiusPx: number): number {
  return radiusPx <= ROUND_PX ? 8 : Math.max(8, Math.ceil(Math.PI / Math.acos(1 - ROUND_PX / radiusPx)));
}
const circles = new Map<number, [number, number][]>();
const circleOf = (n: number): [number, number][] => circles.get(n) ?? (circles.set(n, CIRCLE(n)), circles.get(n)!);

/**
 * The same ship as a flat closed [x, y, x, y, …] loop: SolidPolygonLayer takes it as is
 * (`_normalize: false`), so 8,000 of them are not copied and checked again every second.
 */
export function shipLoop(lon: number, lat: number, headingDeg: number | null, sizePx: number, zoom: number): number[] {
  return shipShape(lon, lat, headingDeg, sizePx, zoom).flat();
}

/** A ship `sizePx` tall turned to `headingDeg` (clockwise from north), or a dot when no heading is known. */
export function shipShape(lon: number, lat: number, headingDeg: number | null, sizePx: number, zoom: number): Ring {
  if (headingDeg === null) return place(lon, lat, zoom, DOT.map(([x, y]) => [(x * sizePx) / 2, (y * sizePx) / 2]));
  const h = (headingDeg * Math.PI) / 180;
  const c = Math.cos(h);
  const s = Math.sin(h);
  return place(lon, lat, zoom, SHIP.map(([x, y]) => [(x * c + y * s) * sizePx, (-x * s + y * c) * sizePx]));
}

/** A line from lon/lat `a` to `b` as a band `widthPx` wide (a quad; square ends), in common space. */
export function band(a: LonLat, b: LonLat, widthPx: number, zoom: number): Ring {
  return bandOf(toCommon(a[0], a[1]), toCommon(b[0], b[1]), widthPx, zoom);
}

function bandOf(a: [number, number], b: [number, number], widthPx: number, zoom: number): Ring {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return [];
  const half = (widthPx / 2) * unitsPerPx(zoom);
  const nx = (-dy / len) * half;
  const ny = (dx / len) * half;
  const off = (p: [number, number], sx: number): [number, number] => [p[0] + sx * nx, p[1] + sx * ny];
  return [off(a, 1), off(b, 1), off(b, -1), off(a, -1), off(a, 1)];
}

/** Every segment of a lon/lat path (or a closed ring) as bands, in common space. */
export function pathBands(path: readonly LonLat[], widthPx: number, zoom: number): Ring[] {
  const out: Ring[] = [];
  const pts = ringToCommon(path);
  for (let i = 1; i < pts.length; i++) {
    const r = bandOf(pts[i - 1]!, pts[i]!, widthPx, zoom);
    if (r.length > 0) out.push(r);
  }
  return out;
}

/** A ring of radius `radiusPx` and stroke `widthPx` around a point: outer ring and hole. */
export function ringShape(lon: number, lat: number, radiusPx: number, widthPx: number, zoom: number): Ring[] {
  const outer = radiusPx + widthPx / 2;
  const inner = radiusPx - widthPx / 2;
  const unit = circleOf(circleSides(outer));
  const scaled = (r: number): [number, number][] => unit.map(([x, y]) => [x * r, y * r]);
  return [place(lon, lat, zoom, scaled(outer)), place(lon, lat, zoom, scaled(inner).reverse())];
}
