import { seededRandom } from '../model/index.js';
import type { VesselId } from '../model/index.js';
import { NeighbourIndex } from './neighbours.js';
import { EARTH_RADIUS_M, M_PER_NM } from './sphere.js';

/**
 * The neighbour index at East China Sea scale: 100,000 vessels, res-6 buckets.
 *
 * Distribution (seeded): 70,000 spread uniformly over the grounds 27–33°N, 121–127°E (≈ 0.17
 * vessels/km², each with about 7 others within 2 nm), and 30,000 in 30 clusters off the Zhoushan
 * ports and anchorages (Shenjiamen, Shengsi, Daishan, Shipu …), 1,000 each, Gaussian σ 1.5–4 km:
 * a harbour full of moored boats, the densest case a CPA screen meets.
 *
 * One round: every vessel moves one 10 s step (the spread ones at 6–12 kn on a fixed course, the
 * moored ones 0–5 m of swing) through `upsert`, then a full `sweep` at 2 nm (CPA screening) and
 * one at 6 nm. Ring geometry is cached per cell; the first (cold) sweep is reported separately.
 */
export const title = 'neighbour index: 100,000 vessels, H3 res 6';

const VESSELS = 100_000;
const SPREAD = 70_000;
const CLUSTERS = 30;
const STEP_S = 10;

interface State {
  readonly index: NeighbourIndex;
  readonly ids: VesselId[];
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Per-step displacement, degrees. */
  readonly dLat: Float64Array;
  readonly dLon: Float64Array;
  readonly coldSweepMs: number;
  readonly coldSetupMs: number;
  round: number;
}

let state: State | undefined;

const rng = seededRandom;

/**
 * The bench's vessels (seeded, see the header), shared with alerts/collision.bench.ts so the
 * collision rule is measured on the same sea: positions, the 10 s step, and SOG/COG (the clustered
 * ones moored: SOG 0, COG NaN).
 */
export interface BenchFleet {
  readonly ids: VesselId[];
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Per-step displacement, degrees. */
  readonly dLat: Float64Array;
  readonly dLon: Float64Array;
  readonly sogKn: Float64Array;
  readonly cogDeg: Float64Array;
  /** Seconds per step. */
  readonly stepS: number;
}

export function benchFleet(): BenchFleet {
  const rand = rng(42);
  const ids: VesselId[] = [];
  const lat = new Float64Array(VESSELS);
  const lon = new Float64Array(VESSELS);
  const dLat = new Float64Array(VESSELS);
  const dLon = new Float64Array(VESSELS);
  const sogKn = new Float64Array(VESSELS);
  const cogDeg = new Float64Array(VESSELS).fill(NaN);
  const degPerM = 180 / (Math.PI * EARTH_RADIUS_M);
  for (let i = 0; i < SPREAD; i++) {
    lat[i] = 27 + 6 * rand();
    lon[i] = 121 + 6 * rand();
    sogKn[i] = 6 + 6 * rand();
    const m = sogKn[i]! * (M_PER_NM / 3600) * STEP_S;
    const c = 2 * Math.PI * rand();
    cogDeg[i] = c * (180 / Math.PI);
    dLat[i] = m * Math.cos(c) * degPerM;
    dLon[i] = (m * Math.sin(c) * degPerM) / Math.cos(lat[i]! * (Math.PI / 180));
  }
  const ports = [
    [29.94, 122.3],
    [30.02, 122.12],
    [29.72, 122.26],
    [30.25, 122.2],
    [30.72, 122.45],
    [30.35, 122.05],
    [29.45, 122.0],
    [29.1, 121.95],
    [28.45, 121.9],
    [30.62, 122.75],
  ];
  for (let c = 0; c < CLUSTERS; c++) {
    const [plat, plon] = ports[c % ports.length]!;
    const clat = plat! + (rand() - 0.5) * 0.15;
    const clon = plon! + (rand() - 0.5) * 0.15;
    const sigma = 1500 + 2500 * rand();
    for (let k = 0; k < (VESSELS - SPREAD) / CLUSTERS; k++) {
      const i = SPREAD + c * ((VESSELS - SPREAD) / CLUSTERS) + k;
      const g = Math.sqrt(-2 * Math.log(1 - rand())) * sigma;
      const b = 2 * Math.PI * rand();
      lat[i] = clat + g * Math.cos(b) * degPerM;
      lon[i] = clon + (g * Math.sin(b) * degPerM) / Math.cos(clat * (Math.PI / 180));
      const swing = 5 * rand();
      dLat[i] = swing * Math.cos(b) * degPerM;
      dLon[i] = swing * Math.sin(b) * degPerM;
    }
  }
  for (let i = 0; i < VESSELS; i++) ids.push(String(412_000_000 + i) as VesselId);
  return { ids, lat, lon, dLat, dLon, sogKn, cogDeg, stepS: STEP_S };
}

