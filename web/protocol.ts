/**
 * Shapes of every HTTP/WS message (CONTRACTS.md), shared by the server and the map client.
 * Times are ISO-8601 UTC strings on the wire.
 */
export interface VesselGridsView {
  readonly static: readonly string[];
  readonly control: readonly string[];
  readonly patrol: readonly string[];
  readonly fishingZone: string | null;
  readonly fleet: string | null;
  readonly h3: string | null;
}

export interface VesselView {
  readonly vesselId: string;
  readonly mmsi: number | null;
  readonly beidouCard: string | null;
  readonly name: string | null;
  readonly shipType: number | null;
  readonly fleetId: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn: number | null;
  readonly cogDeg: number | null;
  readonly headingDeg: number | null;
  readonly at: string;
  readonly source: 'ais' | 'beidou';
  readonly grids: VesselGridsView;
}

/** The vessel file (一船一档) fields added by `GET /api/vessels/{vesselId}`. */
export interface VesselFileView extends VesselView {
  readonly registryNo: string | null;
  readonly gear: string | null;
  readonly lengthM: number | null;
  readonly homePort: string | null;
  readonly owner: string | null;
  readonly ownerPhone: string | null;
  readonly liaison: string | null;
  readonly liaisonPhone: string | null;
  readonly callsign: string | null;
  readonly lastAisAt: string | null;
  readonly lastBeidouAt: string | null;
}

export interface TrackPointView {
  readonly at: string;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn: number | null;
  readonly cogDeg: number | null;
  readonly source: 'ais' | 'beidou';
}

export interface HealthView {
  readonly status: 'ok' | 'degraded';
  readonly [part: string]: unknown;
}
