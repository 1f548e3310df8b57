/**
 * Hop 7, decide: signals → alert changes, and the officers' actions on alerts (全链监督: raised →
 * acknowledged → assigned → resolved, every step with actor, time, note and seq kept as history).
 *
 * What it decides, per condition (a signal `key`) and per level (info < warning < danger):
 * - One episode: a level's gaps shorter than `clearHoldMs` are bridged, so a signal flickering at
 *   a threshold is one condition. A level raises (or escalates to) once its episode has lasted its
 *   raise hold and it holds at that moment; it lowers, or the alert is marked `cleared`, once the
 *   level has been absent for `clearHoldMs`. Nothing flickers either way.
 * - Signals are state-based: a condition holds until a signal says it does not (the collision rule
 *   signals a clear once). Holds therefore elapse on the lifecycle's clock — the latest signal time
 *   seen, or `tick(nowMs)` — and take effect at the moment they elapsed (`since + hold`), so a
 *   replay gives the same times whatever the tick rate. A fix up to the allowed clock skew in the
 *   future can advance that clock early by as much.
 * - A cleared alert stays open until a person resolves it (event-based, as VTS systems do). If its
 *   condition returns within `reRaiseWindowMs` the same alert is updated (`cleared: false`); later,
 *   a new alert is raised and the old one waits for its resolve. After a resolve, the condition
 *   must clear (or escalate above the resolved level) before it raises a new alert: the officer
 *   dealt with what was there.
 * - Updates are coalesced: severity, cleared, vessels and fleets go at once; details only when a
 *   number moved beyond its tolerance (policy), at most once per `minUpdateIntervalMs`; smaller
 *   moves ride along with the next update. An open alert's details therefore lag by at most that.
 * Alert ids are `{kind}-{hash of key}-{raise time, base 36}`: the same on a replay, and distinct
 * across restarts unless one condition raises twice in one millisecond.
 *
 * Pure: no clock, no IO; times come from signals and callers. Actions return a `Result` with an
 * `alert.*` code and never throw; counts instead of logs.
 */
import { distanceNm } from '../geo/index.js';
import { ok, reject, type AcceptedFix, type Alert, type AlertAction, type AlertChange, type AlertResponder, type AlertId, type AlertKind, type AlertSeverity, type FleetId, type LatLon, type RejectCode, type Result, type VesselId } from '../model/index.js';
import { DEFAULT_ALERT_POLICY, lifecycleTiming, type LifecyclePolicy, type LifecycleTiming } from './policy.js';
import type { Decider, Signal } from './rules.js';

const LEVELS: readonly AlertSeverity[] = ['info', 'warning', 'danger'];
const SYSTEM = 'system';
/** Resolved ids remembered so a second resolve is `alert.transition`, not `alert.not_found`. */
const RECENTLY_RESOLVED = 10_000;
/** A responder this close to the scene has arrived (about 900 m: alongside, within hailing and towing reach). */
export const ARRIVAL_RADIUS_NM = 0.5;

/** One level of one condition, from its first signal until it has been absent for the clear hold. */
interface Episode {
  readonly sinceMs: number;
  /** When the level last came back after a gap (a raise waits for it to hold). */
  onAgainMs: number;
  /** Absent: the level holds now. Else when the episode ends unless the level comes back. */
  endsAtMs: number | undefined;
  confirmed: boolean;
}

interface Track {
  readonly key: string;
  readonly kind: AlertKind;
  readonly timing: LifecycleTiming;
  /** By level index (LEVELS). */
  readonly episodes: (Episode | undefined)[];
  lastAtMs: number;
  vesselIds: readonly VesselId[];
  fleetIds: readonly FleetId[] | undefined;
  details: Readonly<Record<string, unknown>>;
  /** The open alert this condition drives. */
  alertId: AlertId | undefined;
  /** When that alert was marked cleared (the re-raise window counts from it). */
  clearedAtMs: number | undefined;
  /** Level the condition held when its alert was resolved: no new alert until it clears or goes above. */
  resolvedLevel: number | undefined;
  /** Details moved beyond tolerance while an update was too recent. */
  detailsDue: boolean;
  /** The due time under which the track sits in the clock queue (Infinity: not queued); older queue entries are stale. */
  queuedMs: number;
  /**
   * Restored open and not cleared: `clock` until the first clock after the restart sets its
   * episodes' end (`grace`); the first signal of the condition replaces that end with its own.
   */
  restored: 'clock' | 'grace' | undefined;
  /** Its alert came from the store at a restart (`restore`): a rerun leaves its figures alone. */
  fromStore: boolean;
}

