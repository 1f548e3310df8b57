import type { Rejection } from '../../model/index.js';
import { hemisphereSign, parseCoordinate } from './fields.js';
import { BAD_EW, BAD_LAT, BAD_LON, BAD_NS, EMPTY_POSITION } from './rejections.js';

/*
 * The four position fields every sentence here carries in the same order: lat, N/S, lon, E/W.
 * The fast path returns plain numbers (NaN on any problem); only a failed line pays for working
 * out which field was wrong.
 */

/** Signed latitude from fields[at] and its hemisphere fields[at + 1], or NaN. */
export function readLat(f: readonly string[], at: number): number {
  const sign = hemisphereSign(f[at + 1] ?? '', 'N', 'S');
  return sign === 0 ? NaN : sign * parseCoordinate(f[at] ?? '', 90);
}

/** Signed longitude from fields[at] and its hemisphere fields[at + 1], or NaN. */
export function readLon(f: readonly string[], at: number): number {
  const sign = hemisphereSign(f[at + 1] ?? '', 'E', 'W');
  return sign === 0 ? NaN : sign * parseCoordinate(f[at] ?? '', 180);
}

/** Why readLat(f, at) or readLon(f, at + 2) gave NaN: an empty field first, then the bad one. */
export function positionProblem(f: readonly string[], at: number): Rejection {
  for (let i = at; i < at + 4; i++) if ((f[i] ?? '') === '') return EMPTY_POSITION;
  if (Number.isNaN(parseCoordinate(f[at] ?? '', 90))) return BAD_LAT;
  if (hemisphereSign(f[at + 1] ?? '', 'N', 'S') === 0) return BAD_NS;
  if (Number.isNaN(parseCoordinate(f[at + 2] ?? '', 180))) return BAD_LON;
  return BAD_EW;
}
