/**
 * Voyage replay (issue 15 §1; not replay-command.ts, which replays NMEA captures): which vessels a
 * request names (a list, a fleet from the registry, or a grid: those in it at the start plus those
 * that crossed its edge in the window), their stored tracks downsampled keeping turns
 * (geo/replay-simplify.ts), and the alerts and grid events to play with them.
 */
import { keepTurns } from '../geo/index.js';
import type { VesselId } from '../model/index.js';
import { replayFloat, type ReplayTrack, type Store } from '../store/index.js';
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

/** undefined: no such fleet. Vessels over REPLAY_MAX_VESSELS are not played (the first by id are). */
export async function voyageReplay(d: ReplayDeps, subject: ReplaySubject, fromMs: number, toMs: number): Promise<ReplayView | undefined> {
  let ids: VesselId[];
  let gridId: string | undefined;
  if ('vesselIds' in subject) ids = subject.vesselIds as VesselId[];
  else if ('fleetId' in subject) {
    ids = [...d.fleetMembers(subject.fleetId)];
    if (ids.length === 0) return undefined;
  } else {
    gridId = subject.gridId;
    const g = gridId;
    // In the grid at the start (the picture's own rule), or across its edge during the window.
    // The box first: the last fixes of the vessels near it, not of the whole sea (~0.6 s for 4,000 vessels).
    const box = d.gridBox?.(g);
    const near = box === undefined ? undefined : await d.store.vesselsInBox(box, fromMs);
    const [atStart, crossed] = await Promise.all([d.store.pictureAt(fromMs, near === undefined ? {} : { vesselIds: near }), d.store.gridVisitors(g, fromMs, toMs)]);
    ids = [...new Set([...atStart.filter((p) => d.inGridAt(g, p.lat, p.lon, fromMs)).map((p) => p.vesselId), ...crossed])];
  }
  ids = [...new Set(ids)].sort().slice(0, REPLAY_MAX_VESSELS);
  const stored = await d.store.voyageReplay({ vesselIds: ids, fromMs, toMs, ...(gridId === undefined ? {} : { gridId }), eventLimit: EVENT_LIMIT, alertLimit: ALERT_LIMIT });
  const perVessel = Math.min(MAX_POINTS, Math.max(MIN_POINTS, Math.floor(POINT_BUDGET / Math.max(1, stored.tracks.length))));
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    toleranceM: REPLAY_TOLERANCE_M,
    vessels: stored.tracks.map((tr) => trackView(tr, perVessel, d.fileOf(tr.vesselId))),
    alerts: stored.alerts.map((changes) => ({
      alert: alertView(changes[changes.length - 1]!.alert),
      history: changes.map((c) => ({ seq: c.seq, action: c.action, at: new Date(c.atMs).toISOString(), actor: c.actor, state: c.alert.state, severity: c.alert.severity, cleared: c.alert.cleared === true })),
    })),
    gridEvents: stored.gridEvents.map(gridEventView),
    gridEventsCut: stored.gridEventsCut,
  };
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
