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
 * CPA and TCPA of a pair, both fixes dead-reckoned to `atMs` (default: the newer fix's time).
 * Total: any finite input gives a result; missing motion is a `motion-unknown` value.
 */
export function cpa(a: MotionFix, b: MotionFix, atMs: number = Math.max(a.atMs, b.atMs)): CpaResult {
  const knownA = motionKnown(a);
  const knownB = motionKnown(b);
  if (!knownA || !knownB) return { kind: 'motion-unknown', a: !knownA, b: !knownB };

  const pa = a.lat * RAD;
  const la = a.lon * RAD;
  const pb = b.lat * RAD;
  const lb = b.lon * RAD;
  const cpa_ = Math.cos(pa);
  const spa = Math.sin(pa);
  const cla = Math.cos(la);
  const sla = Math.sin(la);
  const cpb = Math.cos(pb);
  const spb = Math.sin(pb);
  const clb = Math.cos(lb);
  const slb = Math.sin(lb);
  // Unit vectors of the fixes; the plane touches the sphere at their midpoint O.
  const ax = cpa_ * cla;
  const ay = cpa_ * sla;
  const bx = cpb * clb;
  const by = cpb * slb;
  let ox = ax + bx;
  let oy = ay + by;
  let oz = spa + spb;
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

  // The scratch holds one fix's plane motion at a time (no allocation on this hot path).
  planeMotion(ax, ay, spa, cla, sla, spa, cpa_, a, ox, oy, oz, ex, ey, nx, ny, nz);
  const avx = M.vx;
  const avy = M.vy;
  const dtA = (atMs - a.atMs) / 1000;
  // Positions at the evaluation time (m), relative position and velocity.
  const xa = M.x + avx * dtA;
  const ya = M.y + avy * dtA;
  planeMotion(bx, by, spb, clb, slb, spb, cpb, b, ox, oy, oz, ex, ey, nx, ny, nz);
  const dtB = (atMs - b.atMs) / 1000;
  const xb = M.x + M.vx * dtB;
  const yb = M.y + M.vy * dtB;
  const rx = xb - xa;
  const ry = yb - ya;
  const vx = M.vx - avx;
  const vy = M.vy - avy;
  const v2 = vx * vx + vy * vy;
  const t = v2 < V2_MIN ? 0 : -(rx * vx + ry * vy) / v2;
  const cx = rx + vx * t;
  const cy = ry + vy * t;
  // Meeting point: midway between the two at TCPA, back from the plane to the sphere.
  const mx = ((xa + xb + (avx + M.vx) * t) / 2) / EARTH_RADIUS_M;
  const my = ((ya + yb + (avy + M.vy) * t) / 2) / EARTH_RADIUS_M;
  const px = ox + mx * ex + my * nx;
  const py = oy + mx * ey + my * ny;
  const pz = oz + my * nz;
  const stale = Math.max(Math.abs(atMs - a.atMs), Math.abs(atMs - b.atMs));
  return {
    kind: 'cpa',
    cpaNm: Math.sqrt(cx * cx + cy * cy) / M_PER_NM,
    tcpaMin: t / 60,
    rangeNm: Math.sqrt(rx * rx + ry * ry) / M_PER_NM,
    meetLat: Math.atan2(pz, Math.sqrt(px * px + py * py)) / RAD,
    meetLon: Math.atan2(py, px) / RAD,
    confidence: Math.pow(0.5, stale / CONFIDENCE_HALF_LIFE_MS),
    ageAMs: atMs - a.atMs,
    ageBMs: atMs - b.atMs,
  };
}

/** One fix in the plane: gnomonic position (m) and its velocity (m/s), the image of the great-circle motion. */
const M = { x: 0, y: 0, vx: 0, vy: 0 };

/**
 * A fix in the gnomonic plane about o, into M: position R·(p·e, p·n)/(p·o), and the velocity of
 * that image when p moves along the great circle of tangent t at angular speed w:
 * R·w·((t·e)(p·o) − (p·e)(t·o))/(p·o)², likewise for n.
 */
function planeMotion(
  px: number, py: number, pz: number,
  cosLon: number, sinLon: number, sinLat: number, cosLat: number,
  f: MotionFix,
  ox: number, oy: number, oz: number,
  ex: number, ey: number,
  nx: number, ny: number, nz: number,
): void {
  const po = px * ox + py * oy + pz * oz;
  const pe = px * ex + py * ey;
  const pn = px * nx + py * ny + pz * nz;
  M.x = (EARTH_RADIUS_M * pe) / po;
  M.y = (EARTH_RADIUS_M * pn) / po;
  const sog = f.sogKn!;
  if (f.cogDeg === undefined || sog === 0) {
    M.vx = 0;
    M.vy = 0;
    return;
  }
  const c = f.cogDeg * RAD;
  const cc = Math.cos(c);
  const sc = Math.sin(c);
  // Tangent of the course at p: cos(COG)·north + sin(COG)·east, p's own north and east.
  const tx = cc * -sinLat * cosLon + sc * -sinLon;
  const ty = cc * -sinLat * sinLon + sc * cosLon;
  const tz = cc * cosLat;
  const to = tx * ox + ty * oy + tz * oz;
  const te = tx * ex + ty * ey;
  const tn = tx * nx + ty * ny + tz * nz;
  // R·w is the speed itself (m/s).
  const k = (sog * MS_PER_KN) / (po * po);
  M.vx = k * (te * po - pe * to);
  M.vy = k * (tn * po - pn * to);
}
