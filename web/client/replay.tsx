/**
 * Replay mode of the map (issue 15 §1): choose vessels, a fleet or a grid and a window (Beijing
 * time), load `GET /api/replay` and the picture at the start (`/api/picture`), and play: tracks as
 * deck.gl trips, ships where they were, alerts appearing on the map and the timeline when they
 * fired and changing as their history did, grid crossings on the timeline. One controller holds
 * the replay; the bar (over the map) and the panel (in the side column) are its two views.
 */
import { REPLAY_MAX_VESSELS, type FleetView, type PictureView, type ReplayAlertView, type ReplayView } from '../protocol.js';
import { ApiError, fetchJson } from './api.js';
import type { GridCollection } from './grids.js';
import { dateTimeOf, t, tOr, vesselLabel } from './i18n.js';
import { COLOURS, type ReplayScene, type ReplayShip, type Rgba, type SeaMap } from './map.js';
import { dispatchedBy, positionAt, ReplayClock, replayStepMs, SPEEDS, stepAt, timelineMarks, type TimelineMark } from './replay-model.js';
import { useEffect, useState, useSubscription } from './ui.js';
import './replay.css';

/** Track colours, one per vessel in turn (none of them the alert colours). */
const PALETTE: readonly Rgba[] = [
  [79, 195, 247, 255],
  [156, 204, 101, 255],
  [236, 64, 122, 255],
  [255, 241, 118, 255],
  [149, 117, 205, 255],
  [77, 208, 225, 255],
  [255, 138, 101, 255],
  [174, 213, 129, 255],
];
const ACKNOWLEDGED: Rgba = [100, 181, 246, 255];
const DISPATCHED: Rgba = [186, 104, 200, 255];
const RESOLVED: Rgba = [158, 158, 158, 255];
const CLEARED: Rgba = [102, 187, 106, 255];
/** The panel re-renders at most this often while playing (the map takes every frame). */
const UI_MS = 250;
const BEIJING_MS = 8 * 3_600_000;

export type ReplaySubjectKind = 'vessels' | 'fleet' | 'grid';

/** What the replay's state looks like to a test (`window.seagridReplay`). */
export interface ReplayDebug {
  readonly tMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
  readonly playing: boolean;
  readonly ships: readonly { readonly id: string; readonly lat: number; readonly lon: number }[];
  readonly marks: readonly { readonly alertId: string; readonly state: string; readonly lat: number; readonly lon: number }[];
}
declare global {
  interface Window {
    seagridReplay?: { state(): ReplayDebug | null; seek(tMs: number): void };
  }
}

/** The colour an alert's mark takes at the moment (null: not raised yet). */
function alertColour(a: ReplayAlertView, tMs: number): Rgba | null {
  const s = stepAt(a, tMs);
  if (s === null) return null;
  if (s.state === 'resolved') return RESOLVED;
  if (dispatchedBy(a, tMs)) return DISPATCHED;
  if (s.state === 'acknowledged' || s.state === 'assigned') return ACKNOWLEDGED;
  if (s.cleared) return CLEARED;
  return s.severity === 'danger' ? COLOURS.danger : COLOURS.warning;
}

export class ReplayController {
  data: ReplayView | null = null;
  clock: ReplayClock | null = null;
  marks: TimelineMark[] = [];
  loading = false;
  error: string | null = null;
  private picture: PictureView | null = null;
  private trips: ReplayScene['trips'] = [];
  private context: ReplayShip[] = [];
  private readonly listeners = new Set<() => void>();
  private frame: number | undefined;
  private lastUiMs = -Infinity;
  private map: SeaMap | null = null;
  private active = false;

  constructor(private readonly base: string) {
    window.seagridReplay = { state: () => this.debug(), seek: (ms) => this.seek(ms) };
  }

  subscribe = (f: () => void): (() => void) => {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  };

  private changed(): void {
    this.lastUiMs = performance.now();
    for (const f of this.listeners) f();
  }

  /** Replay mode on (the map shows the replay) or off (back to the live picture). */
  attach(map: SeaMap | null, on: boolean): void {
    this.map = map;
    this.active = on;
    if (!on) this.pause();
    this.draw();
  }

