/**
 * Voyage replay (issue 15 §1; not replay-command.ts, which replays NMEA captures): which vessels a
 * request names (a list, a fleet from the registry, or a grid: those in it at the start plus those
 * that crossed its edge in the window), their stored tracks downsampled keeping turns
 * (geo/replay-simplify.ts), and the alerts and grid events to play with them.
 */
import { keepTurns } from '../geo/index.js';
import type { VesselId } from '../model/index.js';
import { replayFloat, type ReplayQuery, type ReplayTrack, type Store, type StoredReplay } from '../store/index.js';
import type { ReplayTrackView, ReplayView } from '../web/index.js';
import { alertView, gridEventView, REPLAY_MAX_VESSELS } from '../web/index.js';

/** Points all tracks of one answer may keep together (~25 bytes of JSON each). */
const POINT_BUDGET = 200_000;
/** Per vessel: at least this many when the budget is shared by many, at most this many. */
const MIN_POINTS = 100;
const MAX_POINTS = 5_000;
/** A dropped fix replays at most this far (m) from where it was, while the budget lasts. */
export const REPLAY_TOLERANCE_M = 10;
const ALERT_LIMIT = 2_000;
const EVENT_LIMIT = 20_000;

export type ReplaySubject = { readonly vesselIds: readonly string[] } | { readonly fleetId: string } | { readonly gridId: string };

export interface ReplayDeps {
  readonly store: Pick<Store, 'voyageReplay' | 'gridVisitors' | 'pictureAt' | 'vesselsInBox'>;
  /** A fleet's members from the registry (empty: no such fleet). */
  fleetMembers(fleetId: string): readonly VesselId[];
  /** Whether a place is in the grid at a moment (the grids in force then). */
  inGridAt(gridId: string, lat: number, lon: number, atMs: number): boolean;
  /** A grid's bounding box [west, south, east, north]; undefined: not known (every vessel's last fix is tested). */
  gridBox?(gridId: string): readonly [number, number, number, number] | undefined;
  /** The registry's name and fleet of a vessel. */
  fileOf(vesselId: string): { readonly name: string | null; readonly fleetId: string | null };
}

/** A grid's candidates are read in this many parts at once (read connections; see voyageReplay). */
const READ_PARTS = 4;
/** … each of at least this many vessels. */
const MIN_PART = 8;

/** undefined: no such fleet. Over REPLAY_MAX_VESSELS vessels, the first by id are played and `vesselsCut` says how many were not. */
export async function voyageReplay(d: ReplayDeps, subject: ReplaySubject, fromMs: number, toMs: number): Promise<ReplayView | undefined> {
  let ids: VesselId[];
  let gridId: string | undefined;
  /** Tracks already read (a grid's candidates), by vessel; and the records of a superset of the vessels. */
  let read: Map<string, ReplayTrack> | undefined;
  let early: Promise<StoredReplay> | undefined;
  let kept: Map<string, Kept> | undefined;
  const q = { fromMs, toMs, eventLimit: EVENT_LIMIT, alertLimit: ALERT_LIMIT };
  if ('vesselIds' in subject) ids = subject.vesselIds as VesselId[];
  else if ('fleetId' in subject) {
    ids = [...d.fleetMembers(subject.fleetId)];
    if (ids.length === 0) return undefined;
  } else {
    gridId = subject.gridId;
    ({ ids, read, records: early, kept } = await gridVessels(d, gridId, { ...q, gridId }));
  }
  const all = [...new Set(ids)].sort();
  ids = all.slice(0, REPLAY_MAX_VESSELS);
  const rq = { ...q, ...(gridId === undefined ? {} : { gridId }), vesselIds: ids, tracks: false };
  const [tracks, records] = await Promise.all([
    read === undefined ? readTracks(d, ids, { ...q, records: false }) : ids.flatMap((id) => read.get(id) ?? []).filter((tr) => tr.t.length > 0),
    early === undefined ? d.store.voyageReplay(rq) : early.then((r) => recordsOf(r, ids) ?? d.store.voyageReplay(rq)),
  ]);
  const perVessel = pointsPerVessel(tracks.length);
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    toleranceM: REPLAY_TOLERANCE_M,
    vessels: tracks.map((tr) => trackView(tr, keptOf(tr, perVessel, kept?.get(tr.vesselId)), d.fileOf(tr.vesselId))),
    vesselsCut: all.length - ids.length,
    alerts: records.alerts.map((changes) => ({
      alert: alertView(changes[changes.length - 1]!.alert),
      history: changes.map((c) => ({ seq: c.seq, action: c.action, at: new Date(c.atMs).toISOString(), actor: c.actor, state: c.alert.state, severity: c.alert.severity, cleared: c.alert.cleared === true })),
    })),
    gridEvents: records.gridEvents.map(gridEventView),
    gridEventsCut: records.gridEventsCut,
  };
}

