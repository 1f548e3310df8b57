/**
 * Reference data from files, read in one place: the vessel registry (一船一档), the sea-grid
 * GeoJSON and the planned routes. The parsers (model/registry-file.ts, geo/grid-file.ts) are pure; this module does the
 * reading and turns every problem into one start-up error that lists them all.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAlertPolicy, parseRouteFile, RouteBook, type AlertPolicyFile } from '../alerts/index.js';
import { DEFAULT_GRID_FILES, fishingZoneOf, loadSeaGrids, type GridDef } from '../geo/index.js';
import { parseRegistry, registryFormatOf, VesselRegistry } from '../model/index.js';
import { DEFAULT_POLICY_FILE } from './alert-rules.js';

/**
 * The package's `fixtures/geo/`, found from this module's own place so it works from `app/*.ts`
 * (tests, tsx) and from `dist/app/*.js` alike: the nearest ancestor holding the first grid file.
 */
export function packageGridDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'fixtures', 'geo');
    try {
      readFileSync(join(candidate, DEFAULT_GRID_FILES[0]!.file));
      return candidate;
    } catch {
      dir = resolve(dir, '..');
    }
  }
  return resolve('fixtures', 'geo');
}

/** The sea grids of `dir` (default: the shipped Zhoushan grids); throws one error naming every problem. */
export function readSeaGrids(dir: string = packageGridDir()): readonly GridDef[] {
  const loaded = loadSeaGrids((file) => readFileSync(join(dir, file), 'utf8'));
  if (loaded.ok) return loaded.grids;
  const lines = loaded.problems.map((p) => `${p.file}${p.featureIndex === undefined ? '' : ` feature ${p.featureIndex}`}${p.featureId === undefined ? '' : ` (${p.featureId})`}: ${p.code}: ${p.reason}`);
  throw new Error(`sea grids in ${dir}: ${lines.join('; ')}`);
}

/** The registry file (CSV or JSON, by extension); none given: an empty registry. Throws naming every problem. */
export function readRegistry(file: string | undefined): VesselRegistry {
  if (file === undefined) return VesselRegistry.empty();
  const format = registryFormatOf(file);
  if (format === undefined) throw new Error(`REGISTRY_FILE ${file}: expected .csv or .json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`REGISTRY_FILE ${file}: ${(e as Error).message}`);
  }
  const parsed = parseRegistry(text, format);
  if (!parsed.ok) throw new Error(`REGISTRY_FILE ${file}: ${parsed.detail ?? parsed.code}`);
  return new VesselRegistry(parsed.value);
}

/** ALERT_POLICY_FILE, its override grids checked against the grids the service runs with (and the 渔区 lattice); none given: the defaults. Throws naming the field. */
export function readAlertPolicy(file: string | undefined, grids: readonly GridDef[]): AlertPolicyFile {
  if (file === undefined) return DEFAULT_POLICY_FILE;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`ALERT_POLICY_FILE ${file}: ${(e as Error).message}`);
  }
  const ids = new Set(grids.map((g) => g.id));
  const known = (id: string): boolean => ids.has(id) || isFishingZoneId(id);
  const parsed = parseAlertPolicy(text, known);
  if (!parsed.ok) throw new Error(`ALERT_POLICY_FILE ${file}: ${parsed.code}${parsed.detail === undefined ? '' : `: ${parsed.detail}`}`);
  return parsed.value;
}

/** A 渔区 zone or sub-zone id on the lattice: the id the lattice itself gives a point inside it. */
function isFishingZoneId(id: string): boolean {
  const m = /^FZ-N(\d{2})(\d{2})-E(\d{3})(\d{2})(?:-([1-9]))?$/.exec(id);
  if (!m) return false;
  const south = Number(m[1]) + Number(m[2]) / 60;
  const west = Number(m[3]) + Number(m[4]) / 60;
  // The sub-zone's centre (keypad order, north row 1–3), or the zone's centre.
  const k = m[5] === undefined ? 4 : Number(m[5]) - 1;
  const ref = fishingZoneOf(south + (2 - Math.floor(k / 3) + 0.5) / 6, west + ((k % 3) + 0.5) / 6);
  return ref !== undefined && (m[5] === undefined ? ref.zoneId === id : ref.id === id);
}

/** Planned routes (ROUTES_FILE, alerts/route-book.ts's format); none given: an empty book. Throws naming the problem. */
export function readRoutes(file: string | undefined): RouteBook {
  if (file === undefined) return new RouteBook();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`ROUTES_FILE ${file}: ${(e as Error).message}`);
  }
  const parsed = parseRouteFile(text);
  if (!parsed.ok) throw new Error(`ROUTES_FILE ${file}: ${parsed.code}${parsed.detail === undefined ? '' : `: ${parsed.detail}`}`);
  return new RouteBook(parsed.value);
}
