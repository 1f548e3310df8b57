/**
 * The offline basemap's land: Natural Earth 1:10m (npm world-atlas, shipped beside app.js by the
 * build — the finest scale, the only one that keeps Zhoushan's islands), converted from TopoJSON
 * with topojson-client and cut to the sea area the service watches, so the map tessellates a few
 * thousand points instead of the world's coast (Eurasia alone is 84,000 at 1:10m).
 */
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';

/** [west, south, east, north]: the East China Sea around Zhoushan with a margin for panning. */
export const LAND_BBOX = [116, 23, 133, 38] as const;

export type Ring = [number, number][];

/** Sutherland–Hodgman against one edge of the box; the box is convex, so the result fills correctly. */
function clipEdge(ring: Ring, inside: (p: [number, number]) => boolean, cross: (a: [number, number], b: [number, number]) => [number, number]): Ring {
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    const cur = ring[i]!;
    const prev = ring[(i + ring.length - 1) % ring.length]!;
    if (inside(cur)) {
      if (!inside(prev)) out.push(cross(prev, cur));
      out.push(cur);
    } else if (inside(prev)) out.push(cross(prev, cur));
  }
  return out;
}

/** A polygon ring cut to the box (open ring in, closed ring out); empty when nothing is left. */
export function clipRing(ring: Ring, [w, s, e, n]: readonly [number, number, number, number]): Ring {
  const atX = (x: number) => (a: [number, number], b: [number, number]): [number, number] => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
  const atY = (y: number) => (a: [number, number], b: [number, number]): [number, number] => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];
  let r = ring;
  r = clipEdge(r, (p) => p[0] >= w, atX(w));
  if (r.length > 0) r = clipEdge(r, (p) => p[0] <= e, atX(e));
  if (r.length > 0) r = clipEdge(r, (p) => p[1] >= s, atY(s));
  if (r.length > 0) r = clipEdge(r, (p) => p[1] <= n, atY(n));
  if (r.length < 3) return [];
  return [...r, r[0]!];
}

/** Land polygons (outer ring first, then holes) within the box. */
export function landPolygons(topo: Topology, bbox: readonly [number, number, number, number] = LAND_BBOX): Ring[][] {
  const land = feature(topo, topo.objects['land']!);
  const geoms = 'features' in land ? land.features.map((f) => f.geometry) : [land.geometry];
  const out: Ring[][] = [];
  for (const g of geoms) {
    const polys = g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
    for (const poly of polys) {
      const rings: Ring[] = [];
      for (const ring of poly) {
        // Drop the closing point: the clipper works on open rings.
        const clipped = clipRing((ring as Ring).slice(0, -1), bbox);
        if (clipped.length > 0) rings.push(clipped);
        else if (rings.length === 0) break; // outer ring outside: skip the polygon
      }
      if (rings.length > 0) out.push(rings);
    }
  }
  return out;
}

export async function loadLand(url = 'land-10m.json'): Promise<Ring[][]> {
  const r = await fetch(url);
  return landPolygons((await r.json()) as Topology);
}
