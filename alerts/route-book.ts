/**
 * Planned routes (issue 12 §3): which line each vessel or fleet should follow, and the one parser of
 * a route from GeoJSON — the route file in `fixtures/routes/` and `PUT /api/vessels/{id}/route` read
 * the same way, so a bad LineString is the same Result with the same code everywhere.
 *
 * What it decides
 * - Accepted: a GeoJSON LineString, or a Feature of one, with `corridorHalfWidthNm` (on the object
 *   itself, in the Feature's properties, or given by the caller) in (0, 50] nm; 2 to MAX_ROUTE_POINTS
 *   positions `[lon, lat]` within range, no two consecutive ones equal (a zero-length leg has no
 *   direction). Extra members (altitude, properties) are ignored.
 * - A vessel's own route beats its fleet's; setting either replaces the one before.
 * Pure: never throws on input; the codes are `route.*` of model/codes.ts.
 */
import { ok, reject, type FleetId, type LatLon, type PlannedRoute, type Result, type RouteAssignment, type VesselId } from '../model/index.js';

/** More legs than any sailing plan needs; bounds the cross-track work per fix. */
export const MAX_ROUTE_POINTS = 10_000;
/** A corridor wider than this is not a route. */
export const MAX_CORRIDOR_NM = 50;

/** GeoJSON (a LineString or a Feature of one) → a planned route, or the first fault found. */
export function parsePlannedRoute(input: unknown, routeId: string, corridorHalfWidthNm?: number): Result<PlannedRoute> {
  const parsed = parseText(input);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  if (!isObject(doc)) return reject('route.json', 'expected a GeoJSON object');
  let line: unknown = doc;
  let props: Record<string, unknown> = {};
  if (doc.type === 'Feature') {
    line = doc.geometry;
    if (isObject(doc.properties)) props = doc.properties;
  }
  if (!isObject(line) || line.type !== 'LineString' || !Array.isArray(line.coordinates)) return reject('route.json', 'expected {"type":"LineString","coordinates":[[lon,lat],…]}');
  const coords = line.coordinates as unknown[];
  if (coords.length < 2 || coords.length > MAX_ROUTE_POINTS) return reject('route.points', `${coords.length} positions (2–${MAX_ROUTE_POINTS})`);
  const points: LatLon[] = [];
  for (let i = 0; i < coords.length; i++) {
    const c = coords[i];
    if (!Array.isArray(c) || c.length < 2 || !isCoord(c[0], 180) || !isCoord(c[1], 90)) return reject('route.coordinate', `position ${i}`);
    const p = { lat: c[1] as number, lon: c[0] as number };
    const prev = points[points.length - 1];
    if (prev !== undefined && prev.lat === p.lat && prev.lon === p.lon) return reject('route.points', `positions ${i - 1} and ${i} are equal`);
    points.push(p);
  }
  const width = corridorHalfWidthNm ?? doc.corridorHalfWidthNm ?? props.corridorHalfWidthNm;
  if (typeof width !== 'number' || !(width > 0 && width <= MAX_CORRIDOR_NM)) return reject('route.corridor', `corridorHalfWidthNm ${String(width)}`);
  const name = props.name ?? doc.name;
  return ok({ routeId, points, corridorHalfWidthNm: width, ...(typeof name === 'string' ? { name } : {}) });
}

/**
 * A route file: a GeoJSON FeatureCollection of LineStrings, each with properties `id`,
 * `corridorHalfWidthNm` and optionally `vesselIds`, `fleetIds` (string arrays). The first bad
 * feature is the Result, its index in `detail`.
 */
export function parseRouteFile(input: unknown): Result<RouteAssignment[]> {
  const parsed = parseText(input);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) return reject('route.json', 'expected a FeatureCollection');
  const out: RouteAssignment[] = [];
  for (let i = 0; i < doc.features.length; i++) {
    const f: unknown = doc.features[i];
    const props = isObject(f) && isObject(f.properties) ? f.properties : {};
    if (typeof props.id !== 'string' || props.id === '') return reject('route.json', `feature ${i}: properties.id missing`);
    const r = parsePlannedRoute(f, props.id);
    if (!r.ok) return reject(r.code, `feature ${i} (${props.id}): ${r.detail ?? ''}`);
    out.push({ route: r.value, vesselIds: strings(props.vesselIds) as VesselId[], fleetIds: strings(props.fleetIds) as FleetId[] });
  }
  return ok(out);
}

/** Routes by vessel and by fleet. */
export class RouteBook {
  private readonly byVessel = new Map<VesselId, PlannedRoute>();
  private readonly byFleet = new Map<FleetId, PlannedRoute>();

  constructor(assignments: readonly RouteAssignment[] = []) {
    for (const a of assignments) {
      for (const v of a.vesselIds) this.byVessel.set(v, a.route);
      for (const f of a.fleetIds) this.byFleet.set(f, a.route);
    }
  }

  setVesselRoute(vesselId: VesselId, route: PlannedRoute | undefined): void {
    if (route === undefined) this.byVessel.delete(vesselId);
    else this.byVessel.set(vesselId, route);
  }

  setFleetRoute(fleetId: FleetId, route: PlannedRoute | undefined): void {
    if (route === undefined) this.byFleet.delete(fleetId);
    else this.byFleet.set(fleetId, route);
  }

  vesselRoute(vesselId: VesselId): PlannedRoute | undefined {
    return this.byVessel.get(vesselId);
  }

  fleetRoute(fleetId: FleetId): PlannedRoute | undefined {
    return this.byFleet.get(fleetId);
  }

  /** The route a vessel is held to: its own, else its fleet's. */
  routeFor(vesselId: VesselId, fleetId: FleetId | undefined): PlannedRoute | undefined {
    return this.byVessel.get(vesselId) ?? (fleetId === undefined ? undefined : this.byFleet.get(fleetId));
  }
}

/** JSON text parsed, or a value already parsed passed through. */
function parseText(input: unknown): Result<unknown> {
  if (typeof input !== 'string') return ok(input);
  try {
    return ok(JSON.parse(input) as unknown);
  } catch (e) {
    return reject('route.json', (e as Error).message);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isCoord(x: unknown, max: number): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x >= -max && x <= max;
}

function strings(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}
