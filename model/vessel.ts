import type { BeidouCard, FleetId, Mmsi, VesselId } from './ids.js';
import type { PositionSource, VesselStatic } from './position.js';

/** One file per vessel (一船一档): what the registry knows about a hull. */
export interface VesselFile {
  readonly vesselId: VesselId;
  /** Ship name, e.g. 浙普渔68123 is the registry number; the name may be the same or a local name. */
  readonly name: string;
  /** Fishing-vessel registry number (船号), e.g. 浙普渔68123. */
  readonly registryNo?: string;
  readonly mmsi?: Mmsi;
  readonly beidouCard?: BeidouCard;
  /** Fleet group (编组) — the vessel's mobile fleet grid. */
  readonly fleetId?: FleetId;
  /** The vessel leads its fleet group (编组长船): the boat the group's orders go through. */
  readonly fleetLeader?: boolean;
  /** Gear type, e.g. 'pair-trawl', 'single-trawl', 'gillnet', 'purse-seine', 'stow-net', 'cargo'. */
  readonly gear?: string;
  readonly lengthM?: number;
  readonly homePort?: string;
  readonly owner?: string;
  readonly ownerPhone?: string;
  /** Liaison official (定人联船) and phone. */
  readonly liaison?: string;
  readonly liaisonPhone?: string;
  /** The liaison official's username when he signs in (role `liaison`, or any role): he receives the vessel's alerts. */
  readonly liaisonUser?: string;
  /** AIS ship type (30 = fishing), when known. */
  readonly shipType?: number;
}

/** The live picture of one vessel. */
export interface VesselState {
  readonly vesselId: VesselId;
  readonly mmsi?: Mmsi;
  readonly beidouCard?: BeidouCard;
  readonly fleetId?: FleetId;
  readonly name?: string;
  readonly shipType?: number;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly headingDeg?: number;
  readonly navStatus?: number;
  /** Time of the fix that placed the vessel here. */
  readonly atMs: number;
  readonly source: PositionSource;
  /** Last report time per source. */
  readonly lastAisMs?: number;
  readonly lastBeidouMs?: number;
  /** Rate of turn of the fix that placed the vessel, °/min. */
  readonly rotDegMin?: number;
  /** When the fix that placed the vessel arrived (our clock). */
  readonly receivedAtMs?: number;
  /** Whether the hull is in the registry (一船一档) or only known from its reports. */
  readonly registered?: boolean;
  readonly registryNo?: string;
  /** Static data the vessel broadcasts (AIS types 5, 19, 24 A/B merged); `name` prefers the registry's. */
  readonly ais?: AisStaticData;
  readonly counts?: VesselCounts;
  /** Change sequence of the live picture at this state's last change (its `changedSince` cursor). */
  readonly seq?: number;
}

/**
 * AIS static and voyage data as last broadcast: each field from the latest message that carried
 * it, `atMs` the time of the latest static message merged.
 */
export type AisStaticData = Omit<VesselStatic, 'mmsi'>;

/** What happened to a vessel's position reports since start. */
export interface VesselCounts {
  /** Fixes that moved the vessel. */
  readonly moved: number;
  /** Fixes older than the vessel's last: kept in the track only. */
  readonly olderKept: number;
  readonly duplicates: number;
  readonly jumpsRejected: number;
  /** Relocations accepted after consecutive fixes agreed on a new place. */
  readonly jumpsAccepted: number;
}