export interface LifecycleCounters {
  /** Alerts raised, by `kind|severity`. */
  readonly raised: Map<string, number>;
  /** `update` changes sent (severity, cleared, vessels, details). */
  updates: number;
  /** Signals whose details moved beyond tolerance but were held back by the update interval. */
  updatesHeldBack: number;
  /** Episodes that ended before their raise hold: flicker that raised nothing. */
  holdsCancelled: number;
  /** Signals older than their condition's last one, taken as at that time. */
  lateSignals: number;
  /** Officer actions refused, by code. */
  readonly refused: Map<RejectCode, number>;
}

export class Lifecycle implements Decider {
  readonly counters: LifecycleCounters = { raised: new Map(), updates: 0, updatesHeldBack: 0, holdsCancelled: 0, lateSignals: 0, refused: new Map() };
  private readonly tracks = new Map<string, Track>();
  /** Tracks with an episode, a detail update or a restart grace that falls due on the clock, by due time. */
  private readonly due = new DueQueue();
  private readonly open = new Map<AlertId, Alert>();
  /** Open alerts whose condition still holds (not `cleared`), per vessel: rules ask this per fix. */
  private readonly holding = new Map<VesselId, number>();
  /** Open alerts each dispatched vessel is still on its way to: the arrival watch asks this per fix. */
  private readonly enRoute = new Map<VesselId, Set<AlertId>>();
  private readonly resolved = new Set<AlertId>();
  private clockMs = -Infinity;
  private out: AlertChange[] = [];
  /** Within `rerun`. */
  private rerunning = false;

  constructor(private readonly policy: LifecyclePolicy = DEFAULT_ALERT_POLICY.lifecycle) {}

  /**
   * Runs `fn` (Pipeline.reevaluate: fixes stored before a kill -9 back through the rules) with the
   * alerts restored from the store keeping their figures: levels are held, raised or cleared as the
   * signals say, but no update repeats figures those alerts already went past before the kill.
   */
  rerun<T>(fn: () => T): T {
    this.rerunning = true;
    try {
      return fn();
    } finally {
      this.rerunning = false;
    }
  }

  /**
   * A lifecycle that continues from the store's open alerts (`store.alerts({state: 'open'})`, each
   * with its `seq`): their ids and seqs go on, so nothing recorded is doubled. A condition that was
   * holding is taken to hold until no signal confirms it within `restoreGraceMs` of the first clock.
   * `resolved` (recently changed alerts of the store; others are ignored): what an officer resolved
   * while its condition held raises nothing new until that condition clears or goes above it, as
   * without the restart — the same grace applies — and its id is not used again.
   */
  static restore(openAlerts: readonly Alert[], policy?: LifecyclePolicy, resolved: readonly Alert[] = []): Lifecycle {
    const lc = new Lifecycle(policy);
    // Oldest first, so the newest open alert of a condition is the one its signals drive.
    for (const a of [...openAlerts].sort((x, y) => x.raisedAtMs - y.raisedAtMs)) lc.adopt(a);
    for (const a of [...resolved].sort((x, y) => x.updatedAtMs - y.updatedAtMs)) lc.adoptResolved(a);
    return lc;
  }

  /**
   * Takes over open alerts from the store after this lifecycle started, as `restore` does (a cluster
   * instance taking a partition over from one that died); alerts it already has are left alone.
   * Returns how many it took.
   */
  adoptOpen(openAlerts: readonly Alert[]): number {
    let n = 0;
    for (const a of [...openAlerts].sort((x, y) => x.raisedAtMs - y.raisedAtMs)) {
      if (this.open.has(a.id) || a.state === 'resolved') continue;
      this.adopt(a);
      n++;
    }
    return n;
  }

