/**
 * Land for the evidence pack's map, drawn on the server: the map's own coastline (Natural Earth
 * 1:10m from world-atlas, which `npm run build` copies to dist/client), decoded once with
 * topojson-client and cut to the incident's box with lineclip. The one home of both libraries.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { clipPolygon } from 'lineclip';
import { feature } from 'topojson-client';
import { builtClientDir } from '../web/index.js';

type Ring = [number, number][];
type Topology = Parameters<typeof feature>[0];
/** [west, south, east, north], degrees. */
export type Box = readonly [number, number, number, number];

interface LandPolygon {
  readonly rings: readonly Ring[];
  readonly box: Box;
}

let land: readonly LandPolygon[] | null | undefined;

/** Where the land file is: the built map's copy, else the package (a checkout without a build). */
function landFile(): string | undefined {
  const built = path.join(builtClientDir(), 'land-10m.json');
  if (existsSync(built)) return built;
  try {
    return createRequire(import.meta.url).resolve('world-atlas/land-10m.json');
  } catch {
    return undefined;
  }
}

/** Every land polygon of the world with its box; null when no land file is here (the map is drawn without coast). */
function world(): readonly LandPolygon[] | null {
  if (land !== undefined) return land;
  const file = landFile();
  if (file === undefined) return (land = null);
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Topology;
  const fc = feature(topo, topo.objects['land']!);
  const geoms = 'features' in fc ? fc.features.map((f) => f.geometry) : [fc.geometry];
  const out: LandPolygon[] = [];
  for (const g of geoms) {
    const polys = g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
    for (const poly of polys) {
      const rings = poly as Ring[];
      let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
      for (const [x, y] of rings[0] ?? []) {
        w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
      }
      out.push({ rings, box: [w, s, e, n] });
    }
  }
  return (land = out);
}

/**
 * Land within a box: each polygon that touches it, its rings (outer, then holes: fill them even-odd)
 * cut to the box. null: no land data here.
 */
export function landIn(box: Box): Ring[][] | null {
  const all = world();
  if (all === null) return null;
  const [w, s, e, n] = box;
  const out: Ring[][] = [];
  for (const p of all) {
    if (p.box[0] > e || p.box[2] < w || p.box[1] > n || p.box[3] < s) continue;
    const rings = p.rings.map((r) => clipPolygon(r, [w, s, e, n]) as Ring).filter((r) => r.length >= 3);
    if (rings.length > 0) out.push(rings);
  }
  return out;
}
