import { asMmsi, VesselRegistry, type BeidouCard, type Mmsi, type PositionReport, type PositionSource, type VesselFile, type VesselId } from '../model/index.js';
import { LivePicture } from './live-picture.js';

/**
 * `LivePicture.applyPosition` on one core, steady state: 8,000 registered hulls (a quarter also
 * with a BeiDou card) whose 200-point track rings are already full, each sending AIS every 10 s
 * (and the carded ones BeiDou every 3 min). A window of 25 steps (≈ 200k reports, built once, in
 * the one object shape `ingest/normalize` emits) is applied per round, its times moved on by the
 * window each round so the picture keeps moving forward. The second figure hears every AIS fix
 * twice (two receivers): half its reports take the duplicate path.
 */
export const title = 'live picture: applyPosition';

const VESSELS = 8000;
const STEPS = 25;
const STEP_MS = 10_000;
const WINDOW_MS = STEPS * STEP_MS;
const T0 = Date.parse('2025-10-12T03:15:00Z');

/** Same key order as ingest/normalize builds, so the hot path sees one shape. */
interface MutableReport {
  source: PositionSource;
  mmsi: Mmsi | undefined;
  beidouCard: BeidouCard | undefined;
  atMs: number;
  receivedAtMs: number;
  lat: number;
  lon: number;
  sogKn: number | undefined;
  cogDeg: number | undefined;
  headingDeg: number | undefined;
  rotDegMin: number | undefined;
  navStatus: number | undefined;
  receiver: string | undefined;
  utcSecond: number | undefined;
}

interface State {
  readonly picture: LivePicture;
  readonly plain: Window;
  readonly doubled: Window;
}

let state: State | undefined;

/** Where vessel i is at tMs: a deterministic spread over the Zhoushan grounds, 5–12 kn, fixed course. */
function place(i: number, tMs: number): { lat: number; lon: number; sogKn: number; cogDeg: number } {
  const sogKn = 5 + (i % 8);
  const cogDeg = (i * 37) % 360;
  // Sail out and back over a 2-hour cycle so positions stay in the area however long the bench runs.
  const phase = ((tMs - T0) / 3_600_000) % 2;
  const hours = phase < 1 ? phase : 2 - phase;
  const nm = sogKn * hours;
  const lat0 = 29 + ((i * 7919) % 2000) / 1000;
  const lon0 = 122 + ((i * 104729) % 2000) / 1000;
  const c = cogDeg * (Math.PI / 180);
  return { lat: lat0 + (nm * Math.cos(c)) / 60, lon: lon0 + (nm * Math.sin(c)) / (60 * Math.cos(lat0 * (Math.PI / 180))), sogKn, cogDeg };
}

function aisReport(mmsi: Mmsi, i: number, t: number, receiver: string): MutableReport {
  const p = place(i, t);
  return {
    source: 'ais',
    mmsi,
    beidouCard: undefined,
    atMs: t,
    receivedAtMs: t,
    lat: p.lat,
    lon: p.lon,
    sogKn: p.sogKn,
    cogDeg: p.cogDeg,
    headingDeg: p.cogDeg,
    rotDegMin: 0,
    navStatus: 7,
    receiver,
    utcSecond: Math.floor(t / 1000) % 60,
  };
}

function beidouReport(card: BeidouCard, i: number, t: number): MutableReport {
  const p = place(i, t);
  return {
    source: 'beidou',
    mmsi: undefined,
    beidouCard: card,
    atMs: t,
    receivedAtMs: t,
    lat: p.lat,
    lon: p.lon,
    sogKn: p.sogKn,
    cogDeg: p.cogDeg,
    headingDeg: undefined,
    rotDegMin: undefined,
    navStatus: undefined,
    receiver: card,
    utcSecond: undefined,
  };
}

/** A window of reports in time order, with what `advance` needs to move them on. */
interface Window {
  readonly reports: MutableReport[];
  /** Vessel index and fix time (a copy is received 0.7 s after its fix) per report. */
  readonly vessel: Int32Array;
  readonly lagMs: Int32Array;
}

