/**
 * Hop 5 of ARCHITECTURE.md, "locate", for a fix that moved a vessel: its static grids, control and
 * patrol grids, 渔区 and zones in force (SeaGridIndex), the enter/exit events that causes
 * (GridTracker), its fleet's live grid (FleetGrids) and its cell in the neighbour index the
 * collision rule screens with. Pure and synchronous like the live picture that feeds it.
 */
import type { FleetId, GridEvent, GridMembership, VesselId, VesselRegistry } from '../model/index.js';
import { FleetGrids, type FleetGridOptions } from './fleet-grid.js';
import { GridTracker } from './grid-events.js';
import { NeighbourIndex } from './neighbours.js';
import type { GridFeature, GridFeatureCollection, SeaGridIndex } from './sea-grid.js';

export interface SeaPictureOptions {
  readonly fleet?: FleetGridOptions;
  /** H3 resolution of the neighbour index (default 6). */
  readonly neighbourRes?: number;
}

export interface SeaPictureCounters {
  located: number;
  gridEvents: number;
}

/** A grid with how many vessels are in it now (map shading, the watch floor's occupancy board). */
export interface OccupiedGridFeature extends Omit<GridFeature, 'properties'> {
  readonly properties: GridFeature['properties'] & { readonly occupancy: number };
}

export class SeaPicture {
  readonly fleets: FleetGrids;
  readonly neighbours: NeighbourIndex;
  readonly tracker = new GridTracker();
  readonly counters: SeaPictureCounters = { located: 0, gridEvents: 0 };

  constructor(
    registry: VesselRegistry,
    readonly grids: SeaGridIndex,
    options: SeaPictureOptions = {},
  ) {
    this.fleets = new FleetGrids(registry, options.fleet);
    this.neighbours = new NeighbourIndex(options.neighbourRes === undefined ? {} : { res: options.neighbourRes });
  }

  /** The vessel moved to (lat, lon) at atMs: returns the grid events of the move (usually none). */
  locate(vesselId: VesselId, lat: number, lon: number, atMs: number): readonly GridEvent[] {
    const a = this.grids.assignFor(vesselId, lat, lon, atMs);
    this.fleets.update(vesselId, lat, lon, atMs);
    this.neighbours.upsert(vesselId, lat, lon);
    this.counters.located++;
    const events = this.tracker.update(vesselId, a, atMs, lat, lon);
    this.counters.gridEvents += events.length;
    return events;
  }

  /** Where the vessel's last move put it (the tracker keeps each vessel's latest membership). */
  membership(vesselId: VesselId): GridMembership | undefined {
    return this.tracker.membershipOf(vesselId);
  }

  fleetOf(vesselId: VesselId): FleetId | undefined {
    return this.fleets.fleetOf(vesselId);
  }

  /** Staleness of fleet members is judged against this clock (call about once a second). */
  tick(nowMs: number): void {
    this.fleets.tick(nowMs);
  }

  /** The grids as GeoJSON with their current occupancy. */
  gridsGeoJson(): { readonly type: 'FeatureCollection'; readonly features: readonly OccupiedGridFeature[] } {
    const fc: GridFeatureCollection = this.grids.toGeoJson();
    const occ = this.tracker.occupancy();
    return { type: 'FeatureCollection', features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, occupancy: occ.get(f.id) ?? 0 } })) };
  }
}
