import { isAuxiliaryMmsi } from './messages/static-data.js';
import { fixedBytes, flagWords, int, jsonText, padded, put, viewOf, wordsOf, type ByteOut, type Words } from './json-bytes.js';
import type {
  AisAidToNavigation,
  AisBaseStation,
  AisLongRange,
  AisMessage,
  AisPositionA,
  AisPositionB,
  AisPositionBExtended,
  AisSarAircraft,
  AisStaticMerged,
  AisStaticPartA,
  AisStaticPartB,
  AisStaticVoyage,
} from './types.js';

export type { ByteOut } from './json-bytes.js';

/**
 * gpsd's AIS JSON, as `gpsdecode -j` prints it (`scaled: true`) or `gpsdecode -u -j` / the gpsd
 * daemon (`scaled: false`): same field names, order and number formats as gpsd's json_aivdm_dump
 * (the revision that produced gpsd's test/*.chk files), with gpsd's "not available" numbers put
 * back where our message has `undefined`. `"device":"stdin"` is always printed, as gpsdecode does.
 *
 * One implementation, written as bytes (`writeGpsdJson`): it runs once per decoded message in
 * `seagrid decode`, and bytes spare building, flattening and collecting a string per line.
 * `toGpsdJson` is the same bytes as a string.
 */
export function toGpsdJson(msg: AisMessage, opts: { readonly scaled: boolean }): string {
  const need = gpsdJsonMaxBytes(msg);
  if (scratch.buf.length < need) scratch.buf = Buffer.allocUnsafe(2 * need);
  scratch.pos = 0;
  writeGpsdJson(msg, opts.scaled, scratch);
  return scratch.buf.toString('latin1', 0, scratch.pos);
}

const scratch: ByteOut = { buf: Buffer.allocUnsafe(1 << 13), pos: 0 };

/**
 * The JSON object of `msg` (no line end) written at `out.pos`, which it advances. The caller keeps
 * `gpsdJsonMaxBytes(msg)` bytes free after `out.pos`.
 */
export function writeGpsdJson(msg: AisMessage, scaled: boolean, out: ByteOut): void {
  const b = out.buf;
  const v = viewOf(b);
  let p = put(v, out.pos, HEAD_W[msg.type * 4 + msg.repeat]!);
  p = int(b, p, msg.mmsi);
  out.pos = BODIES[msg.type * 2 + (scaled ? 1 : 0)]!(msg, scaled, b, v, p);
}

/**
 * Room `writeGpsdJson` needs for `msg`, the 3 bytes a constant may spill over included: a fixed
 * bound for the keys, legends and numbers of any type (under 500 bytes with every number at its
 * widest; a test holds the bound), plus each text char twice (escaped).
 */
export function gpsdJsonMaxBytes(msg: AisMessage): number {
  return MAX_FIXED_BYTES + 2 * textChars(msg);
}

const MAX_FIXED_BYTES = 1024;

function textChars(m: AisMessage): number {
  switch (m.type) {
    case 5:
      return len(m.callsign) + len(m.shipname) + len(m.destination);
    case 19:
      return len(m.shipname);
    case 21:
      return len(m.name);
    case 24:
      if (m.partno === 0) return len(m.shipname);
      return len(m.vendorId) + len(m.callsign) + (m.partno === 'AB' ? len(m.shipname) : 0);
    default:
      return 0;
  }
}

function len(s: string | undefined): number {
  return s === undefined ? 0 : s.length;
}

// ---- gpsd's legends ------------------------------------------------------------------------------

const NAV_STATUS: readonly string[] = [
  'Under way using engine',
  'At anchor',
  'Not under command',
  'Restricted maneuverability',
  'Constrained by her draught',
  'Moored',
  'Aground',
  'Engaged in fishing',
  'Under way sailing',
  'Reserved for HSC',
  'Reserved for WIG',
  'Power-driven vessel towing astern',
  'Power-driven vessel pushing ahead or towing alongside',
  'Reserved',
  'AIS-SART is active',
  'Not defined',
];

