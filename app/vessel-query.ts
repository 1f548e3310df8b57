import type { LivePicture, SeaPicture } from '../geo/index.js';
import type { FleetId, GridMembership, VesselId, VesselRegistry } from '../model/index.js';
import { vesselView, type VesselPage, type VesselQuery } from '../web/index.js';

/** Index candidates at most for one bbox or grid page; beyond it the bounded walk answers. */
const MAX_BOX_CANDIDATES = 100_000;
/** A grid test reads each vessel's membership (≈ 1–3 µs at 100k vessels): a shorter walk per call. */
const GRID_WALK_BUDGET = 20_000;

/**
 * `GET /api/vessels`: one page of the live picture, filters combined with AND. The narrowest index
 * chooses the candidates: a fleet's members (the registry), else the H3 cells under the bbox or
 * the grid's extent (the neighbour index), else a walk in creation order that looks at a bounded
 * number of vessels per call (`LivePicture.page`), so no call scans or builds a million vessels.
 */
export function vesselPage(live: LivePicture, sea: SeaPicture, registry: VesselRegistry, q: VesselQuery): VesselPage {
  const { bbox, gridId } = q;
  const tests: ((id: VesselId, lat: number, lon: number) => boolean)[] = [];
  if (bbox !== undefined) tests.push((_, lat, lon) => lat >= bbox.minLat && lat <= bbox.maxLat && lon >= bbox.minLon && lon <= bbox.maxLon);
  if (gridId !== undefined) tests.push((id) => inGrid(sea.membership(id), gridId));
  const where = tests.length === 0 ? undefined : (id: VesselId, lat: number, lon: number) => tests.every((t) => t(id, lat, lon));
  let among: Iterable<string> | undefined;
  if (q.fleetId !== undefined) among = registry.fleet(q.fleetId as FleetId).map((f) => f.vesselId);
  else if (bbox !== undefined) among = sea.vesselsInBox(bbox, MAX_BOX_CANDIDATES);
  else if (gridId !== undefined) {
    const extent = sea.gridBox(gridId);
    among = extent === undefined ? [] : sea.vesselsInBox(extent, MAX_BOX_CANDIDATES);
  }
  const budget = gridId === undefined ? undefined : GRID_WALK_BUDGET;
  const page = live.page({ limit: q.limit, ...(q.after === undefined ? {} : { after: q.after }), ...(where === undefined ? {} : { where }), ...(among === undefined ? {} : { among }), ...(budget === undefined ? {} : { budget }) });
  return { vessels: page.vessels.map((v) => vesselView(v, sea.membership(v.vesselId))), next: page.next };
}

/** Whether a membership holds a grid id of any layer. */
export function inGrid(m: GridMembership | undefined, gridId: string): boolean {
  if (m === undefined) return false;
  return m.static.includes(gridId) || m.control.includes(gridId) || m.patrol.includes(gridId) || m.zones.includes(gridId) || m.fishingZone === gridId;
}
