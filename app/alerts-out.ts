/**
 * Alerts out over MQTT for other systems and leaders' devices (issue 12 §8, docs/CONTRACTS.md).
 *
 * What it decides
 * - Every alert change is published at QoS 1 under `{prefix}alerts/v1/{fleetId|none}/{kind}/{alertId}`,
 *   once per fleet the alert concerns (so each fleet leader subscribes to his fleet's subtree), as
 *   the change's wire shape (web/protocol's AlertChangeView, the alert after the change inside).
 * - While the alert is open the message is retained, so a device that connects late gets every
 *   open alert of its fleet. On resolve the change goes out unretained, then an empty retained
 *   payload clears the topic (MQTT's way): a late subscriber then gets nothing for that alert.
 * - A fleet that drops out of an open alert has its retained copy cleared the same way.
 * - At start the open alerts' latest changes are retained again (`restore`).
 * - A dispatch (快响指挥) also goes to the fleet of each vessel it sends, under
 *   `{prefix}dispatch/v1/{fleetId}/{alertId}` (QoS 1, not retained: an order is an event; the alert
 *   itself is under its own topics): `{alertId, seq, at, by, note, fleetId, vesselIds, alert}` with
 *   that fleet's vessels sent by this change, so the leader of a responder's fleet gets the order
 *   even when the alert is not his fleet's. A vessel in no fleet has no leader to tell.
 * - Topic levels are the ids with `%`, `/`, `+`, `#` and NUL percent-encoded: MQTT reserves them.
 * Publishing never throws: a failure is counted and handed to `onError` (the caller logs it,
 * bounded); while the broker is away mqtt.js keeps QoS 1 messages and resends them after it returns.
 *
 * Bounded, however long the broker is away or slow: at most `window` messages are handed to the
 * publisher unacknowledged; the rest wait in an outbox keyed by topic. A waiting open-alert message
 * is replaced by a newer one for the same topic (its retained copy is all a late device sees, and
 * each message carries the whole alert), counted as `coalesced`; a resolve and the clear after it
 * are never merged away. So the outbox holds at most two messages per topic — as many as the open
 * alerts and their fleets, which the lifecycle bounds — instead of every change of a flood.
 */
import type { Alert, AlertChange, AlertId } from '../model/index.js';
import { alertChangeView } from '../web/index.js';

/** What it needs of ingest's MqttPublisher. */
export interface RetainingPublisher {
  publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): Promise<void>;
}

export interface AlertsOutCounters {
  /** Change messages handed to the publisher (one per fleet of the alert). */
  published: number;
  /** Empty retained messages that cleared a topic (resolve, or a fleet leaving the alert). */
  cleared: number;
  /** Publishes the broker did not acknowledge (closed, refused). */
  failed: number;
  /** Waiting open-alert messages replaced by a newer one for the same topic before they were handed on. */
  coalesced: number;
}

interface Message {
  readonly payload: string;
  readonly retain: boolean;
  /** An open alert's retained change: a newer one for its topic may take its place while it waits. */
  readonly mergeable: boolean;
}

/** Messages handed to the publisher and not yet acknowledged, by default. */
const DEFAULT_WINDOW = 1_000;

/** The topic fleet level of an alert that concerns no fleet. */
export const NO_FLEET = 'none';

export class AlertsOut {
  readonly counters: AlertsOutCounters = { published: 0, cleared: 0, failed: 0, coalesced: 0 };
  /** Topics holding each open alert's retained message. */
  private readonly retained = new Map<AlertId, readonly string[]>();
  private link: RetainingPublisher | undefined;
  /** Messages not yet handed to the publisher, per topic in order; topics in first-waiting order. */
  private readonly outbox = new Map<string, Message[]>();
  private waitingCount = 0;
  private inFlight = 0;

  /**
   * `link` may come later (`attach`): the service connects it once its MQTT source proved the broker
   * reachable; until then messages wait in the outbox. `window`: messages handed on unacknowledged.
   */
  constructor(
    private readonly prefix: string,
    private readonly onError: (e: unknown) => void,
    link?: RetainingPublisher,
    private readonly window = DEFAULT_WINDOW,
    /** The fleet of a vessel (registry, else its reports); absent: dispatches go to no fleet topic. */
    private readonly fleetOf?: (vesselId: string) => string | undefined,
  ) {
    this.link = link;
  }

  /** The publisher to send through; what waits goes out now, in order. */
  attach(link: RetainingPublisher): void {
    this.link = link;
    this.pump();
  }

  /** Messages waiting in the outbox (not yet handed to the publisher). */
  get waiting(): number {
    return this.waitingCount;
  }