  /** Open alerts (not resolved), in no particular order. */
  openAlerts(): IterableIterator<Alert> {
    return this.open.values();
  }

  /** Whether the vessel is in an open alert whose condition still holds (O(1): kept as alerts change). */
  hasHoldingAlert(vesselId: VesselId): boolean {
    return this.holding.has(vesselId);
  }

  get openCount(): number {
    return this.open.size;
  }

  get(id: AlertId): Alert | undefined {
    return this.open.get(id);
  }

  decide(signals: readonly Signal[]): readonly AlertChange[] {
    for (const s of signals) this.signal(s);
    return this.take();
  }

  tick(nowMs: number): readonly AlertChange[] {
    this.advance(nowMs);
    return this.take();
  }

  acknowledge(id: AlertId, actor: string, atMs: number, note?: string): Result<AlertChange> {
    return this.act(id, 'acknowledge', actor, atMs, note, (a) => (a.state === 'raised' ? { ...a, state: 'acknowledged' } : undefined));
  }

  /** To a person, or to a grid team as `team:{gridId}`; an assigned alert may be reassigned. */
  assign(id: AlertId, actor: string, assignee: string, atMs: number, note?: string): Result<AlertChange> {
    if (assignee.trim() === '') return this.refuse('alert.invalid', 'assignee is empty');
    return this.act(id, 'assign', actor, atMs, note, (a) => (a.state === 'resolved' ? undefined : { ...a, state: 'assigned', assignee }));
  }

  /**
   * `onlyIfCleared`: refused (`alert.transition`) unless the condition has gone — checked here, in
   * the one step with the resolve, so a condition that came back since the asker looked is not
   * resolved (and then held silent) by a bulk resolve of cleared alerts.
   */
  resolve(id: AlertId, actor: string, atMs: number, note?: string, onlyIfCleared = false): Result<AlertChange> {
    const r = this.act(id, 'resolve', actor, atMs, note, (a) => (a.state === 'resolved' || (onlyIfCleared && a.cleared !== true) ? undefined : { ...a, state: 'resolved' }));
    if (r.ok) this.closed(r.value.alert);
    return r;
  }

  /**
   * Sends vessels to help (快响指挥). A raised alert counts as acknowledged by it (the officer has
   * seen it); the state is otherwise kept. Refused: a resolved alert, no vessel, a vessel of the
   * alert itself, or only vessels already on their way (`alert.transition`).
   */
  dispatch(id: AlertId, actor: string, vesselIds: readonly VesselId[], atMs: number, note?: string): Result<AlertChange> {
    if (vesselIds.length === 0) return this.refuse('alert.invalid', 'no vessel to dispatch');
    const open = this.open.get(id);
    const own = open === undefined ? undefined : vesselIds.find((v) => open.vesselIds.includes(v));
    if (own !== undefined) return this.refuse('alert.invalid', `${own} is a vessel of the alert itself`);
    const onItsWay = (a: Alert, v: VesselId): boolean => a.responders?.some((r) => r.vesselId === v && r.arrivedAtMs === undefined) === true;
    return this.act(id, 'dispatch', actor, atMs, note, (a) => {
      const fresh = [...new Set(vesselIds)].filter((v) => !onItsWay(a, v));
      if (a.state === 'resolved' || fresh.length === 0) return undefined; // nothing new: a second click, a retry
      const sent: AlertResponder[] = fresh.map((vesselId) => ({ vesselId, dispatchedAtMs: atMs, by: actor }));
      return { ...a, state: a.state === 'raised' ? 'acknowledged' : a.state, responders: [...(a.responders ?? []), ...sent] };
    });
  }

  /** The responder reached the scene at fix time `atMs` (recorded by the system, once). */
  arrive(id: AlertId, vesselId: VesselId, atMs: number): Result<AlertChange> {
    return this.act(id, 'arrive', SYSTEM, atMs, undefined, (a) => {
      const i = a.responders?.findIndex((r) => r.vesselId === vesselId && r.arrivedAtMs === undefined) ?? -1;
      if (i < 0) return undefined;
      const responders = a.responders!.map((r, k) => (k === i ? { ...r, arrivedAtMs: atMs } : r));
      return { ...a, responders };
    });
  }

