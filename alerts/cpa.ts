/**
 * CPA/TCPA of two vessels (issue 12 §1): where and when they will be closest if both hold their
 * course and speed over ground. Pure: fix time in, figures out, no clock.
 *
 * Model. Each vessel sails a great circle from its fix at its SOG, starting on its COG (the sphere's
 * straight line; over the minutes a CPA looks ahead it and a constant-COG rhumb line part by less
 * than a metre a nautical mile run). Both are carried into one local tangent plane: the gnomonic
 * (central) projection about the midpoint of the two fixes, where every great circle is a straight
 * line, so constant velocity in the plane is the model above to second order (metres at 12 nm
 * apart; alerts/cpa.test.ts measures it against a search on the sphere). There, with r the
 * relative position and v the relative velocity at the evaluation time,
 *
 *     TCPA = −(r·v)/|v|²      CPA = |r + v·TCPA|
 *
 * and |v| = 0 (same velocity, or both stopped) gives TCPA 0 and the present range. Each fix is
 * first dead-reckoned to the evaluation time along its track (BeiDou reports every ~3 min, AIS
 * every few seconds), and the staler fix's age lowers `confidence`.
 *
 * Cost. The trigonometry is per fix (`motionOf`: the fix's unit vector and its 3-D velocity along
 * the course; `motionInto` refills a Motion the caller keeps, so a fix allocates nothing); a pair
 * (`approach`) is then dot products, two square roots and no allocation, so a rule meeting a
 * vessel in many pairs prepares it once. `cpa` is both in one call. The one implementation works
 * on rows of a Float64Array (`motionRow`, `approachRows`): a caller keeping thousands of vessels
 * keeps them there, since V8 boxes every double field of an object (a Motion object is ten
 * separate heap numbers, a row one or two cache lines); the Motion forms copy into a row.
 *
 * Not available. A vessel whose SOG says it is stopped (≤ STATIONARY_SOG_KN) counts as stationary
 * even without a COG; any other vessel without SOG, or under way without COG, cannot be predicted,
 * and the pair is `motion-unknown` (the collision rule counts it) — never guessed as stationary.
 */
import { EARTH_RADIUS_M, M_PER_NM, RAD } from '../geo/index.js';

/** A vessel's latest fix as the CPA needs it (VesselState and PositionReport both fit). */
export interface MotionFix {
  readonly lat: number;
  readonly lon: number;
  readonly sogKn?: number | undefined;
  readonly cogDeg?: number | undefined;
  readonly atMs: number;
}

/**
 * At or below this SOG a vessel is taken as stopped: AIS gives SOG in 0.1 kn steps, and a boat
 * lying at anchor or on a mooring swinging to the tide reports 0.0–0.2 kn with a wandering COG.
 */
export const STATIONARY_SOG_KN = 0.2;

/**
 * Confidence halves for every this many ms of the staler fix's age: one BeiDou reporting
 * interval (3 min) leaves 0.5, a 10 s AIS fix 0.96. Position error of dead reckoning grows with
 * the time run on an assumed course, so this is the figure a watch officer weighs.
 */
export const CONFIDENCE_HALF_LIFE_MS = 180_000;

export interface CpaFound {
  readonly kind: 'cpa';
  /** Predicted closest distance, nm. */
  readonly cpaNm: number;
  /** Minutes from the evaluation time to the closest point; ≤ 0: it is past (the pair is opening). */
  readonly tcpaMin: number;
  /** Distance now, both fixes dead-reckoned to the evaluation time, nm. */
  readonly rangeNm: number;
  /** Predicted meeting point: midway between the two vessels at TCPA. */
  readonly meetLat: number;
  readonly meetLon: number;
  /** 0–1: halves per CONFIDENCE_HALF_LIFE_MS of the staler fix's age. */
  readonly confidence: number;
  /** Evaluation time minus each fix's time, ms (negative: the fix is newer). */
  readonly ageAMs: number;
  readonly ageBMs: number;
}

/** SOG/COG not available for `a`, `b` or both (and not stopped by its SOG): no prediction. */
export interface MotionUnknown {
  readonly kind: 'motion-unknown';
  readonly a: boolean;
  readonly b: boolean;
}

export type CpaResult = CpaFound | MotionUnknown;