const EPFD: readonly string[] = [
  'Undefined',
  'GPS',
  'GLONASS',
  'Combined GPS/GLONASS',
  'Loran-C',
  'Chayka',
  'Integrated navigation system',
  'Surveyed',
  'Galileo',
  ...[9, 10, 11, 12, 13, 14].map((n) => `Reserved (${n})`),
  'Internal GNSS',
];

/** The ten-code groups whose members are "<group> - <kind>". */
function groupLegends(group: string, last: string): string[] {
  const kinds = ['all ships of this type', 'Hazardous category A', 'Hazardous category B', 'Hazardous category C'];
  kinds.push('Hazardous category D', ...Array<string>(4).fill('Reserved for future use'), last);
  return kinds.map((k) => `${group} - ${k}`);
}

const SHIP_TYPE: readonly string[] = [
  'Not available',
  ...Array<string>(19).fill('Reserved for future use'),
  ...groupLegends('Wing in ground (WIG)', 'Reserved for future use'),
  'Fishing',
  'Towing',
  'Towing: length exceeds 200m or breadth exceeds 25m',
  'Dredging or underwater ops',
  'Diving ops',
  'Military ops',
  'Sailing',
  'Pleasure Craft',
  'Reserved',
  'Reserved',
  ...groupLegends('High speed craft (HSC)', 'No additional information'),
  'Pilot Vessel',
  'Search and Rescue vessel',
  'Tug',
  'Port Tender',
  'Anti-pollution equipment',
  'Law Enforcement',
  'Spare - Local Vessel',
  'Spare - Local Vessel',
  'Medical Transport',
  'Ship according to RR Resolution No. 18',
  ...groupLegends('Passenger', 'No additional information'),
  ...groupLegends('Cargo', 'No additional information'),
  ...groupLegends('Tanker', 'No additional information'),
  ...groupLegends('Other Type', 'no additional information'),
];

function shipTypeText(n: number): string {
  return SHIP_TYPE[n] ?? 'INVALID SHIP TYPE';
}

const AID_TYPE: readonly string[] = [
  'Unspecified',
  'Reference point',
  'RACON',
  'Fixed offshore structure',
  'Spare, Reserved for future use.',
  'Light, without sectors',
  'Light, with sectors',
  'Leading Light Front',
  'Leading Light Rear',
  'Beacon, Cardinal N',
  'Beacon, Cardinal E',
  'Beacon, Cardinal S',
  'Beacon, Cardinal W',
  'Beacon, Port hand',
  'Beacon, Starboard hand',
  'Beacon, Preferred Channel port hand',
  'Beacon, Preferred Channel starboard hand',
  'Beacon, Isolated danger',
  'Beacon, Safe water',
  'Beacon, Special mark',
  'Cardinal Mark N',
  'Cardinal Mark E',
  'Cardinal Mark S',
  'Cardinal Mark W',
  'Port hand Mark',
  'Starboard hand Mark',
  'Preferred Channel Port hand',
  'Preferred Channel Starboard hand',
  'Isolated danger',
  'Safe Water',
  'Special Mark',
  'Light Vessel / LANBY / Rigs',
];

/** The `,"status":n,"status_text":"…"` pairs, ready-made. */
const STATUS_JSON: readonly string[] = NAV_STATUS.map((t, n) => `,"status":${n},"status_text":"${t}"`);
const EPFD_W: readonly Words[] = EPFD.map((t, n) => wordsOf(`,"epfd":${n},"epfd_text":"${t}"`));
/** Ship and cargo type: every 8-bit code, the legend's "INVALID SHIP TYPE" past its end included. */
const SHIP_TYPE_W: readonly Words[] = Array.from({ length: 256 }, (_, n) =>
  wordsOf(`,"shiptype":${n},"shiptype_text":"${shipTypeText(n)}"`),
);

/** Exposed for tests: the legend tables must have one entry per code. */
export const LEGEND_SIZES = { navStatus: NAV_STATUS.length, epfd: EPFD.length, shipType: SHIP_TYPE.length, aidType: AID_TYPE.length };

// ---- number formats ----------------------------------------------------------------------------
//
// printf's %.Nf is done here in integers rather than with toFixed (which dominated the cost).
// The values are k/600000 or k/600 degrees and k/10 units: at 7 (or 4) decimals their exact
// expansions end in .0, .333… or .666… of the last unit, never on a tie, so rounding the exact
// rational gives the digits printf prints for the double.