  /** Open alerts the vessel has been dispatched to and not yet reached (empty for nearly every vessel). */
  enRouteTo(vesselId: VesselId): ReadonlySet<AlertId> | undefined {
    return this.enRoute.get(vesselId);
  }

  /**
   * A dispatched responder's fix within `ARRIVAL_RADIUS_NM` of the nearest of its alert's vessels
   * (where they are now) records its arrival, once, at that fix's time. A map lookup per fix for
   * every vessel that is not on its way anywhere.
   */
  onMoved(fixes: readonly AcceptedFix[], positionOf: (id: VesselId) => LatLon | undefined): readonly AlertChange[] {
    if (this.enRoute.size === 0) return [];
    const out: AlertChange[] = [];
    for (const f of fixes) {
      const ids = f.moved ? this.enRoute.get(f.vesselId) : undefined;
      if (ids === undefined) continue;
      for (const id of [...ids]) {
        let d = Infinity;
        for (const v of this.open.get(id)?.vesselIds ?? []) {
          const p = positionOf(v);
          if (p !== undefined) d = Math.min(d, distanceNm(f.report.lat, f.report.lon, p.lat, p.lon));
        }
        if (d > ARRIVAL_RADIUS_NM) continue;
        const r = this.arrive(id, f.vesselId, f.report.atMs);
        if (r.ok) out.push(r.value);
      }
    }
    return out;
  }

  // ── signals ──────────────────────────────────────────────────────────────────────────────────

  private signal(s: Signal): void {
    this.advance(s.atMs); // every signal is the clock, whichever condition it is about
    let track = this.tracks.get(s.key);
    if (track === undefined) {
      if (s.severity === undefined) return; // a clear for a condition not held here: nothing to end
      track = this.newTrack(s.key, s.kind);
    }
    let t = s.atMs;
    if (t < track.lastAtMs) {
      this.counters.lateSignals++;
      t = track.lastAtMs;
    }
    this.settle(track, t); // what fell due before this signal
    track.lastAtMs = t;
    if (track.restored !== undefined) {
      track.restored = undefined;
      for (const e of track.episodes) if (e !== undefined) e.endsAtMs = undefined;
    }
    const level = s.severity === undefined ? -1 : LEVELS.indexOf(s.severity);
    for (let l = 0; l < LEVELS.length; l++) {
      const e = track.episodes[l];
      if (l <= level) {
        if (e === undefined) track.episodes[l] = { sinceMs: t, onAgainMs: t, endsAtMs: undefined, confirmed: false };
        else if (e.endsAtMs !== undefined) {
          e.endsAtMs = undefined;
          e.onAgainMs = t;
        }
      } else if (e !== undefined && e.endsAtMs === undefined) e.endsAtMs = t + track.timing.clearHoldMs;
    }
    // Rerunning stored fixes (`rerun`), an open alert restored from the store holds or changes
    // levels but keeps its figures: they were computed from those fixes or later ones before the
    // kill, and each such alert got an update carrying figures of up to 2 min before (85 in a fault
    // run). A condition with no open alert (a restored one resolved) takes the signal's, for a raise.
    if (level >= 0 && !(this.rerunning && track.fromStore && track.alertId !== undefined && this.open.has(track.alertId))) {
      const before = this.current(track);
      const moved = this.detailsMoved(track, s);
      track.vesselIds = s.vesselIds;
      track.fleetIds = s.fleetIds;
      track.details = s.details;
      if (moved !== 'no') {
        const a = track.alertId === undefined ? undefined : this.open.get(track.alertId);
        if (a !== undefined && before !== undefined && !a.cleared) {
          if (moved === 'now' || t >= a.updatedAtMs + track.timing.minUpdateIntervalMs) {
            track.detailsDue = false;
            this.update(track, a, t, {});
          } else {
            track.detailsDue = true;
            this.counters.updatesHeldBack++;
          }
        }
      }
    }
    this.settle(track, t);
    this.park(track);
  }