  /**
   * After a restart, each open alert's latest change (`store.openAlertChanges()`) is retained again
   * (a broker without persistence, the embedded one, lost it) and its topics are known, so a later
   * resolve clears them all.
   */
  restore(latest: Iterable<AlertChange>): void {
    // Orders are events: one sent before the restart is not sent again.
    for (const c of latest) if (c.alert.state !== 'resolved') this.publish(c, false);
  }

  /** Open alerts holding a retained message. */
  get retainedAlerts(): number {
    return this.retained.size;
  }

  readonly publish = (c: AlertChange, orders = true): void => {
    const topics = alertTopics(this.prefix, c.alert);
    const open = c.alert.state !== 'resolved';
    const payload = JSON.stringify(alertChangeView(c));
    for (const t of topics) this.send(t, payload, open, 'published');
    const before = this.retained.get(c.alertId) ?? [];
    const stale = open ? before.filter((t) => !topics.includes(t)) : [...new Set([...before, ...topics])];
    for (const t of stale) this.send(t, '', true, 'cleared');
    if (open) this.retained.set(c.alertId, topics);
    else this.retained.delete(c.alertId);
    if (orders && c.action === 'dispatch' && this.fleetOf !== undefined) {
      for (const [fleetId, vesselIds] of dispatchedByFleet(c, this.fleetOf)) {
        const order = { alertId: c.alertId, seq: c.seq, at: new Date(c.atMs).toISOString(), by: c.actor, note: c.note ?? null, fleetId, vesselIds, alert: alertChangeView(c).alert };
        this.send(dispatchTopic(this.prefix, fleetId, c.alertId), JSON.stringify(order), false, 'published');
      }
    }
  };

  private send(topic: string, payload: string, retain: boolean, count: 'published' | 'cleared'): void {
    this.counters[count]++;
    const m: Message = { payload, retain, mergeable: retain && payload !== '' };
    const queued = this.outbox.get(topic);
    if (queued === undefined) this.outbox.set(topic, [m]);
    else if (m.mergeable && queued[queued.length - 1]!.mergeable) {
      queued[queued.length - 1] = m;
      this.counters.coalesced++;
      return;
    } else queued.push(m);
    this.waitingCount++;
    this.pump();
  }

  /** Hands waiting messages on while fewer than `window` are unacknowledged. */
  private pump(): void {
    const link = this.link;
    if (link === undefined) return;
    while (this.inFlight < this.window && this.waitingCount > 0) {
      const [topic, queued] = this.outbox.entries().next().value!;
      const m = queued.shift()!;
      if (queued.length === 0) this.outbox.delete(topic);
      this.waitingCount--;
      this.inFlight++;
      link
        .publish(topic, m.payload, 1, m.retain)
        .catch((e: unknown) => {
          this.counters.failed++;
          this.onError(e);
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}

/** `{prefix}alerts/v1/{fleetId|none}/{kind}/{alertId}`, one per fleet the alert concerns. */
export function alertTopics(prefix: string, a: Alert): string[] {
  const fleets = a.fleetIds ?? (a.fleetId === undefined ? [] : [a.fleetId]);
  const tail = `${topicLevel(a.kind)}/${topicLevel(a.id)}`;
  if (fleets.length === 0) return [`${prefix}alerts/v1/${NO_FLEET}/${tail}`];
  return [...new Set(fleets)].map((f) => `${prefix}alerts/v1/${topicLevel(f)}/${tail}`);
}

/** `{prefix}dispatch/v1/{fleetId}/{alertId}`: a dispatch order to the leader of the responders' fleet. */
export function dispatchTopic(prefix: string, fleetId: string, alertId: string): string {
  return `${prefix}dispatch/v1/${topicLevel(fleetId)}/${topicLevel(alertId)}`;
}

/** The vessels a dispatch change sent (dispatched at its moment by its actor), by fleet; vessels of no fleet left out. */
export function dispatchedByFleet(c: AlertChange, fleetOf: (vesselId: string) => string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of c.alert.responders ?? []) {
    if (r.dispatchedAtMs !== c.atMs || r.by !== c.actor) continue;
    const f = fleetOf(r.vesselId);
    if (f === undefined) continue;
    const list = out.get(f);
    if (list === undefined) out.set(f, [r.vesselId]);
    else list.push(r.vesselId);
  }
  return out;
}

/** One topic level: the characters MQTT reserves (level separator, wildcards, NUL) and `%` percent-encoded. */
export function topicLevel(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[%/+#\u0000]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
