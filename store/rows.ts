/**
 * Write batches as columns (one array per table column): cheap to append to, one `unnest` insert
 * per batch, and the same object is a spool record. Times are epoch ms; absent values are null.
 */
import type { AlertChange, GridEvent, PositionReport, VesselId } from '../model/index.js';

export interface PositionColumns {
  readonly vesselId: string[];
  readonly atMs: number[];
  readonly source: string[];
  readonly lat: number[];
  readonly lon: number[];
  readonly sogKn: (number | null)[];
  readonly cogDeg: (number | null)[];
  readonly headingDeg: (number | null)[];
  readonly rotDegMin: (number | null)[];
  readonly navStatus: (number | null)[];
  readonly mmsi: (number | null)[];
  readonly beidouCard: (string | null)[];
  readonly receiver: (string | null)[];
  readonly receivedAtMs: (number | null)[];
}

export interface GridEventColumns {
  readonly vesselId: string[];
  readonly layer: string[];
  readonly gridId: string[];
  readonly kind: string[];
  readonly atMs: number[];
  readonly lat: number[];
  readonly lon: number[];
}

/** One spool line. `k` and `n` come first so a segment's row count is read without parsing it. */
export type SpoolRecord =
  | { readonly k: 'p'; readonly n: number; readonly c: PositionColumns }
  | { readonly k: 'g'; readonly n: number; readonly c: GridEventColumns }
  | { readonly k: 'a'; readonly n: 1; readonly c: AlertChange };

export function emptyPositions(): PositionColumns {
  return {
    vesselId: [],
    atMs: [],
    source: [],
    lat: [],
    lon: [],
    sogKn: [],
    cogDeg: [],
    headingDeg: [],
    rotDegMin: [],
    navStatus: [],
    mmsi: [],
    beidouCard: [],
    receiver: [],
    receivedAtMs: [],
  };
}

export function pushPosition(c: PositionColumns, vesselId: VesselId, p: PositionReport): void {
  c.vesselId.push(vesselId);
  c.atMs.push(p.atMs);
  c.source.push(p.source);
  c.lat.push(p.lat);
  c.lon.push(p.lon);
  c.sogKn.push(p.sogKn ?? null);
  c.cogDeg.push(p.cogDeg ?? null);
  c.headingDeg.push(p.headingDeg ?? null);
  c.rotDegMin.push(p.rotDegMin ?? null);
  c.navStatus.push(p.navStatus ?? null);
  c.mmsi.push(p.mmsi ?? null);
  c.beidouCard.push(p.beidouCard ?? null);
  c.receiver.push(p.receiver ?? null);
  c.receivedAtMs.push(p.receivedAtMs ?? null);
}

export function emptyGridEvents(): GridEventColumns {
  return { vesselId: [], layer: [], gridId: [], kind: [], atMs: [], lat: [], lon: [] };
}

export function pushGridEvent(c: GridEventColumns, e: GridEvent): void {
  c.vesselId.push(e.vesselId);
  c.layer.push(e.layer);
  c.gridId.push(e.gridId);
  c.kind.push(e.kind);
  c.atMs.push(e.atMs);
  c.lat.push(e.lat);
  c.lon.push(e.lon);
}
