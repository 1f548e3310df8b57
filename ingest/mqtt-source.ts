/**
 * The one home of `mqtt` (mqtt.js). `MqttSource` subscribes to the raw NMEA topics and hands each
 * payload on as a `RawFrame`; `MqttPublisher` feeds a broker (simulator, replay, alerts out). Both ride on
 * `Link`, which owns reconnection: a persistent session (fixed client id, `clean: false`) so the
 * broker queues QoS 1 messages while we are away, and capped exponential backoff with jitter.
 *
 * mqtt.js facts this file relies on (5.x, read from its source):
 * - its reconnect timer is re-armed on every 'close' from `options.reconnectPeriod`, so setting
 *   that field in a 'close' listener that runs first (prependListener) sets the next delay;
 * - `client.reconnect()` replaces the outgoing store with an empty one unless handed the old
 *   one, which would drop queued QoS 1 messages: we never call it and let the timer reconnect;
 * - QoS 1 publishes made while offline, or unacknowledged when the link dropped, stay in the
 *   outgoing store and are resent after CONNACK;
 * - only acks and PINGRESP postpone its keepalive ping, not a received PUBLISH (`reschedulePing(true)`
 *   does, from outside);
 * - 'message' is emitted before the PUBACK is written, so a synchronous `onFrame` runs before
 *   the broker may forget the message;
 * - `end(false)` waits for the outgoing map to drain, forever if the broker is gone: every end
 *   here is forced when offline and bounded by a timeout.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { IConnackPacket, MqttClient } from 'mqtt';
import { Fifo, RateLimitedLog } from '../model/index.js';
import { TurnBudget } from './turn-budget.js';

type MqttModule = typeof import('mqtt');
let mqttModule: MqttModule | undefined;

/** mqtt.js is loaded on first use: commands that never touch a broker (`seagrid decode`) start without it. */
function mqttLib(): MqttModule {
  return (mqttModule ??= createRequire(import.meta.url)('mqtt') as MqttModule);
}

/** One MQTT message as received: topic, raw bytes (one or more NMEA lines), receipt time. */
export interface RawFrame {
  readonly topic: string;
  readonly payload: Buffer;
  readonly receivedAtMs: number;
}

export interface ReconnectOptions {
  /** First retry delay. */
  readonly minMs: number;
  /** Cap: no retry waits longer than this. */
  readonly maxMs: number;
}

/**
 * Called for broker and callback errors, at most once per `errorIntervalMs` per message text; the
 * repeats held back in that interval are told in a call of their own (`suppressed` > 0, the error
 * rebuilt from its text) when the text recurs after it.
 */
export type MqttErrorHandler = (error: Error, suppressed: number) => void;

export const DEFAULT_RECONNECT: ReconnectOptions = { minMs: 500, maxMs: 30_000 };


/**
 * Delay before retry number `attempt` (0-based): min·2^attempt capped at max, then "equal
 * jitter" (a random point in the upper half) so a fleet of clients does not reconnect in step.
 * Always within [minMs, maxMs].
 */
