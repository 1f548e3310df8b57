/** One position fix from a GNSS (BeiDou, GPS, multi-constellation) NMEA 0183 sentence. */
export interface GnssFix {
  readonly sentence: 'RMC' | 'GGA' | 'GNS' | 'GLL';
  /** Talker of the sentence: `BD`/`GB` (BeiDou), `GN` (combined), `GP`, `GL`, `GA`… */
  readonly talker: string;
  /** Epoch ms UTC of the fix (the receiver's time, fraction truncated to the ms). */
  readonly atMs: number;
  /** Degrees, south negative. */
  readonly lat: number;
  /** Degrees, west negative. */
  readonly lon: number;
  /** Speed over ground (RMC only; absent when the field is empty). */
  readonly sogKn?: number;
  /** Course over ground, degrees true (RMC only; absent when the field is empty). */
  readonly cogDeg?: number;
  /** GGA fix quality (1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 estimated…). */
  readonly quality?: number;
  /** Satellites used in the solution (GGA/GNS). */
  readonly satellites?: number;
  readonly hdop?: number;
  /** Antenna altitude above mean sea level, metres (GGA/GNS). */
  readonly altitudeM?: number;
  /** NMEA 2.3+ mode indicator: one letter (RMC/GLL) or one per constellation (GNS, e.g. `ANNA`). */
  readonly mode?: string;
}

export type MutableFix = { -readonly [K in keyof GnssFix]: GnssFix[K] };

/** Who sent the sentence (MQTT card id, file name…) and when it arrived. */
export interface GnssContext {
  readonly source: string;
  readonly receivedAtMs: number;
}

export interface GnssDecoderOptions {
  /** Sources whose last RMC date is remembered; the least recently updated is evicted first. */
  readonly maxSources?: number;
}