/** 1/10000 minute per degree. */
const DIV = 600_000;

/** Back to the transmitted integer: v = raw/600000 is within far less than 0.5 of it. */
function lonRaw(v: number | undefined): number {
  return Math.round((v ?? 181) * DIV);
}

function latRaw(v: number | undefined): number {
  return Math.round((v ?? 91) * DIV);
}

/** gpsd `%.7f` of raw/600000. */
function degrees7(b: Buffer, p: number, raw: number): number {
  return fixedBytes(b, p, Math.round((raw * 50) / 3), 7, 10_000_000);
}

/** Type 27 (1/10 minute): gpsd `%.4f` of raw/600 when scaled, else raw. */
function tenthMinutes(b: Buffer, p: number, deg: number, scaled: boolean): number {
  const raw = Math.round(deg * 600);
  return scaled ? fixedBytes(b, p, Math.round((raw * 50) / 3), 4, 10_000) : int(b, p, raw);
}

/** `%.1f` of a value sent in tenths. */
function tenths(b: Buffer, p: number, v: number): number {
  return fixedBytes(b, p, Math.round(v * 10), 1, 10);
}

/** Course over ground: `%.1f` degrees when scaled, else tenths; 360 when not available. */
function course(b: Buffer, p: number, v: number | undefined, scaled: boolean): number {
  const n = Math.round((v ?? 360) * 10);
  return scaled ? fixedBytes(b, p, n, 1, 10) : int(b, p, n);
}

function cogRaw(v: number | undefined): number {
  return Math.round((v ?? 360) * 10);
}

function sogRaw(v: number | undefined): number {
  return v === undefined ? 1023 : Math.round(v * 10);
}

/** gpsd's quoted `"%.2f"` of sign·(raw/4.733)², for every raw byte that has a rate. */
const TURN_TEXT: readonly string[] = Array.from({ length: 253 }, (_, k) => {
  const raw = k - 126;
  const r = (raw / 4.733) * (raw / 4.733);
  return `"${(raw < 0 ? -r : r).toFixed(2)}"`;
});

/** The transmitted ROT byte: rot = sign·(raw/4.733)², so raw = sign·4.733·√|rot|, an integer. */
function turnRaw(m: AisPositionA): number {
  if (m.turnFast === 'left') return -127;
  if (m.turnFast === 'right') return 127;
  const rot = m.rotDegMin;
  if (rot === undefined) return -128;
  const raw = Math.round(4.733 * Math.sqrt(Math.abs(rot)));
  return rot < 0 ? -raw : raw;
}

// ---- the types, field by field in gpsd's order ------------------------------------------------------
//
// Constants are merged with their neighbours where that saves a store: a key with the booleans or
// legend codes around it (`flagWords`, the tables), `,"scaled":…` with the first key of its type.

const QUOTE = 34;
const DASH = 45;
const COLON = 58;
const T = 84;
const BRACE = 125;

/** `{"class":"AIS",…,"type":t,"repeat":r,"mmsi":` for every type (0–63) and repeat (0–3). */
const HEAD_W: readonly Words[] = Array.from({ length: 256 }, (_, k) =>
  wordsOf(`{"class":"AIS","device":"stdin","type":${k >> 2},"repeat":${k & 3},"mmsi":`),
);

/** `,"scaled":false` + `rest`, `,"scaled":true` + `rest`: index by `scaled ? 1 : 0`. */
function scaledWords(rest: string): readonly [Words, Words] {
  return [wordsOf(`,"scaled":false${rest}`), wordsOf(`,"scaled":true${rest}`)];
}

const HEADER_ONLY_W = scaledWords('}');
const SPEED_W = wordsOf(',"speed":');
const ACCURACY_LON_W = flagWords(',"accuracy":', ',"lon":');
const LAT_W = wordsOf(',"lat":');
const COURSE_W = wordsOf(',"course":');
const HEADING_W = wordsOf(',"heading":');
const SECOND_W = wordsOf(',"second":');
const REGIONAL_W = wordsOf(',"regional":');
const RAIM_RADIO_W = flagWords(',"raim":', ',"radio":');
const CALLSIGN_W = wordsOf(',"callsign":"');
const SHIPNAME_W = wordsOf(',"shipname":"');