export function backoffDelayMs(attempt: number, o: ReconnectOptions, random: () => number = Math.random): number {
  const min = Math.max(1, o.minMs);
  const max = Math.max(min, o.maxMs);
  const base = Math.min(max, min * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.max(min, Math.round(base - (base / 2) * random()));
}

/** The URL as shown on /health: no user name or password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Connection state shared by source and publisher. */
export interface LinkState {
  readonly connected: boolean;
  /** URL without credentials. */
  readonly url: string;
  /** When `connected` last changed (epoch ms). */
  readonly since: number;
  /** Reconnect attempts since start. */
  readonly reconnects: number;
  readonly errors: number;
  readonly lastError?: string;
}

export interface MqttSourceState extends LinkState {
  /** All subscriptions granted by the broker. */
  readonly subscribed: boolean;
  readonly messages: number;
  readonly bytes: number;
  readonly lastMessageAtMs?: number;
  /** `onFrame` threw (a programmer error; the message is still acknowledged). */
  readonly handlerErrors: number;
  /** Times a run of messages reached the turn budget and gave the loop back (`turnBudgetMs`). */
  readonly yields: number;
}

interface LinkOptions {
  readonly url: string;
  readonly clientId: string;
  readonly clean: boolean;
  readonly reconnect: ReconnectOptions;
  readonly connectTimeoutMs: number;
  readonly keepaliveS: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly errors: ErrorGate;
  /** 4 (MQTT 3.1.1, default) or 5 (shared subscriptions `$share/…`, a cluster's links). */
  readonly protocolVersion?: 4 | 5;
}

/** Counts every error and keeps the last text; hands each distinct text on at a bounded rate. */
class ErrorGate {
  count = 0;
  last: string | undefined;
  private readonly log: RateLimitedLog<Error> | undefined;

  constructor(handler: MqttErrorHandler | undefined, intervalMs: number, now: () => number) {
    // Keys are error texts (free text, a few distinct in practice): at most 64 remembered.
    this.log = handler === undefined ? undefined : new RateLimitedLog<Error>((text, error, heldBack) => handler(error ?? new Error(text), heldBack), now, 1, intervalMs, 64);
  }

  report(error: Error): void {
    this.count++;
    this.last = error.message;
    this.log?.log(error.message, error);
  }
}

/** One mqtt.js client with our reconnect policy and state bookkeeping. */
class Link {
  readonly client: MqttClient;
  connected = false;
  since: number;
  reconnects = 0;
  private failures = 0;
  private connectedAtMs: number | undefined;
  private closing = false;

  constructor(
    private readonly o: LinkOptions,
    onConnect: (connack: IConnackPacket) => void,
  ) {
    this.since = o.now();
    this.client = mqttLib().connect(o.url, {
      clientId: o.clientId,
      clean: o.clean,
      // MQTT 3.1.1 (what aedes and every broker speak) unless a cluster asks for 5. A v5 session
      // ends at disconnect (expiry 0): a shared group's other members take the feed meanwhile.
      protocolVersion: o.protocolVersion ?? 4,
      reconnectPeriod: backoffDelayMs(0, o.reconnect, o.random),
      connectTimeout: o.connectTimeoutMs,
      keepalive: o.keepaliveS,
      // We resubscribe ourselves (only when the session was lost) to keep that logic visible.
      resubscribe: false,
      // A refused CONNACK (auth, server unavailable) is retried like any other IO error.
      reconnectOnConnackError: true,
      queueQoSZero: true,
      manualConnect: true,
    });
    const c = this.client;
    // Runs before mqtt.js's own 'close' listener, which arms the timer from reconnectPeriod.
    c.prependListener('close', () => {
      if (this.connected) {
        this.connected = false;
        this.since = o.now();
        // A connection that held for a while resets the backoff; one kicked at once (client
        // id taken over by a second instance, broker refusing) keeps backing off.
        if (this.connectedAtMs !== undefined && o.now() - this.connectedAtMs >= o.reconnect.maxMs) this.failures = 0;
      }
      if (!this.closing) c.options.reconnectPeriod = backoffDelayMs(this.failures++, o.reconnect, o.random);
    });
    c.on('reconnect', () => {
      this.reconnects++;
    });
    c.on('connect', (connack) => {
      this.connected = true;
      this.connectedAtMs = o.now();
      this.since = this.connectedAtMs;
      onConnect(connack);
    });
    c.on('error', (err) => o.errors.report(err));
  }

  open(): void {
    this.client.connect();
  }

  base(): LinkState {
    const s = {
      connected: this.connected,
      url: redactUrl(this.o.url),
      since: this.since,
      reconnects: this.reconnects,
      errors: this.o.errors.count,
    };
    return this.o.errors.last === undefined ? s : { ...s, lastError: this.o.errors.last };
  }

  /** DISCONNECT when connected (pending writes such as PUBACKs go first); bounded by `timeoutMs`. */
  close(force: boolean, timeoutMs: number): Promise<void> {
    this.closing = true;
    const c = this.client;
    // With manualConnect, mqtt.js clears its `disconnecting` flag once end() has closed the stores,
    // so a socket of an attempt still in flight that closes afterwards would arm a new reconnect
    // timer (seen under load: retries went on after stop()). A zero period disarms that for good —
    // set once end() is done: set before, mqtt.js's forced clean-up would flush (fail) the
    // unacknowledged messages itself, with its own error, before the publisher can.
    const disarm = (): void => {
      c.options.reconnectPeriod = 0;
    };
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        disarm();
        c.stream?.destroy();
        resolve();
      }, timeoutMs);
      c.end(force || !c.connected, {}, () => {
        clearTimeout(timer);
        disarm();
        resolve();
      });
    });
  }
}

