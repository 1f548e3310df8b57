import type { TrackPoint } from '../geo/index.js';
import type { Alert, AlertChange, GridEvent, VesselFile, VesselState } from '../model/index.js';
import type { StoredPosition } from '../store/index.js';
import type { AlertChangeView, AlertView, GridEventView, TrackPointView, VesselFileView, VesselView } from '../web/index.js';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Grid membership arrives with the sea-grid issue; until then every vessel shows none. */
const NO_GRIDS = { static: [], control: [], patrol: [], fishingZone: null, fleet: null, h3: null } as const;

/** The live state as CONTRACTS.md's vessel object. */
export function vesselView(v: VesselState): VesselView {
  return {
    vesselId: v.vesselId,
    mmsi: v.mmsi ?? null,
    beidouCard: v.beidouCard ?? null,
    name: v.name ?? v.ais?.name ?? null,
    shipType: v.shipType ?? v.ais?.shipType ?? null,
    fleetId: v.fleetId ?? null,
    lat: v.lat,
    lon: v.lon,
    sogKn: v.sogKn ?? null,
    cogDeg: v.cogDeg ?? null,
    headingDeg: v.headingDeg ?? null,
    at: new Date(v.atMs).toISOString(),
    source: v.source,
    grids: { ...NO_GRIDS, fleet: v.fleetId ?? null },
  };
}

/** The vessel file (一船一档) and its live state. */
export function vesselFileView(v: VesselState, file: VesselFile | undefined): VesselFileView {
  return {
    ...vesselView(v),
    name: file?.name ?? v.name ?? v.ais?.name ?? null,
    registryNo: file?.registryNo ?? null,
    gear: file?.gear ?? null,
    lengthM: file?.lengthM ?? null,
    homePort: file?.homePort ?? null,
    owner: file?.owner ?? null,
    ownerPhone: file?.ownerPhone ?? null,
    liaison: file?.liaison ?? null,
    liaisonPhone: file?.liaisonPhone ?? null,
    callsign: v.ais?.callsign ?? null,
    lastAisAt: iso(v.lastAisMs),
    lastBeidouAt: iso(v.lastBeidouMs),
  };
}

export function trackView(points: readonly TrackPoint[]): TrackPointView[] {
  return points.map((p) => ({
    at: new Date(p.atMs).toISOString(),
    lat: p.lat,
    lon: p.lon,
    sogKn: p.sogKn ?? null,
    cogDeg: p.cogDeg ?? null,
    source: p.source,
  }));
}

export function storedTrackView(points: readonly StoredPosition[]): TrackPointView[] {
  return points.map((p) => ({
    at: new Date(p.atMs).toISOString(),
    lat: p.lat,
    lon: p.lon,
    sogKn: p.sogKn ?? null,
    cogDeg: p.cogDeg ?? null,
    source: p.source,
  }));
}

export function alertView(a: Alert): AlertView {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    state: a.state,
    vesselIds: a.vesselIds,
    fleetId: a.fleetId ?? null,
    raisedAt: new Date(a.raisedAtMs).toISOString(),
    updatedAt: new Date(a.updatedAtMs).toISOString(),
    assignee: a.assignee ?? null,
    details: a.details,
  };
}

export function alertChangeView(c: AlertChange): AlertChangeView {
  return { alertId: c.alertId, seq: c.seq, action: c.action, at: new Date(c.atMs).toISOString(), actor: c.actor, note: c.note ?? null, alert: alertView(c.alert) };
}

export function gridEventView(e: GridEvent): GridEventView {
  return { vesselId: e.vesselId, layer: e.layer, gridId: e.gridId, kind: e.kind, at: new Date(e.atMs).toISOString(), lat: e.lat, lon: e.lon };
}