// Types 1–3: class A position report. 80 % of a real feed, so scaled and unscaled apart.

const STATUS_TURN_W = [false, true].map((s) => STATUS_JSON.map((t) => wordsOf(`,"scaled":${s}${t},"turn":`)));
/** The scaled turn's text and the key after it, for every ROT byte that has a rate. */
const TURN_W = TURN_TEXT.map((t) => wordsOf(`${t},"speed":`));
const TURN_FASTLEFT_W = wordsOf('"fastleft","speed":');
const TURN_FASTRIGHT_W = wordsOf('"fastright","speed":');
const TURN_NA_W = wordsOf('"n/a","speed":');
const NA_W = wordsOf('"n/a"');
const FAST_W = wordsOf('"fast"');
const MANEUVER_W = wordsOf(',"maneuver":');

function positionAScaled(m: AisPositionA, _scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, code(STATUS_TURN_W[1]!, m.navStatus));
  const fast = m.turnFast;
  p = put(v, p, fast === 'left' ? TURN_FASTLEFT_W : fast === 'right' ? TURN_FASTRIGHT_W : m.rotDegMin === undefined ? TURN_NA_W : TURN_W[turnRaw(m) + 126]!);
  // "n/a" for not available, "fast" for 102.2 kn or more, else %.1f.
  const sog = m.sogKn;
  if (sog === undefined) p = put(v, p, NA_W);
  else if (sog === 102.2) p = put(v, p, FAST_W);
  else p = tenths(b, p, sog);
  p = put(v, p, ACCURACY_LON_W[m.accuracy ? 1 : 0]);
  p = degrees7(b, p, lonRaw(m.lon));
  p = put(v, p, LAT_W);
  p = degrees7(b, p, latRaw(m.lat));
  p = put(v, p, COURSE_W);
  p = tenths(b, p, m.cogDeg ?? 360);
  return positionATail(m, b, v, p);
}

function positionAUnscaled(m: AisPositionA, _scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, code(STATUS_TURN_W[0]!, m.navStatus));
  p = int(b, p, turnRaw(m));
  p = put(v, p, SPEED_W);
  p = int(b, p, sogRaw(m.sogKn));
  p = put(v, p, ACCURACY_LON_W[m.accuracy ? 1 : 0]);
  p = int(b, p, lonRaw(m.lon));
  p = put(v, p, LAT_W);
  p = int(b, p, latRaw(m.lat));
  p = put(v, p, COURSE_W);
  p = int(b, p, cogRaw(m.cogDeg));
  return positionATail(m, b, v, p);
}

/** From "heading" to the end: the same scaled and unscaled. */
function positionATail(m: AisPositionA, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, HEADING_W);
  p = int(b, p, m.headingDeg ?? 511);
  p = put(v, p, SECOND_W);
  p = int(b, p, m.second ?? 60);
  p = put(v, p, MANEUVER_W);
  p = int(b, p, m.maneuver);
  p = put(v, p, RAIM_RADIO_W[m.raim ? 1 : 0]);
  p = int(b, p, m.radio);
  b[p] = BRACE;
  return p + 1;
}

// Types 4 and 11: base station report, UTC/date response.

const TIMESTAMP_W = scaledWords(',"timestamp":"');
const Z_ACCURACY_LON_W = flagWords('Z","accuracy":', ',"lon":');

function baseStation(m: AisBaseStation, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, TIMESTAMP_W[scaled ? 1 : 0]);
  // gpsd prints the year with %04u, so out-of-band years (10196) keep all their digits.
  p = padded(b, p, m.year ?? 0, 4);
  b[p++] = DASH;
  p = padded(b, p, m.month ?? 0, 2);
  b[p++] = DASH;
  p = padded(b, p, m.day ?? 0, 2);
  b[p++] = T;
  p = padded(b, p, m.hour ?? 24, 2);
  b[p++] = COLON;
  p = padded(b, p, m.minute ?? 60, 2);
  b[p++] = COLON;
  p = padded(b, p, m.second ?? 60, 2);
  p = put(v, p, Z_ACCURACY_LON_W[m.accuracy ? 1 : 0]);
  p = position(b, v, p, m.lon, m.lat, scaled);
  p = put(v, p, code(EPFD_W, m.epfd));
  p = put(v, p, RAIM_RADIO_W[m.raim ? 1 : 0]);
  p = int(b, p, m.radio);
  b[p] = BRACE;
  return p + 1;
}

