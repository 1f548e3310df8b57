import type { BeidouCard, Mmsi, VesselId } from './ids.js';

/** A point on the earth, degrees (WGS 84). GeoJSON's `[lon, lat]` appears only inside geo/ and the client. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

export type PositionSource = 'ais' | 'beidou';

/**
 * One position fix from either source, in the units the core uses. Values a sender marks
 * "not available" are absent, never sentinel numbers.
 */
export interface PositionReport {
  readonly source: PositionSource;
  readonly mmsi?: Mmsi;
  readonly beidouCard?: BeidouCard;
  /**
   * When the fix was taken: tag-block / sentence time when known, else receipt time. A time before
   * 2000 (an unset or rolled-over receiver clock) is not kept: an AIS fix takes its receipt time, a
   * GNSS fix keeps its time of day on the day nearest its receipt (ingest/normalize.ts).
   */
  readonly atMs: number;
  readonly receivedAtMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly headingDeg?: number;
  /** Rate of turn in degrees per minute (ITU: sign·(raw/4.733)²). */
  readonly rotDegMin?: number;
  /** AIS navigational status 0–15. */
  readonly navStatus?: number;
  /** Receiver or station that heard it (tag block `s:` or MQTT receiver id). */
  readonly receiver?: string;
  /**
   * UTC second (0–59) the AIS sender stamped on the fix. Copies of one transmission heard by
   * several receivers or redelivered carry the same value while their receipt times differ,
   * so it identifies duplicates.
   */
  readonly utcSecond?: number;
}

/** Static and voyage data (AIS types 5, 19, 21, 24). */
export interface VesselStatic {
  readonly mmsi: Mmsi;
  readonly atMs: number;
  readonly name?: string;
  readonly callsign?: string;
  readonly imo?: number;
  readonly shipType?: number;
  /** Dimensions to bow/stern/port/starboard from the reference point, metres. */
  readonly toBowM?: number;
  readonly toSternM?: number;
  readonly toPortM?: number;
  readonly toStarboardM?: number;
  readonly draughtM?: number;
  readonly destination?: string;
}

/**
 * A fix the live picture accepted into a vessel's track (hop 5): `moved` when it is now the
 * vessel's latest position, false when it is kept in the track only (older than the last, or a
 * fix confirmed after a jump). The store records every one; rules look at the moved ones.
 */
export interface AcceptedFix {
  readonly vesselId: VesselId;
  readonly report: PositionReport;
  readonly moved: boolean;
}
