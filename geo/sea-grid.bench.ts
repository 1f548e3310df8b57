import { seededRandom } from '../model/index.js';
import { latLonToCell } from './cells.js';
import { fixtureSeaGrids } from './test-support.js';
import { SeaGridIndex } from './sea-grid.js';

/**
 * Grid assignment rate on one core: the res-7 index of every fixture grid (15 static, 12 control,
 * 3 patrol, zones incl. the moratorium bands and the derived no-trawl zone), 10,000 vessels spread
 * over 28.5–31.5°N × 121–125°E (the Zhoushan grounds and around), each at its own 0–15 kn (uniform)
 * on a course that turns a little now and then, one fix every 10 s. A round is a 10-minute window
 * (60 fixes per vessel, 600,000 fixes), built before the clock starts; each round continues the
 * tracks where the last one stopped, after an untimed first hour at sea (steady state: the answers
 * of the cells the fleet sails in are cached, as in a service that has been running; a cell's
 * first visit costs a few µs more). Times are July, so the moratorium zone is looked up too.
 */
export const title = 'sea grids: static-grid assignment (H3 res 7)';

/** bench/types.ts BenchResult, restated: geo/ may import only model/. */
interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly notes?: string;
  readonly goal?: { readonly op: '>='; readonly target: number };
}

const VESSELS = 10_000;
const STEPS = 60;
const STEP_MS = 10_000;
const T0 = Date.parse('2025-07-10T00:00:00Z');
/** Windows sailed before timing starts (6 × 10 min). */
const WARM_WINDOWS = 6;

interface Fleet {
  lat: Float64Array;
  lon: Float64Array;
  sogKn: Float64Array;
  cogRad: Float64Array;
  tMs: number;
  readonly rand: () => number;
}

interface State {
  readonly index: SeaGridIndex;
  readonly ids: readonly string[];
  readonly slots: Int32Array;
  readonly fleet: Fleet;
  readonly buildMs: number;
}

let state: State | undefined;

function setup(): State {
  const loaded = fixtureSeaGrids();
  if (!loaded.ok) throw new Error(`grid files: ${JSON.stringify(loaded.problems)}`);
  const t0 = performance.now();
  const index = SeaGridIndex.build(loaded.grids, { res: 7 });
  const buildMs = performance.now() - t0;
  const fleet: Fleet = {
    lat: new Float64Array(VESSELS),
    lon: new Float64Array(VESSELS),
    sogKn: new Float64Array(VESSELS),
    cogRad: new Float64Array(VESSELS),
    tMs: T0,
    rand: seededRandom(12345),
  };
  for (let i = 0; i < VESSELS; i++) {
    fleet.lat[i] = 28.5 + fleet.rand() * 3;
    fleet.lon[i] = 121 + fleet.rand() * 4;
    fleet.sogKn[i] = fleet.rand() * 15;
    fleet.cogRad[i] = fleet.rand() * 2 * Math.PI;
  }
  const ids = Array.from({ length: VESSELS }, (_, i) => `41200${String(i).padStart(4, '0')}`);
  const slots = Int32Array.from(ids, (id) => index.vesselSlot(`slot:${id}`));
  // An hour at sea before the clock starts, as in a running service: the answers of the cells the
  // fleet sails in are built (a one-off cost per cell: centre, edges, grids), memos are warm.
  for (let h = 0; h < WARM_WINDOWS; h++) {
    const w = nextWindow(fleet);
    for (let k = 0; k < w.lat.length; k++) {
      index.assignFor(ids[w.vessel[k]!]!, w.lat[k]!, w.lon[k]!, w.tMs[k]!);
      index.assignForSlot(slots[w.vessel[k]!]!, w.lat[k]!, w.lon[k]!, w.tMs[k]!);
    }
  }
  return { index, ids, slots, fleet, buildMs };
}

