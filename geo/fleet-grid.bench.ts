import { VesselRegistry, type FleetId, type VesselFile, type VesselId } from '../model/index.js';
import { FleetGrids } from './fleet-grid.js';

/**
 * Fleet grids at Zhoushan scale: 8,000 registered vessels in 770 fleet groups (10–11 each), every
 * vessel one fix per 10 s. Each fleet sails at 8 kn on its own course with members spread over
 * about ±2 nm around it. One round is 60 s of feed (48,000 fixes) with, every second, `tick` and
 * `changedSince` (views of the changed fleets built, as the push would ask for them).
 */
export const title = 'fleet grids: 8,000 vessels × 770 fleets';

const VESSELS = 8000;
const FLEETS = 770;
const ROUND_S = 60;
const FIX_EVERY_S = 10;
const T0 = Date.parse('2025-10-12T03:00:00Z');

interface State {
  readonly grids: FleetGrids;
  readonly ids: VesselId[];
  cursor: number;
  second: number;
}

let state: State | undefined;

/** Where vessel i is at second t: its fleet's track (out and back every 2 h) plus its own offset. */
function place(i: number, t: number): { lat: number; lon: number } {
  const f = i % FLEETS;
  const course = ((f * 137) % 360) * (Math.PI / 180);
  const phase = (t / 3600) % 2;
  const nm = 8 * (phase < 1 ? phase : 2 - phase);
  const lat0 = 28.5 + ((f * 7919) % 3000) / 1000;
  const lon0 = 121.5 + ((f * 104729) % 3000) / 1000;
  const offN = (((i * 31) % 41) - 20) / 10; // −2 … 2 nm
  const offE = (((i * 17) % 41) - 20) / 10;
  const lat = lat0 + (nm * Math.cos(course) + offN) / 60;
  return { lat, lon: lon0 + (nm * Math.sin(course) + offE) / (60 * Math.cos(lat0 * (Math.PI / 180))) };
}

function setup(): State {
  const files: VesselFile[] = [];
  const ids: VesselId[] = [];
  for (let i = 0; i < VESSELS; i++) {
    const vesselId = String(412_000_000 + i) as VesselId;
    ids.push(vesselId);
    files.push({ vesselId, name: `浙岱渔${10000 + i}`, fleetId: `fleet-${i % FLEETS}` as FleetId });
  }
  const grids = new FleetGrids(new VesselRegistry(files));
  const s: State = { grids, ids, cursor: 0, second: 0 };
  feed(s, 60); // a minute in: everyone located, every footprint built
  return s;
}

/** Fixes of the next `seconds` seconds, built before timing. */
function fixes(s: State, seconds: number): { v: Int32Array; lat: Float64Array; lon: Float64Array; at: Float64Array; perSecond: number } {
  const perSecond = VESSELS / FIX_EVERY_S;
  const n = perSecond * seconds;
  const v = new Int32Array(n);
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const at = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const sec = s.second + Math.floor(k / perSecond);
    const i = (sec % FIX_EVERY_S) * perSecond + (k % perSecond);
    const p = place(i, sec);
    v[k] = i;
    lat[k] = p.lat;
    lon[k] = p.lon;
    at[k] = T0 + sec * 1000;
  }
  return { v, lat, lon, at, perSecond };
}

function feed(s: State, seconds: number): { updateNs: number; pushNs: number; views: number } {
  const f = fixes(s, seconds);
  let updateNs = 0;
  let pushNs = 0;
  let views = 0;
  for (let sec = 0; sec < seconds; sec++) {
    const a = process.hrtime.bigint();
    for (let k = sec * f.perSecond; k < (sec + 1) * f.perSecond; k++) s.grids.update(s.ids[f.v[k]!]!, f.lat[k]!, f.lon[k]!, f.at[k]!);
    const b = process.hrtime.bigint();
    s.grids.tick(T0 + (s.second + sec + 1) * 1000);
    const changes = s.grids.changedSince(s.cursor);
    s.cursor = changes.cursor;
    views += changes.fleets.length;
    const c = process.hrtime.bigint();
    updateNs += Number(b - a);
    pushNs += Number(c - b);
  }
  s.second += seconds;
  return { updateNs, pushNs, views };
}

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string }[]> {
  state ??= setup();
  const outlinesBefore = state.grids.counters.footprints;
  const { updateNs, pushNs, views } = feed(state, ROUND_S);
  const outlines = state.grids.counters.footprints - outlinesBefore;
  const fixesPerRound = (VESSELS / FIX_EVERY_S) * ROUND_S;
  return [
    { name: 'update', value: Math.round((fixesPerRound * 1e9) / updateNs), unit: 'updates/s', notes: `${fixesPerRound} fixes per round` },
    {
      name: 'one second of feed: 800 updates + tick + changedSince',
      value: (updateNs + pushNs) / 1e6 / ROUND_S,
      unit: 'ms',
      notes: `${Math.round(views / ROUND_S)} fleet views rebuilt per second, ${outlines} footprint outlines per minute (a member changed cell)`,
    },
  ];
}