  /** Moves the clock forward and settles every track with something that may have fallen due. */
  private advance(nowMs: number): void {
    if (nowMs <= this.clockMs) return;
    this.clockMs = nowMs;
    for (;;) {
      const track = this.due.popDue(nowMs);
      if (track === undefined) return;
      track.queuedMs = Infinity;
      if (track.restored === 'clock') {
        track.restored = 'grace';
        for (const e of track.episodes) if (e !== undefined) e.endsAtMs = nowMs + track.timing.restoreGraceMs;
      }
      this.settle(track, nowMs);
      if (track.detailsDue) {
        const a = track.alertId === undefined ? undefined : this.open.get(track.alertId);
        const dueMs = a === undefined ? Infinity : a.updatedAtMs + track.timing.minUpdateIntervalMs;
        if (a === undefined || a.cleared) track.detailsDue = false;
        else if (dueMs <= nowMs) {
          track.detailsDue = false;
          this.update(track, a, Math.max(dueMs, track.lastAtMs), {});
        }
      }
      this.park(track);
    }
  }

  /**
   * Applies, in time order, every episode confirmation or end due by `nowMs`; those due at one
   * instant together, so levels reached at once make one change, not one per level.
   */
  private settle(track: Track, nowMs: number): void {
    for (;;) {
      let at = Infinity;
      for (let l = 0; l < LEVELS.length; l++) at = Math.min(at, this.levelDue(track, l));
      if (at > nowMs) return;
      const before = this.current(track);
      for (let l = 0; l < LEVELS.length; l++) {
        if (this.levelDue(track, l) !== at) continue;
        const e = track.episodes[l]!;
        if (e.endsAtMs === undefined) e.confirmed = true;
        else {
          // Flicker that raised nothing, counted once per condition (at its lowest unconfirmed level).
          if (!e.confirmed && (l === 0 || track.episodes[l - 1]?.confirmed === true)) this.counters.holdsCancelled++;
          track.episodes[l] = undefined;
        }
      }
      const after = this.current(track);
      if (after !== before) this.levelChanged(track, before, after, at);
    }
  }

  /** When level `l`'s episode confirms or ends next (Infinity: neither is pending). */
  private levelDue(track: Track, l: number): number {
    const e = track.episodes[l];
    if (e === undefined) return Infinity;
    if (e.endsAtMs !== undefined) return e.endsAtMs;
    return e.confirmed ? Infinity : Math.max(e.sinceMs + track.timing.raiseHoldMs[LEVELS[l]!], e.onAgainMs);
  }

  /** The condition's confirmed level (index into LEVELS), or undefined when it does not hold. */
  private current(track: Track): number | undefined {
    for (let l = LEVELS.length - 1; l >= 0; l--) if (track.episodes[l]?.confirmed === true) return l;
    return undefined;
  }

  private levelChanged(track: Track, before: number | undefined, after: number | undefined, atMs: number): void {
    const a = track.alertId === undefined ? undefined : this.open.get(track.alertId);
    if (after === undefined) {
      track.resolvedLevel = undefined;
      if (a !== undefined) {
        track.clearedAtMs = atMs;
        track.detailsDue = false;
        this.update(track, a, atMs, { cleared: true });
      }
      return;
    }
    const severity = LEVELS[after]!;
    if (a !== undefined && before === undefined) {
      // The condition is back: within the window it is the same alert, later a new one.
      if (atMs - (track.clearedAtMs ?? atMs) <= track.timing.reRaiseWindowMs) this.update(track, a, atMs, { cleared: false, severity });
      else this.raise(track, severity, atMs);
    } else if (a !== undefined) this.update(track, a, atMs, { severity });
    else if (track.resolvedLevel === undefined || after > track.resolvedLevel) this.raise(track, severity, atMs);
  }

  // ── changes ──────────────────────────────────────────────────────────────────────────────────

