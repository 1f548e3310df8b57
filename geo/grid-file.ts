/**
 * Grid files: GeoJSON FeatureCollections → typed grid definitions, validated. A bad file never
 * throws: every problem comes back as a value with a stable code, the file, the feature index and id
 * and a reason, all problems at once (like `loadConfig`).
 *
 * Decisions recorded here:
 * - Layer from `kind`: control_grid → control, patrol_grid → patrol, the other area kinds → zone; a
 *   file can force a layer (the 15 East China Sea fishing grounds are the `static` layer, and their
 *   features carry no `kind`, so that file also supplies the default kind `fishing_ground`).
 * - Lines are not areas. The no-trawl LINE and the illustrative lane are kept (`shape.type: 'line'`)
 *   for the map and later rules, never for membership. Lanes stay lines: a corridor polygon from
 *   `corridorHalfWidth_m` would make a "lane" membership that the route-deviation rule of a later
 *   issue is better placed to judge (it knows the vessel's heading and which way it is going).
 * - The 机轮拖网禁渔区 (motor-trawl prohibited zone) is the area landward (west) of the no-trawl line.
 *   `noTrawlZone` builds it honestly enough for vessels at sea: the line, closed on land along the
 *   parallels of its two ends to 117°E (inland all the way from 27°N to 37°20′N). It is marked
 *   approximate: it holds land and inland waters too (no vessel at sea notices), and it stops at the
 *   line's northern end (37°20′N): the Bohai segment is not in the refdata, so there is no no-trawl
 *   area north of that parallel.
 * - `start`/`end` like `05-01T12:00+08:00` recur every year at that local time (the moratorium
 *   notices give Beijing-time dates); a full ISO instant (`2025-05-01T12:00+08:00`) is one period.
 *   In force on [start, end): the start instant is in, the end instant is out.
 * - `approximate`: `approximate: true`, or a `confidence` that says "approximate" or "by analogy".
 */
import type { GridLayer, RejectCode } from '../model/index.js';
import type { PolygonRings } from './cells.js';

export type GridShape =
  | { readonly type: 'area'; readonly polygons: readonly PolygonRings[] }
  | { readonly type: 'line'; readonly coordinates: readonly (readonly [number, number])[] };

/** When a zone applies. `yearly`: every year from start to end local time (may wrap past New Year). */
export type InForce =
  | {
      readonly recurrence: 'yearly';
      /** As written in the file, e.g. `05-01T12:00+08:00`. */
      readonly start: string;
      readonly end: string;
      readonly startAt: YearlyInstant;
      readonly endAt: YearlyInstant;
    }
  | { readonly recurrence: 'once'; readonly start: string; readonly end: string; readonly startMs: number; readonly endMs: number };

export interface YearlyInstant {
  readonly month: number; // 1–12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** Offset of the local time from UTC, minutes (+480 for Beijing). */
  readonly offsetMin: number;
}

export interface GridDef {
  readonly id: string;
  readonly layer: GridLayer;
  readonly kind: string;
  readonly nameZh: string;
  readonly nameEn?: string;
  readonly shape: GridShape;
  readonly inForce?: InForce;
  readonly approximate: boolean;
  /** File name the grid came from (or `derived`). */
  readonly source: string;
  /** Every property of the feature, as in the file. */
  readonly props: Readonly<Record<string, unknown>>;
}

/** Grid-file problems: the `grid.*` codes of the one catalogue (model/codes.ts). */
export type GridFileCode = Extract<RejectCode, `grid.${string}`>;

export interface GridFileProblem {
  readonly code: GridFileCode;
  readonly file: string;
  /** Index in `features`, when the problem is one feature's. */
  readonly featureIndex?: number;
  readonly featureId?: string;
  readonly reason: string;
}

export type GridFileResult = { readonly ok: true; readonly grids: readonly GridDef[] } | { readonly ok: false; readonly problems: readonly GridFileProblem[] };

/** Kinds we know: the layer they go to and whether they are areas or lines. */
export const GRID_KINDS: Readonly<Record<string, { readonly layer: GridLayer; readonly shape: 'area' | 'line' }>> = {
  fishing_ground: { layer: 'zone', shape: 'area' },
  control_grid: { layer: 'control', shape: 'area' },
  patrol_grid: { layer: 'patrol', shape: 'area' },
  seasonal_closure: { layer: 'zone', shape: 'area' },
  no_fishing_zone: { layer: 'zone', shape: 'area' },
  provisional_measures_zone: { layer: 'zone', shape: 'area' },
  anchorage: { layer: 'zone', shape: 'area' },
  no_trawl_line: { layer: 'zone', shape: 'line' },
  route: { layer: 'zone', shape: 'line' },
};