function errorOf(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export interface MqttSourceOptions {
  /** `mqtt://host:port`, `mqtts://…`, `ws://…`; credentials may ride in the URL. */
  readonly url: string;
  /** Fixed, so the broker keeps our session (and its queued QoS 1 messages) across restarts. */
  readonly clientId: string;
  /** e.g. `subscriptionFilters()` of ./topics.ts. */
  readonly topics: readonly string[];
  /** Subscription QoS; default 1. */
  readonly qos?: 0 | 1;
  readonly reconnect?: ReconnectOptions;
  /** `start()` rejects if the first connection takes longer; default 30 s. */
  readonly startTimeoutMs?: number;
  /** Wait for CONNACK per attempt; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Default 30 s. */
  readonly keepaliveS?: number;
  /** Called synchronously per message, before it is acknowledged. Must not throw. */
  readonly onFrame: (frame: RawFrame) => void;
  readonly onError?: MqttErrorHandler;
  /** Default 10 s. */
  readonly errorIntervalMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Default 4; 5 for shared subscriptions (`$share/group/filter`). */
  readonly protocolVersion?: 4 | 5;
  /**
   * Longest the received messages hold the event loop in one go, ms (see `yieldAfter`). Default
   * TURN_BUDGET_MS; Infinity: never yield (mqtt.js's own behaviour).
   */
  readonly turnBudgetMs?: number;
  /** A budget shared with other sources of this process (they then hold the loop that long together); overrides `turnBudgetMs`. */
  readonly turn?: TurnBudget;
}

/**
 * Default `turnBudgetMs`. mqtt.js hands the messages of a read on by process.nextTick, one after
 * the other, and libuv reads a busy socket up to 32 × 64 KiB per turn: behind a backlog (the
 * ingest-load bench at 240×) one turn handled ~3,300 messages for 1–2 s, so nothing else ran —
 * the store's PostgreSQL connections timed out (5 s) and it spooled every fix, /ws and HTTP
 * waited as long. 20 ms bounds that wait at a few loop turns per second of feed.
 */
export const TURN_BUDGET_MS = 20;

/** Handed to mqtt.js's handleMessage callback: no PUBACK for this message, go on to the next. */
const STOPPED = new Error('MQTT source stopped: not acknowledged, the broker redelivers');
const SUPERSEDED = new Error('MQTT socket replaced: not acknowledged, the broker redelivers');

/**
 * Subscribes with a persistent session and QoS 1, so messages published while we (or the broker)
 * were down arrive after reconnection, possibly more than once (QoS 1 is at least once).
 */
export class MqttSource {
  private link: Link | undefined;
  private stopped = false;
  private subscribed = false;
  private messages = 0;
  private bytes = 0;
  private handlerErrors = 0;
  private lastMessageAtMs: number | undefined;
  /** Whether the socket's writes are held until the end of this I/O turn (corkAcks). */
  private corked = false;
  private livenessAtMs = 0;
  /** Times the messages gave the loop back before going on (`yieldAfter`). */
  private yields = 0;
  private readonly turn: TurnBudget;
  private readonly errors: ErrorGate;
  private readonly now: () => number;
  private readonly createdAtMs: number;
  private started: Promise<void> | undefined;
  private settleStart: ((err?: Error) => void) | undefined;
  private topics: readonly string[];

  constructor(private readonly o: MqttSourceOptions) {
    this.topics = o.topics;
    this.turn = o.turn ?? new TurnBudget(o.turnBudgetMs ?? TURN_BUDGET_MS);
    this.now = o.now ?? Date.now;
    this.createdAtMs = this.now();
    this.errors = new ErrorGate(o.onError, o.errorIntervalMs ?? 10_000, this.now);
  }

  /**
   * Connects and subscribes; resolves once every subscription is granted. On timeout it rejects
   * but keeps retrying in the background (the app may run degraded); call `stop()` to give up.
   */
  start(): Promise<void> {
    if (this.started !== undefined) return this.started;
    this.started = new Promise<void>((resolve, reject) => {
      const timeoutMs = this.o.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        const why = this.errors.last === undefined ? '' : `: ${this.errors.last}`;
        this.settleStart?.(new Error(`MQTT ${redactUrl(this.o.url)} not ready within ${timeoutMs} ms${why}`));
      }, timeoutMs);
      this.settleStart = (err) => {
        clearTimeout(timer);
        this.settleStart = undefined;
        if (err === undefined) resolve();
        else reject(err);
      };
      try {
        this.link = new Link(
          {
            url: this.o.url,
            clientId: this.o.clientId,
            clean: false,
            reconnect: this.o.reconnect ?? DEFAULT_RECONNECT,
            connectTimeoutMs: this.o.connectTimeoutMs ?? 10_000,
            keepaliveS: this.o.keepaliveS ?? 30,
            now: this.now,
            random: this.o.random ?? Math.random,
            errors: this.errors,
            ...(this.o.protocolVersion === undefined ? {} : { protocolVersion: this.o.protocolVersion }),
          },
          (connack) => this.onConnect(connack),
        );
        this.link.client.on('message', (topic, payload) => this.onMessage(topic, payload));
        // mqtt.js calls this after 'message' and before the PUBACK, and takes its next message only
        // once the callback has run: the flow control it offers.
        this.link.client.handleMessage = (_packet, callback) => this.yieldAfter(callback);
        this.link.open();
      } catch (e) {
        // A malformed URL or unknown protocol: configuration, reported through start().
        this.settleStart(errorOf(e));
      }
    });
    return this.started;
  }

  state(): MqttSourceState {
    const base: LinkState = this.link?.base() ?? {
      connected: false,
      url: redactUrl(this.o.url),
      since: this.createdAtMs,
      reconnects: 0,
      errors: this.errors.count,
    };
    const s: MqttSourceState = {
      ...base,
      subscribed: this.subscribed,
      messages: this.messages,
      bytes: this.bytes,
      yields: this.yields,
      handlerErrors: this.handlerErrors,
    };
    return this.lastMessageAtMs === undefined ? s : { ...s, lastMessageAtMs: this.lastMessageAtMs };
  }

  /** Sends DISCONNECT after the pending PUBACKs; forced when offline or after `timeoutMs`. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.settleStart?.(new Error('MQTT source stopped before it was ready'));
    if (this.stopped) return;
    this.stopped = true;
    if (this.link !== undefined) await this.link.close(false, timeoutMs);
  }

  /**
   * Changes the subscriptions while running (a cluster instance's partitions change hands): the
   * new filters are granted before it resolves. Offline, the next connection subscribes them all.
   */
  async setTopics(topics: readonly string[]): Promise<void> {
    const next = new Set(topics);
    const prev = new Set(this.topics);
    this.topics = [...next];
    const link = this.link;
    if (link === undefined || !link.connected || !this.subscribed) {
      this.subscribed = false;
      return;
    }
    const drop = [...prev].filter((t) => !next.has(t));
    const add = [...next].filter((t) => !prev.has(t));
    if (drop.length > 0) await new Promise<void>((resolve) => link.client.unsubscribe(drop, () => resolve()));
    if (add.length === 0) return;
    await new Promise<void>((resolve, reject) =>
      link.client.subscribe(add, { qos: this.o.qos ?? 1 }, (err, granted) => {
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (err) reject(err);
        else if (refused.length > 0) reject(new Error(`subscription refused: ${refused.join(', ')}`));
        else resolve();
      }),
    );
  }

  private onConnect(connack: IConnackPacket): void {
    // Same session and already subscribed: the broker kept our subscriptions and queue.
    if (connack.sessionPresent && this.subscribed) {
      this.settleStart?.();
      return;
    }
    this.subscribed = false;
    const link = this.link;
    if (link === undefined || this.stopped) return;
    const qos = this.o.qos ?? 1;
    link.client.subscribe([...this.topics], { qos }, (err, granted) => {
      if (err) {
        // Retried on the next connection; the app sees it on /health meanwhile.
        this.errors.report(err);
        return;
      }
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) {
        this.errors.report(new Error(`subscription refused: ${refused.join(', ')}`));
        return;
      }
      this.subscribed = true;
      this.settleStart?.();
    });
  }

  /**
   * Holds the socket's writes until this I/O turn ends: mqtt-packet corks only until the next tick
   * and mqtt.js handles each PUBLISH of a read in a tick of its own, so every PUBACK was a write
   * system call of its own (8.8 % of the service's CPU at 480× in bench:e2e's profile). Corked,
   * the turn's PUBACKs leave in one writev, still before the next read.
   */
  private corkAcks(): void {
    if (this.corked) return;
    const stream = this.link?.client.stream;
    if (stream === undefined || typeof stream.cork !== 'function') return;
    this.corked = true;
    stream.cork();
    setImmediate(() => {
      this.corked = false;
      stream.uncork();
    });
  }

  /**
   * Within the turn budget, on at once. Beyond it, the next message waits for setImmediate: the
   * loop services its timers and other sockets first, and the unread data waits in the socket
   * (mqtt.js's parser stream stops taking it, so the pipe pauses the socket and libuv stops
   * reading): back-pressure to the broker, which holds the messages (QoS 1 in its queue).
   */
  private yieldAfter(callback: (error?: Error) => void): void {
    // Stopped: no PUBACK after the DISCONNECT ("write after end"); the broker redelivers. The
    // callback still runs (with an error: mqtt.js then skips the PUBACK and takes the next packet):
    // left uncalled, mqtt.js stopped reading, never saw the broker close the socket, and stop()
    // waited out its whole timeout (5.0 s against 0.4–1.1 s, helper's measurement).
    if (this.stopped) {
      callback(STOPPED);
      return;
    }
    if (this.turn.take()) {
      callback();
      return;
    }
    this.yields++;
    const stream = this.link?.client.stream;
    setImmediate(() => {
      // On a new socket since: the old one's packets are dropped by mqtt.js (its pump is superseded)
      // and the broker redelivers them. Closed but not yet reconnected, mqtt.js queues the PUBACK
      // and sends it after the next CONNACK, for a frame handled already: harmless.
      callback(this.stopped ? STOPPED : this.link?.client.stream !== stream ? SUPERSEDED : undefined);
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const at = this.now();
    this.messages++;
    this.bytes += payload.length;
    this.lastMessageAtMs = at;
    // mqtt.js takes only acks and PINGRESP as signs of life, not a received PUBLISH: behind a backlog
    // of messages (a broker with a large in-flight window, a service catching up) the PINGRESP came
    // after the keepalive ran out, and a busy but healthy link was dropped — each drop redelivering the
    // whole unacknowledged window and adding to the backlog. A message from the broker is proof enough.
    if (at - this.livenessAtMs >= LIVENESS_EVERY_MS) {
      this.livenessAtMs = at;
      this.link?.client.reschedulePing(true);
    }
    this.corkAcks();
    try {
      this.o.onFrame({ topic, payload, receivedAtMs: at });
    } catch (e) {
      this.handlerErrors++;
      this.errors.report(errorOf(e));
    }
  }
}

export interface MqttPublisherOptions {
  /** Default: a random `seagrid-pub-…` id. */
  readonly clientId?: string;
  /**
   * Default true: a publisher has no subscriptions worth keeping. Queued and unacknowledged QoS 1
   * messages survive a reconnect either way: mqtt.js keeps them in its outgoing store.
   */
  readonly clean?: boolean;
  /** Unacknowledged messages allowed at once; `send()` waits beyond this. Default 1,000. */
  readonly maxInFlight?: number;
  readonly reconnect?: ReconnectOptions;
  /** `connect()` rejects if the first connection takes longer; default 30 s. */
  readonly startTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly keepaliveS?: number;
  readonly onError?: MqttErrorHandler;
  readonly errorIntervalMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Default 4 (MQTT 3.1.1). */
  readonly protocolVersion?: 4 | 5;
}

export interface MqttPublisherState extends LinkState {
  readonly inFlight: number;
  /** Handed to mqtt.js. */
  readonly published: number;
  /** PUBACK received (QoS 1) or written (QoS 0). */
  readonly acked: number;
  readonly failed: number;
}

/** How often a received message postpones the keepalive ping (a timer reset per message would cost more than the message). */
const LIVENESS_EVERY_MS = 1_000;

/** MQTT message ids are 16 bits; mqtt.js allocates them round-robin, so stay well inside. */
const MAX_WINDOW = 60_000;

/**
 * Publishes with a bounded in-flight window: `publish()` resolves at PUBACK, `send()` resolves as
 * soon as the message is inside the window (the fast path for producers), `flush()` waits for every
 * acknowledgement. Messages survive broker restarts: mqtt.js resends them after reconnecting.
 */
export class MqttPublisher {
  private inFlight = 0;
  private published = 0;
  private acked = 0;
  private failed = 0;
  private firstFailure: Error | undefined;
  private closed = false;
  /** FIFO with O(1) shift: an alert flood can queue tens of thousands of publishes for a slot. */
  private readonly slotWaiters = new Fifo<() => void>();
  private idleWaiters: (() => void)[] = [];
  /** Rejecters of messages not yet acknowledged, so `close()` can settle them. */
  private readonly pending = new Set<(err: Error) => void>();

  private constructor(
    private readonly link: Link,
    private readonly maxInFlight: number,
  ) {}

  static connect(url: string, options: MqttPublisherOptions = {}): Promise<MqttPublisher> {
    const now = options.now ?? Date.now;
    const errors = new ErrorGate(options.onError, options.errorIntervalMs ?? 10_000, now);
    return new Promise<MqttPublisher>((resolve, reject) => {
      let link: Link;
      let settled = false;
      try {
        link = new Link(
          {
            url,
            clientId: options.clientId ?? `seagrid-pub-${randomBytes(4).toString('hex')}`,
            clean: options.clean ?? true,
            reconnect: options.reconnect ?? DEFAULT_RECONNECT,
            connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
            keepaliveS: options.keepaliveS ?? 30,
            now,
            random: options.random ?? Math.random,
            errors,
            ...(options.protocolVersion === undefined ? {} : { protocolVersion: options.protocolVersion }),
          },
          () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const window = Math.min(MAX_WINDOW, Math.max(1, options.maxInFlight ?? 1_000));
            resolve(new MqttPublisher(link, window));
          },
        );
      } catch (e) {
        reject(errorOf(e));
        return;
      }
      const timeoutMs = options.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        const why = errors.last === undefined ? '' : `: ${errors.last}`;
        void link.close(true, 1_000).then(() => reject(new Error(`MQTT ${redactUrl(url)} not reachable within ${timeoutMs} ms${why}`)));
      }, timeoutMs);
      link.open();
    });
  }

  /**
   * Resolves when the broker acknowledged the message (QoS 1) or it was written (QoS 0). `retain`:
   * the broker keeps it for late subscribers; an empty retained payload clears what it kept.
   */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1 = 1, retain = false): Promise<void> {
    const go = (): Promise<void> => new Promise<void>((resolve, reject) => this.hand(topic, payload, qos, resolve, reject, retain));
    // Hand over synchronously when a slot is free, so call order is wire order.
    const wait = this.acquire();
    return wait === undefined ? go() : wait.then(go);
  }

  /**
   * Resolves once the message is in the in-flight window (waits while the window is full: that
   * is the backpressure). A failure surfaces from `flush()`/`close()` and in `state().failed`.
   */
  send(topic: string, payload: string | Buffer, qos: 0 | 1 = 1): Promise<void> {
    const go = (): void =>
      this.hand(topic, payload, qos, noop, (err) => {
        this.firstFailure ??= err;
      });
    const wait = this.acquire();
    if (wait !== undefined) return wait.then(go);
    go();
    return Promise.resolve();
  }

  /** Waits until nothing is in flight; rejects with the first `send()` failure, if any. */
  async flush(): Promise<void> {
    if (this.inFlight > 0 || this.slotWaiters.length > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    if (this.firstFailure !== undefined) {
      const err = this.firstFailure;
      this.firstFailure = undefined;
      throw err;
    }
  }

  /**
   * Waits up to `timeoutMs` for every acknowledgement, then disconnects. Messages still
   * unacknowledged then are failed (their `publish()` rejects) and counted.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const drained = this.flush().then(
      () => true,
      () => true,
    );
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const clean = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    await this.link.close(!clean, Math.min(timeoutMs, 5_000));
    const left = [...this.pending];
    this.pending.clear();
    for (const fail of left) fail(new Error('publisher closed before the broker acknowledged the message'));
    // Woken waiters find the publisher closed and fail at once; each takes a slot it then frees.
    for (let wake = this.slotWaiters.shift(); wake !== undefined; wake = this.slotWaiters.shift()) {
      this.inFlight++;
      wake();
    }
  }

  state(): MqttPublisherState {
    return { ...this.link.base(), inFlight: this.inFlight, published: this.published, acked: this.acked, failed: this.failed };
  }

  private hand(topic: string, payload: string | Buffer, qos: 0 | 1, resolve: () => void, reject: (err: Error) => void, retain = false): void {
    let done = false;
    const fail = (err: Error): void => {
      if (done) return;
      done = true;
      this.pending.delete(fail);
      this.failed++;
      this.release();
      reject(err);
    };
    if (this.closed) return fail(new Error('publisher closed'));
    this.pending.add(fail);
    this.published++;
    this.link.client.publish(topic, payload, { qos, retain }, (err) => {
      if (done) return;
      if (err) return fail(err);
      done = true;
      this.pending.delete(fail);
      this.acked++;
      this.release();
      resolve();
    });
  }

  /** Takes a slot now (undefined) or returns when one is handed over. */
  private acquire(): Promise<void> | undefined {
    if (this.inFlight < this.maxInFlight || this.closed) {
      this.inFlight++;
      return undefined;
    }
    return new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  /** Hands the slot straight to a waiter, or frees it. */
  private release(): void {
    const next = this.slotWaiters.shift();
    if (next !== undefined) return next();
    this.inFlight--;
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}

function noop(): void {}