/** The next window of fixes, step-major (all vessels at t, then at t + 10 s …). */
function nextWindow(f: Fleet): { lat: Float64Array; lon: Float64Array; vessel: Int32Array; tMs: Float64Array } {
  const n = VESSELS * STEPS;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const vessel = new Int32Array(n);
  const tMs = new Float64Array(n);
  let k = 0;
  for (let s = 0; s < STEPS; s++) {
    f.tMs += STEP_MS;
    for (let i = 0; i < VESSELS; i++) {
      if (f.rand() < 0.02) f.cogRad[i] = f.cogRad[i]! + (f.rand() - 0.5);
      const nm = (f.sogKn[i]! * STEP_MS) / 3_600_000;
      let la = f.lat[i]! + (nm * Math.cos(f.cogRad[i]!)) / 60;
      let lo = f.lon[i]! + (nm * Math.sin(f.cogRad[i]!)) / (60 * Math.cos((la * Math.PI) / 180));
      // Turn back at the edge of the area so the fleet stays on the grounds.
      if (la < 28.5 || la > 31.5 || lo < 121 || lo > 125) {
        f.cogRad[i] = f.cogRad[i]! + Math.PI;
        la = f.lat[i]!;
        lo = f.lon[i]!;
      }
      f.lat[i] = la;
      f.lon[i] = lo;
      lat[k] = la;
      lon[k] = lo;
      vessel[k] = i;
      tMs[k] = f.tMs;
      k++;
    }
  }
  return { lat, lon, vessel, tMs };
}

export async function run(): Promise<BenchResult[]> {
  state ??= setup();
  const { index, ids, slots, fleet } = state;
  const w = nextWindow(fleet);
  const n = w.lat.length;
  const before = index.stats();

  // The figure with the goal goes first, so it also pays for building the answers of any cell no
  // vessel had visited yet; the slot loop then runs the same fixes on its own memo set.
  let sink = 0;
  let start = process.hrtime.bigint();
  for (let k = 0; k < n; k++) sink += index.assignFor(ids[w.vessel[k]!]!, w.lat[k]!, w.lon[k]!, w.tMs[k]!).static.length;
  const memoNs = Number(process.hrtime.bigint() - start);
  const after = index.stats();
  const hitRate = (after.memoHits - before.memoHits) / n;

  start = process.hrtime.bigint();
  for (let k = 0; k < n; k++) sink += index.assignForSlot(slots[w.vessel[k]!]!, w.lat[k]!, w.lon[k]!, w.tMs[k]!).static.length;
  const slotNs = Number(process.hrtime.bigint() - start);

  start = process.hrtime.bigint();
  for (let k = 0; k < n; k++) sink += index.assign(w.lat[k]!, w.lon[k]!, w.tMs[k]!).static.length;
  const plainNs = Number(process.hrtime.bigint() - start);

  // Reference: the bare h3 call on the same fixes (what a no-memo design cannot beat).
  start = process.hrtime.bigint();
  for (let k = 0; k < n; k++) sink += latLonToCell(w.lat[k]!, w.lon[k]!, 7).length;
  const h3Ns = Number(process.hrtime.bigint() - start);
  if (sink < 0) throw new Error('unreachable');

  const workload = `${VESSELS} vessels at 0–15 kn, a fix every 10 s, ${n} fixes per round, one core`;
  return [
    {
      name: 'assignFor (per-vessel cell memo, by vesselId)',
      value: Math.round((n * 1e9) / memoNs),
      unit: 'fixes/s',
      notes: `${workload}; ${(hitRate * 100).toFixed(1)} % of fixes provably inside the last cell (no h3 call)`,
      goal: { op: '>=', target: 1_000_000 },
    },
    {
      name: 'assignForSlot (same memo, slot number kept by the caller)',
      value: Math.round((n * 1e9) / slotNs),
      unit: 'fixes/s',
      notes: 'the same fixes; vesselSlot once per vessel, then no string look-up per fix',
    },
    { name: 'assign (no memo: one h3 call per fix)', value: Math.round((n * 1e9) / plainNs), unit: 'fixes/s', notes: workload },
    { name: 'reference: bare h3 latLngToCell, same fixes', value: Math.round((n * 1e9) / h3Ns), unit: 'fixes/s', notes: 'no grid look-up at all' },
    {
      name: 'assignFor speed ÷ bare h3 speed, same round',
      value: Math.round((h3Ns / memoNs) * 100) / 100,
      unit: '×',
      notes: 'a ratio that a loaded shared machine moves less than the rates: > 1 means the memo beats any design that calls h3 per fix',
    },
    { name: 'index build, all fixture grids, res 7', value: Math.round(state.buildMs), unit: 'ms', notes: `${after.nodes} index entries, ${after.boundaryCells} boundary cells` },
  ];
}
