/** The sea grids as `GET /api/grids` serves them, and what the console derives from them. */

export interface InForceSpec {
  readonly start: string;
  readonly end: string;
  readonly recurrence: 'yearly' | 'once';
}

export interface GridFeature {
  type: 'Feature';
  properties: {
    id: string;
    layer: string;
    kind: string;
    name_zh: string;
    name_en?: string | null;
    occupancy?: number;
    inForce?: InForceSpec | null;
  };
  geometry: { type: string; coordinates: unknown };
}

export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

const YEARLY = /^(\d\d)-(\d\d)T(\d\d):(\d\d)([+-])(\d\d):(\d\d)$/;

/** `MM-DDTHH:MM±HH:MM` in `year` as epoch ms. */
function yearlyMs(text: string, year: number): number {
  const m = YEARLY.exec(text);
  if (m === null) return NaN;
  const off = (m[5] === '-' ? -1 : 1) * (Number(m[6]) * 60 + Number(m[7]));
  return Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4])) - off * 60_000;
}

/**
 * Whether a zone with this period (a moratorium) applies at `nowMs`: the map draws a closure only
 * while it is in force. The service judges membership the same way (geo/grid-file.ts inForceAt);
 * the API serves the period, not the verdict, so the console reads it against its own clock.
 */
export function inForceAt(spec: InForceSpec | null | undefined, nowMs: number): boolean {
  if (spec === null || spec === undefined) return true;
  if (spec.recurrence === 'once') return nowMs >= Date.parse(spec.start) && nowMs < Date.parse(spec.end);
  const year = new Date(nowMs).getUTCFullYear();
  for (const y of [year - 1, year, year + 1]) {
    const s = yearlyMs(spec.start, y);
    let e = yearlyMs(spec.end, y);
    if (e <= s) e = yearlyMs(spec.end, y + 1);
    if (nowMs >= s && nowMs < e) return true;
  }
  return false;
}

/** Centre of a geometry's bounding box, to fly to. */
export function centreOf(coords: unknown): [number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk(coords);
  return Number.isFinite(w) ? [(w + e) / 2, (s + n) / 2] : null;
}