// Type 5: static and voyage related data.

const IMO_W = scaledWords(',"imo":');
const AIS_VERSION_W = wordsOf(',"ais_version":');
const QUOTE_SHIPNAME_W = wordsOf('","shipname":"');
const ETA_W = wordsOf(',"eta":"');
const Z_DRAUGHT_W = wordsOf('Z","draught":');
const DESTINATION_W = wordsOf(',"destination":"');
const QUOTE_DTE_W = wordsOf('","dte":');

function staticVoyage(m: AisStaticVoyage, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, IMO_W[scaled ? 1 : 0]);
  p = int(b, p, m.imo ?? 0);
  p = put(v, p, AIS_VERSION_W);
  p = int(b, p, m.aisVersion);
  p = put(v, p, CALLSIGN_W);
  p = jsonText(b, p, m.callsign);
  p = put(v, p, QUOTE_SHIPNAME_W);
  p = jsonText(b, p, m.shipname);
  b[p++] = QUOTE;
  p = put(v, p, code(SHIP_TYPE_W, m.shipType ?? 0));
  p = dimensions(b, v, p, m.toBowM, m.toSternM, m.toPortM, m.toStarboardM);
  p = put(v, p, code(EPFD_W, m.epfd));
  p = put(v, p, ETA_W);
  p = padded(b, p, m.etaMonth ?? 0, 2);
  b[p++] = DASH;
  p = padded(b, p, m.etaDay ?? 0, 2);
  b[p++] = T;
  p = padded(b, p, m.etaHour ?? 24, 2);
  b[p++] = COLON;
  p = padded(b, p, m.etaMinute ?? 60, 2);
  p = put(v, p, Z_DRAUGHT_W);
  const draught = m.draughtM ?? 0;
  p = scaled ? tenths(b, p, draught) : int(b, p, Math.round(draught * 10));
  p = put(v, p, DESTINATION_W);
  p = jsonText(b, p, m.destination);
  p = put(v, p, QUOTE_DTE_W);
  p = int(b, p, m.dte ?? 0);
  b[p] = BRACE;
  return p + 1;
}

// Type 9: SAR aircraft position report.

const ALT_W = scaledWords(',"alt":');
const NAN_W = wordsOf('"nan"');
const HIGH_W = wordsOf('"high"');
const DTE_W = wordsOf(',"dte":');

function sarAircraft(m: AisSarAircraft, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, ALT_W[scaled ? 1 : 0]);
  const alt = m.altitudeM;
  const sog = m.sogKn;
  if (scaled) {
    // gpsd's scaled SAR output names the special values instead of printing numbers.
    p = alt === undefined ? put(v, p, NAN_W) : alt === 4094 ? put(v, p, HIGH_W) : int(b, p, alt);
    p = put(v, p, SPEED_W);
    p = sog === undefined ? put(v, p, NAN_W) : sog === 1022 ? put(v, p, FAST_W) : int(b, p, sog);
  } else {
    p = int(b, p, alt ?? 4095);
    p = put(v, p, SPEED_W);
    p = int(b, p, sog ?? 1023);
  }
  p = put(v, p, ACCURACY_LON_W[m.accuracy ? 1 : 0]);
  p = position(b, v, p, m.lon, m.lat, scaled);
  p = put(v, p, COURSE_W);
  p = course(b, p, m.cogDeg, scaled);
  p = put(v, p, SECOND_W);
  p = int(b, p, m.second ?? 60);
  p = put(v, p, REGIONAL_W);
  p = int(b, p, m.regional);
  p = put(v, p, DTE_W);
  p = int(b, p, m.dte);
  p = put(v, p, RAIM_RADIO_W[m.raim ? 1 : 0]);
  p = int(b, p, m.radio);
  b[p] = BRACE;
  return p + 1;
}