  private raise(track: Track, severity: AlertSeverity, atMs: number): void {
    let id = alertId(track.kind, track.key, atMs);
    for (let n = 2; this.open.has(id) || this.resolved.has(id); n++) id = `${alertId(track.kind, track.key, atMs)}-${n}` as AlertId;
    const alert = withFleets(
      { id, kind: track.kind, key: track.key, severity, state: 'raised', vesselIds: track.vesselIds, raisedAtMs: atMs, updatedAtMs: atMs, details: track.details, seq: 1 },
      track.fleetIds,
    );
    track.alertId = id;
    track.clearedAtMs = undefined;
    track.resolvedLevel = undefined;
    track.detailsDue = false;
    this.put(alert);
    const k = `${track.kind}|${severity}`;
    this.counters.raised.set(k, (this.counters.raised.get(k) ?? 0) + 1);
    this.out.push({ alertId: id, seq: 1, action: 'raise', atMs, actor: SYSTEM, alert });
  }

  /** An `update` carrying the condition's latest vessels, fleets and details. */
  private update(track: Track, a: Alert, atMs: number, change: { cleared?: boolean; severity?: AlertSeverity }): void {
    const seq = (a.seq ?? 0) + 1;
    const { cleared: wasCleared, ...rest } = a;
    // `cleared` is absent while the condition holds (absent values stay absent in the store too).
    const cleared = change.cleared ?? wasCleared === true;
    const next: Alert = withFleets(
      {
        ...rest,
        severity: change.severity ?? a.severity,
        vesselIds: track.vesselIds,
        details: track.details,
        updatedAtMs: Math.max(a.updatedAtMs, atMs),
        seq,
        ...(cleared ? { cleared: true } : {}),
      },
      track.fleetIds,
    );
    this.put(next);
    this.counters.updates++;
    this.out.push({ alertId: a.id, seq, action: 'update', atMs, actor: SYSTEM, alert: next });
  }

  private act(id: AlertId, action: AlertAction, actor: string, atMs: number, note: string | undefined, step: (a: Alert) => Alert | undefined): Result<AlertChange> {
    if (actor.trim() === '') return this.refuse('alert.invalid', 'actor is empty');
    const a = this.open.get(id);
    if (a === undefined) return this.resolved.has(id) ? this.refuse('alert.transition', `${action} on a resolved alert`) : this.refuse('alert.not_found', id);
    const stepped = step(a);
    if (stepped === undefined) return this.refuse('alert.transition', `${action} on an alert ${a.state}`);
    const seq = (a.seq ?? 0) + 1;
    const alert: Alert = { ...stepped, updatedAtMs: atMs, seq };
    this.put(alert);
    const change: AlertChange = note === undefined ? { alertId: id, seq, action, atMs, actor, alert } : { alertId: id, seq, action, atMs, actor, note, alert };
    return ok(change);
  }

  private closed(a: Alert): void {
    this.count(this.open.get(a.id), -1);
    this.route(this.open.get(a.id), -1);
    this.open.delete(a.id);
    this.resolved.add(a.id);
    if (this.resolved.size > RECENTLY_RESOLVED) this.resolved.delete(this.resolved.values().next().value!);
    const track = a.key === undefined ? undefined : this.tracks.get(a.key);
    if (track === undefined || track.alertId !== a.id) return;
    track.alertId = undefined;
    track.detailsDue = false;
    track.resolvedLevel = this.current(track);
    this.park(track);
  }

  private refuse(code: RejectCode, detail: string): Result<AlertChange> {
    this.counters.refused.set(code, (this.counters.refused.get(code) ?? 0) + 1);
    return reject(code, detail);
  }

  // ── bookkeeping ──────────────────────────────────────────────────────────────────────────────

  private newTrack(key: string, kind: AlertKind): Track {
    const track: Track = {
      key,
      kind,
      timing: this.timing(kind),
      episodes: [undefined, undefined, undefined],
      lastAtMs: -Infinity,
      vesselIds: [],
      fleetIds: undefined,
      details: {},
      alertId: undefined,
      clearedAtMs: undefined,
      resolvedLevel: undefined,
      detailsDue: false,
      queuedMs: Infinity,
      restored: undefined,
      fromStore: false,
    };
    this.tracks.set(key, track);
    return track;
  }

  private timing(kind: AlertKind): LifecycleTiming {
    return lifecycleTiming(this.policy, kind);
  }

