import { isAuxiliaryMmsi } from './messages/static-data.js';
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

/**
 * One gpsd AIS JSON object (no line end), as `gpsdecode -j` prints it (`scaled: true`) or
 * `gpsdecode -u -j` / the gpsd daemon (`scaled: false`): same field names, order and number
 * formats as gpsd's json_aivdm_dump (the revision that produced gpsd's test/*.chk files), with
 * gpsd's "not available" numbers put back where our message has `undefined`.
 * `"device":"stdin"` is always printed, as gpsdecode does.
 *
 * Built by string concatenation: this runs once per decoded message in `seagrid decode`.
 */
export function toGpsdJson(msg: AisMessage, opts: { readonly scaled: boolean }): string {
  const scaled = opts.scaled;
  const head = HEAD[msg.type * 4 + msg.repeat]! + msg.mmsi + (scaled ? ',"scaled":true' : ',"scaled":false');
  switch (msg.type) {
    case 1:
    case 2:
    case 3:
      return head + positionA(msg, scaled);
    case 4:
    case 11:
      return head + baseStation(msg, scaled);
    case 5:
      return head + staticVoyage(msg, scaled);
    case 9:
      return head + sarAircraft(msg, scaled);
    case 18:
      return head + positionB(msg, scaled);
    case 19:
      return head + positionBExtended(msg, scaled);
    case 21:
      return head + aidToNavigation(msg, scaled);
    case 24:
      return head + staticData(msg);
    case 27:
      return head + longRange(msg, scaled);
    default:
      return `${head}}`;
  }
}

/** `{"class":"AIS",…,"type":t,"repeat":r,"mmsi":` for every type (0–63) and repeat (0–3). */
const HEAD: readonly string[] = Array.from(
  { length: 256 },
  (_, k) => `{"class":"AIS","device":"stdin","type":${k >> 2},"repeat":${k & 3},"mmsi":`,
);

function positionA(m: AisPositionA, scaled: boolean): string {
  const status = STATUS_JSON[m.navStatus]!;
  const tail = `,"heading":${m.headingDeg ?? 511},"second":${m.second ?? 60},"maneuver":${m.maneuver},"raim":${m.raim},"radio":${m.radio}}`;
  if (scaled) {
    return (
      `${status},"turn":${turnScaled(m)},"speed":${speedScaledA(m.sogKn)},"accuracy":${m.accuracy}` +
      `,"lon":${lonScaled(m.lon)},"lat":${latScaled(m.lat)},"course":${cogScaled(m.cogDeg)}${tail}`
    );
  }
  return (
    `${status},"turn":${turnRaw(m)},"speed":${sogRaw(m.sogKn)},"accuracy":${m.accuracy}` +
    `,"lon":${lonRaw(m.lon)},"lat":${latRaw(m.lat)},"course":${cogRaw(m.cogDeg)}${tail}`
  );
}

function baseStation(m: AisBaseStation, scaled: boolean): string {
  // gpsd prints the year with %04u, so out-of-band years (10196) keep all their digits.
  const timestamp =
    `${pad(m.year ?? 0, 4)}-${pad(m.month ?? 0, 2)}-${pad(m.day ?? 0, 2)}` +
    `T${pad(m.hour ?? 24, 2)}:${pad(m.minute ?? 60, 2)}:${pad(m.second ?? 60, 2)}Z`;
  return (
    `,"timestamp":"${timestamp}","accuracy":${m.accuracy},"lon":${lon(m.lon, scaled)},"lat":${lat(m.lat, scaled)}` +
    `${EPFD_JSON[m.epfd]!},"raim":${m.raim},"radio":${m.radio}}`
  );
}

function staticVoyage(m: AisStaticVoyage, scaled: boolean): string {
  const shipType = m.shipType ?? 0;
  const draught = m.draughtM ?? 0;
  return (
    `,"imo":${m.imo ?? 0},"ais_version":${m.aisVersion},"callsign":"${jsonText(m.callsign)}"` +
    `,"shipname":"${jsonText(m.shipname)}","shiptype":${shipType},"shiptype_text":"${shipTypeText(shipType)}"` +
    dimensions(m.toBowM, m.toSternM, m.toPortM, m.toStarboardM) +
    EPFD_JSON[m.epfd]! +
    `,"eta":"${pad(m.etaMonth ?? 0, 2)}-${pad(m.etaDay ?? 0, 2)}T${pad(m.etaHour ?? 24, 2)}:${pad(m.etaMinute ?? 60, 2)}Z"` +
    `,"draught":${scaled ? tenths(draught) : Math.round(draught * 10)}` +
    `,"destination":"${jsonText(m.destination)}","dte":${m.dte ?? 0}}`
  );
}