// Types 18 and 19: class B position reports.

const RESERVED_W = scaledWords(',"reserved":');

/** The fields types 18 and 19 print alike, from "reserved" to "regional". */
function classBPosition(m: AisPositionB | AisPositionBExtended, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, RESERVED_W[scaled ? 1 : 0]);
  p = int(b, p, m.reserved);
  p = put(v, p, SPEED_W);
  p = scaled ? tenths(b, p, m.sogKn ?? 102.3) : int(b, p, sogRaw(m.sogKn));
  p = put(v, p, ACCURACY_LON_W[m.accuracy ? 1 : 0]);
  p = position(b, v, p, m.lon, m.lat, scaled);
  p = put(v, p, COURSE_W);
  p = course(b, p, m.cogDeg, scaled);
  p = put(v, p, HEADING_W);
  p = int(b, p, m.headingDeg ?? 511);
  p = put(v, p, SECOND_W);
  p = int(b, p, m.second ?? 60);
  p = put(v, p, REGIONAL_W);
  return int(b, p, m.regional);
}

/** The six class B flags through the key of "radio", for every combination (bit 0: cs … bit 5: raim). */
const CLASS_B_FLAGS_W: readonly Words[] = Array.from({ length: 64 }, (_, k) => {
  const f = (bit: number): boolean => (k & (1 << bit)) !== 0;
  return wordsOf(`,"cs":${f(0)},"display":${f(1)},"dsc":${f(2)},"band":${f(3)},"msg22":${f(4)},"raim":${f(5)},"radio":`);
});

function positionB(m: AisPositionB, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = classBPosition(m, scaled, b, v, p);
  const flags = (m.cs ? 1 : 0) | (m.display ? 2 : 0) | (m.dsc ? 4 : 0) | (m.band ? 8 : 0) | (m.msg22 ? 16 : 0) | (m.raim ? 32 : 0);
  p = put(v, p, CLASS_B_FLAGS_W[flags]!);
  p = int(b, p, m.radio);
  b[p] = BRACE;
  return p + 1;
}

const RAIM_DTE_W = flagWords(',"raim":', ',"dte":');
const ASSIGNED_END_W = flagWords(',"assigned":', '}');

function positionBExtended(m: AisPositionBExtended, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = classBPosition(m, scaled, b, v, p);
  p = put(v, p, SHIPNAME_W);
  p = jsonText(b, p, m.shipname);
  b[p++] = QUOTE;
  p = put(v, p, code(SHIP_TYPE_W, m.shipType ?? 0));
  p = dimensions(b, v, p, m.toBowM, m.toSternM, m.toPortM, m.toStarboardM);
  p = put(v, p, code(EPFD_W, m.epfd));
  p = put(v, p, RAIM_DTE_W[m.raim ? 1 : 0]);
  p = int(b, p, m.dte);
  return put(v, p, ASSIGNED_END_W[m.assigned ? 1 : 0]);
}

// Type 21: aid-to-navigation report.

/** Everything from "scaled" to the opening quote of the name, by aid type. */
const AID_TYPE_W = [false, true].map((s) =>
  AID_TYPE.map((t, n) => wordsOf(`,"scaled":${s},"aid_type":${n},"aid_type_text":"${t}","name":"`)),
);
const QUOTE_LON_W = wordsOf('","lon":');
const ACCURACY_W = flagWords(',"accuracy":', '');
const QUOTE_ACCURACY_LON_W = flagWords('","accuracy":', ',"lon":');
/** off_position, raim, virtual_aid and the end, for every combination (bits 0, 1, 2). */
const AID_FLAGS_W: readonly Words[] = Array.from({ length: 8 }, (_, k) =>
  wordsOf(`,"off_position":${(k & 1) !== 0},"raim":${(k & 2) !== 0},"virtual_aid":${(k & 4) !== 0}}`),
);

