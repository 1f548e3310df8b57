/**
 * Voyage replay (issue 15 §1; not replay-command.ts, which replays NMEA captures): which vessels a
 * request names (a list, a fleet from the registry, or a grid: those in it at the start plus those
 * that crossed its edge in the window), their stored tracks downsampled keeping turns
 * (geo/replay-simplify.ts), and the alerts and grid events to play with them.
 */
import { keepTurns } from '../geo/index.js';
import type { VesselId } from '../model/index.js';
import { replayFloat, type ReplayQuery, type ReplayTrack, type Store } from '../store/index.js';
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
  /** Tracks already read (a grid's candidates), by vessel. */
  let read: Map<string, ReplayTrack> | undefined;
  if ('vesselIds' in subject) ids = subject.vesselIds as VesselId[];
  else if ('fleetId' in subject) {
    ids = [...d.fleetMembers(subject.fleetId)];
    if (ids.length === 0) return undefined;
  } else {
    gridId = subject.gridId;
    ({ ids, read } = await gridVessels(d, gridId, fromMs, toMs));
  }
  const all = [...new Set(ids)].sort();
  ids = all.slice(0, REPLAY_MAX_VESSELS);
  const q = { fromMs, toMs, ...(gridId === undefined ? {} : { gridId }), eventLimit: EVENT_LIMIT, alertLimit: ALERT_LIMIT };
  const [tracks, records] = await Promise.all([
    read === undefined ? readTracks(d, ids, { ...q, records: false }) : ids.flatMap((id) => read.get(id) ?? []).filter((tr) => tr.t.length > 0),
    d.store.voyageReplay({ ...q, vesselIds: ids, tracks: false }),
  ]);
  const perVessel = Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.floor(POINT_BUDGET / Math.max(1, tracks.length))));
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    toleranceM: REPLAY_TOLERANCE_M,
    vessels: tracks.map((tr) => trackView(tr, perVessel, d.fileOf(tr.vesselId))),
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
 * A grid's vessels: in it at the start (the picture's rule) or across its edge during the window.
 * With its box known, the candidates are the vessels with a fix in the box during the picture's
 * lookback, and their tracks are read from the lookback's start: each track's last fix before the
 * window says whether the vessel was in the grid, so the picture costs no read of its own.
 */
async function gridVessels(d: ReplayDeps, gridId: string, fromMs: number, toMs: number): Promise<{ ids: VesselId[]; read?: Map<string, ReplayTrack> }> {
  const box = d.gridBox?.(gridId);
  const [near, crossed] = await Promise.all([box === undefined ? undefined : d.store.vesselsInBox(box, fromMs), d.store.gridVisitors(gridId, fromMs, toMs)]);
  if (near === undefined) {
    // No box: every vessel's last fix is tested (~0.6 s for 4,000 vessels).
    const atStart = await d.store.pictureAt(fromMs);
    return { ids: [...atStart.filter((p) => d.inGridAt(gridId, p.lat, p.lon, fromMs)).map((p) => p.vesselId), ...crossed] };
  }
  const candidates = [...new Set([...near, ...crossed])].sort();
  const tracks = await readTracks(d, candidates, { fromMs, toMs, atStart: true, eventLimit: 0, alertLimit: 0, records: false });
  const read = new Map(tracks.map((tr) => [tr.vesselId as string, tr]));
  const inside = tracks.filter((tr) => tr.atStart !== undefined && d.inGridAt(gridId, tr.atStart.lat, tr.atStart.lon, fromMs)).map((tr) => tr.vesselId);
  return { ids: [...inside, ...crossed], read };
}

/**
 * Tracks of many vessels read in up to READ_PARTS statements at once, each on its own read
 * connection: a cold grid hour is ~3,000 index pages read one at a time per statement (an
 * index-only scan does not prefetch), so parts in parallel keep several reads in flight.
 */
async function readTracks(d: ReplayDeps, ids: readonly VesselId[], q: Omit<ReplayQuery, 'vesselIds'>): Promise<ReplayTrack[]> {
  const parts = Math.max(1, Math.min(READ_PARTS, Math.floor(ids.length / MIN_PART)));
  const size = Math.ceil(ids.length / parts);
  const chunks = Array.from({ length: parts }, (_, k) => ids.slice(k * size, (k + 1) * size)).filter((c) => c.length > 0);
  const got = await Promise.all(chunks.map((c) => d.store.voyageReplay({ ...q, vesselIds: c })));
  // Parts are consecutive ranges of the sorted ids, so their concatenation stays by vessel id.
  return got.flatMap((r) => r.tracks);
}

function trackView(tr: ReplayTrack, maxPoints: number, file: { name: string | null; fleetId: string | null }): ReplayTrackView {
  const keep = keepTurns(tr, maxPoints, REPLAY_TOLERANCE_M);
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