  /** Queues a track for the clock while something of it can fall due; forgets an idle one. */
  private park(track: Track): void {
    const due = this.dueMs(track);
    if (due !== track.queuedMs) {
      track.queuedMs = due;
      if (due < Infinity) this.due.push(due, track);
    }
    const idle = track.alertId === undefined && track.episodes.every((e) => e === undefined);
    if (idle) this.tracks.delete(track.key);
  }

  /** The earliest clock time at which something of the track falls due (Infinity: nothing). */
  private dueMs(track: Track): number {
    if (track.restored === 'clock') return -Infinity;
    let due = Infinity;
    for (let l = 0; l < LEVELS.length; l++) due = Math.min(due, this.levelDue(track, l));
    if (track.detailsDue && track.alertId !== undefined) {
      const a = this.open.get(track.alertId);
      if (a !== undefined) due = Math.min(due, a.updatedAtMs + track.timing.minUpdateIntervalMs);
    }
    return due;
  }

  /** Sets an open alert, keeping `holding` in step with the alert it replaces. */
  private put(a: Alert): void {
    const was = this.open.get(a.id);
    this.count(was, -1);
    this.route(was, -1);
    this.open.set(a.id, a);
    this.count(a, 1);
    this.route(a, 1);
  }

  private route(a: Alert | undefined, by: 1 | -1): void {
    if (a?.responders === undefined) return;
    for (const r of a.responders) {
      if (r.arrivedAtMs !== undefined) continue;
      let ids = this.enRoute.get(r.vesselId);
      if (by === 1) (ids ??= this.enRoute.set(r.vesselId, new Set()).get(r.vesselId)!).add(a.id);
      else if (ids !== undefined) {
        ids.delete(a.id);
        if (ids.size === 0) this.enRoute.delete(r.vesselId);
      }
    }
  }

  private count(a: Alert | undefined, by: 1 | -1): void {
    if (a === undefined || a.cleared === true) return;
    for (const v of a.vesselIds) {
      const n = (this.holding.get(v) ?? 0) + by;
      if (n > 0) this.holding.set(v, n);
      else this.holding.delete(v);
    }
  }

  /** A resolved alert (see `restore`): its id remembered, and the level its condition held if it did. */
  private adoptResolved(a: Alert): void {
    if (a.state !== 'resolved' || this.open.has(a.id)) return;
    this.resolved.add(a.id);
    if (this.resolved.size > RECENTLY_RESOLVED) this.resolved.delete(this.resolved.values().next().value!);
    // Resolved once cleared: nothing held, nothing to remember. A condition driving an open alert: that one rules.
    if (a.key === undefined || a.cleared === true || this.tracks.get(a.key)?.alertId !== undefined) return;
    const track = this.restoredTrack(a, a.key, true);
    track.resolvedLevel = LEVELS.indexOf(a.severity);
    this.park(track);
  }

  private adopt(a: Alert): void {
    if (a.state === 'resolved') return;
    if (a.seq === undefined) throw new Error(`Lifecycle.restore: alert ${a.id} has no seq (read it from the store)`);
    this.put(a);
    if (a.key === undefined) return; // acted on, never matched to a signal
    const track = this.restoredTrack(a, a.key, a.cleared !== true);
    track.alertId = a.id;
    // The change that cleared it is not in the alert row: its last change is the nearest time.
    track.clearedAtMs = a.cleared === true ? a.updatedAtMs : undefined;
    this.park(track);
  }

  /**
   * A stored alert's condition on its track again: vessels, fleets, details; `held`, at its
   * severity since its raise, until the first clock after the restart starts the grace (`restored`).
   */
  private restoredTrack(a: Alert, key: string, held: boolean): Track {
    const track = this.tracks.get(key) ?? this.newTrack(key, a.kind);
    track.fromStore = true;
    track.vesselIds = a.vesselIds;
    track.fleetIds = a.fleetIds ?? (a.fleetId === undefined ? undefined : [a.fleetId]);
    track.details = a.details;
    track.lastAtMs = Math.max(track.lastAtMs, a.updatedAtMs);
    track.episodes.fill(undefined);
    track.restored = undefined;
    if (held) {
      const top = LEVELS.indexOf(a.severity);
      for (let l = 0; l <= top; l++) track.episodes[l] = { sinceMs: a.raisedAtMs, onAgainMs: a.raisedAtMs, endsAtMs: undefined, confirmed: true };
      track.restored = 'clock';
    }
    return track;
  }