  async load(kind: ReplaySubjectKind, value: string, fromMs: number, toMs: number): Promise<void> {
    this.pause();
    this.loading = true;
    this.error = null;
    this.changed();
    const q = new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
    const pic = new URLSearchParams({ at: new Date(fromMs).toISOString() });
    if (kind === 'vessels') q.set('vessels', value);
    else if (kind === 'fleet') {
      q.set('fleetId', value);
      pic.set('fleetId', value);
    } else {
      q.set('gridId', value);
      pic.set('gridId', value);
    }
    try {
      const [r, p] = await Promise.all([fetchJson<ReplayView>(`${this.base}/api/replay?${q}`), fetchJson<PictureView>(`${this.base}/api/picture?${pic}`).catch(() => null)]);
      this.data = r;
      this.picture = p;
      const from = Date.parse(r.from);
      this.clock = new ReplayClock(from, Date.parse(r.to));
      this.marks = timelineMarks(r);
      this.trips = r.vessels.map((v, i) => ({ path: v.t.map((_, k) => [v.lon[k]!, v.lat[k]!] as [number, number]), times: v.t.map((x) => (x - from) / 1000), colour: PALETTE[i % PALETTE.length]! }));
      const played = new Set(r.vessels.map((v) => v.vesselId));
      this.context = (p?.vessels ?? []).filter((v) => !played.has(v.vesselId)).map((v) => ({ id: v.vesselId, label: vesselLabel(null, v.vesselId), lon: v.lon, lat: v.lat, cogDeg: v.cogDeg, colour: COLOURS.both }));
      this.fit();
    } catch (e) {
      this.error = e instanceof ApiError ? e.code : String(e);
    } finally {
      this.loading = false;
      this.draw();
      this.changed();
    }
  }

  /** The map over every track (and the picture's vessels when no track). */
  private fit(): void {
    const r = this.data;
    if (r === null || this.map === null) return;
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const v of r.vessels)
      for (let i = 0; i < v.t.length; i++) {
        w = Math.min(w, v.lon[i]!);
        e = Math.max(e, v.lon[i]!);
        s = Math.min(s, v.lat[i]!);
        n = Math.max(n, v.lat[i]!);
      }
    if (!Number.isFinite(w)) return;
    const span = Math.max(e - w, (n - s) * 1.2, 0.02);
    // The chart is ~1,000 px wide: a 512-px world at zoom 0, with a margin of a third.
    this.map.flyTo((w + e) / 2, (s + n) / 2, Math.min(14, Math.log2((360 / span) * (1000 / 512) / 1.5)));
  }

  play(): void {
    if (this.clock === null) return;
    this.clock.play(performance.now());
    const step = (): void => {
      if (this.clock?.tick(performance.now()) === true) this.draw();
      if (performance.now() - this.lastUiMs >= UI_MS || this.clock?.playing !== true) this.changed();
      this.frame = this.clock?.playing === true ? requestAnimationFrame(step) : undefined;
    };
    this.frame = requestAnimationFrame(step);
    this.changed();
  }

  pause(): void {
    this.clock?.pause();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.changed();
  }

  seek(tMs: number): void {
    this.clock?.seek(tMs);
    this.draw();
    this.changed();
  }

  setSpeed(x: number): void {
    if (this.clock !== null) this.clock.speed = x;
    this.changed();
  }

  /** The scene at the clock's moment to the map (or the live picture back when not in replay mode). */
  private draw(): void {
    if (this.map === null) return;
    this.map.setReplay(this.active ? this.scene() : null);
  }

  private scene(): ReplayScene {
    const r = this.data;
    const c = this.clock;
    if (r === null || c === null) return { trips: [], currentS: 0, ships: [], context: [], marks: [], lines: [] };
    const tMs = c.tMs;
    const at = new Map<string, { lat: number; lon: number }>();
    const alerting = new Map<string, Rgba>();
    const marks: ReplayScene['marks'][number][] = [];
    const lines: ReplayScene['lines'][number][] = [];
    for (const a of r.alerts) {
      const colour = alertColour(a, tMs);
      if (colour === null) continue;
      const s = stepAt(a, tMs)!;
      const place = this.alertPlace(a);
      if (place !== null) marks.push({ lon: place.lon, lat: place.lat, colour, label: `${tOr('kind_', a.alert.kind)} · ${tOr('sev_', s.severity)} · ${tOr('state_', s.state)} · ${dateTimeOf(a.history[0]!.at)}` });
      const open = s.state !== 'resolved' && !s.cleared;
      if (open) for (const id of a.alert.vesselIds) if (s.severity === 'danger' || !alerting.has(id)) alerting.set(id, colour);
      if (open && place !== null && a.alert.kind === 'collision') {
        for (const id of a.alert.vesselIds) {
          const v = r.vessels.find((x) => x.vesselId === id);
          const p = v === undefined ? null : positionAt(v, tMs);
          if (p !== null) lines.push({ from: [p.lon, p.lat], to: [place.lon, place.lat], colour });
        }
      }
    }
    const ships: ReplayShip[] = [];
    r.vessels.forEach((v, i) => {
      const p = positionAt(v, tMs);
      if (p === null) return;
      at.set(v.vesselId, p);
      ships.push({ id: v.vesselId, label: `${vesselLabel(v.name, v.vesselId)} · ${dateTimeOf(tMs)}`, lon: p.lon, lat: p.lat, cogDeg: p.cogDeg, colour: alerting.get(v.vesselId) ?? PALETTE[i % PALETTE.length]! });
    });
    return { trips: this.trips, currentS: (tMs - c.fromMs) / 1000, ships, context: this.context, marks, lines };
  }

  /** Where an alert is marked: a collision's predicted meeting point, else its first vessel where it was at the raise. */
  alertPlace(a: ReplayAlertView): { lat: number; lon: number } | null {
    const meet = a.alert.details['meetingPoint'] as { lat?: unknown; lon?: unknown } | undefined;
    if (meet !== undefined && typeof meet.lat === 'number' && typeof meet.lon === 'number') return { lat: meet.lat, lon: meet.lon };
    const v = this.data?.vessels.find((x) => x.vesselId === a.alert.vesselIds[0]);
    return v === undefined ? null : positionAt(v, Date.parse(a.history[0]!.at));
  }

  private debug(): ReplayDebug | null {
    const r = this.data;
    const c = this.clock;
    if (r === null || c === null) return null;
    const sc = this.scene();
    return {
      tMs: c.tMs,
      fromMs: c.fromMs,
      toMs: c.toMs,
      stepMs: replayStepMs(c.fromMs, c.toMs),
      playing: c.playing,
      ships: sc.ships.map((s) => ({ id: s.id, lat: s.lat, lon: s.lon })),
      marks: r.alerts.flatMap((a) => {
        const s = stepAt(a, c.tMs);
        const p = this.alertPlace(a);
        return s === null || p === null ? [] : [{ alertId: a.alert.id, state: s.state, lat: p.lat, lon: p.lon }];
      }),
    };
  }
}

