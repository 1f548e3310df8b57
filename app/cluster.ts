/**
 * One seagrid instance of several sharing a feed (ARCHITECTURE.md, "More than one machine").
 *
 * - Decode stage: the raw feed through the MQTT 5 shared subscription `$share/seagrid-decode/…`
 *   (each raw message to one instance), hops 0–4, and each accepted record republished on its
 *   fix topic (ingest/fix-topic.ts) for the owner of its partition (geo/partition.ts).
 * - Owner stage: the partitions this instance holds (store/lease.ts) plus their halo, through
 *   hops 5–7 of the one pipeline. What it records is what it owns: fixes and grid events in its
 *   partitions, and alerts whose anchor vessel is in them (`ClusterDecider`) — every instance
 *   applies the same rule to the same picture, so a pair screened on both sides of a border is
 *   raised by one.
 * - Takeover: a partition gained (at start, or from an instance that died) is warm-started from
 *   the store — its and its halo's vessels' last fixes, the open alerts anchored in it.
 */
import type { Decider, Lifecycle, Signal } from '../alerts/index.js';
import { anchorVessel, type PartitionMap } from '../geo/index.js';
import { MqttPublisher, MqttSource, TURN_BUDGET_MS, TurnBudget, type MqttSourceState, type RawFrame } from '../ingest/adapters.js';
import { decodeFixes, encodeFixes, fixTopic, partitionFilter, staticTopic, subscriptionFilters, type FixRecord } from '../ingest/index.js';
import type { AcceptedFix, AlertChange, H3Cell, LatLon, RejectCode, VesselId, VesselRegistry } from '../model/index.js';
import { PartitionLease, type Store } from '../store/index.js';
import { FeedClock } from './feed-clock.js';
import type { Pipeline, PipelineOutcome } from './pipeline.js';
import { recordOutcome, type AlertRecording } from './record.js';
import { lastKnownFixes } from './warm-start.js';

/** The shared subscription group of every instance's decode stage. */
export const DECODE_GROUP = 'seagrid-decode';

/** Open alerts read at a takeover: far more than a sea ever has open. */
const OPEN_ALERTS_LIMIT = 1_000_000;

/** Which partitions this instance owns, and where vessels are (the pipeline's live picture). */
export class Ownership {
  owned: ReadonlySet<string> = new Set();
  positionOf: (id: VesselId) => LatLon | undefined = () => undefined;

  constructor(readonly map: PartitionMap) {}

  ownsPoint(lat: number, lon: number): boolean {
    return this.owned.has(this.map.partitionOf(lat, lon));
  }

  /** The alert's anchor (its lowest vessel id) is in an owned partition at its last known fix. */
  ownsVessels(vesselIds: readonly VesselId[]): boolean {
    const anchor = anchorVessel(vesselIds);
    const at = anchor === undefined ? undefined : this.positionOf(anchor);
    return at !== undefined && this.ownsPoint(at.lat, at.lon);
  }
}

/** The lifecycle, fed only the signals this instance owns; its holds, ticks and arrivals as they are. */
export class ClusterDecider implements Decider {
  constructor(
    readonly lifecycle: Lifecycle,
    private readonly ownership: Ownership,
  ) {}

  decide(signals: readonly Signal[]): readonly AlertChange[] {
    const mine = signals.filter((s) => this.ownership.ownsVessels(s.vesselIds));
    return mine.length === 0 ? [] : this.lifecycle.decide(mine);
  }

  tick(nowMs: number): readonly AlertChange[] {
    return this.lifecycle.tick(nowMs);
  }

  onMoved(fixes: readonly AcceptedFix[], positionOf: (id: VesselId) => LatLon | undefined): readonly AlertChange[] {
    return this.lifecycle.onMoved(fixes, positionOf);
  }
}