/**
 * The records of `ids` out of those read for a superset of them (a grid's candidates): the alerts
 * naming one of them, their grid events. undefined when a limit cut the superset's, so that the
 * vessels' own may differ: then they are read again.
 */
function recordsOf(r: StoredReplay, ids: readonly VesselId[]): StoredReplay | undefined {
  if (r.gridEventsCut || r.alerts.length >= ALERT_LIMIT) return undefined;
  const keep = new Set<string>(ids);
  return {
    tracks: [],
    alerts: r.alerts.filter((changes) => changes[changes.length - 1]!.alert.vesselIds.some((v) => keep.has(v))),
    gridEvents: r.gridEvents.filter((e) => keep.has(e.vesselId)),
    gridEventsCut: false,
  };
}

/**
 * A grid's vessels: in it at the start (the picture's rule) or across its edge during the window.
 * With its box known, the candidates are the vessels with a fix in the box during the picture's
 * lookback, and their tracks are read from the lookback's start: each track's last fix before the
 * window says whether the vessel was in the grid, so the picture costs no read of its own. The
 * candidates' alerts and grid events are read at the same time as their tracks (`records`; the
 * caller keeps those of the vessels it plays).
 */
async function gridVessels(
  d: ReplayDeps,
  gridId: string,
  q: Omit<ReplayQuery, 'vesselIds'> & { gridId: string },
): Promise<{ ids: VesselId[]; read?: Map<string, ReplayTrack>; records?: Promise<StoredReplay>; kept?: Map<string, Kept> }> {
  const { fromMs, toMs } = q;
  const box = d.gridBox?.(gridId);
  const [near, crossed] = await Promise.all([box === undefined ? undefined : d.store.vesselsInBox(box, fromMs), d.store.gridVisitors(gridId, fromMs, toMs)]);
  if (near === undefined) {
    // No box: every vessel's last fix is tested (~0.6 s for 4,000 vessels).
    const atStart = await d.store.pictureAt(fromMs);
    return { ids: [...atStart.filter((p) => d.inGridAt(gridId, p.lat, p.lon, fromMs)).map((p) => p.vesselId), ...crossed] };
  }
  const weight = new Map<string, number>(near.map((v) => [v.vesselId, v.fixes]));
  const candidates = [...new Set([...weight.keys(), ...crossed])].sort() as VesselId[];
  const records = d.store.voyageReplay({ ...q, vesselIds: candidates, tracks: false });
  // A failed track read must not leave this read's rejection unobserved.
  records.catch(() => undefined);
  // Each part's tracks are downsampled as soon as it arrives, while the others are still being read:
  // at the candidates' budget, at most the played vessels' (fewer share the same points).
  const kept = new Map<string, Kept>();
  const budget = pointsPerVessel(candidates.length);
  const keepPart = (part: readonly ReplayTrack[]): void => {
    for (const tr of part) if (tr.t.length > 0) kept.set(tr.vesselId, { budget, keep: keepTurns(tr, budget, REPLAY_TOLERANCE_M) });
  };
  const tracks = await readTracks(d, candidates, { ...q, atStart: true, eventLimit: 0, alertLimit: 0, records: false }, weight, keepPart);
  const read = new Map(tracks.map((tr) => [tr.vesselId as string, tr]));
  const inside = tracks.filter((tr) => tr.atStart !== undefined && d.inGridAt(gridId, tr.atStart.lat, tr.atStart.lon, fromMs)).map((tr) => tr.vesselId);
  return { ids: [...inside, ...crossed], read, records, kept };
}