/** Beijing wall time for a datetime-local input, and back. */
function toLocalInput(ms: number): string {
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 16);
}
function fromLocalInput(v: string): number {
  // With seconds (step=1) or without them, as the browser gives it.
  return Date.parse(`${v.length === 16 ? `${v}:00` : v}Z`) - BEIJING_MS;
}

function markLabel(m: TimelineMark): string {
  if (m.kind === 'grid') {
    const e = m.event!;
    return t(e.kind === 'enter' ? 'rp_enter' : 'rp_exit', { vessel: vesselLabel(null, e.vesselId), grid: e.gridId });
  }
  const a = m.alert!;
  const s = m.step!;
  return `${tOr('kind_', a.alert.kind)} · ${tOr('act_', s.action)} · ${tOr('sev_', s.severity)}${s.cleared ? ` · ${t('cleared')}` : ''} (${a.alert.vesselIds.join(', ')})`;
}

/** Over the map: play/pause, the moment in Beijing time, speed, and the timeline with its marks. */
export function ReplayBar(props: { ctl: ReplayController }) {
  const { ctl } = props;
  useSubscription(ctl.subscribe);
  const c = ctl.clock;
  if (c === null || ctl.data === null) return null;
  const span = c.toMs - c.fromMs;
  const pct = (ms: number): string => `${((ms - c.fromMs) / span) * 100}%`;
  return (
    <div class="replay-bar">
      <div class="rb-row">
        <button class="rb-play" onClick={() => (c.playing ? ctl.pause() : ctl.play())}>
          {c.playing ? `⏸ ${t('rp_pause')}` : `▶ ${t('rp_play')}`}
        </button>
        <span class="rb-time" data-t={c.tMs}>
          {dateTimeOf(c.tMs)} {t('beijingTime')}
        </span>
        <label class="rb-speed">
          {t('rp_speed')}{' '}
          <select value={String(c.speed)} onChange={(e) => ctl.setSpeed(Number((e.target as HTMLSelectElement).value))}>
            {SPEEDS.map((x) => (
              <option value={String(x)}>{x.toLocaleString('en')}×</option>
            ))}
          </select>
        </label>
      </div>
      <div class="timeline">
        <div class="tl-marks">
          {ctl.marks.map((m) => (
            <i
              class={`tl-mark tl-${m.kind}${m.kind === 'grid' ? ` tl-${m.event!.kind}` : ` sev-${m.step!.severity}`}${m.atMs <= c.tMs ? ' past' : ''}`}
              style={{ left: pct(m.atMs) }}
              title={`${dateTimeOf(m.atMs)} ${markLabel(m)}`}
              data-at={m.atMs}
              data-alert-id={m.kind === 'grid' ? undefined : m.ref}
              data-action={m.step?.action}
              onClick={() => ctl.seek(m.atMs)}
            />
          ))}
        </div>
        <input class="tl-slider" type="range" min={c.fromMs} max={c.toMs} step={replayStepMs(c.fromMs, c.toMs)} value={c.tMs} onInput={(e) => ctl.seek(Number((e.target as HTMLInputElement).value))} />
        <div class="tl-ends dim">
          <span>{dateTimeOf(c.fromMs)}</span>
          <span>{dateTimeOf(c.toMs)}</span>
        </div>
      </div>
    </div>
  );
}

