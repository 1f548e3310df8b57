/** The sea grids as `GET /api/grids` serves them, and what the console derives from them. */
import { polygonContains, preparePolygon, type PreparedPolygon } from '../../geo/geometry.js';

export interface InForceSpec {
  readonly start: string;
  readonly end: string;
  readonly recurrence: 'yearly' | 'once';
}

export interface GridFeature {
  type: 'Feature';
  properties: {
    id: string;
    layer: string;
    kind: string;
    name_zh: string;
    name_en?: string | null;
    occupancy?: number;
    inForce?: InForceSpec | null;
    /** Whether the zone applies now, as the service's zone rule judges it (a moratorium only in its season). */
    inForceNow?: boolean;
  };
  geometry: { type: string; coordinates: unknown };
}

export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

/** Centre of a geometry's bounding box, to fly to. */
export function centreOf(coords: unknown): [number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk(coords);
  return Number.isFinite(w) ? [(w + e) / 2, (s + n) / 2] : null;
}

/** Whether the service says the zone applies now (a server without the flag: it does). */
export function inForceNow(f: GridFeature): boolean {
  return f.properties.inForceNow !== false;
}

/**
 * The grids holding a point (hover anywhere inside a grid names it): the service's own containment
 * (geo/geometry.ts, half-open edges), on the CPU — a pickable fill over the whole sea would cost a
 * software renderer every pixel of it in each frame and each picking pass.
 */
export class GridLocator {
  private readonly polys: { feature: GridFeature; poly: PreparedPolygon }[] = [];

  constructor(features: readonly GridFeature[]) {
    for (const feature of features) {
      const g = feature.geometry;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? (g.coordinates as unknown[]) : [];
      for (const rings of polys) this.polys.push({ feature, poly: preparePolygon(rings as [number, number][][]) });
    }
  }

  /** Each grid holding (lon, lat) once, in the order they were given. */
  at(lon: number, lat: number): GridFeature[] {
    const out: GridFeature[] = [];
    for (const { feature, poly } of this.polys) if (!out.includes(feature) && polygonContains(poly, lon, lat)) out.push(feature);
    return out;
  }
}
