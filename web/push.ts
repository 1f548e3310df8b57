/**
 * Hop 9, push (ARCHITECTURE.md): the live picture to every `/ws` client — a snapshot on connect,
 * then the changes coalesced into one delta per period; alert changes do not wait for the period
 * (its 250 ms would be most of the watch floor's 200 ms budget from report to alert) but go out at
 * the end of the I/O turn that made them, in a delta of their own with the vessels they name. A
 * client that cannot keep up is sent nothing while its socket holds more than `maxBufferedBytes`;
 * meanwhile its vessel changes collapse to the latest state of each vessel (memory bounded by the
 * fleet, not by time) and its alert changes queue in order, so it never misses one. A queue past
 * `maxQueuedAlertChanges` closes the socket with WS_CLOSE.resync: the client reconnects and starts
 * again from a snapshot.
 *
 * No framework here: a socket is anything with `send`, `close` and `bufferedAmount` (ws's
 * WebSocket), so web/server.ts wires the sockets and tests can drive the hub directly.
 */
import { Buffer } from 'node:buffer';
import { WS_CLOSE, WS_DELTA_PERIOD_MS, type AlertChangeView, type AlertView, type VesselView, type WsBbox, type WsClientMessage, type WsServerMessage } from './protocol.js';

export interface PushSocket {
  /** Bytes accepted by send() and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** One message, UTF-8 JSON already encoded, sent as a text frame (`binary: false`). */
  send(data: Buffer, options: { binary: false }): void;
  close(code: number, reason: string): void;
}

/** The live picture as the hub reads it (the composition root supplies it). */
export interface PushFeed {
  /** Every live vessel, or those within bbox. */
  vessels(bbox: WsBbox | null): readonly VesselView[];
  /** One vessel now; undefined when it has left the live picture. */
  vessel(vesselId: string): VesselView | undefined;
  /** Every open (not resolved) alert. */
  openAlerts(): readonly AlertView[];
}

/**
 * What one client may see (sign-in, issue 14): a fleet leader's his fleets' vessels and alerts and
 * the traffic near them. A client without one sees everything.
 */
export interface PushScope {
  /** Made once a snapshot or period: what the client may see of a vessel, null: nothing. */
  vesselViewer(): (v: VesselView) => VesselView | null;
  seesAlert(a: AlertView): boolean;
}

export interface PushOptions {
  readonly periodMs?: number;
  /** A socket holding more than this is sent nothing new until it drains (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  /** Alert changes held for one slow client before it is told to resync (default 10,000). */
  readonly maxQueuedAlertChanges?: number;
  readonly nowMs?: () => number;
}

/** What /metrics shows of the push (app/push-metrics.ts). */
export interface PushCounters {
  /** Sockets accepted since start. */
  accepted: number;
  /** Messages sent, by type. */
  readonly sent: Map<WsServerMessage['type'], number>;
  bytesSent: number;
  received: number;
  /** Sockets the hub closed, by close code (1001 at shutdown, 1003/1008 bad messages, 4001 resync). */
  readonly closed: Map<number, number>;
  /** Vessel states replaced by a newer one before a slow client could be sent them. */
  superseded: number;
  /** Periods in which a client was skipped because its socket was still full. */
  held: number;
}

/** One connected socket and what it has yet to be sent. */
export class PushClient {
  bbox: WsBbox | null = null;
  /** With a bbox: the vessels the client holds (so a vessel leaving the box is removed). */
  known: Set<string> | null = null;
  /** Vessel id → latest view, or null: remove. */
  readonly vessels = new Map<string, VesselView | null>();
  alerts: AlertChangeView[] = [];
  snapshotDue = false;
  /** The period its last snapshot went out in: at most one a period, however often it subscribes. */
  snapshotPeriod = -1;
  closed = false;
  /** Bytes sent to this client (what /metrics sums, and what shows a slow client is not flooded). */
  bytesSent = 0;
  /** With a scope: the alerts it was shown, so their later changes reach it even if they leave its fleets. */
  readonly shownAlerts: Set<string> | null;
  constructor(
    readonly socket: PushSocket,
    /** Index in the hub's alert log from which changes are this client's (earlier ones are in its snapshot). */
    public alertsFrom: number,
    readonly scope: PushScope | null = null,
  ) {
    this.shownAlerts = scope === null ? null : new Set();
  }
}