export interface ClusterNodeOptions {
  readonly brokerUrl: string;
  /** This instance's name: its MQTT client ids are made from it. */
  readonly instance: string;
  /** Prefix of the raw feed's topics and of the fix topics. */
  readonly topicPrefix: string;
  readonly ownership: Ownership;
  /** Every partition of the sea (the leases'). */
  readonly partitions: readonly H3Cell[];
  readonly databaseUrl: string;
  /** Instances with the same cluster name share partitions. */
  readonly cluster: string;
  /** Where this instance starts its tries in the partition list (default: random). */
  readonly leaseStartAt?: number;
  /** How often the lease is checked (takeover within this after a death). Default 2 s. */
  readonly leaseCheckMs?: number;
  /** Pipeline tick period; 0: none (the caller calls `tick`). Default 1 s. */
  readonly tickMs?: number;
  /** Built with `decider: new ClusterDecider(lifecycle, ownership)`. */
  readonly pipeline: Pipeline;
  readonly lifecycle: Lifecycle;
  readonly store: Store;
  readonly registry: VesselRegistry;
  readonly recording: AlertRecording;
  readonly now?: () => number;
  /** What each frame or tick did, owned parts only (the push hub's feed). */
  readonly onOutcome?: (out: PipelineOutcome) => void;
  readonly onReject?: (code: RejectCode, detail: string | undefined) => void;
  readonly onError?: (what: string, e: Error) => void;
}

export class ClusterNode {
  readonly lease: PartitionLease;
  private readonly decodeSource: MqttSource;
  private readonly ownerSource: MqttSource;
  private publisher: MqttPublisher | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly feedClock = new FeedClock();
  private readonly now: () => number;
  /** Takeovers run one after another (a lease change while one runs waits for it). */
  private changes: Promise<void> = Promise.resolve();
  readonly counters = { decoded: 0, republished: 0, received: 0, takeovers: 0, restoredFixes: 0, adoptedAlerts: 0 };

  constructor(private readonly o: ClusterNodeOptions) {
    this.now = o.now ?? Date.now;
    o.ownership.positionOf = (id) => o.pipeline.live.get(id);
    const map = o.ownership.map;
    this.lease = new PartitionLease({
      url: o.databaseUrl,
      cluster: o.cluster,
      instance: o.instance,
      ...(o.leaseStartAt === undefined ? {} : { startAt: o.leaseStartAt }),
      partitions: o.partitions.map((p) => ({ name: p, key: map.leaseKey(p) })),
      onChange: (owned, gained) => {
        o.ownership.owned = new Set(owned);
        const snapshot = [...owned] as H3Cell[];
        this.changes = this.changes.then(() => this.onLeaseChange(snapshot, gained as H3Cell[])).catch((e) => this.error('takeover', e));
      },
      onError: (e) => this.error('lease', e),
    });
    // One turn budget for both sources: together they hold the loop at most TURN_BUDGET_MS.
    const turn = new TurnBudget(TURN_BUDGET_MS);
    this.ownerSource = new MqttSource({
      turn,
      url: o.brokerUrl,
      clientId: `${o.instance}-owner`,
      topics: [staticTopic(o.topicPrefix)],
      protocolVersion: 5,
      now: this.now,
      onFrame: (f) => this.ownerStage(f),
      onError: (e) => this.error('mqtt owner', e),
    });
    this.decodeSource = new MqttSource({
      turn,
      url: o.brokerUrl,
      clientId: `${o.instance}-decode`,
      topics: subscriptionFilters(o.topicPrefix).map((f) => `$share/${DECODE_GROUP}/${f}`),
      protocolVersion: 5,
      now: this.now,
      onFrame: (f) => this.decodeStage(f),
      onError: (e) => this.error('mqtt decode', e),
    });
  }

  /**
   * The raw feed's link (health, metrics); its `yields` are both sources' (each gives the loop
   * back at its turn budget: a metric of one hid the other's).
   */
  state(): MqttSourceState {
    const decode = this.decodeSource.state();
    return { ...decode, yields: decode.yields + this.ownerSource.state().yields };
  }

  /** Owner stage, first lease, then the decode stage: no fix is republished before someone can own it. */
  async start(): Promise<void> {
    const o = this.o;
    this.publisher = await MqttPublisher.connect(o.brokerUrl, { clientId: `${o.instance}-fix`, protocolVersion: 5, onError: (e) => this.error('mqtt fix publisher', e) });
    await this.ownerSource.start();
    await this.lease.check();
    await this.changes;
    this.timers.push(setInterval(() => void this.lease.check(), o.leaseCheckMs ?? 2_000));
    await this.decodeSource.start();
    const tickMs = o.tickMs ?? 1_000;
    if (tickMs > 0) this.timers.push(setInterval(() => this.tick(), tickMs));
  }

  /** The pipeline's clock step: silences, holds, fleets. */
  tick(): void {
    const wall = this.now();
    this.emit(this.o.pipeline.tick(wall, this.feedClock.nowMs(wall)));
  }

  /** Waits for every republished fix to be acknowledged by the broker and for any takeover in progress. */
  async settle(): Promise<void> {
    await this.publisher?.flush();
    await this.changes;
  }

