import type { FleetId, VesselId } from './ids.js';
import type { LatLon } from './position.js';

/**
 * A planned route (issue 12 §3): the line a vessel or a whole fleet should follow and the corridor
 * either side of it. Legs are straight in lat/lon (GeoJSON's LineString), as `geo/route.ts` reads them.
 */
export interface PlannedRoute {
  readonly routeId: string;
  readonly points: readonly LatLon[];
  /** Half the corridor's width: a vessel farther than this from the line is off its route, nm. */
  readonly corridorHalfWidthNm: number;
  readonly name?: string;
}

/** Who follows a route: vessels by id, fleets (编组) by id; a vessel's own route beats its fleet's. */
export interface RouteAssignment {
  readonly route: PlannedRoute;
  readonly vesselIds: readonly VesselId[];
  readonly fleetIds: readonly FleetId[];
}
