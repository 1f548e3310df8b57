/**
 * Hop 5 of ARCHITECTURE.md, "locate", for a fix that moved a vessel: its static grids, control and
 * patrol grids, 渔区 and zones in force (SeaGridIndex), the enter/exit events that causes
 * (GridTracker), its fleet's live grid (FleetGrids) and its cell in the neighbour index the
 * collision rule screens with. Pure and synchronous like the live picture that feeds it.
 */
import type { FleetId, GridEvent, GridMembership, VesselId, VesselRegistry } from '../model/index.js';
import { edgeLengthAvgKm, polygonCells } from './cells.js';
import { fishingZoneRing } from './fishing-zone.js';
import { FleetGrids, type FleetGridOptions } from './fleet-grid.js';
import { GridTracker } from './grid-events.js';
import { NeighbourIndex } from './neighbours.js';
import { inForceAt, type InForce } from './grid-file.js';
import type { GridFeature, GridFeatureCollection, SeaGridIndex } from './sea-grid.js';
import { EARTH_RADIUS_M, RAD } from './sphere.js';

export interface SeaPictureOptions {
  readonly fleet?: FleetGridOptions;
  /** H3 resolution of the neighbour index (default 6). */
  readonly neighbourRes?: number;
}

export interface SeaPictureCounters {
  located: number;
  gridEvents: number;
}

/** A lon/lat box, west and south edges first (`minLon ≤ maxLon`: no antimeridian crossing). */
export interface LonLatBox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

/** Boxes needing more neighbour-index cells than this are not looked up by cell (the caller scans). */
const MAX_BOX_CELLS = 20_000;
/** Kilometres per degree of latitude on the earth sphere. */
const KM_PER_DEG = (EARTH_RADIUS_M * RAD) / 1000;

/** A grid with how many vessels are in it now (map shading, the watch floor's occupancy board). */
export interface OccupiedGridFeature extends Omit<GridFeature, 'properties'> {
  readonly properties: GridFeature['properties'] & { readonly occupancy: number };
}

export class SeaPicture {
  readonly fleets: FleetGrids;
  readonly neighbours: NeighbourIndex;
  readonly tracker = new GridTracker();
  readonly counters: SeaPictureCounters = { located: 0, gridEvents: 0 };
  private boxes: Map<string, LonLatBox> | undefined = undefined;

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

  /**
   * The vessel left the live picture (not heard for long, or evicted for room): its grid
   * membership, memo, fleet position and neighbour entry go. No exit events: falling silent is not
   * a boundary crossing (GridTracker.remove), and the stored events stay true.
   */
  forget(vesselId: VesselId): void {
    this.tracker.remove(vesselId);
    this.grids.forget(vesselId);
    this.fleets.forget(vesselId);
    this.neighbours.remove(vesselId);
  }

  /**
   * Candidates for a box from the neighbour index: the vessels located in the H3 cells that overlap
   * it (a superset; test each against the box). Undefined when the box is too large or holds more
   * than `max` vessels, so the caller's bounded scan answers instead.
   */
  vesselsInBox(box: LonLatBox, max: number): VesselId[] | undefined {
    const { minLon, minLat, maxLon, maxLat } = box;
    if (!(minLon <= maxLon && minLat <= maxLat)) return undefined;
    const midLat = ((minLat + maxLat) / 2) * RAD;
    const areaKm2 = (maxLat - minLat) * KM_PER_DEG * Math.max((maxLon - minLon) * KM_PER_DEG * Math.cos(midLat), 0);
    const e = edgeLengthAvgKm(this.neighbours.res);
    if (areaKm2 / ((3 * Math.sqrt(3) * e * e) / 2) > MAX_BOX_CELLS) return undefined;
    // Padded by two cell edges: a vessel on the box's edge is then in a cell the padded box overlaps
    // even where h3's overlap test and a hexagon's curved edges disagree, and a point box has an area.
    const padLat = (2 * e) / KM_PER_DEG;
    const padLon = padLat / Math.max(Math.cos(Math.max(Math.abs(minLat), Math.abs(maxLat)) * RAD), 0.01);
    const w = Math.max(minLon - padLon, -180);
    const east = Math.min(maxLon + padLon, 180);
    const s = Math.max(minLat - padLat, -89.9);
    const n = Math.min(maxLat + padLat, 89.9);
    const ring: [number, number][] = [
      [w, s],
      [east, s],
      [east, n],
      [w, n],
      [w, s],
    ];
    return this.neighbours.idsInCells(polygonCells([ring], this.neighbours.res, 'overlapping'), max);
  }

  /**
   * A box holding every point of a grid: an area grid's outer rings, or the 30′ 渔区 zone of a zone
   * or sub-zone id. Undefined for an id that names no area (no vessel is ever in it).
   */
  gridBox(gridId: string): LonLatBox | undefined {
    if (this.boxes === undefined) {
      this.boxes = new Map();
      for (const g of this.grids.grids()) if (g.shape.type === 'area') this.boxes.set(g.id, boxOf(g.shape.polygons.map((rings) => rings[0] ?? [])));
    }
    const known = this.boxes.get(gridId);
    if (known !== undefined) return known;
    const ring = fishingZoneRing(gridId.replace(/-[1-9]$/, ''));
    return ring === undefined ? undefined : boxOf([ring]);
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

  /** Whether grid `gridId` applies at `atMs` as the zone rule judges it (a moratorium only in its season); an unknown id: false. */
  appliesAt(gridId: string, atMs: number): boolean {
    this.periods ??= new Map(this.grids.grids().map((g) => [g.id, g.inForce]));
    return this.periods.has(gridId) && inForceAt(this.periods.get(gridId), atMs);
  }
  private periods: Map<string, InForce | undefined> | undefined;

  /** The grids as GeoJSON with their current occupancy. */
  gridsGeoJson(): { readonly type: 'FeatureCollection'; readonly features: readonly OccupiedGridFeature[] } {
    const fc: GridFeatureCollection = this.grids.toGeoJson();
    const occ = this.tracker.occupancy();
    return { type: 'FeatureCollection', features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, occupancy: occ.get(f.id) ?? 0 } })) };
  }
}

function boxOf(rings: readonly (readonly (readonly [number, number])[])[]): LonLatBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const ring of rings)
    for (const [lon, lat] of ring) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  return { minLon, minLat, maxLon, maxLat };
}
