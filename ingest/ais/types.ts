import type { Mmsi } from '../../model/index.js';

/**
 * Decoded AIS messages (ITU-R M.1371-5), in project units.
 *
 * Conventions, once for every type:
 * - Values the standard reserves for "not available" are `undefined`, never the sentinel number:
 *   lat 91°, lon 181°, SOG 102.3 kn, COG 360°, heading 511, ROT −128, second 60, and the
 *   type-specific ones noted on each field. gpsd-json.ts puts gpsd's sentinels back for output.
 * - Every other value is kept as transmitted, even when out of range (lat 109°, year 10196):
 *   judging plausibility is a later stage's job.
 * - Six-bit text follows gpsd: it ends at the first `@`, trailing spaces are dropped, and an
 *   empty result is `undefined`.
 * - Objects are built with every key present (possibly `undefined`), so each type has one shape.
 */
export interface AisHeader {
  /** Repeat indicator 0–3. */
  readonly repeat: number;
  readonly mmsi: Mmsi;
}

/** Types 1, 2, 3: class A position report. */
export interface AisPositionA extends AisHeader {
  readonly type: 1 | 2 | 3;
  /** Navigational status 0–15 (15 = not defined, kept as a value). */
  readonly navStatus: number;
  /**
   * Rate of turn, °/min: sign·(raw/4.733)². Absent when not available (raw −128) and when the
   * sender only says "turning faster than 5°/30 s" (raw ±127): see `turnFast`.
   */
  readonly rotDegMin: number | undefined;
  /** Raw ROT ±127: turning faster than 5°/30 s with no turn indicator; no rate is known. */
  readonly turnFast: 'left' | 'right' | undefined;
  /** Knots; 102.2 means "102.2 kn or more". Absent for raw 1023. */
  readonly sogKn: number | undefined;
  /** Position accuracy flag: true = DGNSS-grade (< 10 m). */
  readonly accuracy: boolean;
  readonly lon: number | undefined;
  readonly lat: number | undefined;
  /** Absent for raw 3600. */
  readonly cogDeg: number | undefined;
  /** Absent for 511. */
  readonly headingDeg: number | undefined;
  /** UTC second of the fix; absent for 60. 61–63 (manual, dead reckoning, inoperative) kept. */
  readonly second: number | undefined;
  /** Special manoeuvre indicator 0–2 (0 = not available, kept as a value). */
  readonly maneuver: number;
  readonly raim: boolean;
  /**
   * Communication state, as transmitted. Like gpsd, a 163–167-bit payload yields the bits that
   * are there (fewer than 19), right-aligned.
   */
  readonly radio: number;
}

/** Types 4 (base station report) and 11 (UTC/date response). */
export interface AisBaseStation extends AisHeader {
  readonly type: 4 | 11;
  /** UTC date and time parts; each absent when it carries its "not available" value
   * (year 0, month 0, day 0, hour 24, minute 60, second 60). */
  readonly year: number | undefined;
  readonly month: number | undefined;
  readonly day: number | undefined;
  readonly hour: number | undefined;
  readonly minute: number | undefined;
  readonly second: number | undefined;
  readonly accuracy: boolean;
  readonly lon: number | undefined;
  readonly lat: number | undefined;
  /** Type of position-fixing device 0–15 (0 = undefined, kept). */
  readonly epfd: number;
  readonly raim: boolean;
  readonly radio: number;
}

/** Ship dimensions from the reference point, metres, as transmitted (0 = not available). */
export interface AisDimensions {
  readonly toBowM: number;
  readonly toSternM: number;
  readonly toPortM: number;
  readonly toStarboardM: number;
}

/** Type 5: class A static and voyage related data. */
export interface AisStaticVoyage extends AisHeader, AisDimensions {
  readonly type: 5;
  readonly aisVersion: number;
  /** Absent for 0. */
  readonly imo: number | undefined;
  readonly callsign: string | undefined;
  readonly shipname: string | undefined;
  /** Ship and cargo type 1–255; absent for 0. */
  readonly shipType: number | undefined;
  readonly epfd: number;
  /** ETA parts; absent for month 0, day 0, hour 24, minute 60. */
  readonly etaMonth: number | undefined;
  readonly etaDay: number | undefined;
  readonly etaHour: number | undefined;
  readonly etaMinute: number | undefined;
  /** Metres; absent for 0. */
  readonly draughtM: number | undefined;
  readonly destination: string | undefined;
  /** Data terminal equipment flag 0/1 (0 = ready); absent when the payload stops before it. */
  readonly dte: number | undefined;
}

/** Type 9: standard SAR aircraft position report. */
export interface AisSarAircraft extends AisHeader {
  readonly type: 9;
  /** Metres; 4094 means "4094 m or higher". Absent for 4095. */
  readonly altitudeM: number | undefined;
  /** Knots, 1 kn resolution; 1022 means "1022 kn or more". Absent for 1023. */
  readonly sogKn: number | undefined;
  readonly accuracy: boolean;
  readonly lon: number | undefined;
  readonly lat: number | undefined;
  readonly cogDeg: number | undefined;
  readonly second: number | undefined;
  /** Regional reserved byte (bits 134–141). */
  readonly regional: number;
  readonly dte: number;
  readonly assigned: boolean;
  readonly raim: boolean;
  readonly radio: number;
}