  /** A clean stop: leases released (others take over at their next check), links closed. */
  async stop(timeoutMs = 5_000): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.decodeSource.stop(timeoutMs);
    await this.publisher?.close(timeoutMs);
    await this.ownerSource.stop(timeoutMs);
    await this.lease.close();
  }

  /** Hops 0–4, then each record to its cell's topic; rejections are counted here, where they were found. */
  private decodeStage(frame: RawFrame): void {
    this.counters.decoded++;
    const records = this.o.pipeline.decodeFrame(frame);
    const map = this.o.ownership.map;
    const byCell = new Map<H3Cell, FixRecord[]>();
    const statics: FixRecord[] = [];
    const rejected = [];
    for (const r of records) {
      if (r.kind === 'position') {
        const cell = map.topicCellOf(r.report.lat, r.report.lon);
        (byCell.get(cell) ?? byCell.set(cell, []).get(cell)!).push(r);
      } else if (r.kind === 'static') statics.push(r);
      else rejected.push(r);
    }
    if (rejected.length > 0) this.o.pipeline.onRecords(rejected);
    const pub = this.publisher!;
    for (const [cell, list] of byCell) void pub.send(fixTopic(this.o.topicPrefix, map.partitionOfCell(cell), cell), encodeFixes(list));
    if (statics.length > 0) void pub.send(staticTopic(this.o.topicPrefix), encodeFixes(statics));
    this.counters.republished += byCell.size + (statics.length > 0 ? 1 : 0);
  }

  /** Hops 5–7 for the records of an owned or halo cell. */
  private ownerStage(frame: RawFrame): void {
    this.counters.received++;
    const r = decodeFixes(frame.payload);
    if (!r.ok) {
      this.o.onReject?.(r.code, r.detail);
      return;
    }
    const out = this.o.pipeline.onRecords(r.value);
    for (const x of out.fixes) this.feedClock.saw(x.report.atMs, frame.receivedAtMs);
    this.emit(out);
  }

  /** Records what this instance owns: a halo vessel's fixes and grid events are its owner's to record. */
  private emit(out: PipelineOutcome): void {
    const own = this.o.ownership;
    const mine: PipelineOutcome = {
      fixes: out.fixes.filter((f) => own.ownsPoint(f.report.lat, f.report.lon)),
      gridEvents: out.gridEvents.filter((e) => own.ownsPoint(e.lat, e.lon)),
      alertChanges: out.alertChanges,
      changed: out.changed,
    };
    recordOutcome(this.o.store, mine, this.o.recording);
    this.o.onOutcome?.(mine);
  }

  /** Subscriptions follow the lease; a gained partition is warm-started from the store. */
  private async onLeaseChange(owned: readonly H3Cell[], gained: readonly H3Cell[]): Promise<void> {
    const o = this.o;
    const map = o.ownership.map;
    const ownedSet = new Set<string>(owned);
    const halo = new Set<H3Cell>();
    for (const p of owned) for (const c of map.halo(p)) if (!ownedSet.has(map.partitionOfCell(c))) halo.add(c);
    await this.ownerSource.setTopics([staticTopic(o.topicPrefix), ...owned.map((p) => partitionFilter(o.topicPrefix, p)), ...[...halo].map((c) => fixTopic(o.topicPrefix, map.partitionOfCell(c), c))]);
    if (gained.length === 0) return;
    this.counters.takeovers++;
    const gainedSet = new Set<string>(gained);
    const zone = new Set<H3Cell>();
    for (const p of gained) for (const c of [...map.inner(p), ...map.halo(p)]) zone.add(c);
    const fixes = (await lastKnownFixes(o.store, o.registry, this.now())).filter((f) => zone.has(map.topicCellOf(f.lat, f.lon)));
    this.counters.restoredFixes += o.pipeline.restore(fixes);
    const open = await o.store.alerts({ state: 'open', limit: OPEN_ALERTS_LIMIT });
    const anchored = open.filter((a) => {
      const v = anchorVessel(a.vesselIds);
      const at = v === undefined ? undefined : o.pipeline.live.get(v);
      return at !== undefined && gainedSet.has(map.partitionOf(at.lat, at.lon));
    });
    this.counters.adoptedAlerts += o.lifecycle.adoptOpen(anchored);
  }

  private error(what: string, e: unknown): void {
    this.o.onError?.(what, e instanceof Error ? e : new Error(String(e)));
  }
}
