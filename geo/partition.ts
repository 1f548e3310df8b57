/**
 * The sea cut into partitions for several seagrid instances (ARCHITECTURE.md, "More than one
 * machine"). Pure: cells in, cells out.
 *
 * - A fix travels on the topic of its *topic cell*, the H3 cell at `topicRes` (default 5, ≈ 8.5 km
 *   edge) of its position.
 * - A *partition* is the parent of a topic cell at `partitionRes` (default 3, ≈ 60 km edge): the unit
 *   one instance owns (leases). Membership is by parent index, not geometry (H3 children do not tile
 *   their parent exactly), so "the region of p" is the union of p's children at `topicRes`.
 * - Its *halo* is every other topic cell with a point within `haloNm` of that region. The owner of p
 *   receives inner and halo cells, so any vessel within `haloNm` of a vessel in p is in its picture.
 *   The collision rule never looks further than its screen cap (12 nm, alerts/collision-rule.ts), so
 *   with `haloNm` ≥ that cap the owner sees every pair whose anchor vessel is in p.
 */
import { cellCenter, cellChildren, cellDisk, cellKey, cellParent, cellRing, latLonToCell, polygonCells } from './cells.js';
import { distanceNm } from './sphere.js';
import type { H3Cell } from '../model/index.js';

export interface PartitionPlan {
  /** Resolution of the fix topics' cells. Default 5. */
  readonly topicRes?: number;
  /** Resolution of a partition (coarser than `topicRes`). Default 3. */
  readonly partitionRes?: number;
  /** Reach of the halo beyond a partition's region, nm. Default 13: the collision screen's 12 nm and 1 nm for fixes that move while in flight. */
  readonly haloNm?: number;
}

export const DEFAULT_HALO_NM = 13;

export class PartitionMap {
  readonly topicRes: number;
  readonly partitionRes: number;
  readonly haloNm: number;
  private readonly halos = new Map<H3Cell, readonly H3Cell[]>();
  private readonly radii = new Map<H3Cell, number>();

  constructor(plan: PartitionPlan = {}) {
    this.topicRes = plan.topicRes ?? 5;
    this.partitionRes = plan.partitionRes ?? 3;
    this.haloNm = plan.haloNm ?? DEFAULT_HALO_NM;
    if (!(this.partitionRes >= 0 && this.partitionRes < this.topicRes && this.topicRes <= 12)) throw new Error('partition map: need 0 ≤ partitionRes < topicRes ≤ 12');
    if (!(this.haloNm >= 0)) throw new Error('partition map: haloNm must be ≥ 0');
  }

  topicCellOf(lat: number, lon: number): H3Cell {
    return latLonToCell(lat, lon, this.topicRes);
  }

  partitionOfCell(topicCell: H3Cell): H3Cell {
    return cellParent(topicCell, this.partitionRes);
  }

  partitionOf(lat: number, lon: number): H3Cell {
    return this.partitionOfCell(this.topicCellOf(lat, lon));
  }

  /** The partition's own topic cells. */
  inner(partition: H3Cell): H3Cell[] {
    return cellChildren(partition, this.topicRes);
  }

  /**
   * Topic cells outside the partition with a point within `haloNm` of its region. A cell is taken
   * when its centre is within haloNm plus both cells' circumradii of an inner cell's centre: never
   * fewer than needed (a point of each within haloNm implies it), a ring of cells more at most.
   */
  halo(partition: H3Cell): readonly H3Cell[] {
    const known = this.halos.get(partition);
    if (known !== undefined) return known;
    const inner = this.inner(partition);
    const own = new Set(inner);
    const centres = inner.map((c) => ({ c: cellCenter(c), r: this.radiusNm(c) }));
    const near = (cell: H3Cell): boolean => {
      const p = cellCenter(cell);
      const r = this.radiusNm(cell);
      return centres.some((q) => distanceNm(p.lat, p.lon, q.c.lat, q.c.lon) <= this.haloNm + r + q.r);
    };
    // Breadth first from the region's edge: the taken cells form a band around it.
    const out: H3Cell[] = [];
    const seen = new Set<H3Cell>(inner);
    let frontier = inner;
    while (frontier.length > 0) {
      const next: H3Cell[] = [];
      for (const f of frontier) {
        for (const n of cellDisk(f, 1)) {
          if (seen.has(n)) continue;
          seen.add(n);
          if (own.has(n) || !near(n)) continue;
          out.push(n);
          next.push(n);
        }
      }
      frontier = next;
    }
    out.sort();
    this.halos.set(partition, out);
    return out;
  }

  /** Partitions whose region touches a bounding box (the sea an operator configures). */
  partitionsCovering(box: { readonly minLat: number; readonly minLon: number; readonly maxLat: number; readonly maxLon: number }): H3Cell[] {
    const ring: [number, number][] = [
      [box.minLon, box.minLat],
      [box.maxLon, box.minLat],
      [box.maxLon, box.maxLat],
      [box.minLon, box.maxLat],
      [box.minLon, box.minLat],
    ];
    const cells = polygonCells([ring], this.topicRes, 'overlapping');
    return [...new Set(cells.map((c) => this.partitionOfCell(c)))].sort();
  }

  /** A number for the partition's lease (PostgreSQL advisory lock key): unique per cell, < 2^47. */
  leaseKey(partition: H3Cell): number {
    return cellKey(partition);
  }

  /** Largest distance from a cell's centre to its boundary, nm. */
  private radiusNm(cell: H3Cell): number {
    let r = this.radii.get(cell);
    if (r === undefined) {
      const c = cellCenter(cell);
      r = Math.max(...cellRing(cell).map(([lon, lat]) => distanceNm(c.lat, c.lon, lat, lon)));
      this.radii.set(cell, r);
    }
    return r;
  }
}

/**
 * The anchor of an alert: of its vessels, the lowest id (string order) — every instance applies
 * the same rule to the same signal, so the owner of the anchor's partition is the alert's one owner.
 */
export function anchorVessel<V extends string>(vesselIds: readonly V[]): V | undefined {
  let low: V | undefined;
  for (const v of vesselIds) if (low === undefined || v < low) low = v;
  return low;
}