function setup(): State {
  const { ids, lat, lon, dLat, dLon } = benchFleet();
  const index = new NeighbourIndex({ res: 6 });
  const t0 = performance.now();
  for (let i = 0; i < VESSELS; i++) index.upsert(ids[i]!, lat[i]!, lon[i]!);
  const t1 = performance.now();
  index.sweep(2, () => {});
  index.sweep(6, () => {});
  const t2 = performance.now();
  return { index, ids, lat, lon, dLat, dLon, coldSetupMs: t1 - t0, coldSweepMs: t2 - t1, round: 0 };
}

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string }[]> {
  state ??= setup();
  const s = state;
  // Out and back every 20 rounds so the spread keeps its shape however long the bench runs.
  const dir = Math.floor(s.round++ / 20) % 2 === 0 ? 1 : -1;
  const lookupsBefore = s.index.cellLookups;
  const u0 = process.hrtime.bigint();
  for (let i = 0; i < VESSELS; i++) {
    s.lat[i] = s.lat[i]! + dir * s.dLat[i]!;
    s.lon[i] = s.lon[i]! + dir * s.dLon[i]!;
    s.index.upsert(s.ids[i]!, s.lat[i]!, s.lon[i]!);
  }
  const upsertNs = Number(process.hrtime.bigint() - u0);
  const lookups = s.index.cellLookups - lookupsBefore;
  let sink = 0;
  const visit = (_a: VesselId, _b: VesselId, d: number): void => {
    sink += d;
  };
  const w0 = process.hrtime.bigint();
  const s2 = s.index.sweep(2, visit);
  const w1 = process.hrtime.bigint();
  const s6 = s.index.sweep(6, visit);
  const w2 = process.hrtime.bigint();
  if (!(sink > 0)) throw new Error('sweep found nothing');
  const pct = (x: number, of: number): string => `${((100 * x) / of).toPrecision(3)} %`;
  const describe = (st: typeof s2): string =>
    `${st.pairsExamined.toLocaleString('en')} pairs examined of ${st.allPairs.toLocaleString('en')} all-pairs (${pct(st.pairsExamined, st.allPairs)}), ` +
    `${st.pairsFound.toLocaleString('en')} found (${pct(st.pairsFound, st.pairsExamined)} of examined)`;
  return [
    { name: 'sweep 2 nm (CPA screen)', value: Number(w1 - w0) / 1e6, unit: 'ms', notes: describe(s2) },
    { name: 'sweep 2 nm: pairs examined', value: s2.pairsExamined, unit: 'pairs', notes: `all-pairs n(n−1)/2 = ${s2.allPairs.toLocaleString('en')}` },
    { name: 'sweep 2 nm: pairs found', value: s2.pairsFound, unit: 'pairs' },
    { name: 'sweep 6 nm', value: Number(w2 - w1) / 1e6, unit: 'ms', notes: describe(s6) },
    {
      name: 'upsert, one 10 s step of every vessel',
      value: Math.round((VESSELS * 1e9) / upsertNs),
      unit: 'upserts/s',
      notes: `${lookups} of ${VESSELS} needed an h3 look-up (left the inscribed cap); ${s.index.size} vessels`,
    },
    {
      name: 'cold start: 100,000 first upserts + first sweeps (ring geometry)',
      value: Math.round(s.coldSetupMs + s.coldSweepMs),
      unit: 'ms',
      notes: `upserts ${Math.round(s.coldSetupMs)} ms, first 2 nm + 6 nm sweeps ${Math.round(s.coldSweepMs)} ms (once per cell, then cached)`,
    },
  ];
}