function sarAircraft(m: AisSarAircraft, scaled: boolean): string {
  let alt: string;
  let speed: string;
  if (scaled) {
    // gpsd's scaled SAR output names the special values instead of printing numbers.
    alt = m.altitudeM === undefined ? '"nan"' : m.altitudeM === 4094 ? '"high"' : String(m.altitudeM);
    speed = m.sogKn === undefined ? '"nan"' : m.sogKn === 1022 ? '"fast"' : String(m.sogKn);
  } else {
    alt = String(m.altitudeM ?? 4095);
    speed = String(m.sogKn ?? 1023);
  }
  return (
    `,"alt":${alt},"speed":${speed},"accuracy":${m.accuracy},"lon":${lon(m.lon, scaled)},"lat":${lat(m.lat, scaled)}` +
    `,"course":${scaled ? cogScaled(m.cogDeg) : cogRaw(m.cogDeg)},"second":${m.second ?? 60}` +
    `,"regional":${m.regional},"dte":${m.dte},"raim":${m.raim},"radio":${m.radio}}`
  );
}

/** The fields types 18 and 19 print alike, from "reserved" to "regional". */
function classBPosition(m: AisPositionB | AisPositionBExtended, scaled: boolean): string {
  const speed = scaled ? tenths(m.sogKn ?? 102.3) : sogRaw(m.sogKn);
  return (
    `,"reserved":${m.reserved},"speed":${speed},"accuracy":${m.accuracy}` +
    `,"lon":${lon(m.lon, scaled)},"lat":${lat(m.lat, scaled)},"course":${scaled ? cogScaled(m.cogDeg) : cogRaw(m.cogDeg)}` +
    `,"heading":${m.headingDeg ?? 511},"second":${m.second ?? 60},"regional":${m.regional}`
  );
}

function positionB(m: AisPositionB, scaled: boolean): string {
  return (
    classBPosition(m, scaled) +
    `,"cs":${m.cs},"display":${m.display},"dsc":${m.dsc},"band":${m.band},"msg22":${m.msg22}` +
    `,"raim":${m.raim},"radio":${m.radio}}`
  );
}

function positionBExtended(m: AisPositionBExtended, scaled: boolean): string {
  const shipType = m.shipType ?? 0;
  return (
    classBPosition(m, scaled) +
    `,"shipname":"${jsonText(m.shipname)}","shiptype":${shipType},"shiptype_text":"${shipTypeText(shipType)}"` +
    dimensions(m.toBowM, m.toSternM, m.toPortM, m.toStarboardM) +
    `${EPFD_JSON[m.epfd]!},"raim":${m.raim},"dte":${m.dte},"assigned":${m.assigned}}`
  );
}

function aidToNavigation(m: AisAidToNavigation, scaled: boolean): string {
  // gpsd prints accuracy after the position when scaled and before it when not.
  const position = scaled
    ? `,"lon":${lonScaled(m.lon)},"lat":${latScaled(m.lat)},"accuracy":${m.accuracy}`
    : `,"accuracy":${m.accuracy},"lon":${lonRaw(m.lon)},"lat":${latRaw(m.lat)}`;
  return (
    `,"aid_type":${m.aidType},"aid_type_text":"${AID_TYPE[m.aidType]!}","name":"${jsonText(m.name)}"` +
    position +
    dimensions(m.toBowM, m.toSternM, m.toPortM, m.toStarboardM) +
    `${EPFD_JSON[m.epfd]!},"second":${m.second ?? 60},"regional":${m.regional}` +
    `,"off_position":${m.offPosition},"raim":${m.raim},"virtual_aid":${m.virtualAid}}`
  );
}