/** Whether the fix's SOG says the vessel is stopped. */
export function isStationary(f: MotionFix): boolean {
  return f.sogKn !== undefined && f.sogKn <= STATIONARY_SOG_KN;
}

/** Whether the fix's motion is known: stopped by its SOG, or SOG and COG both given. */
export function motionKnown(f: MotionFix): boolean {
  return f.sogKn !== undefined && (f.cogDeg !== undefined || f.sogKn <= STATIONARY_SOG_KN);
}

const MS_PER_KN = M_PER_NM / 3600;
/** Below this |v|² (m²/s², i.e. |v| < 1 mm/s) the pair keeps its distance: TCPA 0. */
const V2_MIN = 1e-6;

/**
 * A fix prepared for pair CPAs (`motionOf`): everything about one vessel that needs trigonometry —
 * its unit vector and its velocity along the great circle it starts on (3-D, m/s, tangent at the
 * fix) — computed once per fix, so that a pair costs a few dot products and two square roots.
 */
export interface Motion {
  readonly atMs: number;
  /** Unit vector of the fix (earth-centred, x towards 0°E, z towards the north pole). */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** Velocity, m/s: SOG along the course's tangent at the fix; 0 when stopped or not known. */
  readonly vx: number;
  readonly vy: number;
  readonly vz: number;
  /** SOG in m/s (0 when not known). */
  readonly speedMs: number;
  /** `motionKnown` of the fix. */
  readonly known: boolean;
  /** `isStationary` of the fix. */
  readonly stationary: boolean;
}

/** The fix's Motion (allocates one object: callers that meet a vessel in many pairs keep it). */
export function motionOf(f: MotionFix): Motion {
  return motionInto(f, { atMs: 0, x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0, speedMs: 0, known: false, stationary: false });
}

/**
 * A Motion's numbers as a row of MOTION_ROW in a Float64Array (`motionRow`): unit vector x, y, z,
 * velocity vx, vy, vz, fix time (M_AT) and speed (M_SPEED); `known` and `stationary` are
 * `motionKnown` and `isStationary` of the fix.
 */
export const MOTION_ROW = 8;
export const M_AT = 6;
export const M_SPEED = 7;

/** Two rows for the Motion forms (`motionInto`, `approach`): copies, so both give the rows' figures exactly. */
const scratchRows = new Float64Array(2 * MOTION_ROW);

/** `motionOf` into an existing Motion (a caller that keeps one per vessel allocates nothing per fix). */
export function motionInto(f: MotionFix, out: Motion): Motion {
  const r = scratchRows;
  motionRow(f, r, 0);
  const m = out as Mutable<Motion>;
  m.atMs = r[M_AT]!;
  m.x = r[0]!;
  m.y = r[1]!;
  m.z = r[2]!;
  m.vx = r[3]!;
  m.vy = r[4]!;
  m.vz = r[5]!;
  m.speedMs = r[M_SPEED]!;
  m.known = motionKnown(f);
  m.stationary = isStationary(f);
  return m;
}

/** A Motion into row `o` (an offset, a multiple of MOTION_ROW) of `row`. */
function rowOf(m: Motion, row: Float64Array, o: number): void {
  row[o] = m.x;
  row[o + 1] = m.y;
  row[o + 2] = m.z;
  row[o + 3] = m.vx;
  row[o + 4] = m.vy;
  row[o + 5] = m.vz;
  row[o + M_AT] = m.atMs;
  row[o + M_SPEED] = m.speedMs;
}