export interface GridFileOptions {
  /** Name used in problems and `GridDef.source`. */
  readonly file: string;
  /** Every area of the file goes to this layer (the static fishing grounds). */
  readonly layer?: GridLayer;
  /** Kind of features that carry none. */
  readonly defaultKind?: string;
  /** Ids already taken by earlier files (duplicates across files are problems too). */
  readonly takenIds?: ReadonlySet<string>;
}

/** Parse GeoJSON text (or an already parsed value) into grid definitions, or every problem found. */
export function parseGridFile(input: string | unknown, opts: GridFileOptions): GridFileResult {
  const file = opts.file;
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return { ok: false, problems: [{ code: 'grid.json', file, reason: (e as Error).message }] };
    }
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    return { ok: false, problems: [{ code: 'grid.not_collection', file, reason: 'expected {"type":"FeatureCollection","features":[…]}' }] };
  }
  const problems: GridFileProblem[] = [];
  const grids: GridDef[] = [];
  const seen = new Set<string>(opts.takenIds ?? []);
  doc.features.forEach((f: unknown, featureIndex: number) => {
    const local: GridFileProblem[] = [];
    const problem = (code: GridFileCode, reason: string, featureId?: string): void => {
      local.push(featureId === undefined ? { code, file, featureIndex, reason } : { code, file, featureIndex, featureId, reason });
    };
    if (!isObject(f) || f.type !== 'Feature' || !isObject(f.properties) || !isObject(f.geometry)) {
      problem('grid.feature', 'not a Feature with object properties and geometry');
      problems.push(...local);
      return;
    }
    const props = f.properties;
    const id = typeof props.id === 'string' && props.id.trim() !== '' ? props.id : undefined;
    if (id === undefined) problem('grid.id_missing', 'properties.id must be a non-empty string');
    else if (seen.has(id)) problem('grid.id_duplicate', `id ${id} is already used`, id);
    else seen.add(id);
    const kind = typeof props.kind === 'string' ? props.kind : props.kind === undefined ? opts.defaultKind : undefined;
    const known = kind === undefined ? undefined : GRID_KINDS[kind];
    if (known === undefined) problem('grid.kind_unknown', `kind ${JSON.stringify(props.kind)} is not one of ${Object.keys(GRID_KINDS).join(', ')}`, id);
    const nameZh = typeof props.name_zh === 'string' && props.name_zh.trim() !== '' ? props.name_zh : undefined;
    if (nameZh === undefined) problem('grid.name_missing', 'properties.name_zh must be a non-empty string', id);
    const shape = known === undefined ? undefined : readShape(f.geometry, known.shape, (code, reason) => problem(code, reason, id));
    const inForce = readInForce(props, (reason) => problem('grid.date', reason, id));
    if (local.length > 0 || id === undefined || kind === undefined || known === undefined || nameZh === undefined || shape === undefined || inForce === false) {
      problems.push(...local);
      return;
    }
    const def: GridDef = {
      id,
      layer: known.shape === 'area' && opts.layer !== undefined ? opts.layer : known.layer,
      kind,
      nameZh,
      ...(typeof props.name_en === 'string' ? { nameEn: props.name_en } : {}),
      shape,
      ...(inForce !== undefined ? { inForce } : {}),
      approximate: isApproximate(props),
      source: file,
      props: Object.freeze({ ...props }),
    };
    grids.push(Object.freeze(def));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, grids };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isApproximate(props: Record<string, unknown>): boolean {
  if (props.approximate === true) return true;
  return typeof props.confidence === 'string' && /approximate|by analogy/i.test(props.confidence);
}

type Report = (code: GridFileCode, reason: string) => void;

function readShape(g: Record<string, any>, want: 'area' | 'line', report: Report): GridShape | undefined {
  if (want === 'line') {
    if (g.type !== 'LineString') return report('grid.geometry_type', `a line kind needs a LineString, got ${String(g.type)}`), undefined;
    const coords = readPositions(g.coordinates, 'coordinates', report);
    if (coords === undefined) return undefined;
    if (coords.length < 2) return report('grid.ring_short', `LineString has ${coords.length} positions, needs ≥ 2`), undefined;
    return { type: 'line', coordinates: coords };
  }
  let polys: unknown[];
  if (g.type === 'Polygon') polys = [g.coordinates];
  else if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) polys = g.coordinates;
  else return report('grid.geometry_type', `an area kind needs a Polygon or MultiPolygon, got ${String(g.type)}`), undefined;
  const out: PolygonRings[] = [];
  let bad = false;
  polys.forEach((poly, pi) => {
    if (!Array.isArray(poly) || poly.length === 0) {
      report('grid.geometry_type', `polygon ${pi} has no rings`);
      bad = true;
      return;
    }
    const rings: (readonly (readonly [number, number])[])[] = [];
    poly.forEach((ring: unknown, ri: number) => {
      const where = `polygon ${pi} ring ${ri}`;
      const pos = readPositions(ring, where, report);
      if (pos === undefined) return void (bad = true);
      if (pos.length < 4) return report('grid.ring_short', `${where} has ${pos.length} positions, needs ≥ 4`), void (bad = true);
      const [f0, f1] = pos[0]!;
      const [l0, l1] = pos[pos.length - 1]!;
      if (f0 !== l0 || f1 !== l1) return report('grid.ring_unclosed', `${where} ends at [${l0}, ${l1}], not at its first position [${f0}, ${f1}]`), void (bad = true);
      rings.push(pos);
    });
    out.push(rings);
  });
  return bad ? undefined : { type: 'area', polygons: out };
}

