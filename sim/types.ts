import type { FleetId, LatLon, VesselFile, VesselId } from '../model/index.js';
import type { Dimensions } from './ais-encode.js';
import type { GnssTalker } from './beidou-encode.js';
import type { Gear } from './fishing-patterns.js';
import type { ShoreReceiver } from './geography.js';
import type { LegSource } from './legs.js';

/** `none`: BeiDou only. */
export type AisClass = 'A' | 'B' | 'none';

/** One simulated hull: its registry file plus what its transmitters send. */
export interface SimVessel {
  readonly index: number;
  readonly vesselId: VesselId;
  readonly file: VesselFile;
  readonly kind: 'fishing' | 'merchant';
  readonly aisClass: AisClass;
  readonly mmsi?: number;
  readonly beidouCard?: string;
  /** Whether the BeiDou terminal reports (every fishing vessel has one; see `beidouFromAisVessels`). */
  readonly beidouReports: boolean;
  readonly beidouTalker: GnssTalker;
  /** The terminal sends GGA after each RMC. */
  readonly beidouGga: boolean;
  /** Static data as transmitted (six-bit ASCII). */
  readonly aisName?: string;
  readonly callsign?: string;
  readonly imo?: number;
  readonly shipType: number;
  readonly dimensions: Dimensions;
  readonly draughtM?: number;
  readonly destination?: string;
  readonly eta?: { readonly month: number; readonly day: number; readonly hour: number; readonly minute: number };
  /** Sends its true heading (else 511); class B units mostly have no compass input. */
  readonly headingSensor: boolean;
  readonly rotSensor: boolean;
  /** Hull heading minus course when under way (leeway, set), degrees. */
  readonly headingBiasDeg: number;
  readonly accuracy: boolean;
  /** Fractions (0, 1] of the first interval after start for: AIS position, static data, BeiDou. */
  readonly reportPhase: readonly [number, number, number];
  /** Reports are not sent in [fromMs, untilMs) (a signal-lost incident). */
  readonly silence?: { readonly fromMs: number; readonly untilMs: number };
  readonly fleetId?: FleetId;
  readonly gear?: Gear;
}

/** A fleet group (编组). */
export interface FleetGroup {
  readonly fleetId: FleetId;
  /** e.g. 沈家门第012编组 */
  readonly name: string;
  readonly leaderVesselId: VesselId;
  readonly members: readonly VesselId[];
  /** Home port name (zhoushan-places.csv name_zh) and id. */
  readonly homePort: string;
  readonly homePortId: string;
  /** Fishing ground id (ecs-fishing-grounds-approx.geojson) and name. */
  readonly ground: string;
  readonly groundName: string;
  readonly gear: Gear;
  /** Where the fleet sets its gear (centre of its fishing area). */
  readonly spot: LatLon;
  /** Transit speed, kn. */
  readonly speedKn: number;
  /** The way out, berth to spot; the fleet sails it in column. */
  readonly wayOut: readonly LatLon[];
  /** The way home, spot to berth: the same shared way as `wayOut`, on the fleet's other lane (kept to starboard). */
  readonly wayHome: readonly LatLon[];
  /** Pairs of pair trawlers (vessel ids), empty for other gear. */
  readonly pairs: readonly (readonly [VesselId, VesselId])[];
}

/** A planned route with its corridor, for the route-deviation rule. */
export interface PlannedRoute {
  readonly routeId: string;
  readonly name: string;
  readonly vesselIds: readonly VesselId[];
  readonly points: readonly LatLon[];
  readonly corridorHalfWidthNm: number;
}

export type IncidentKind = 'collision-course' | 'route-deviation' | 'fleet-straggler' | 'signal-lost';

/** A scripted incident and when the alert it should cause is due. */
export interface ScriptedIncident {
  readonly kind: IncidentKind;
  readonly vesselIds: readonly VesselId[];
  readonly startsAtMs: number;
  /** The time from which the rule (with the thresholds in `details`) should have raised it. */
  readonly expectedAlertAtMs: number;
  readonly details: Readonly<Record<string, number | string>>;
}

/** The moving parts of one simulation run: fresh per simulator (legs are generated lazily). */
export interface Motion {
  /** Position source of vessel `index` in scenario time. */
  trackOf(index: number): LegSource;
}

export interface ScenarioParams {
  readonly vessels: number;
  readonly fleets: number;
  readonly merchants: number;
  readonly seed: number;
  readonly startMs: number;
  readonly incidents: boolean;
  readonly beidouFromAisVessels: boolean;
}

export interface Scenario {
  readonly params: ScenarioParams;
  readonly startMs: number;
  readonly vessels: readonly SimVessel[];
  /** The vessel registry (一船一档), one file per vessel, fishing then merchant. */
  readonly registry: readonly VesselFile[];
  readonly fleets: readonly FleetGroup[];
  readonly routes: readonly PlannedRoute[];
  readonly incidents: readonly ScriptedIncident[];
  readonly receivers: readonly ShoreReceiver[];
  createMotion(): Motion;
}
