import type { FleetId, H3Cell, VesselId } from './ids.js';
import type { LatLon } from './position.js';

/**
 * The layers of the "dual grid". `static` = the 15 East China Sea fishing grounds; `control` and
 * `patrol` = the Zhoushan sea-area grids; `fishingZone` = the national 30′×30′ 渔区 lattice (ids by
 * arithmetic); `zone` = no-fishing, moratorium, agreement zones, anchorages and lanes.
 */
export type GridLayer = 'static' | 'control' | 'patrol' | 'fishingZone' | 'zone';

/** Which grids a vessel is in at one fix. Arrays are sorted by id so two memberships compare cheaply. */
export interface GridMembership {
  readonly static: readonly string[];
  readonly control: readonly string[];
  readonly patrol: readonly string[];
  /** 渔区 id with sub-zone, e.g. `"FZ-N3030-E12130-5"` (south-west corner of the 30′ zone, then the 10′ sub-zone 1–9); undefined outside the lattice. */
  readonly fishingZone?: string;
  /** Zones in force at the fix time (moratorium only between its dates). */
  readonly zones: readonly string[];
  readonly fleet?: FleetId;
  /** H3 cell at the sea-grid resolution. */
  readonly h3?: H3Cell;
}

/** A vessel crossing a static-grid boundary: the handover between grid teams. */
export interface GridEvent {
  readonly vesselId: VesselId;
  readonly layer: GridLayer;
  readonly gridId: string;
  readonly kind: 'enter' | 'exit';
  readonly atMs: number;
  readonly lat: number;
  readonly lon: number;
}

/** GeoJSON MultiPolygon geometry (`[lon, lat]`, outer rings counter-clockwise, closed). */
export interface MultiPolygonGeometry {
  readonly type: 'MultiPolygon';
  readonly coordinates: [number, number][][][];
}

/** A fleet group's (编组) live grid, as `geo/fleet-grid.ts` computes it (definitions there). */
export interface FleetGridView {
  readonly fleetId: FleetId;
  /** All members in registry order. */
  readonly members: readonly VesselId[];
  /** Fresh members: those that shape the grid. */
  readonly located: number;
  /** Distinct cells of the fresh members, sorted. */
  readonly cells: readonly H3Cell[];
  readonly footprint: MultiPolygonGeometry;
  readonly centroid: LatLon | null;
  /** Farthest fresh member from the centroid, nm (0 without members). */
  readonly spreadNm: number;
  /** The radius beyond which a member is `outside`, nm. */
  readonly stragglerRadiusNm: number;
  /** Fresh members beyond the straggler radius, registry order. */
  readonly outside: readonly VesselId[];
  /** Members whose last fix is older than `staleAfterMs`, registry order. */
  readonly stale: readonly VesselId[];
  /** Members with no fix yet, registry order. */
  readonly missing: readonly VesselId[];
  /** Newest member fix time, or null before any. */
  readonly atMs: number | null;
  /** Change sequence of this fleet (its `changedSince` cursor). */
  readonly seq: number;
  /** Change sequence at which `cells`/`footprint` last changed (a push can skip an unchanged outline). */
  readonly footprintSeq: number;
}