const DEFAULTS = { periodMs: WS_DELTA_PERIOD_MS, maxBufferedBytes: 1 << 20, maxQueuedAlertChanges: 10_000 };

export class PushHub {
  readonly counters: PushCounters = { accepted: 0, sent: new Map(), bytesSent: 0, received: 0, closed: new Map(), superseded: 0, held: 0 };
  private readonly clients = new Set<PushClient>();
  private readonly opts: Required<Omit<PushOptions, 'nowMs'>>;
  private readonly nowMs: () => number;
  /** Vessels changed since the last period. */
  private changed = new Set<string>();
  /** Alert changes since the last period; `alertBase` is the running index of its first. */
  private alertLog: AlertChangeView[] = [];
  private alertBase = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The alerts-only flush due at the end of this I/O turn (every change made in it goes together). */
  private urgent: ReturnType<typeof setImmediate> | undefined;
  /**
   * The full snapshot, encoded once for every client that asks within one period (many consoles
   * reconnect together after a restart), with the alert log index it is as of; the next flush
   * drops it (the changes since are then in that flush, for the clients it went to).
   */
  private snapshotCache: { frame: Buffer; alertsFrom: number } | undefined;
  /** Flushes so far. */
  private period = 0;

  constructor(
    private readonly feed: PushFeed,
    options: PushOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
    this.nowMs = options.nowMs ?? Date.now;
  }

  get connections(): number {
    return this.clients.size;
  }

  /** The connected clients (their sockets' buffered bytes, bytes sent, what each has yet to get). */
  connected(): readonly PushClient[] {
    return [...this.clients];
  }

  /** Vessels whose state changed or that left the live picture (PipelineOutcome.changed). */
  vesselsChanged(ids: Iterable<string>): void {
    if (this.clients.size === 0) return;
    for (const id of ids) this.changed.add(id);
  }

  /** Every alert change, a rule's or an officer's, in the order they were made. */
  alertChanged(c: AlertChangeView): void {
    if (this.clients.size === 0) return;
    this.alertLog.push(c);
    this.urgent ??= setImmediate(() => {
      this.urgent = undefined;
      this.flush(false);
    });
  }

  /** A new socket: its snapshot goes out at once. A scoped client sees only its part (PushScope). */
  connect(socket: PushSocket, scope: PushScope | null = null): PushClient {
    const c = new PushClient(socket, Number.POSITIVE_INFINITY, scope); // set by its snapshot
    this.clients.add(c);
    this.counters.accepted++;
    this.sendSnapshot(c);
    this.timer ??= setInterval(() => this.flush(), this.opts.periodMs);
    this.timer.unref?.();
    return c;
  }

  /**
   * The socket closed (either side): forget the client. `code` is the close code; ws itself
   * closes a message over the size limit (1009) or not UTF-8 (1007), counted here with the hub's own.
   */
  disconnect(c: PushClient, code?: number): void {
    if (!c.closed && (code === WS_CLOSE.tooBig || code === WS_CLOSE.badText)) this.counters.closed.set(code, (this.counters.closed.get(code) ?? 0) + 1);
    c.closed = true;
    this.clients.delete(c);
    if (this.clients.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      if (this.urgent !== undefined) clearImmediate(this.urgent);
      this.urgent = undefined;
      this.changed = new Set();
      this.alertBase += this.alertLog.length;
      this.alertLog = [];
    }
  }

  /** A client message: text, or null for a binary frame. A bad one closes only this socket. */
  receive(c: PushClient, text: string | null): void {
    this.counters.received++;
    if (text === null) return this.close(c, WS_CLOSE.unsupported, 'binary frames are not part of the protocol');
    const m = parseClientMessage(text);
    if (typeof m === 'string') return this.close(c, WS_CLOSE.policy, m);
    if (m.type === 'ping') return this.send(c, { type: 'pong', t: m.t ?? null, at: new Date(this.nowMs()).toISOString() });
    c.bbox = m.bbox;
    // The snapshot replaces the client's vessels; a full socket gets it when it drains, and a
    // client that subscribes again within the period gets one for its last box at the next flush.
    c.snapshotDue = true;
    if (c.socket.bufferedAmount <= this.opts.maxBufferedBytes && c.snapshotPeriod !== this.period) this.sendSnapshot(c);
  }