  private take(): readonly AlertChange[] {
    if (this.out.length === 0) return NO_CHANGES;
    const out = this.out;
    this.out = [];
    return out;
  }

  /** 'now': vessels or fleets changed; 'paced': a detail moved beyond tolerance; 'no': nothing material. */
  private detailsMoved(track: Track, s: Signal): 'now' | 'paced' | 'no' {
    if (!sameList(track.vesselIds, s.vesselIds) || !sameList(track.fleetIds ?? [], s.fleetIds ?? [])) return 'now';
    const a = track.alertId === undefined ? undefined : this.open.get(track.alertId);
    const sent = a?.details ?? track.details;
    return moved(sent, s.details, track.timing, '') ? 'paced' : 'no';
  }
}

const NO_CHANGES: readonly AlertChange[] = [];

/**
 * Binary min-heap of tracks by due time. A track whose due time changed is pushed again and its
 * old entry skipped when it comes up (`queuedMs` no longer matches), so nothing is searched.
 * (sim/event-queue.ts is the same structure over integer ids on typed arrays; one shared heap in
 * model/ is a follow-up.)
 */
class DueQueue {
  private readonly at: number[] = [];
  private readonly tracks: Track[] = [];

  push(atMs: number, track: Track): void {
    let i = this.at.length;
    this.at.push(atMs);
    this.tracks.push(track);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.at[p]! <= atMs) break;
      this.at[i] = this.at[p]!;
      this.tracks[i] = this.tracks[p]!;
      i = p;
    }
    this.at[i] = atMs;
    this.tracks[i] = track;
  }

  /** The next track due by `nowMs` whose entry is current, removed; undefined when none. */
  popDue(nowMs: number): Track | undefined {
    while (this.at.length > 0 && this.at[0]! <= nowMs) {
      const atMs = this.at[0]!;
      const track = this.tracks[0]!;
      this.removeTop();
      if (track.queuedMs === atMs) return track;
    }
    return undefined;
  }

  private removeTop(): void {
    const atMs = this.at.pop()!;
    const track = this.tracks.pop()!;
    const n = this.at.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && this.at[l + 1]! < this.at[l]! ? l + 1 : l;
      if (this.at[c]! >= atMs) break;
      this.at[i] = this.at[c]!;
      this.tracks[i] = this.tracks[c]!;
      i = c;
    }
    this.at[i] = atMs;
    this.tracks[i] = track;
  }
}

/** Deterministic: a replay raises the same ids; the raise time keeps ids distinct across restarts. */
export function alertId(kind: AlertKind, key: string, raisedAtMs: number): AlertId {
  return `${kind}-${fnv1a(key).toString(36)}-${raisedAtMs.toString(36)}` as AlertId;
}

/** FNV-1a, 32 bits, over UTF-16 code units: short, stable, no dependency. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function withFleets(a: Alert, fleetIds: readonly FleetId[] | undefined): Alert {
  const { fleetId: _f, fleetIds: _fs, ...rest } = a;
  if (fleetIds === undefined || fleetIds.length === 0) return rest;
  return { ...rest, fleetId: fleetIds[0]!, fleetIds };
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A number beyond its tolerance, or any other value that differs, at any depth. */
function moved(was: unknown, now: unknown, timing: LifecycleTiming, field: string): boolean {
  if (typeof was === 'number' && typeof now === 'number') {
    const tol = timing.detailTolerance[field] ?? timing.detailRelTolerance * Math.abs(was);
    return Math.abs(now - was) > tol || (Number.isNaN(was) !== Number.isNaN(now));
  }
  if (was !== null && now !== null && typeof was === 'object' && typeof now === 'object') {
    if (Array.isArray(was) !== Array.isArray(now)) return true;
    const w = was as Record<string, unknown>;
    const n = now as Record<string, unknown>;
    const inner = Array.isArray(was);
    for (const k in w) if (moved(w[k], n[k], timing, inner ? field : k)) return true;
    for (const k in n) if (!(k in w)) return true;
    return false;
  }
  return was !== now;
}