/**
 * Tracks of many vessels read in up to READ_PARTS statements at once, each on its own read
 * connection: a cold grid hour is ~3,000 index pages read one at a time per statement (an
 * index-only scan does not prefetch), so parts in parallel keep several reads in flight. Parts are
 * runs of the sorted ids cut at equal shares of the vessels' `weight` (their fixes in the box's
 * lookback, a measure of their reporting rate; the mean for one without): cut by count, the part of
 * the low MMSIs (class A ships at 10 s among anchored ones at 3 min) held most of a grid hour's
 * rows and finished last.
 */
async function readTracks(
  d: ReplayDeps,
  ids: readonly VesselId[],
  q: Omit<ReplayQuery, 'vesselIds'>,
  weight?: ReadonlyMap<string, number>,
  onPart?: (tracks: readonly ReplayTrack[]) => void,
): Promise<ReplayTrack[]> {
  const parts = Math.max(1, Math.min(READ_PARTS, Math.floor(ids.length / MIN_PART)));
  const got = await Promise.all(
    partsOf(ids, parts, weight).map(async (c) => {
      const r = await d.store.voyageReplay({ ...q, vesselIds: c });
      onPart?.(r.tracks);
      return r;
    }),
  );
  // Parts are consecutive ranges of the sorted ids, so their concatenation stays by vessel id.
  return got.flatMap((r) => r.tracks);
}

/** `ids` in at most `parts` consecutive runs of about equal total weight (1 each without weights). */
export function partsOf<T extends string>(ids: readonly T[], parts: number, weight?: ReadonlyMap<string, number>): T[][] {
  const known = weight === undefined ? [] : ids.map((id) => weight.get(id)).filter((w): w is number => w !== undefined && w > 0);
  const fallback = known.length === 0 ? 1 : known.reduce((a, b) => a + b, 0) / known.length;
  const w = ids.map((id) => {
    const x = weight?.get(id);
    return x !== undefined && x > 0 ? x : fallback;
  });
  const total = w.reduce((a, b) => a + b, 0);
  const out: T[][] = [];
  let cur: T[] = [];
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    cur.push(ids[i]!);
    sum += w[i]!;
    // Cut once the runs so far hold their share: each run then weighs at most a share plus one vessel.
    if (out.length < parts - 1 && sum >= (total * (out.length + 1)) / parts) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** A track's fixes kept at a budget of points. */
interface Kept {
  readonly budget: number;
  readonly keep: readonly number[];
}

/** Points per vessel when `n` tracks share the answer's budget. */
function pointsPerVessel(n: number): number {
  return Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.floor(POINT_BUDGET / Math.max(1, n))));
}

/**
 * The fixes to keep at `budget`. Kept earlier at a smaller budget and stopped by the tolerance
 * before it (fewer points than it allowed), the same fixes: a larger budget only lets the
 * worst-first splitting go on past a segment within the tolerance, which it never does.
 */
function keptOf(tr: ReplayTrack, budget: number, early: Kept | undefined): readonly number[] {
  if (early !== undefined && (early.budget === budget || (early.budget < budget && early.keep.length < early.budget))) return early.keep;
  return keepTurns(tr, budget, REPLAY_TOLERANCE_M);
}

function trackView(tr: ReplayTrack, keep: readonly number[], file: { name: string | null; fleetId: string | null }): ReplayTrackView {
  return {
    vesselId: tr.vesselId,
    name: file.name,
    fleetId: file.fleetId,
    fixes: tr.t.length,
    t: keep.map((i) => tr.t[i]!),
    lat: keep.map((i) => tr.lat[i]!),
    lon: keep.map((i) => tr.lon[i]!),
    sogKn: keep.map((i) => replayFloat(tr.sogKn[i]!)),
    cogDeg: keep.map((i) => replayFloat(tr.cogDeg[i]!)),
  };
}