  /** Closes every socket (the server is stopping). */
  closeAll(code: number = WS_CLOSE.goingAway, reason = 'server stopping'): void {
    for (const c of [...this.clients]) this.close(c, code, reason);
  }

  /**
   * One period: what changed goes to every client that can take it. `withVessels` false: the alert
   * changes so far, with the latest state of the vessels they name that changed this period (a
   * console draws the alert where its vessels are); the other vessels keep coalescing.
   */
  flush(withVessels = true): void {
    if (!withVessels && this.alertLog.length === 0) return; // a period's flush took them first
    let ids = this.changed;
    if (withVessels) this.changed = new Set();
    else {
      ids = new Set();
      for (const a of this.alertLog) for (const v of a.alert.vesselIds) if (this.changed.delete(v)) ids.add(v);
    }
    const alerts = this.alertLog;
    const base = this.alertBase;
    this.alertLog = [];
    this.alertBase += alerts.length;
    this.snapshotCache = undefined;
    this.period++;
    if (this.clients.size === 0) return;
    const views = new Map<string, VesselView | null>();
    for (const id of ids) views.set(id, this.feed.vessel(id) ?? null);
    // Clients in step with no viewport all get the same delta: encoded once.
    let shared: Buffer | undefined;
    const removedAll = (): string[] => [...views].filter(([, v]) => v === null).map(([id]) => id);
    for (const c of [...this.clients]) {
      const fresh = c.alertsFrom > base ? alerts.slice(c.alertsFrom - base) : alerts;
      c.alertsFrom = base + alerts.length;
      const full = c.socket.bufferedAmount > this.opts.maxBufferedBytes;
      if (!full && !c.snapshotDue && c.bbox === null && c.scope === null && c.vessels.size === 0 && c.alerts.length === 0 && fresh === alerts) {
        if (views.size === 0 && alerts.length === 0) continue;
        shared ??= encode({ type: 'delta', at: new Date(this.nowMs()).toISOString(), vessels: [...views.values()].filter((v) => v !== null), removed: removedAll(), alerts });
        this.sendFrame(c, 'delta', shared);
        continue;
      }
      this.collect(c, views, fresh);
      if (c.alerts.length > this.opts.maxQueuedAlertChanges) {
        this.close(c, WS_CLOSE.resync, 'too far behind: reconnect for a fresh snapshot');
        continue;
      }
      if (full) {
        if (withVessels) this.counters.held++;
        continue;
      }
      if (c.snapshotDue) this.sendSnapshot(c);
      if (c.vessels.size > 0 || c.alerts.length > 0) this.sendDelta(c);
    }
  }

  /** Folds one period's changes into what the client has yet to be sent (latest vessel state wins). */
  private collect(c: PushClient, views: ReadonlyMap<string, VesselView | null>, alerts: readonly AlertChangeView[]): void {
    const see = c.scope?.vesselViewer();
    for (const [id, v] of views) {
      let next: VesselView | null | undefined = v === null || see === undefined ? v : see(v);
      if (c.known !== null) {
        const inside = next !== null && next !== undefined && (c.bbox === null || inBox(next, c.bbox));
        if (inside) c.known.add(id);
        else if (c.known.delete(id)) next = null;
        else next = undefined; // never shown to this client, nothing to say
      }
      if (next === undefined) continue;
      if (c.vessels.has(id)) this.counters.superseded++;
      c.vessels.set(id, next);
    }
    for (const a of alerts) if (this.shows(c, a.alert)) c.alerts.push(a);
  }

  /** Whether a scoped client is sent this alert (or a change of it): his fleets', or one he was shown. */
  private shows(c: PushClient, a: AlertView): boolean {
    if (c.scope === null) return true;
    if (c.shownAlerts!.has(a.id)) return true;
    if (!c.scope.seesAlert(a)) return false;
    c.shownAlerts!.add(a.id);
    return true;
  }