function staticData(m: AisStaticPartA | AisStaticPartB | AisStaticMerged): string {
  if (m.partno === 0) return `,"part":"A","shipname":"${jsonText(m.shipname)}"}`;
  const name = m.partno === 'AB' ? `,"shipname":"${jsonText(m.shipname)}"` : `,"part":"B"`;
  const shipType = m.shipType ?? 0;
  const size = isAuxiliaryMmsi(m.mmsi)
    ? `,"mothership_mmsi":${m.mothershipMmsi ?? 0}`
    : dimensions(m.toBowM ?? 0, m.toSternM ?? 0, m.toPortM ?? 0, m.toStarboardM ?? 0);
  return (
    `${name},"shiptype":${shipType},"shiptype_text":"${shipTypeText(shipType)}"` +
    `,"vendorid":"${jsonText(m.vendorId)}","model":${m.model},"serial":${m.serial}` +
    `,"callsign":"${jsonText(m.callsign)}"${size}}`
  );
}

function longRange(m: AisLongRange, scaled: boolean): string {
  const tail = `,"speed":${m.sogKn ?? 63},"course":${m.cogDeg ?? 511},"raim":${m.raim},"gnss":${m.gnss}}`;
  if (scaled) {
    return (
      `${STATUS_JSON[m.navStatus]!},"accuracy":${m.accuracy}` +
      `,"lon":${tenthMinuteScaled(m.lon ?? 181)},"lat":${tenthMinuteScaled(m.lat ?? 91)}${tail}`
    );
  }
  // Unscaled type 27 has no status_text in gpsd's output.
  return (
    `,"status":${m.navStatus},"accuracy":${m.accuracy}` +
    `,"lon":${Math.round((m.lon ?? 181) * 600)},"lat":${Math.round((m.lat ?? 91) * 600)}${tail}`
  );
}

function dimensions(bow: number, stern: number, port: number, starboard: number): string {
  return `,"to_bow":${bow},"to_stern":${stern},"to_port":${port},"to_starboard":${starboard}`;
}

// ---- number formats ----------------------------------------------------------------------------
//
// printf's %.Nf is done here in integers rather than with toFixed (which dominated the cost).
// The values are k/600000 or k/600 degrees and k/10 units: at 7 (or 4) decimals their exact
// expansions end in .0, .333… or .666… of the last unit, never on a tie, so rounding the exact
// rational gives the digits printf prints for the double.

/** 1/10000 minute per degree. */
const DIV = 600_000;

function lon(v: number | undefined, scaled: boolean): string | number {
  return scaled ? lonScaled(v) : lonRaw(v);
}

function lat(v: number | undefined, scaled: boolean): string | number {
  return scaled ? latScaled(v) : latRaw(v);
}

/** gpsd `%.7f` of raw/600000. */
function lonScaled(v: number | undefined): string {
  return fixed(Math.round((lonRaw(v) * 50) / 3), 10_000_000);
}

function latScaled(v: number | undefined): string {
  return fixed(Math.round((latRaw(v) * 50) / 3), 10_000_000);
}

/** Back to the transmitted integer: v = raw/600000 is within far less than 0.5 of it. */
function lonRaw(v: number | undefined): number {
  return Math.round((v ?? 181) * DIV);
}

function latRaw(v: number | undefined): number {
  return Math.round((v ?? 91) * DIV);
}

/** gpsd `%.4f` of raw/600 (type 27, 1/10 minute). */
function tenthMinuteScaled(v: number): string {
  return fixed(Math.round((Math.round(v * 600) * 50) / 3), 10_000);
}

/** "00" … "99": two decimal digits per lookup, no number-to-string conversion in the hot path. */
const PAIRS: readonly string[] = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

/** `n / unit` printed with as many decimals as `unit` has zeros (unit 10, 10⁴ or 10⁷). */
function fixed(n: number, unit: number): string {
  const abs = n < 0 ? -n : n;
  const whole = Math.floor(abs / unit);
  const f = abs - whole * unit;
  let frac: string;
  if (unit === 10_000_000) {
    const hi = Math.floor(f / 1_000_000);
    const rest = f - hi * 1_000_000;
    frac = String(hi) + PAIRS[Math.floor(rest / 10_000)]! + PAIRS[Math.floor(rest / 100) % 100]! + PAIRS[rest % 100]!;
  } else if (unit === 10_000) {
    frac = PAIRS[Math.floor(f / 100)]! + PAIRS[f % 100]!;
  } else {
    frac = String(f);
  }
  return n < 0 ? `-${whole}.${frac}` : `${whole}.${frac}`;
}

/** `%.1f` of a value sent in tenths. */
function tenths(v: number): string {
  return fixed(Math.round(v * 10), 10);
}

function cogScaled(v: number | undefined): string {
  return tenths(v ?? 360);
}

