/**
 * The national fishing-zone (渔区) lattice of China's sea charts, by arithmetic: 30′ × 30′ zones, each
 * split into 9 sub-zones (小渔区) of 10′ × 10′ (definition: 《中国大百科全书·农业卷》 entry 渔区,
 * mirrored at https://freedefine.cn/wenzhan/107881.html — "以经度30分和纬度30分见方划为1个渔区，在各渔区
 * 中又按经度10分和纬度10分见方，划分为9个小渔区").
 *
 * The official zone *numbers* (the three-digit 渔区号 printed on the charts) could not be
 * established from public sources, so zones are named by their south-west corner, the style the
 * fixture grids already use: `FZ-N3030-E12130` is 30°30′–31°00′N × 121°30′–122°00′E. The sub-zone
 * is appended as `-k`, k = 1…9 read like a telephone keypad with north up: 1 2 3 along the northern
 * row west to east, 4 5 6 the middle row, 7 8 9 the southern row. This keypad order is our own
 * convention (the Japanese 農林漁区 split into ①…⑨ the same way), not a published Chinese rule.
 *
 * Boundaries are half-open, like the polygons (geometry.ts): a point on a parallel belongs to the
 * zone north of it, a point on a meridian to the zone east of it. A line k·10′ is the double nearest
 * to k/6 degrees; the lattice covers 0°–45°N × 100°–135°E (China's seas with margin), else undefined.
 */

export const LATTICE_SOUTH = 0;
export const LATTICE_NORTH = 45;
export const LATTICE_WEST = 100;
export const LATTICE_EAST = 135;

const SUB_PER_DEG = 6; // 10′ rows per degree
const COLS = (LATTICE_EAST - LATTICE_WEST) * SUB_PER_DEG;

/** Index of the 10′ line at or below `deg` (k with k/6 ≤ deg < (k+1)/6, boundaries as doubles). */
function tenMinuteIndex(deg: number): number {
  let k = Math.floor(deg * SUB_PER_DEG);
  // deg·6 may round across an integer; correct against the boundary doubles themselves.
  if (k / SUB_PER_DEG > deg) k--;
  else if ((k + 1) / SUB_PER_DEG <= deg) k++;
  return k;
}

/**
 * A number for the 10′ sub-zone holding the point (row-major from the lattice's south-west
 * corner), or -1 outside the lattice or for non-finite input. Allocation-free; `fishingZoneIdOfKey`
 * names it.
 */
export function fishingZoneKey(lat: number, lon: number): number {
  if (!(lat >= LATTICE_SOUTH && lat < LATTICE_NORTH && lon >= LATTICE_WEST && lon < LATTICE_EAST)) return -1;
  const row = tenMinuteIndex(lat) - LATTICE_SOUTH * SUB_PER_DEG;
  const col = tenMinuteIndex(lon) - LATTICE_WEST * SUB_PER_DEG;
  return row * COLS + col;
}

export interface FishingZoneRef {
  /** `FZ-N3030-E12130-5` */
  readonly id: string;
  /** The 30′ zone, `FZ-N3030-E12130` */
  readonly zoneId: string;
  /** 1…9, keypad order (north row 1–3). */
  readonly subZone: number;
  /** South-west corner of the 10′ sub-zone, degrees. */
  readonly south: number;
  readonly west: number;
}

const names = new Map<number, FishingZoneRef>();

/** The sub-zone of a key from `fishingZoneKey` (memoised: each id string is built once). */
export function fishingZoneOfKey(key: number): FishingZoneRef {
  let ref = names.get(key);
  if (ref === undefined) {
    const row = Math.floor(key / COLS);
    const col = key - row * COLS;
    const latRow = row + LATTICE_SOUTH * SUB_PER_DEG; // 10′ rows from the equator
    const lonCol = col + LATTICE_WEST * SUB_PER_DEG; // 10′ columns from Greenwich
    const zoneLatMin = Math.floor(latRow / 3) * 30;
    const zoneLonMin = Math.floor(lonCol / 3) * 30;
    const zoneId = `FZ-N${dm(zoneLatMin, 2)}-E${dm(zoneLonMin, 3)}`;
    const subZone = (2 - (latRow % 3)) * 3 + (lonCol % 3) + 1;
    ref = Object.freeze({ id: `${zoneId}-${subZone}`, zoneId, subZone, south: latRow / SUB_PER_DEG, west: lonCol / SUB_PER_DEG });
    names.set(key, ref);
  }
  return ref;
}

/** The 渔区 sub-zone holding the point, or undefined outside the lattice. */
export function fishingZoneOf(lat: number, lon: number): FishingZoneRef | undefined {
  const key = fishingZoneKey(lat, lon);
  return key < 0 ? undefined : fishingZoneOfKey(key);
}

/** Degrees and minutes of a whole number of minutes: 1830 → "3030" (30°30′), with `width` degree digits. */
function dm(minutes: number, width: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(width, '0')}${String(minutes % 60).padStart(2, '0')}`;
}

/** The 30′ zone's closed ring `[lon, lat][]` (for drawing), from its id `FZ-NddMM-EdddMM`. */
export function fishingZoneRing(zoneId: string): [number, number][] | undefined {
  const m = /^FZ-N(\d{2})(\d{2})-E(\d{3})(\d{2})$/.exec(zoneId);
  if (!m) return undefined;
  const south = Number(m[1]) + Number(m[2]) / 60;
  const west = Number(m[3]) + Number(m[4]) / 60;
  return [
    [west, south],
    [west + 0.5, south],
    [west + 0.5, south + 0.5],
    [west, south + 0.5],
    [west, south],
  ];
}