/** Fields shared by the class B position reports 18 and 19. */
export interface AisClassBPosition extends AisHeader {
  /** Regional reserved byte (bits 38–45). */
  readonly reserved: number;
  readonly sogKn: number | undefined;
  readonly accuracy: boolean;
  readonly lon: number | undefined;
  readonly lat: number | undefined;
  readonly cogDeg: number | undefined;
  readonly headingDeg: number | undefined;
  readonly second: number | undefined;
  /** Regional reserved bits (2 in type 18, 4 in type 19). */
  readonly regional: number;
  readonly assigned: boolean;
  readonly raim: boolean;
}

/** Type 18: standard class B CS position report. */
export interface AisPositionB extends AisClassBPosition {
  readonly type: 18;
  /** Class B unit flags: CS unit, display, DSC, whole band, message 22 handling. */
  readonly cs: boolean;
  readonly display: boolean;
  readonly dsc: boolean;
  readonly band: boolean;
  readonly msg22: boolean;
  readonly radio: number;
}

/** Type 19: extended class B position report. */
export interface AisPositionBExtended extends AisClassBPosition, AisDimensions {
  readonly type: 19;
  readonly shipname: string | undefined;
  readonly shipType: number | undefined;
  readonly epfd: number;
  readonly dte: number;
}

/** Type 21: aid-to-navigation report. */
export interface AisAidToNavigation extends AisHeader, AisDimensions {
  readonly type: 21;
  /** Aid type 0–31. */
  readonly aidType: number;
  /** Name including the name extension (bits 272 on), as gpsd joins them. */
  readonly name: string | undefined;
  readonly accuracy: boolean;
  readonly lon: number | undefined;
  readonly lat: number | undefined;
  readonly epfd: number;
  readonly second: number | undefined;
  readonly offPosition: boolean;
  /** Regional reserved byte (bits 260–267). */
  readonly regional: number;
  readonly raim: boolean;
  readonly virtualAid: boolean;
  readonly assigned: boolean;
}

/** Type 24 part A: the name. */
export interface AisStaticPartA extends AisHeader {
  readonly type: 24;
  readonly partno: 0;
  readonly shipname: string | undefined;
}

/** The part B body of type 24 (also carried by the merged A+B message). */
export interface AisStaticPartBFields {
  readonly shipType: number | undefined;
  /**
   * Vendor id as gpsd reads it: 7 characters (the pre-M.1371-4 layout). Senders following
   * M.1371-4 or later put `model` and `serial` in its last 4 characters' bits; both readings
   * are given, as gpsd does.
   */
  readonly vendorId: string | undefined;
  readonly model: number;
  readonly serial: number;
  readonly callsign: string | undefined;
  /**
   * Auxiliary craft (MMSI 98xxxxxxx) send their mother ship's MMSI instead of dimensions:
   * then `mothershipMmsi` is set and the dimensions are absent, and the reverse otherwise.
   */
  readonly mothershipMmsi: Mmsi | undefined;
  readonly toBowM: number | undefined;
  readonly toSternM: number | undefined;
  readonly toPortM: number | undefined;
  readonly toStarboardM: number | undefined;
}

/** Type 24 part B: type, vendor, call sign, dimensions. */
export interface AisStaticPartB extends AisHeader, AisStaticPartBFields {
  readonly type: 24;
  readonly partno: 1;
}

/** Type 24 parts A and B of one MMSI joined by `Type24Merger` (gpsd emits only these). */
export interface AisStaticMerged extends AisHeader, AisStaticPartBFields {
  readonly type: 24;
  readonly partno: 'AB';
  readonly shipname: string | undefined;
}

/** Type 27: long-range broadcast. Coordinates and speeds at the type's coarser resolution. */
export interface AisLongRange extends AisHeader {
  readonly type: 27;
  readonly accuracy: boolean;
  readonly raim: boolean;
  readonly navStatus: number;
  /** Degrees (sent in 1/10 minute); absent for 181° / 91°. */
  readonly lon: number | undefined;
  readonly lat: number | undefined;
  /** Knots, 1 kn resolution; absent for 63. */
  readonly sogKn: number | undefined;
  /** Degrees, 1° resolution; absent for 511. */
  readonly cogDeg: number | undefined;
  /** The position-latency bit, named as gpsd names it (true: latency > 5 s / not current GNSS). */
  readonly gnss: boolean;
}

/** Types seagrid does not decode beyond the header. */
export type AisOtherType = 6 | 7 | 8 | 10 | 12 | 13 | 14 | 15 | 16 | 17 | 20 | 22 | 23 | 25 | 26;

export interface AisOther extends AisHeader {
  readonly type: AisOtherType;
}

export type AisMessage =
  | AisPositionA
  | AisBaseStation
  | AisStaticVoyage
  | AisSarAircraft
  | AisPositionB
  | AisPositionBExtended
  | AisAidToNavigation
  | AisStaticPartA
  | AisStaticPartB
  | AisStaticMerged
  | AisLongRange
  | AisOther;
