/**
 * The live picture the console holds: vessels by id, open alerts by id (the copy with the highest
 * seq wins), fed by `/ws` (snapshot, then deltas) and, while the socket is down, by polling the
 * HTTP API. Views subscribe and are told once per burst of messages (a zero timer coalesces them).
 */
import { WS_CLOSE, WS_PATH, type AlertChangeView, type AlertView, type VesselView, type WsBbox, type WsServerMessage } from '../protocol.js';
import { fetchAllVessels, fetchJson } from './api.js';

export type Connection = 'live' | 'poll' | 'down';

/** A fix older than this against the newest one is stale (the fleet grid's staleAfterMs, geo/fleet-grid.ts). */
export const STALE_MS = 10 * 60_000;
const POLL_MS = 2000;
const RECONNECT_MS = 3000;

export class LivePicture {
  readonly vessels = new Map<string, VesselView>();
  /**
   * Every vessel ever received, latest state, never cleared by an area's snapshot: what search
   * looks through while the console holds one area (its position may then be minutes old; flying
   * there brings the area's current picture).
   */
  readonly directory = new Map<string, VesselView>();
  readonly alerts = new Map<string, AlertView>();
  /** Alert ids whose `raise` came after the first picture: candidates for the new-danger cue. */
  readonly newAlerts: AlertView[] = [];
  connection: Connection = 'down';
  /** Bumped when the vessel set or any vessel changed. */
  vesselVersion = 0;
  /** Bumped when any alert changed. */
  alertVersion = 0;
  /** Newest fix time seen (ms): the feed's clock, against which staleness is judged. */
  newestFixMs = 0;
  private loaded = false;
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  private ws: WebSocket | undefined;
  private pollTimer: number | undefined;
  private stopped = false;
  /** The area subscribed to (viewport.ts), null: the whole picture. */
  private subscribedArea: WsBbox | null = null;

  constructor(private readonly base: string = location.origin) {}

  /** Called after changes, once per burst (an arrow: a stable reference for hooks). */
  readonly subscribe = (f: () => void): (() => void) => {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  };

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
  }

  /** The area whose vessels to hold (null: all). The server answers with a snapshot of it; resent after a reconnect. */
  watchArea(area: WsBbox | null): void {
    if (area === this.subscribedArea) return;
    this.subscribedArea = area;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'subscribe', bbox: area }));
  }

  /** The area subscribed to; null: the whole picture. */
  area(): WsBbox | null {
    return this.subscribedArea;
  }

  /** Whether the vessels held are one area's, not the whole picture. */
  get areaOnly(): boolean {
    return this.subscribedArea !== null;
  }

  /** An alert as an action answered it, before the push brings it to every console. */
  applyAlert(a: AlertView): void {
    this.upsertAlert(a, false);
    this.alertVersion++;
    this.notify();
  }

  /** Read through a method: the field changes across awaits, which narrowing does not see. */
  isLive(): boolean {
    return this.connection === 'live';
  }

  isStale(v: VesselView): boolean {
    return this.newestFixMs - Date.parse(v.at) > STALE_MS;
  }

  private notify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    // A timer, not requestAnimationFrame: the browser holds frames back while a software renderer
    // is behind, and an alert change must reach the panel at once all the same.
    setTimeout(() => {
      this.notifyQueued = false;
      for (const f of this.listeners) f();
    }, 0);
  }

  private connect(): void {
    if (this.stopped) return;
    const url = `${this.base.replace(/^http/, 'ws')}${WS_PATH}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.connection = 'live';
      if (this.subscribedArea !== null) ws.send(JSON.stringify({ type: 'subscribe', bbox: this.subscribedArea }));
      if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
      this.pollTimer = undefined;
      this.notify();
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let m: WsServerMessage;
      try {
        m = JSON.parse(e.data) as WsServerMessage;
      } catch {
        return;
      }
      this.onMessage(m);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) return;
      // Until the socket is back the HTTP API keeps the picture current (also where /ws is not served).
      this.connection = 'poll';
      this.notify();
      if (this.pollTimer === undefined) void this.poll();
      setTimeout(() => this.connect(), e.code === WS_CLOSE.resync ? 0 : RECONNECT_MS);
    };
  }

  private onMessage(m: WsServerMessage): void {
    if (m.type === 'snapshot') {
      this.vessels.clear();
      for (const v of m.vessels) this.upsertVessel(v);
      this.replaceAlerts(m.alerts);
      this.vesselVersion++;
      this.alertVersion++;
      this.loaded = true;
    } else if (m.type === 'delta') {
      for (const v of m.vessels) this.upsertVessel(v);
      for (const id of m.removed) this.vessels.delete(id);
      if (m.vessels.length > 0 || m.removed.length > 0) this.vesselVersion++;
      for (const c of m.alerts) this.applyChange(c);
      if (m.alerts.length > 0) this.alertVersion++;
    } else return;
    this.notify();
  }

  private async poll(): Promise<void> {
    if (this.stopped || this.connection === 'live') {
      this.pollTimer = undefined;
      return;
    }
    try {
      const [vessels, alerts] = await Promise.all([fetchAllVessels(this.base), fetchJson<AlertView[]>(`${this.base}/api/alerts?state=open`)]);
      if (!this.isLive()) {
        this.vessels.clear();
        for (const v of vessels) this.upsertVessel(v);
        this.replaceAlerts(alerts);
        this.vesselVersion++;
        this.alertVersion++;
        this.loaded = true;
        this.connection = 'poll';
        this.notify();
      }
    } catch {
      this.connection = 'down';
      this.notify();
    }
    if (!this.isLive()) this.pollTimer = window.setTimeout(() => void this.poll(), POLL_MS);
    else this.pollTimer = undefined;
  }

  private upsertVessel(v: VesselView): void {
    this.vessels.set(v.vesselId, v);
    this.directory.set(v.vesselId, v);
    const ms = Date.parse(v.at);
    if (ms > this.newestFixMs) this.newestFixMs = ms;
  }

  private replaceAlerts(list: readonly AlertView[]): void {
    const before = this.alerts;
    const next = new Map<string, AlertView>();
    for (const a of list) {
      next.set(a.id, a);
      if (this.loaded && !before.has(a.id)) this.newAlerts.push(a);
    }
    this.alerts.clear();
    for (const [id, a] of next) this.alerts.set(id, a);
  }

  private applyChange(c: AlertChangeView): void {
    this.upsertAlert(c.alert, c.action === 'raise');
  }

  private upsertAlert(a: AlertView, raised: boolean): void {
    const held = this.alerts.get(a.id);
    if (held !== undefined && (held.seq ?? 0) > (a.seq ?? 0)) return;
    if (a.state === 'resolved') this.alerts.delete(a.id);
    else {
      if (held === undefined && (raised || this.loaded)) this.newAlerts.push(a);
      else if (held !== undefined && held.severity !== 'danger' && a.severity === 'danger') this.newAlerts.push(a);
      this.alerts.set(a.id, a);
    }
  }
}