function aidToNavigation(m: AisAidToNavigation, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  p = put(v, p, code(AID_TYPE_W[scaled ? 1 : 0]!, m.aidType));
  p = jsonText(b, p, m.name);
  // gpsd prints accuracy after the position when scaled and before it when not.
  if (scaled) {
    p = put(v, p, QUOTE_LON_W);
    p = position(b, v, p, m.lon, m.lat, true);
    p = put(v, p, ACCURACY_W[m.accuracy ? 1 : 0]);
  } else {
    p = put(v, p, QUOTE_ACCURACY_LON_W[m.accuracy ? 1 : 0]);
    p = position(b, v, p, m.lon, m.lat, false);
  }
  p = dimensions(b, v, p, m.toBowM, m.toSternM, m.toPortM, m.toStarboardM);
  p = put(v, p, code(EPFD_W, m.epfd));
  p = put(v, p, SECOND_W);
  p = int(b, p, m.second ?? 60);
  p = put(v, p, REGIONAL_W);
  p = int(b, p, m.regional);
  return put(v, p, AID_FLAGS_W[(m.offPosition ? 1 : 0) | (m.raim ? 2 : 0) | (m.virtualAid ? 4 : 0)]!);
}

// Type 24: static data, part A alone (a held A is not printed by GpsdWriter), part B alone, or merged.

const PART_A_W = scaledWords(',"part":"A","shipname":"');
const PART_B_W = scaledWords(',"part":"B"');
const MERGED_W = scaledWords(',"shipname":"');
const QUOTE_END_W = wordsOf('"}');
const VENDORID_W = wordsOf(',"vendorid":"');
const QUOTE_MODEL_W = wordsOf('","model":');
const SERIAL_W = wordsOf(',"serial":');
const MOTHERSHIP_W = wordsOf(',"mothership_mmsi":');

function staticData(m: AisStaticPartA | AisStaticPartB | AisStaticMerged, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  const s = scaled ? 1 : 0;
  if (m.partno === 0) {
    p = put(v, p, PART_A_W[s]);
    p = jsonText(b, p, m.shipname);
    return put(v, p, QUOTE_END_W);
  }
  if (m.partno === 'AB') {
    p = put(v, p, MERGED_W[s]);
    p = jsonText(b, p, m.shipname);
    b[p++] = QUOTE;
  } else {
    p = put(v, p, PART_B_W[s]);
  }
  p = put(v, p, code(SHIP_TYPE_W, m.shipType ?? 0));
  p = put(v, p, VENDORID_W);
  p = jsonText(b, p, m.vendorId);
  p = put(v, p, QUOTE_MODEL_W);
  p = int(b, p, m.model);
  p = put(v, p, SERIAL_W);
  p = int(b, p, m.serial);
  p = put(v, p, CALLSIGN_W);
  p = jsonText(b, p, m.callsign);
  b[p++] = QUOTE;
  if (isAuxiliaryMmsi(m.mmsi)) {
    p = put(v, p, MOTHERSHIP_W);
    p = int(b, p, m.mothershipMmsi ?? 0);
  } else {
    p = dimensions(b, v, p, m.toBowM ?? 0, m.toSternM ?? 0, m.toPortM ?? 0, m.toStarboardM ?? 0);
  }
  b[p] = BRACE;
  return p + 1;
}

// Type 27: long-range broadcast.

const STATUS_SCALED_W = STATUS_JSON.map((t) => wordsOf(`,"scaled":true${t}`));
/** Unscaled type 27 has no status_text in gpsd's output. */
const STATUS_UNSCALED_W = wordsOf(',"scaled":false,"status":');
/** raim, gnss and the end, for every combination (bits 0, 1). */
const LONG_RANGE_FLAGS_W: readonly Words[] = Array.from({ length: 4 }, (_, k) =>
  wordsOf(`,"raim":${(k & 1) !== 0},"gnss":${(k & 2) !== 0}}`),
);