/** In the side column: what to replay and over which window, then the timeline's events as a list. */
export function ReplayPanel(props: { ctl: ReplayController; fleets: readonly FleetView[]; grids: GridCollection | null }) {
  const { ctl } = props;
  useSubscription(ctl.subscribe);
  const [kind, setKind] = useState<ReplaySubjectKind>('vessels');
  const [value, setValue] = useState('');
  const [from, setFrom] = useState(() => toLocalInput(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000));
  const [to, setTo] = useState(() => toLocalInput(Math.floor(Date.now() / 60_000) * 60_000));
  useEffect(() => {
    if (kind === 'fleet' && value === '' && props.fleets[0] !== undefined) setValue(props.fleets[0].fleetId);
  }, [kind, props.fleets]);
  const r = ctl.data;
  const tMs = ctl.clock?.tMs ?? 0;
  const gridIds = (props.grids?.features ?? []).map((f) => f.properties.id);
  return (
    <div class="replay-panel">
      <div class="h-title">{t('replay_title')}</div>
      <div class="rp-form">
        <select class="rp-kind" value={kind} onChange={(e) => { setKind((e.target as HTMLSelectElement).value as ReplaySubjectKind); setValue(''); }}>
          <option value="vessels">{t('rp_vessels')}</option>
          <option value="fleet">{t('rp_fleet')}</option>
          <option value="grid">{t('rp_grid')}</option>
        </select>
        {kind === 'fleet' ? (
          <select class="rp-value" value={value} onChange={(e) => setValue((e.target as HTMLSelectElement).value)}>
            {props.fleets.map((f) => (
              <option value={f.fleetId}>{f.fleetId}</option>
            ))}
          </select>
        ) : (
          <input class="rp-value" list={kind === 'grid' ? 'rp-grids' : undefined} placeholder={t(kind === 'grid' ? 'rp_gridId' : 'rp_ids')} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        )}
        <datalist id="rp-grids">
          {gridIds.map((id) => (
            <option value={id} />
          ))}
        </datalist>
        <label>
          {t('rp_from')}
          <input class="rp-from" type="datetime-local" step="1" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('rp_to')}
          <input class="rp-to" type="datetime-local" step="1" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button class="rp-load" disabled={ctl.loading || value.trim() === ''} onClick={() => void ctl.load(kind, value.trim(), fromLocalInput(from), fromLocalInput(to))}>
          {ctl.loading ? t('rp_loading') : t('rp_load')}
        </button>
        {ctl.error !== null && <div class="error">{t('rp_failed', { code: ctl.error })}</div>}
      </div>
      {r !== null && (
        <div class="rp-summary dim" data-vessels={r.vessels.length}>
          {r.vessels.length === 0
            ? t('rp_empty')
            : t('rp_summary', { n: r.vessels.length, fixes: r.vessels.reduce((s, v) => s + v.fixes, 0).toLocaleString('en'), points: r.vessels.reduce((s, v) => s + v.t.length, 0).toLocaleString('en'), tol: r.toleranceM })}
          {r.vesselsCut > 0 && <div class="rp-vessels-cut">{t('rp_vesselsCut', { n: r.vesselsCut.toLocaleString('en'), max: REPLAY_MAX_VESSELS.toLocaleString('en') })}</div>}
          {r.gridEventsCut && <div>{t('rp_cut', { n: r.gridEvents.length.toLocaleString('en') })}</div>}
        </div>
      )}
      {r !== null && (
        <>
          <div class="h-title">{t('rp_events')}</div>
          {ctl.marks.length === 0 && <div class="empty">{t('rp_noEvents')}</div>}
          <ul class="rp-events">
            {ctl.marks.map((m) => (
              <li class={`rp-event rp-${m.kind}${m.atMs <= tMs ? ' past' : ''}`} data-alert-id={m.kind === 'grid' ? undefined : m.ref} onClick={() => ctl.seek(m.atMs)}>
                <span class="rp-at">{dateTimeOf(m.atMs)}</span> {markLabel(m)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
