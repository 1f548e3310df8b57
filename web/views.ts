/**
 * Domain objects (model/) as the wire shapes of protocol.ts, beside the routes that send them.
 * Only model types come in: the live ring's points and the store's rows both fit `TrackFix`.
 */
import { isoTime, type Alert, type AlertChange, type FleetGridView, type GridEvent, type GridMembership, type PlannedRoute, type PositionReport, type VesselFile, type VesselState } from '../model/index.js';
import type { AlertChangeView, AlertFileView, AlertView, PlannedRouteView, FleetView, GridEventView, TrackPointView, VesselFileView, VesselGridsView, VesselView } from './protocol.js';

/** What a track point view shows of a fix. */
export type TrackFix = Pick<PositionReport, 'atMs' | 'lat' | 'lon' | 'sogKn' | 'cogDeg' | 'source'>;

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : isoTime(ms));

/** A vessel's grids (docs/CONTRACTS.md): none until its first fix is located. */
export function gridsView(m: GridMembership | undefined, fleetId: string | undefined): VesselGridsView {
  return {
    static: m?.static ?? [],
    control: m?.control ?? [],
    patrol: m?.patrol ?? [],
    fishingZone: m?.fishingZone ?? null,
    fleet: fleetId ?? null,
    h3: m?.h3 ?? null,
    zones: m?.zones ?? [],
  };
}

/** The live state as docs/CONTRACTS.md's vessel object. */
export function vesselView(v: VesselState, m?: GridMembership): VesselView {
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
    at: isoTime(v.atMs),
    source: v.source,
    grids: gridsView(m, v.fleetId),
  };
}

/** The vessel file (一船一档) and its live state. */
export function vesselFileView(v: VesselState, file: VesselFile | undefined, m?: GridMembership, fleetLeader?: string): VesselFileView {
  return {
    ...vesselView(v, m),
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
    fleetLeader: fleetLeader ?? null,
  };
}

/** Fixes from the in-memory ring or the store, as the track route's points. */
export function trackView(points: readonly TrackFix[]): TrackPointView[] {
  return points.map((p) => ({
    at: isoTime(p.atMs),
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
    raisedAt: isoTime(a.raisedAtMs),
    updatedAt: isoTime(a.updatedAtMs),
    assignee: a.assignee ?? null,
    details: a.details,
    fleetIds: a.fleetIds ?? (a.fleetId === undefined ? [] : [a.fleetId]),
    cleared: a.cleared === true,
    seq: a.seq ?? null,
    responders: (a.responders ?? []).map((r) => ({ vesselId: r.vesselId, dispatchedAt: isoTime(r.dispatchedAtMs), by: r.by, arrivedAt: r.arrivedAtMs === undefined ? null : isoTime(r.arrivedAtMs) })),
  };
}

/** An alert with its history (by seq); the alert is the latest change's. */
export function alertFileView(a: Alert, history: readonly AlertChange[]): AlertFileView {
  return { ...alertView(a), history: history.map(alertChangeView) };
}

export function alertChangeView(c: AlertChange): AlertChangeView {
  return { alertId: c.alertId, seq: c.seq, action: c.action, at: isoTime(c.atMs), actor: c.actor, note: c.note ?? null, alert: alertView(c.alert) };
}

export function gridEventView(e: GridEvent): GridEventView {
  return { vesselId: e.vesselId, layer: e.layer, gridId: e.gridId, kind: e.kind, at: isoTime(e.atMs), lat: e.lat, lon: e.lon };
}

/** A fleet grid and its leader's vessel id (the registry's; undefined when it names none). */
export function fleetView(f: FleetGridView, leader?: string): FleetView {
  return {
    fleetId: f.fleetId,
    leader: leader ?? null,
    members: f.members,
    located: f.located,
    centroid: f.centroid,
    spreadNm: f.located === 0 ? null : f.spreadNm,
    stragglerRadiusNm: f.stragglerRadiusNm,
    outside: f.outside,
    stale: f.stale,
    missing: f.missing,
    cells: f.cells,
    footprint: f.footprint,
    at: f.atMs === null ? null : isoTime(f.atMs),
  };
}

export function plannedRouteView(r: PlannedRoute): PlannedRouteView {
  return { routeId: r.routeId, name: r.name ?? null, corridorHalfWidthNm: r.corridorHalfWidthNm, line: { type: 'LineString', coordinates: r.points.map((p) => [p.lon, p.lat] as const) } };
}

/**
 * `GET /api/grids`: the grids' GeoJSON, each with `inForceNow` — whether it applies now, judged by
 * the zone rule's own function (passed in: web/ does not import geo/), so a console never judges a
 * moratorium's season itself.
 */
export function gridCollectionView<P extends { readonly id: string }, F extends { readonly properties: P }>(
  fc: { readonly type: 'FeatureCollection'; readonly features: readonly F[] },
  inForceNow: (gridId: string) => boolean,
): { readonly type: 'FeatureCollection'; readonly features: readonly (F & { readonly properties: P & { readonly inForceNow: boolean } })[] } {
  return { type: 'FeatureCollection', features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, inForceNow: inForceNow(f.properties.id) } })) };
}