/** Reports of one window starting at `from`; `twice`: each AIS fix also from a second receiver 0.7 s later. */
function window(files: readonly VesselFile[], from: number, twice: boolean): Window {
  const reports: MutableReport[] = [];
  const vessel: number[] = [];
  const lag: number[] = [];
  const add = (r: MutableReport, i: number, lagMs: number): void => {
    reports.push(r);
    vessel.push(i);
    lag.push(lagMs);
  };
  for (let step = 0; step < STEPS; step++) {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const t = from + step * STEP_MS + (i % STEP_MS);
      add(aisReport(f.mmsi!, i, t, 'rx1'), i, 0);
      if (twice) {
        const copy = aisReport(f.mmsi!, i, t, 'rx2');
        copy.atMs += 700;
        copy.receivedAtMs += 700;
        add(copy, i, 700);
      }
      // Every 18 steps (3 min): the BeiDou fix of carded hulls, 5 s after the AIS one.
      if (f.beidouCard !== undefined && (Math.round((from - T0) / STEP_MS) + step) % 18 === 9) add(beidouReport(f.beidouCard, i, t + 5000), i, 0);
    }
  }
  return { reports, vessel: Int32Array.from(vessel), lagMs: Int32Array.from(lag) };
}

/** Moves a window on by `n` windows: later times, the places of those times (untimed). */
function advance(w: Window, n: number): void {
  const dt = n * WINDOW_MS;
  w.reports.forEach((r, k) => {
    r.atMs += dt;
    r.receivedAtMs += dt;
    if (r.utcSecond !== undefined) r.utcSecond = Math.floor((r.atMs - w.lagMs[k]!) / 1000) % 60;
    const p = place(w.vessel[k]!, r.atMs - w.lagMs[k]!);
    r.lat = p.lat;
    r.lon = p.lon;
  });
}

function setup(): State {
  const files: VesselFile[] = [];
  for (let i = 0; i < VESSELS; i++) {
    const mmsi = asMmsi(412_000_000 + i);
    const card = i % 4 === 0 ? (String(3_000_000 + i) as BeidouCard) : undefined;
    files.push({ vesselId: String(mmsi) as VesselId, name: `浙普渔${60000 + i}`, mmsi, beidouCard: card });
  }
  const picture = new LivePicture(new VesselRegistry(files));
  // Fill every track ring (200 points) before anything is timed.
  for (let w = 0; w * STEPS < 220; w++) for (const r of window(files, T0 + w * WINDOW_MS, false).reports) picture.applyPosition(r);
  const next = T0 + Math.ceil(220 / STEPS) * WINDOW_MS;
  return { picture, plain: window(files, next, false), doubled: window(files, next + WINDOW_MS, true) };
}

function timed(picture: LivePicture, reports: readonly MutableReport[]): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < reports.length; i++) picture.applyPosition(reports[i]!);
  return Number(process.hrtime.bigint() - start);
}

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string; goal?: { op: '>='; target: number } }[]> {
  state ??= setup();
  const { picture, plain, doubled } = state;
  const before = { ...picture.counters };
  const plainNs = timed(picture, plain.reports);
  const dupNs = timed(picture, doubled.reports);
  // Both windows move on by two: plain covers [k, k+1), doubled [k+1, k+2).
  advance(plain, 2);
  advance(doubled, 2);
  const c = picture.counters;
  const rejected = c.jumpsRejected + c.rejected - before.jumpsRejected - before.rejected;
  const dups = c.duplicates - before.duplicates;
  if (rejected > 0 || dups * 2 < doubled.reports.length * 0.9) throw new Error(`unexpected outcomes: ${rejected} rejected, ${dups} duplicates`);
  const notes = `${VESSELS} registered vessels, full 200-point tracks, ${plain.reports.length} reports per round, one core`;
  return [
    { name: 'applyPosition, known vessels', value: Math.round((plain.reports.length * 1e9) / plainNs), unit: 'reports/s', notes, goal: { op: '>=', target: 1_000_000 } },
    {
      name: 'applyPosition, every AIS fix heard twice',
      value: Math.round((doubled.reports.length * 1e9) / dupNs),
      unit: 'reports/s',
      notes: `${doubled.reports.length} reports per round, half of them duplicates`,
    },
  ];
}
