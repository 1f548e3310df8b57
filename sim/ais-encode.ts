import { SixbitWriter, type ArmouredPayload } from './sixbit-writer.js';

/**
 * AIS message encoders (ITU-R M.1371-5 bit layouts) for what the simulator transmits: types 1/3
 * (class A position), 18 (class B CS position), 5 (class A static and voyage) and 24 A/B (class
 * B static). Values left `undefined` go out as the standard's "not available" sentinels.
 */
export type { ArmouredPayload } from './sixbit-writer.js';

/** The raw field values of M.1371 for project units, with their "not available" sentinels. */
export const AIS_NA = { lat: 91, lon: 181, sog: 1023, cog: 3600, heading: 511, rot: -128, second: 60 } as const;

/** Degrees → 1/10000 minute. */
export function rawLatLon(deg: number | undefined, na: number): number {
  return Math.round((deg ?? na) * 600_000);
}

/** Knots → 1/10 kn; 102.2 kn and more is 1022. */
export function rawSog(kn: number | undefined): number {
  if (kn === undefined) return AIS_NA.sog;
  return Math.min(1022, Math.max(0, Math.round(kn * 10)));
}

/** Degrees → 1/10°, 0–3599. */
export function rawCog(deg: number | undefined): number {
  if (deg === undefined) return AIS_NA.cog;
  return Math.round(normDeg(deg) * 10) % 3600;
}

export function rawHeading(deg: number | undefined): number {
  if (deg === undefined) return AIS_NA.heading;
  return Math.round(normDeg(deg)) % 360;
}

/** °/min → ROT_AIS = 4.733·√|ROT| with its sign, rounded, at most ±126 (±127 means "no indicator"). */
export function rawRot(degPerMin: number | undefined): number {
  if (degPerMin === undefined) return AIS_NA.rot;
  const r = Math.min(126, Math.round(4.733 * Math.sqrt(Math.abs(degPerMin))));
  return degPerMin < 0 ? -r : r;
}

function normDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}

interface Header {
  readonly mmsi: number;
  /** Repeat indicator 0–3; 0 unless a repeater relayed it. */
  readonly repeat?: number;
}

interface Kinematics {
  readonly lat?: number;
  readonly lon?: number;
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly headingDeg?: number;
  /** UTC second of the fix; undefined → 60. */
  readonly second?: number;
  /** Position accuracy: true = better than 10 m. */
  readonly accuracy?: boolean;
  readonly raim?: boolean;
}

export interface PositionAFields extends Header, Kinematics {
  /** 1 = SOTDMA scheduled, 3 = ITDMA (sent when the reporting rate changes). */
  readonly type?: 1 | 2 | 3;
  /** 0 under way, 1 at anchor, 2 not under command, 5 moored, 7 engaged in fishing, 15 n/a. */
  readonly navStatus: number;
  /** °/min, positive to starboard; undefined when there is no turn indicator (-128). */
  readonly rotDegMin?: number;
  readonly maneuver?: number;
  /** 19-bit communication state. */
  readonly radio?: number;
}

/** Types 1, 2, 3 (168 bits). */
export function encodePositionA(f: PositionAFields): ArmouredPayload {
  return writer
    .reset()
    .u(f.type ?? 1, 6)
    .u(f.repeat ?? 0, 2)
    .u(f.mmsi, 30)
    .u(f.navStatus, 4)
    .s(rawRot(f.rotDegMin), 8)
    .u(rawSog(f.sogKn), 10)
    .flag(f.accuracy ?? false)
    .s(rawLatLon(f.lon, AIS_NA.lon), 28)
    .s(rawLatLon(f.lat, AIS_NA.lat), 27)
    .u(rawCog(f.cogDeg), 12)
    .u(rawHeading(f.headingDeg), 9)
    .u(f.second ?? AIS_NA.second, 6)
    .u(f.maneuver ?? 0, 2)
    .zero(3)
    .flag(f.raim ?? false)
    .u(f.radio ?? 0, 19)
    .armour();
}

export interface PositionBFields extends Header, Kinematics {
  /** Class B unit flags; a carrier-sense ("CS") unit by default. */
  readonly cs?: boolean;
  readonly display?: boolean;
  readonly dsc?: boolean;
  readonly band?: boolean;
  readonly msg22?: boolean;
  readonly assigned?: boolean;
  /** 20 bits: the selector flag and 19 bits of communication state. */
  readonly radio?: number;
}

/** CS units send a fixed ITDMA-form state; this is the value most of them put there. */
export const CS_RADIO_STATE = 0b1100000000000000110;

