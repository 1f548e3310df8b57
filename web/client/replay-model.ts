/**
 * Replay state that does not touch the page: where each vessel is at a moment (linear in time
 * between kept fixes, as the server's downsampling measured its error), what each alert looked like
 * then, the timeline's marks, and the player's clock (pure: wall time passed in).
 */
import type { ReplayAlertView, ReplayStepView, ReplayTrackView, ReplayView } from '../protocol.js';

export interface ReplayPosition {
  readonly lat: number;
  readonly lon: number;
  /** Course made good between the fixes around the moment (or the fix's own course). */
  readonly cogDeg: number | null;
}

/** Where the track puts the vessel at `tMs`; null before its first or after its last kept fix. */
export function positionAt(tr: ReplayTrackView, tMs: number): ReplayPosition | null {
  const n = tr.t.length;
  if (n === 0 || tMs < tr.t[0]! || tMs > tr.t[n - 1]!) return null;
  // The last fix at or before tMs (binary search).
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tr.t[mid]! <= tMs) lo = mid;
    else hi = mid - 1;
  }
  if (lo === n - 1) return { lat: tr.lat[lo]!, lon: tr.lon[lo]!, cogDeg: tr.cogDeg[lo] ?? null };
  const t0 = tr.t[lo]!;
  const t1 = tr.t[lo + 1]!;
  const f = t1 > t0 ? (tMs - t0) / (t1 - t0) : 0;
  const lat = tr.lat[lo]! + f * (tr.lat[lo + 1]! - tr.lat[lo]!);
  const lon = tr.lon[lo]! + f * (tr.lon[lo + 1]! - tr.lon[lo]!);
  const dLat = tr.lat[lo + 1]! - tr.lat[lo]!;
  const dLon = (tr.lon[lo + 1]! - tr.lon[lo]!) * Math.cos((lat * Math.PI) / 180);
  const moved = dLat !== 0 || dLon !== 0;
  const cog = moved ? ((Math.atan2(dLon, dLat) * 180) / Math.PI + 360) % 360 : (tr.cogDeg[lo] ?? null);
  return { lat, lon, cogDeg: cog };
}

/** The alert's last change at or before `tMs`; null: not yet raised then. */
export function stepAt(a: ReplayAlertView, tMs: number): ReplayStepView | null {
  let out: ReplayStepView | null = null;
  for (const h of a.history) if (Date.parse(h.at) <= tMs) out = h;
  return out;
}

/** Whether a responder had been sent by `tMs` (the state machine keeps the state on dispatch). */
export function dispatchedBy(a: ReplayAlertView, tMs: number): boolean {
  return a.history.some((h) => h.action === 'dispatch' && Date.parse(h.at) <= tMs);
}

/** One mark on the timeline. */
export interface TimelineMark {
  readonly atMs: number;
  readonly kind: 'alert' | 'alert-change' | 'grid';
  /** Alert id, or `{vesselId} {gridId}`. */
  readonly ref: string;
  readonly step?: ReplayStepView;
  readonly alert?: ReplayAlertView;
  readonly event?: ReplayView['gridEvents'][number];
}

/** Every alert's raise and later changes (a rule's update only when its severity or clearing changed), and every grid crossing, in time order, within the window. */
export function timelineMarks(r: ReplayView): TimelineMark[] {
  const from = Date.parse(r.from);
  const to = Date.parse(r.to);
  const out: TimelineMark[] = [];
  for (const a of r.alerts) {
    let prev: ReplayStepView | undefined;
    for (const h of a.history) {
      const before = prev;
      prev = h;
      const at = Date.parse(h.at);
      // A rule's update counts when it changed what the alert says (warning → danger, condition gone).
      const changed = h.action !== 'update' || before === undefined || before.severity !== h.severity || before.cleared !== h.cleared;
      if (at < from || at >= to || !changed) continue;
      out.push({ atMs: at, kind: h.action === 'raise' ? 'alert' : 'alert-change', ref: a.alert.id, step: h, alert: a });
    }
  }
  for (const e of r.gridEvents) out.push({ atMs: Date.parse(e.at), kind: 'grid', ref: `${e.vesselId} ${e.gridId}`, event: e });
  return out.sort((x, y) => x.atMs - y.atMs);
}

/** The slider's resolution: a thousand steps over the window, never under a second. */
export function replayStepMs(fromMs: number, toMs: number): number {
  return Math.max(1000, Math.round((toMs - fromMs) / 1000 / 1000) * 1000);
}

export const SPEEDS = [1, 10, 60, 300, 900, 1800, 3600] as const;

/**
 * The player's clock: replay time advances by wall time × speed while playing, stops at the end.
 * `tick(wallMs)` is called on each animation frame.
 */
export class ReplayClock {
  private lastWallMs: number | undefined;
  playing = false;
  speed: number = 60;

  constructor(
    readonly fromMs: number,
    readonly toMs: number,
    public tMs: number = fromMs,
  ) {}

  play(wallMs: number): void {
    if (this.tMs >= this.toMs) this.tMs = this.fromMs;
    this.playing = true;
    this.lastWallMs = wallMs;
  }

  pause(): void {
    this.playing = false;
    this.lastWallMs = undefined;
  }

  seek(tMs: number): void {
    this.tMs = Math.min(this.toMs, Math.max(this.fromMs, tMs));
  }

  /** Advances to `wallMs`; true when the replay time moved. */
  tick(wallMs: number): boolean {
    if (!this.playing) return false;
    const last = this.lastWallMs ?? wallMs;
    this.lastWallMs = wallMs;
    const before = this.tMs;
    this.seek(this.tMs + (wallMs - last) * this.speed);
    if (this.tMs >= this.toMs) this.pause();
    return this.tMs !== before;
  }
}