function readPositions(v: unknown, where: string, report: Report): [number, number][] | undefined {
  if (!Array.isArray(v)) return report('grid.geometry_type', `${where} is not an array of positions`), undefined;
  const out: [number, number][] = [];
  for (let i = 0; i < v.length; i++) {
    const p = v[i];
    const lon = Array.isArray(p) ? p[0] : undefined;
    const lat = Array.isArray(p) ? p[1] : undefined;
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      report('grid.coord_range', `${where} position ${i} ${JSON.stringify(p)} is not [lon, lat] within ±180 / ±90`);
      return undefined;
    }
    out.push([lon, lat]);
  }
  return out;
}

const YEARLY = /^(\d{2})-(\d{2})T(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** undefined: no dates (always in force); false: a problem was reported. */
function readInForce(props: Record<string, unknown>, report: (reason: string) => void): InForce | undefined | false {
  const { start, end } = props;
  if (start === undefined && end === undefined) return undefined;
  if (typeof start !== 'string' || typeof end !== 'string') return report('start and end must both be given, as strings'), false;
  const ys = YEARLY.exec(start);
  const ye = YEARLY.exec(end);
  if (ys && ye) {
    const a = yearly(ys, start, report);
    const b = yearly(ye, end, report);
    if (a === undefined || b === undefined) return false;
    if (a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.offsetMin === b.offsetMin) return report(`end ${end} equals start`), false;
    return { recurrence: 'yearly', start, end, startAt: a, endAt: b };
  }
  if (INSTANT.test(start) && INSTANT.test(end)) {
    const startMs = Date.parse(start);
    const endMs = Date.parse(end);
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || !sameCalendarDate(start, startMs) || !sameCalendarDate(end, endMs)) return report(`start ${start} or end ${end} is not a real date`), false;
    if (endMs <= startMs) return report(`end ${end} is not after start ${start}`), false;
    return { recurrence: 'once', start, end, startMs, endMs };
  }
  return report(`start ${JSON.stringify(start)} / end ${JSON.stringify(end)}: expected both "MM-DDTHH:MM+HH:MM" (every year) or both ISO-8601 instants`), false;
}

function yearly(m: RegExpExecArray, text: string, report: (reason: string) => void): YearlyInstant | undefined {
  const month = Number(m[1]);
  const day = Number(m[2]);
  const hour = Number(m[3]);
  const minute = Number(m[4]);
  const offsetMin = m[5] === 'Z' ? 0 : (m[5]!.startsWith('-') ? -1 : 1) * (Number(m[5]!.slice(1, 3)) * 60 + Number(m[5]!.slice(4, 6)));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! || hour > 23 || minute > 59 || Math.abs(offsetMin) > 14 * 60) {
    report(`${text} is not a real month-day time (month 1–12, day within the month, hour ≤ 23, minute ≤ 59)`);
    return undefined;
  }
  return { month, day, hour, minute, offsetMin };
}

/** Date.parse rolls 02-30 over to 03-02; reject that by reading the local date back. */
function sameCalendarDate(text: string, ms: number): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}).*?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return false;
  const off = m[6] === 'Z' ? 0 : (m[6]!.startsWith('-') ? -1 : 1) * (Number(m[6]!.slice(1, 3)) * 60 + Number(m[6]!.slice(4, 6)));
  const d = new Date(ms + off * 60_000);
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]);
}

/** The instant of a yearly time in the year `year` of its own local calendar (Feb 29 → Mar 1 in common years). */
export function yearlyInstantMs(t: YearlyInstant, year: number): number {
  return Date.UTC(year, t.month - 1, t.day, t.hour, t.minute) - t.offsetMin * 60_000;
}