  /**
   * Replaces what the client holds. Alert changes made after the snapshot's moment are the
   * client's from then on (those before are in it); pending vessel states it supersedes.
   */
  private sendSnapshot(c: PushClient): void {
    c.vessels.clear();
    c.snapshotDue = false;
    c.snapshotPeriod = this.period;
    const at = new Date(this.nowMs()).toISOString();
    const now = this.alertBase + this.alertLog.length;
    if (c.bbox === null && c.scope === null) {
      this.snapshotCache ??= { frame: encode({ type: 'snapshot', at, bbox: null, vessels: this.feed.vessels(null), alerts: this.feed.openAlerts() }), alertsFrom: now };
      c.known = null;
      c.alertsFrom = Math.min(c.alertsFrom, this.snapshotCache.alertsFrom);
      return this.sendFrame(c, 'snapshot', this.snapshotCache.frame);
    }
    // Filtered here too: a feed may hand more than the box (the box is its hint), and every vessel
    // in `known` would later cost this client a removal when it moves.
    const box = c.bbox;
    let vessels = box === null ? this.feed.vessels(null) : this.feed.vessels(box).filter((v) => inBox(v, box));
    let alerts = this.feed.openAlerts();
    if (c.scope !== null) {
      const see = c.scope.vesselViewer();
      vessels = vessels.map(see).filter((v) => v !== null);
      c.shownAlerts!.clear();
      alerts = alerts.filter((a) => this.shows(c, a));
    }
    c.known = new Set(vessels.map((v) => v.vesselId));
    c.alertsFrom = Math.min(c.alertsFrom, now);
    this.send(c, { type: 'snapshot', at, bbox: c.bbox, vessels, alerts });
  }

  private sendDelta(c: PushClient): void {
    const vessels: VesselView[] = [];
    const removed: string[] = [];
    for (const [id, v] of c.vessels) {
      if (v === null) removed.push(id);
      else vessels.push(v);
    }
    const alerts = c.alerts;
    c.vessels.clear();
    c.alerts = [];
    this.send(c, { type: 'delta', at: new Date(this.nowMs()).toISOString(), vessels, removed, alerts });
  }

  private send(c: PushClient, m: WsServerMessage): void {
    this.sendFrame(c, m.type, encode(m));
  }

  private sendFrame(c: PushClient, type: WsServerMessage['type'], frame: Buffer): void {
    if (c.closed) return;
    c.socket.send(frame, TEXT);
    this.counters.sent.set(type, (this.counters.sent.get(type) ?? 0) + 1);
    this.counters.bytesSent += frame.length;
    c.bytesSent += frame.length;
  }

  private close(c: PushClient, code: number, reason: string): void {
    if (c.closed) return;
    this.counters.closed.set(code, (this.counters.closed.get(code) ?? 0) + 1);
    c.socket.close(code, reason);
    this.disconnect(c);
  }
}

const TEXT = { binary: false } as const;

/** A message as the UTF-8 bytes of its JSON, made once however many sockets it goes to. */
function encode(m: WsServerMessage): Buffer {
  return Buffer.from(JSON.stringify(m));
}

/** Whether a vessel is within a subscribed box (edges included). */
export function inBox(v: Pick<VesselView, 'lon' | 'lat'>, [w, s, e, n]: WsBbox): boolean {
  return v.lon >= w && v.lon <= e && v.lat >= s && v.lat <= n;
}

/** A client message, or why it is refused (the close reason; at most 123 bytes by RFC 6455). */
export function parseClientMessage(text: string): WsClientMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const m = v as Record<string, unknown>;
  if (m.type === 'ping') {
    if (m.t !== undefined && (typeof m.t !== 'number' || !Number.isFinite(m.t))) return 'ping.t must be a number';
    return m.t === undefined ? { type: 'ping' } : { type: 'ping', t: m.t };
  }
  if (m.type === 'subscribe') {
    if (m.bbox === null) return { type: 'subscribe', bbox: null };
    const b = m.bbox;
    const good =
      Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
      Math.abs(b[0]) <= 180 && Math.abs(b[2]) <= 180 && Math.abs(b[1]) <= 90 && Math.abs(b[3]) <= 90 && b[0] <= b[2] && b[1] <= b[3];
    if (!good) return 'subscribe.bbox must be [west, south, east, north] in degrees, or null';
    return { type: 'subscribe', bbox: [b[0], b[1], b[2], b[3]] as const };
  }
  return 'unknown message type';
}