function longRange(m: AisLongRange, scaled: boolean, b: Buffer, v: DataView, p: number): number {
  if (scaled) {
    p = put(v, p, code(STATUS_SCALED_W, m.navStatus));
  } else {
    p = put(v, p, STATUS_UNSCALED_W);
    p = int(b, p, m.navStatus);
  }
  p = put(v, p, ACCURACY_LON_W[m.accuracy ? 1 : 0]);
  p = tenthMinutes(b, p, m.lon ?? 181, scaled);
  p = put(v, p, LAT_W);
  p = tenthMinutes(b, p, m.lat ?? 91, scaled);
  p = put(v, p, SPEED_W);
  p = int(b, p, m.sogKn ?? 63);
  p = put(v, p, COURSE_W);
  p = int(b, p, m.cogDeg ?? 511);
  return put(v, p, LONG_RANGE_FLAGS_W[(m.raim ? 1 : 0) | (m.gnss ? 2 : 0)]!);
}

// Shared pieces.

const TO_BOW_W = wordsOf(',"to_bow":');
const TO_STERN_W = wordsOf(',"to_stern":');
const TO_PORT_W = wordsOf(',"to_port":');
const TO_STARBOARD_W = wordsOf(',"to_starboard":');

function dimensions(b: Buffer, v: DataView, p: number, bow: number, stern: number, port: number, starboard: number): number {
  p = put(v, p, TO_BOW_W);
  p = int(b, p, bow);
  p = put(v, p, TO_STERN_W);
  p = int(b, p, stern);
  p = put(v, p, TO_PORT_W);
  p = int(b, p, port);
  p = put(v, p, TO_STARBOARD_W);
  return int(b, p, starboard);
}

/** `lon`, the `,"lat":` key and `lat`: gpsd's %.7f degrees when scaled, else the 1/10000-minute integers. */
function position(b: Buffer, v: DataView, p: number, lon: number | undefined, lat: number | undefined, scaled: boolean): number {
  if (!scaled) {
    p = int(b, p, lonRaw(lon));
    p = put(v, p, LAT_W);
    return int(b, p, latRaw(lat));
  }
  p = degrees7(b, p, lonRaw(lon));
  p = put(v, p, LAT_W);
  return degrees7(b, p, latRaw(lat));
}

/** A code's entry in a legend table; the decoder's bit widths keep codes inside their tables. */
function code(table: readonly Words[], n: number): Words {
  const w = table[n];
  if (w === undefined) throw new RangeError(`code ${n} is outside its legend table`);
  return w;
}

// ---- dispatch ------------------------------------------------------------------------------------

/** Writes the fields after the MMSI and the closing brace; returns the position after them. */
type BodyWriter = (m: AisMessage, scaled: boolean, b: Buffer, v: DataView, p: number) => number;

function headerOnly(_m: AisMessage, scaled: boolean, _b: Buffer, v: DataView, p: number): number {
  return put(v, p, HEADER_ONLY_W[scaled ? 1 : 0]);
}

/**
 * The body writer of each type, by `type * 2 + (scaled ? 1 : 0)`. A table rather than a switch, so
 * each writer is optimised once on its own instead of being inlined and compiled again into its
 * callers: with a switch, `seagrid decode` of the AISHub capture ran ~7 % more instructions
 * (callgrind), most of them in TurboFan.
 */
const BODIES: readonly BodyWriter[] = (() => {
  const t: BodyWriter[] = Array.from({ length: 128 }, () => headerOnly);
  const set = (types: readonly number[], scaled: BodyWriter, unscaled: BodyWriter): void => {
    for (const type of types) {
      t[type * 2] = unscaled;
      t[type * 2 + 1] = scaled;
    }
  };
  // Each writer takes the message type its entries are keyed by.
  set([1, 2, 3], positionAScaled as BodyWriter, positionAUnscaled as BodyWriter);
  set([4, 11], baseStation as BodyWriter, baseStation as BodyWriter);
  set([5], staticVoyage as BodyWriter, staticVoyage as BodyWriter);
  set([9], sarAircraft as BodyWriter, sarAircraft as BodyWriter);
  set([18], positionB as BodyWriter, positionB as BodyWriter);
  set([19], positionBExtended as BodyWriter, positionBExtended as BodyWriter);
  set([21], aidToNavigation as BodyWriter, aidToNavigation as BodyWriter);
  set([24], staticData as BodyWriter, staticData as BodyWriter);
  set([27], longRange as BodyWriter, longRange as BodyWriter);
  return t;
})();