function cogRaw(v: number | undefined): number {
  return Math.round((v ?? 360) * 10);
}

function sogRaw(v: number | undefined): number {
  return v === undefined ? 1023 : Math.round(v * 10);
}

/** Types 1–3: "n/a" for not available, "fast" for 102.2 kn or more, else %.1f. */
function speedScaledA(v: number | undefined): string {
  if (v === undefined) return '"n/a"';
  if (v === 102.2) return '"fast"';
  return tenths(v);
}

/** gpsd's quoted `"%.2f"` of sign·(raw/4.733)², for every raw byte that has a rate. */
const TURN_TEXT: readonly string[] = Array.from({ length: 253 }, (_, k) => {
  const raw = k - 126;
  const r = (raw / 4.733) * (raw / 4.733);
  return `"${(raw < 0 ? -r : r).toFixed(2)}"`;
});

function turnScaled(m: AisPositionA): string {
  if (m.turnFast === 'left') return '"fastleft"';
  if (m.turnFast === 'right') return '"fastright"';
  if (m.rotDegMin === undefined) return '"n/a"';
  return TURN_TEXT[turnRaw(m) + 126]!;
}

/** The transmitted ROT byte: rot = sign·(raw/4.733)², so raw = sign·4.733·√|rot|, an integer. */
function turnRaw(m: AisPositionA): number {
  if (m.turnFast === 'left') return -127;
  if (m.turnFast === 'right') return 127;
  const rot = m.rotDegMin;
  if (rot === undefined) return -128;
  const raw = Math.round(4.733 * Math.sqrt(Math.abs(rot)));
  return rot < 0 ? -raw : raw;
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

const NEEDS_ESCAPE = /["\\]/;

/** JSON string body of six-bit text: only `"` and `\` can occur and need escaping. */
function jsonText(s: string | undefined): string {
  if (s === undefined) return '';
  return NEEDS_ESCAPE.test(s) ? s.replace(/["\\]/g, '\\$&') : s;
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

/** The `,"status":n,"status_text":"…"` and `,"epfd":n,"epfd_text":"…"` pairs, ready-made. */
const STATUS_JSON: readonly string[] = NAV_STATUS.map((t, n) => `,"status":${n},"status_text":"${t}"`);
const EPFD_JSON: readonly string[] = EPFD.map((t, n) => `,"epfd":${n},"epfd_text":"${t}"`);

/** Exposed for tests: the legend tables must have one entry per code. */
export const LEGEND_SIZES = { navStatus: NAV_STATUS.length, epfd: EPFD.length, shipType: SHIP_TYPE.length, aidType: AID_TYPE.length };

// ---- bytes -------------------------------------------------------------------------------------

/** Where `writePositionAScaled` puts a line: the caller keeps at least 1 KiB free after `pos`. */
export interface ByteOut {
  buf: Buffer;
  pos: number;
}

/**
 * A constant as little-endian 32-bit words: written four bytes per store, which measured about
 * 3× faster than a byte loop for these 8–70-byte pieces. The last word may carry up to three bytes
 * past the constant; the next write overwrites them (hence the free room `ByteOut` asks for).
 */
interface Words {
  readonly w: Int32Array;
  readonly n: number;
}

function wordsOf(t: string): Words {
  const w = new Int32Array((t.length + 3) >> 2);
  for (let i = 0; i < t.length; i++) w[i >> 2]! |= t.charCodeAt(i) << ((i & 3) << 3);
  return { w, n: t.length };
}

const HEAD_W = HEAD.map(wordsOf);
/** `,"scaled":true` + status + `,"turn":`: the run of constants between the MMSI and the turn. */
const STATUS_W = STATUS_JSON.map((t) => wordsOf(`,"scaled":true${t},"turn":`));
/** The turn's text and the key after it, for every ROT byte that has a rate. */
const TURN_W = TURN_TEXT.map((t) => wordsOf(`${t},"speed":`));
const TURN_FASTLEFT_W = wordsOf('"fastleft","speed":');
const TURN_FASTRIGHT_W = wordsOf('"fastright","speed":');
const TURN_NA_W = wordsOf('"n/a","speed":');
const SPEED_NA_W = wordsOf('"n/a"');
const SPEED_FAST_W = wordsOf('"fast"');
const ACC_TRUE_W = wordsOf(',"accuracy":true,"lon":');
const ACC_FALSE_W = wordsOf(',"accuracy":false,"lon":');
const LAT_W = wordsOf(',"lat":');
const COURSE_W = wordsOf(',"course":');
const HEADING_W = wordsOf(',"heading":');
const SECOND_W = wordsOf(',"second":');
const MANEUVER_W = wordsOf(',"maneuver":');
const RAIM_TRUE_W = wordsOf(',"raim":true,"radio":');
const RAIM_FALSE_W = wordsOf(',"raim":false,"radio":');

/** One DataView per output buffer, made again only when the caller swaps its buffer. */
let viewBuf: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
function viewOf(b: Buffer): DataView {
  if (b !== viewBuf) {
    viewBuf = b;
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  return view;
}

function put(v: DataView, p: number, c: Words): number {
  const w = c.w;
  for (let i = 0; i < w.length; i++) v.setInt32(p + (i << 2), w[i]!, true);
  return p + c.n;
}

/**
 * The scaled gpsd JSON of a type 1–3 position report (80 % of a real feed), written as bytes into
 * `out`: the same fragments and number formats as `toGpsdJson`, without building one string per
 * line (whose concatenation, flattening and garbage dominated `seagrid decode`). Other messages:
 * `toGpsdJson`. A test holds the two byte-identical on real captures.
 */
export function writePositionAScaled(m: AisPositionA, out: ByteOut): void {
  const b = out.buf;
  const v = viewOf(b);
  let p = put(v, out.pos, HEAD_W[m.type * 4 + m.repeat]!);
  p = digits(b, p, m.mmsi);
  p = put(v, p, STATUS_W[m.navStatus]!);
  const rot = m.rotDegMin;
  const fast = m.turnFast;
  p = put(v, p, fast === 'left' ? TURN_FASTLEFT_W : fast === 'right' ? TURN_FASTRIGHT_W : rot === undefined ? TURN_NA_W : TURN_W[turnRaw(m) + 126]!);
  const sog = m.sogKn;
  if (sog === undefined) p = put(v, p, SPEED_NA_W);
  else if (sog === 102.2) p = put(v, p, SPEED_FAST_W);
  else p = fixedBytes(b, p, Math.round(sog * 10), 1, 10);
  p = put(v, p, m.accuracy ? ACC_TRUE_W : ACC_FALSE_W);
  p = fixedBytes(b, p, Math.round((lonRaw(m.lon) * 50) / 3), 7, 10_000_000);
  p = put(v, p, LAT_W);
  p = fixedBytes(b, p, Math.round((latRaw(m.lat) * 50) / 3), 7, 10_000_000);
  p = put(v, p, COURSE_W);
  p = fixedBytes(b, p, Math.round((m.cogDeg ?? 360) * 10), 1, 10);
  p = put(v, p, HEADING_W);
  p = digits(b, p, m.headingDeg ?? 511);
  p = put(v, p, SECOND_W);
  p = digits(b, p, m.second ?? 60);
  p = put(v, p, MANEUVER_W);
  p = digits(b, p, m.maneuver);
  p = put(v, p, m.raim ? RAIM_TRUE_W : RAIM_FALSE_W);
  p = digits(b, p, m.radio);
  b[p++] = 125; // }
  out.pos = p;
}

/** `fixed(n, unit)` as bytes: n/unit with `decimals` digits (unit = 10^decimals). */
function fixedBytes(b: Buffer, p: number, n: number, decimals: number, unit: number): number {
  let abs = n;
  if (n < 0) {
    b[p++] = 45; // -
    abs = -n;
  }
  // |abs| < 2^31 here (at most 181° × 10^7), so integer division is exact.
  const whole = (abs / unit) | 0;
  let f = abs - whole * unit;
  p = digits(b, p, whole);
  b[p++] = 46; // .
  for (let i = p + decimals - 1; i >= p; i--) {
    const q = (f / 10) | 0;
    b[i] = 48 + f - q * 10;
    f = q;
  }
  return p + decimals;
}

/** A non-negative integer below 2^31 in decimal (MMSI, radio state, heading…): integer division only. */
function digits(b: Buffer, p: number, n: number): number {
  if (n < 10) {
    b[p] = 48 + n;
    return p + 1;
  }
  const len = n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  let x = n;
  for (let i = p + len - 1; i >= p; i--) {
    const q = (x / 10) | 0;
    b[i] = 48 + x - q * 10;
    x = q;
  }
  return p + len;
}