/** Type 18 (168 bits). */
export function encodePositionB(f: PositionBFields): ArmouredPayload {
  return writer
    .reset()
    .u(18, 6)
    .u(f.repeat ?? 0, 2)
    .u(f.mmsi, 30)
    .zero(8)
    .u(rawSog(f.sogKn), 10)
    .flag(f.accuracy ?? false)
    .s(rawLatLon(f.lon, AIS_NA.lon), 28)
    .s(rawLatLon(f.lat, AIS_NA.lat), 27)
    .u(rawCog(f.cogDeg), 12)
    .u(rawHeading(f.headingDeg), 9)
    .u(f.second ?? AIS_NA.second, 6)
    .zero(2)
    .flag(f.cs ?? true)
    .flag(f.display ?? false)
    .flag(f.dsc ?? true)
    .flag(f.band ?? true)
    .flag(f.msg22 ?? true)
    .flag(f.assigned ?? false)
    .flag(f.raim ?? false)
    .u(f.radio ?? CS_RADIO_STATE, 20)
    .armour();
}

/** Dimensions from the position reference point, metres; 0 = not available. */
export interface Dimensions {
  readonly toBowM: number;
  readonly toSternM: number;
  readonly toPortM: number;
  readonly toStarboardM: number;
}

export interface StaticVoyageFields extends Header, Partial<Dimensions> {
  /** 0 = ITU-R M.1371-1, 1 = -3, 2 = -5. */
  readonly aisVersion?: number;
  readonly imo?: number;
  readonly callsign?: string;
  readonly shipname?: string;
  readonly shipType?: number;
  /** Type of position fixing device: 1 GPS, 3 combined GPS/GLONASS, 15 internal GNSS. */
  readonly epfd?: number;
  readonly eta?: { readonly month: number; readonly day: number; readonly hour: number; readonly minute: number };
  readonly draughtM?: number;
  readonly destination?: string;
  /** Data terminal ready: false (0) = available. */
  readonly dteNotReady?: boolean;
}

/** Type 5 (424 bits: two sentences). */
export function encodeStaticVoyage(f: StaticVoyageFields): ArmouredPayload {
  return writer
    .reset()
    .u(5, 6)
    .u(f.repeat ?? 0, 2)
    .u(f.mmsi, 30)
    .u(f.aisVersion ?? 2, 2)
    .u(f.imo ?? 0, 30)
    .text(f.callsign ?? '', 7)
    .text(f.shipname ?? '', 20)
    .u(f.shipType ?? 0, 8)
    .u(dim(f.toBowM, 511), 9)
    .u(dim(f.toSternM, 511), 9)
    .u(dim(f.toPortM, 63), 6)
    .u(dim(f.toStarboardM, 63), 6)
    .u(f.epfd ?? 1, 4)
    .u(f.eta?.month ?? 0, 4)
    .u(f.eta?.day ?? 0, 5)
    .u(f.eta?.hour ?? 24, 5)
    .u(f.eta?.minute ?? 60, 6)
    .u(f.draughtM === undefined ? 0 : Math.min(255, Math.round(f.draughtM * 10)), 8)
    .text(f.destination ?? '', 20)
    .flag(f.dteNotReady ?? false)
    .zero(1)
    .armour();
}

/** Type 24 part A (160 bits): the name. */
export function encodeStaticPartA(f: Header & { readonly shipname?: string }): ArmouredPayload {
  return writer
    .reset()
    .u(24, 6)
    .u(f.repeat ?? 0, 2)
    .u(f.mmsi, 30)
    .u(0, 2)
    .text(f.shipname ?? '', 20)
    .armour();
}

export interface StaticPartBFields extends Header, Partial<Dimensions> {
  readonly shipType?: number;
  /** M.1371-4+ vendor id: 3-character manufacturer, 4-bit model, 20-bit serial. */
  readonly vendor?: string;
  readonly model?: number;
  readonly serial?: number;
  readonly callsign?: string;
  readonly epfd?: number;
}

/** Type 24 part B (168 bits): type, vendor, call sign, dimensions. */
export function encodeStaticPartB(f: StaticPartBFields): ArmouredPayload {
  return writer
    .reset()
    .u(24, 6)
    .u(f.repeat ?? 0, 2)
    .u(f.mmsi, 30)
    .u(1, 2)
    .u(f.shipType ?? 0, 8)
    .text(f.vendor ?? '', 3)
    .u(f.model ?? 0, 4)
    .u(f.serial ?? 0, 20)
    .text(f.callsign ?? '', 7)
    .u(dim(f.toBowM, 511), 9)
    .u(dim(f.toSternM, 511), 9)
    .u(dim(f.toPortM, 63), 6)
    .u(dim(f.toStarboardM, 63), 6)
    .u(f.epfd ?? 0, 4)
    .zero(2)
    .armour();
}

/** Metres, clamped to the field (511 / 63 mean "that much or more"). */
function dim(m: number | undefined, max: number): number {
  return m === undefined ? 0 : Math.min(max, Math.max(0, Math.round(m)));
}

const writer = new SixbitWriter();