/** The fix's Motion into `row` at offset `o` (see MOTION_ROW): the trigonometry of one fix. */
export function motionRow(f: MotionFix, row: Float64Array, o: number): void {
  const p = f.lat * RAD;
  const l = f.lon * RAD;
  const cp = Math.cos(p);
  const sp = Math.sin(p);
  const cl = Math.cos(l);
  const sl = Math.sin(l);
  const known = motionKnown(f);
  const sog = f.sogKn ?? 0;
  let vx = 0;
  let vy = 0;
  let vz = 0;
  if (known && f.cogDeg !== undefined && sog !== 0) {
    const c = f.cogDeg * RAD;
    const k = sog * MS_PER_KN;
    const cc = Math.cos(c) * k;
    const sc = Math.sin(c) * k;
    // cos(COG)·north + sin(COG)·east, the fix's own north and east, times the speed.
    vx = cc * -sp * cl + sc * -sl;
    vy = cc * -sp * sl + sc * cl;
    vz = cc * cp;
  }
  row[o] = cp * cl;
  row[o + 1] = cp * sl;
  row[o + 2] = sp;
  row[o + 3] = vx;
  row[o + 4] = vy;
  row[o + 5] = vz;
  row[o + M_AT] = f.atMs;
  row[o + M_SPEED] = known ? sog * MS_PER_KN : 0;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One pair's approach, filled by `approach` (reused: no allocation per pair). Distances in metres,
 * times in seconds from the evaluation time; the rest is what `meetingPoint` needs.
 */
export class Approach {
  tcpaS = 0;
  cpaM = 0;
  rangeM = 0;
  /** Evaluation time minus each fix's time, ms. */
  ageAMs = 0;
  ageBMs = 0;
  // The plane: its tangent point o, east e and north n, and the meeting point in it (÷ R).
  ox = 0;
  oy = 0;
  oz = 0;
  ex = 0;
  ey = 0;
  nx = 0;
  ny = 0;
  nz = 0;
  mx = 0;
  my = 0;
  /** The meeting point, degrees, once `meetInto` has run. */
  meetLat = 0;
  meetLon = 0;

  /** 0–1: halves per CONFIDENCE_HALF_LIFE_MS of the staler fix's age. */
  confidence(): number {
    return Math.pow(0.5, Math.max(Math.abs(this.ageAMs), Math.abs(this.ageBMs)) / CONFIDENCE_HALF_LIFE_MS);
  }

  /** Predicted meeting point (midway between the two at TCPA), back from the plane to the sphere. */
  meetingPoint(): { lat: number; lon: number } {
    this.meetInto();
    return { lat: this.meetLat, lon: this.meetLon };
  }

  /** `meetingPoint` into `meetLat`/`meetLon`: a caller that may not need the object allocates none. */
  meetInto(): void {
    const px = this.ox + this.mx * this.ex + this.my * this.nx;
    const py = this.oy + this.mx * this.ey + this.my * this.ny;
    const pz = this.oz + this.my * this.nz;
    this.meetLat = Math.atan2(pz, Math.sqrt(px * px + py * py)) / RAD;
    this.meetLon = Math.atan2(py, px) / RAD;
  }
}

/**
 * CPA and TCPA of a pair, both fixes dead-reckoned to `atMs` (default: the newer fix's time).
 * Total: any finite input gives a result; missing motion is a `motion-unknown` value.
 */
export function cpa(a: MotionFix, b: MotionFix, atMs: number = Math.max(a.atMs, b.atMs)): CpaResult {
  const knownA = motionKnown(a);
  const knownB = motionKnown(b);
  if (!knownA || !knownB) return { kind: 'motion-unknown', a: !knownA, b: !knownB };
  const r = approach(motionOf(a), motionOf(b), atMs, new Approach());
  const meet = r.meetingPoint();
  return {
    kind: 'cpa',
    cpaNm: r.cpaM / M_PER_NM,
    tcpaMin: r.tcpaS / 60,
    rangeNm: r.rangeM / M_PER_NM,
    meetLat: meet.lat,
    meetLon: meet.lon,
    confidence: r.confidence(),
    ageAMs: r.ageAMs,
    ageBMs: r.ageBMs,
  };
}

/**
 * The pair's approach at `atMs` into `out` (see the header): no trigonometry, no allocation.
 * Both motions should be known (`Motion.known`); an unknown one is taken as lying still.
 */
export function approach(a: Motion, b: Motion, atMs: number, out: Approach): Approach {
  rowOf(a, scratchRows, 0);
  rowOf(b, scratchRows, MOTION_ROW);
  return approachRows(scratchRows, 0, scratchRows, MOTION_ROW, atMs, out);
}

/**
 * `approach` of the motions in rows `ia` of `ka` and `ib` of `kb` (offsets; see MOTION_ROW): the
 * one implementation. Arrays and offsets, not numbers: a call V8 does not inline would box every
 * number argument.
 */
export function approachRows(ka: Float64Array, ia: number, kb: Float64Array, ib: number, atMs: number, out: Approach): Approach {
  const ax = ka[ia]!;
  const ay = ka[ia + 1]!;
  const az = ka[ia + 2]!;
  const avx0 = ka[ia + 3]!;
  const avy0 = ka[ia + 4]!;
  const avz0 = ka[ia + 5]!;
  const aAt = ka[ia + M_AT]!;
  const bx = kb[ib]!;
  const by = kb[ib + 1]!;
  const bz = kb[ib + 2]!;
  const bvx0 = kb[ib + 3]!;
  const bvy0 = kb[ib + 4]!;
  const bvz0 = kb[ib + 5]!;
  const bAt = kb[ib + M_AT]!;
  // The plane touches the sphere at the fixes' midpoint O.
  let ox = ax + bx;
  let oy = ay + by;
  let oz = az + bz;
  const ol = Math.sqrt(ox * ox + oy * oy + oz * oz);
  ox /= ol;
  oy /= ol;
  oz /= ol;
  // East and north at O (at a pole any east will do: the plane is still tangent there).
  let ex = -oy;
  let ey = ox;
  const el = Math.sqrt(ex * ex + ey * ey);
  if (el < 1e-12) {
    ex = 0;
    ey = 1;
  } else {
    ex /= el;
    ey /= el;
  }
  // n = o × e (e has no z component)
  const nx = -oz * ey;
  const ny = oz * ex;
  const nz = ox * ey - oy * ex;

  // Each fix in the plane: gnomonic position R·(p·e, p·n)/(p·o), and the velocity of that image
  // when p moves with velocity u along its great circle: ((u·e)(p·o) − (p·e)(u·o))/(p·o)², likewise n.
  const poA = ax * ox + ay * oy + az * oz;
  const peA = ax * ex + ay * ey;
  const pnA = ax * nx + ay * ny + az * nz;
  const uoA = avx0 * ox + avy0 * oy + avz0 * oz;
  const kA = 1 / (poA * poA);
  const avx = kA * ((avx0 * ex + avy0 * ey) * poA - peA * uoA);
  const avy = kA * ((avx0 * nx + avy0 * ny + avz0 * nz) * poA - pnA * uoA);
  const poB = bx * ox + by * oy + bz * oz;
  const peB = bx * ex + by * ey;
  const pnB = bx * nx + by * ny + bz * nz;
  const uoB = bvx0 * ox + bvy0 * oy + bvz0 * oz;
  const kB = 1 / (poB * poB);
  const bvx = kB * ((bvx0 * ex + bvy0 * ey) * poB - peB * uoB);
  const bvy = kB * ((bvx0 * nx + bvy0 * ny + bvz0 * nz) * poB - pnB * uoB);
  // Positions at the evaluation time (m), relative position and velocity.
  const dtA = (atMs - aAt) / 1000;
  const dtB = (atMs - bAt) / 1000;
  const xa = (EARTH_RADIUS_M * peA) / poA + avx * dtA;
  const ya = (EARTH_RADIUS_M * pnA) / poA + avy * dtA;
  const xb = (EARTH_RADIUS_M * peB) / poB + bvx * dtB;
  const yb = (EARTH_RADIUS_M * pnB) / poB + bvy * dtB;
  const rx = xb - xa;
  const ry = yb - ya;
  const vx = bvx - avx;
  const vy = bvy - avy;
  const v2 = vx * vx + vy * vy;
  const t = v2 < V2_MIN ? 0 : -(rx * vx + ry * vy) / v2;
  const cx = rx + vx * t;
  const cy = ry + vy * t;
  out.tcpaS = t;
  out.cpaM = Math.sqrt(cx * cx + cy * cy);
  out.rangeM = Math.sqrt(rx * rx + ry * ry);
  out.ageAMs = atMs - aAt;
  out.ageBMs = atMs - bAt;
  out.ox = ox;
  out.oy = oy;
  out.oz = oz;
  out.ex = ex;
  out.ey = ey;
  out.nx = nx;
  out.ny = ny;
  out.nz = nz;
  out.mx = (xa + xb + (avx + bvx) * t) / 2 / EARTH_RADIUS_M;
  out.my = (ya + yb + (avy + bvy) * t) / 2 / EARTH_RADIUS_M;
  return out;
}