/** Whether a grid's dates allow it at `atMs` (always, when it has none). Half-open: [start, end). */
export function inForceAt(f: InForce | undefined, atMs: number): boolean {
  if (f === undefined) return true;
  if (f.recurrence === 'once') return atMs >= f.startMs && atMs < f.endMs;
  // The year of the start's local calendar at atMs; the period that may hold atMs starts this year or last.
  const year = new Date(atMs + f.startAt.offsetMin * 60_000).getUTCFullYear();
  for (const y of [year, year - 1]) {
    const s = yearlyInstantMs(f.startAt, y);
    let e = yearlyInstantMs(f.endAt, y);
    if (e <= s) e = yearlyInstantMs(f.endAt, y + 1); // wraps past New Year
    if (atMs >= s && atMs < e) return true;
  }
  return false;
}

/**
 * Instants around `atMs` where `f` switches (starts and ends of the periods of the years around it),
 * so a caller can cache an in-force answer until the next one. Empty when `f` never switches.
 */
export function inForceSwitches(f: InForce | undefined, atMs: number): number[] {
  if (f === undefined) return [];
  if (f.recurrence === 'once') return [f.startMs, f.endMs];
  const year = new Date(atMs + f.startAt.offsetMin * 60_000).getUTCFullYear();
  const out: number[] = [];
  for (let y = year - 2; y <= year + 2; y++) out.push(yearlyInstantMs(f.startAt, y), yearlyInstantMs(f.endAt, y));
  return out;
}

/**
 * The motor-trawl prohibited zone (机轮拖网禁渔区) west of the no-trawl line: the line from north to
 * south, closed on land along the parallels of its ends to `closeLon` (117°E). See the file comment
 * for what is approximate. Undefined when the line does not run north → south or crosses `closeLon`.
 */
export function noTrawlZone(line: GridDef, closeLon = 117): GridDef | undefined {
  if (line.shape.type !== 'line') return undefined;
  const pts = [...line.shape.coordinates];
  if (pts[0]![1] < pts[pts.length - 1]![1]) pts.reverse();
  if (pts.some(([lon]) => lon <= closeLon)) return undefined;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const ring: [number, number][] = [...pts.map(([lon, lat]) => [lon, lat] as [number, number]), [closeLon, last[1]], [closeLon, first[1]], [first[0], first[1]]];
  return Object.freeze({
    id: 'CN-TRAWL-ZONE',
    layer: 'zone',
    kind: 'no_fishing_zone',
    nameZh: '机轮拖网禁渔区（黄海、东海段，禁渔区线以西）',
    nameEn: 'Motor-trawl prohibited zone (Yellow Sea / East China Sea segment, landward of the line)',
    shape: { type: 'area', polygons: [[ring]] },
    approximate: true,
    source: 'derived',
    props: Object.freeze({
      id: 'CN-TRAWL-ZONE',
      kind: 'no_fishing_zone',
      derivedFrom: line.id,
      rule: 'motor trawling prohibited landward (west) of the line, all year',
      note: `the line ${line.id} closed on land along the parallels of its ends to ${closeLon}°E; includes land and inland waters; nothing north of ${first[1].toFixed(4)}°N (the Bohai segment is not in the refdata)`,
    }),
  } satisfies GridDef);
}

/** The default grid files in `fixtures/geo/` and how each is read. */
export const DEFAULT_GRID_FILES: readonly Omit<GridFileOptions, 'takenIds'>[] = [
  { file: 'ecs-fishing-grounds-approx.geojson', layer: 'static', defaultKind: 'fishing_ground' },
  { file: 'zhoushan-fixture-grids.geojson' },
  { file: 'cn-fisheries-agreement-zones.geojson' },
  { file: 'zhoushan-anchorages-lanes.geojson' },
];

/**
 * Parse the grid files (`read` gives a file's text by name, throwing when it cannot: reading is the
 * composition root's, app/refdata.ts), plus the derived no-trawl zone. Ids must be unique across
 * all files; every problem of every file is reported at once.
 */
export function loadSeaGrids(read: (file: string) => string, files: readonly Omit<GridFileOptions, 'takenIds'>[] = DEFAULT_GRID_FILES): GridFileResult {
  const grids: GridDef[] = [];
  const problems: GridFileProblem[] = [];
  const taken = new Set<string>();
  for (const spec of files) {
    let text: string;
    try {
      text = read(spec.file);
    } catch (e) {
      problems.push({ code: 'grid.json', file: spec.file, reason: (e as Error).message });
      continue;
    }
    const r = parseGridFile(text, { ...spec, takenIds: taken });
    if (!r.ok) problems.push(...r.problems);
    else for (const g of r.grids) grids.push(g), taken.add(g.id);
  }
  if (problems.length > 0) return { ok: false, problems };
  const line = grids.find((g) => g.kind === 'no_trawl_line');
  const zone = line && noTrawlZone(line);
  if (zone && !taken.has(zone.id)) grids.push(zone);
  return { ok: true, grids };
}
