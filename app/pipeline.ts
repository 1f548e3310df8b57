import { evaluateFixes, evaluateTick, type Decider, type Rule, type Signal } from '../alerts/index.js';
import { LivePicture, type LivePictureOptions, type SeaPicture } from '../geo/index.js';
import { createNmeaDecoder, Normalizer, parseTopic, type DecodeEvent, type DecoderCounters, type Normalized, type NormalizeContext, type NormalizeCounters, type NormalizerOptions, type RawFrame, type TopicOrigin } from '../ingest/index.js';
import { vesselIdOfMmsi, type AcceptedFix, type AlertChange, type GridEvent, type LatLon, type PositionReport, type RejectCode, type VesselId, type VesselRegistry } from '../model/index.js';

export interface PipelineOptions {
  /** Topic prefix before `ais/raw/…`, `beidou/raw/…` and `bds/raw/…` (ingest/topics.ts). */
  readonly topicPrefix: string;
  readonly registry: VesselRegistry;
  /** Each rejection (and each correction of a kept record), for the bounded-rate log. */
  readonly onReject?: (code: RejectCode, detail: string | undefined, topic: string) => void;
  /** A rule that threw: its signals are lost for that call, the other rules ran. */
  readonly onRuleError?: (rule: string, error: unknown) => void;
  readonly live?: LivePictureOptions;
  /** Hop 4: which fix times are receiver clock faults (ingest/normalize.ts). */
  readonly normalize?: NormalizerOptions;
  /** Hop 5, locate: grids, fleet grids, neighbours. Absent: vessels are placed but not located. */
  readonly sea?: SeaPicture;
  /**
   * Hop 6, evaluate: the alert rules, or a function building them over the pipeline's own live
   * picture (a rule reads vessel states, and the picture is made here).
   */
  readonly rules?: readonly Rule[] | ((live: LivePicture) => readonly Rule[]);
  /** Hop 7, decide: signals → alert changes. Absent: signals raise nothing. */
  readonly decider?: Decider;
}

/** What one frame (or one tick) did: the store records it, the push sends it. */
export interface PipelineOutcome {
  /** Every fix that joined a track, in order; `moved` ones are the vessels' new positions. */
  readonly fixes: readonly AcceptedFix[];
  readonly gridEvents: readonly GridEvent[];
  readonly alertChanges: readonly AlertChange[];
  /** Vessels whose live state changed (position, static data) or that left the live picture. */
  readonly changed: ReadonlySet<VesselId>;
}

/** Counts the composition root exposes (app/pipeline-metrics.ts); every rejection is here by code. */
export interface PipelineCounters {
  readonly frames: { ais: number; beidou: number; unknown: number };
  lines: number;
  readonly rejected: Map<RejectCode, number>;
  /** Grid events by `layer|kind`. */
  readonly gridEvents: Map<string, number>;
  readonly ruleErrors: Map<string, number>;
  /** Hop 6's cost: calls that ran a rule and their summed wall time, seconds (a summary on /metrics). */
  readonly ruleEvaluation: { count: number; seconds: number };
  /** Receipt minus fix time of the latest accepted position, ms. */
  lagMs: number;
}

const NO_EVENTS: readonly GridEvent[] = [];
const NO_CHANGES: readonly AlertChange[] = [];
const NO_FIXES: readonly AcceptedFix[] = [];
const NO_SIGNALS: readonly Signal[] = [];
const NO_VESSELS: ReadonlySet<VesselId> = new Set();

/**
 * ARCHITECTURE.md's hops for one MQTT frame, in order, synchronous: each vessel's reports keep
 * their order without queues, and nothing on wire data throws (every rejection is counted by code).
 */
export class Pipeline {
  readonly live: LivePicture;
  readonly counters: PipelineCounters = {
    frames: { ais: 0, beidou: 0, unknown: 0 },
    lines: 0,
    rejected: new Map(),
    gridEvents: new Map(),
    ruleErrors: new Map(),
    ruleEvaluation: { count: 0, seconds: 0 },
    lagMs: 0,
  };
  private readonly decoder = createNmeaDecoder();
  private readonly normalizer: Normalizer;
  private readonly rules: readonly Rule[];
  private topic = '';
  // Filled by the decoder's and the live picture's callbacks during one hop, read right after it.
  private decoded: DecodeEvent[] = [];
  private fixes: AcceptedFix[] = [];
  private changed = new Set<VesselId>();

  constructor(private readonly options: PipelineOptions) {
    this.live = new LivePicture(options.registry, options.live);
    this.normalizer = new Normalizer(options.normalize);
    this.rules = typeof options.rules === 'function' ? options.rules(this.live) : (options.rules ?? []);
    this.live.onTrackPoint = (vesselId, report, moved) => this.fixes.push({ vesselId, report, moved });
    this.live.onForget = (vesselId) => {
      // A vessel that leaves the live picture leaves the grids, fleets and neighbour index with it.
      options.sea?.forget(vesselId);
      this.changed.add(vesselId);
    };
  }

  get decoderCounters(): Readonly<DecoderCounters> {
    return this.decoder.counters;
  }

  get normalizerCounters(): Readonly<NormalizeCounters> {
    return this.normalizer.counters;
  }

  get pendingFragments(): number {
    return this.decoder.pendingFragments;
  }

  /** One MQTT message: several NMEA lines (CRLF or LF). */
  onFrame(frame: RawFrame): PipelineOutcome {
    return this.onRecords(this.decodeFrame(frame));
  }

  /**
   * Hops 0–4 alone: the frame's records, normalised and not applied. A cluster's decode stage
   * (app/cluster.ts) runs only these and republishes the records for the partitions' owners.
   */
  decodeFrame(frame: RawFrame): Normalized[] {
    this.topic = frame.topic;
    const origin = this.route(frame.topic); //                          0  route: topic → receiver or card
    if (origin === undefined) return [];
    const decoded = this.decode(frame, origin); //                      1–3 frame, reassemble, decode
    return this.normalise(decoded, frame.receivedAtMs, origin); //         4 normalise
  }

  /** Hops 5–7 for records normalised here or by a cluster's decode stage. */
  onRecords(records: readonly Normalized[]): PipelineOutcome {
    const fixes = this.apply(records); //                                  5a apply to the live picture
    const gridEvents = this.locate(fixes); //                              5b locate in grids and fleets
    const signals = this.evaluate(fixes); //                               6  evaluate the rules
    const alertChanges = this.decide(signals, fixes); //                   7  decide alert changes
    return this.outcome(fixes, gridEvents, alertChanges);
  }

  /**
   * Once a second. On the wall clock (`nowMs`), as receipt times are: expire fragments and silent
   * vessels, and run the time-based rules (silence counts from a report's receipt). On the feed's
   * time (`feedNowMs`, app/feed-clock.ts; default the wall clock), as fix times are: move the fleets
   * on and let the decider's holds elapse, so a replayed capture's alerts are decided at its own
   * moments (a wall-clock tick would confirm a hold before the capture's next fix could cancel it).
   */
  tick(nowMs: number, feedNowMs: number = nowMs): PipelineOutcome {
    this.topic = '';
    this.decoder.expire(nowMs, this.onDecoded);
    this.reportDecodeRejections(this.takeDecoded());
    this.live.expire(nowMs);
    this.options.sea?.tick(feedNowMs);
    const fromRules = this.decide(this.timed(() => evaluateTick(this.rules, nowMs, this.onRuleError)));
    // A hold that elapsed in a quiet spell (a clear after 60 s with no new signal) is due now.
    const fromClock = this.options.decider?.tick?.(feedNowMs) ?? NO_CHANGES;
    const alertChanges = fromClock.length === 0 ? fromRules : fromRules.length === 0 ? fromClock : [...fromRules, ...fromClock];
    return this.outcome(NO_FIXES, NO_EVENTS, alertChanges);
  }

  /**
   * After a warm start (`restore`) at some moment: the stored fixes since then, oldest first, back
   * through hops 5–7 with a tick at every second of fix time, as the feed brought them. The rules'
   * and the decider's memory (a hold under way, a pair signalled, a straggler's time out) is lost by
   * a `kill -9`; this rebuilds it, so a condition that was held when the process died is still
   * raised (a fault run lost a 20 s warning hold that way). What was decided and stored before comes
   * back as such: positions and grid events under the keys the store already holds, alerts matched
   * to the restored open ones by their condition. Returns the grid events and alert changes, to
   * record; the fixes are not returned (they are stored).
   */
  reevaluate(reports: readonly PositionReport[]): { fixes: number; gridEvents: GridEvent[]; alertChanges: AlertChange[] } {
    const gridEvents: GridEvent[] = [];
    const alertChanges: AlertChange[] = [];
    let fixes = 0;
    const take = (o: PipelineOutcome): void => {
      fixes += o.fixes.length;
      for (const e of o.gridEvents) gridEvents.push(e);
      for (const c of o.alertChanges) alertChanges.push(c);
    };
    const run = (): void => {
      let i = 0;
      while (i < reports.length) {
        // One second of fix time a batch, then that second's tick (on fix time: the wall clock of then).
        const second = Math.floor(reports[i]!.atMs / 1000) * 1000;
        const batch: Normalized[] = [];
        while (i < reports.length && reports[i]!.atMs < second + 1000) batch.push({ kind: 'position', report: reports[i++]! });
        take(this.onRecords(batch));
        take(this.tick(second + 1000, second + 1000));
      }
    };
    const d = this.options.decider;
    if (d?.rerun === undefined) run();
    else d.rerun(run);
    this.changed.clear();
    return { fixes, gridEvents, alertChanges };
  }

  /**
   * A warm start: the last known fix of each vessel (from the store) placed in the live picture,
   * the grids, the fleets and the neighbour index before the feed resumes — with no grid events,
   * no rule evaluation and nothing recorded, as nothing happened. Without it a restarted service
   * recorded an "entry" into every grid no vessel had left (3,332 in a kill -9 fault run of 1,000
   * vessels) and missed collisions with BeiDou boats until their next fix, up to 3 min later
   * (6 of 119 alerts). Returns how many fixes it took.
   */
  restore(reports: readonly PositionReport[]): number {
    for (const r of reports) this.live.applyPosition(r);
    const fixes = this.fixes;
    this.fixes = [];
    const restored: VesselId[] = [];
    for (const f of fixes) {
      if (!f.moved) continue;
      this.options.sea?.locate(f.vesselId, f.report.lat, f.report.lon, f.report.atMs);
      this.changed.add(f.vesselId);
      restored.push(f.vesselId);
    }
    // A cluster takeover restores into a running pipeline: rules holding copies of states refresh them.
    if (restored.length > 0) for (const rule of this.rules) rule.onRestored?.(restored);
    return fixes.length;
  }

  /** Hop 0: which feed the frame is (AIS receiver or BeiDou card). */
  private route(topic: string): TopicOrigin | undefined {
    const origin = parseTopic(this.options.topicPrefix, topic);
    this.counters.frames[origin?.kind ?? 'unknown']++;
    if (origin === undefined) this.reject('mqtt.topic', topic);
    return origin;
  }

  /** Hops 1–3: lines framed, fragments joined, messages decoded, in place in the received bytes. */
  private decode(frame: RawFrame, origin: TopicOrigin): DecodeEvent[] {
    const ctx = { source: origin.kind === 'ais' ? origin.receiver : `bd:${origin.card}`, receivedAtMs: frame.receivedAtMs };
    const buf = frame.payload;
    let start = 0;
    while (start < buf.length) {
      let nl = buf.indexOf(10, start);
      if (nl < 0) nl = buf.length;
      if (nl > start) {
        this.counters.lines++;
        this.decoder.decodeBytes(buf, start, nl, ctx, this.onDecoded);
      }
      start = nl + 1;
    }
    return this.takeDecoded();
  }

  /** Hop 4: messages → position reports and static data; ITU sentinels and clock faults judged. */
  private normalise(decoded: readonly DecodeEvent[], receivedAtMs: number, origin: TopicOrigin): Normalized[] {
    const ctx: NormalizeContext = origin.kind === 'ais' ? { receivedAtMs, topicKind: 'ais' } : { receivedAtMs, beidouCard: origin.card, topicKind: 'beidou' };
    const out: Normalized[] = [];
    const push = (n: Normalized): void => {
      out.push(n);
    };
    for (const e of decoded) this.normalizer.normalize(e, ctx, push);
    return out;
  }

  /** Hop 5a: each record applied to the live picture (order, duplicates, jumps); the fixes it accepted. */
  private apply(records: readonly Normalized[]): readonly AcceptedFix[] {
    for (const n of records) {
      // A correction (a field or time replaced, the record kept) is counted and logged like a rejection.
      if (n.kind === 'reject' || n.kind === 'corrected') {
        this.reject(n.code, n.detail);
      } else if (n.kind === 'static') {
        const r = this.live.applyStatic(n.static);
        if (typeof r !== 'string') this.reject(r.code, r.detail);
        else if (r === 'merged') this.changed.add(vesselIdOfMmsi(n.static.mmsi));
      } else {
        const outcome = this.live.applyPosition(n.report);
        if (typeof outcome !== 'string') this.reject(outcome.code, outcome.detail);
        else this.counters.lagMs = n.report.receivedAtMs - n.report.atMs;
      }
    }
    const fixes = this.fixes;
    if (fixes.length === 0) return NO_FIXES;
    this.fixes = [];
    for (const f of fixes) if (f.moved) this.changed.add(f.vesselId);
    return fixes;
  }

  /** Hop 5b: fixes that moved a vessel placed in the sea grids, fleet grids and neighbour index. */
  private locate(fixes: readonly AcceptedFix[]): readonly GridEvent[] {
    const sea = this.options.sea;
    if (sea === undefined) return NO_EVENTS;
    let out: GridEvent[] | undefined;
    for (const f of fixes) {
      if (!f.moved) continue;
      const events = sea.locate(f.vesselId, f.report.lat, f.report.lon, f.report.atMs);
      if (events.length === 0) continue;
      for (const e of events) bump(this.counters.gridEvents, `${e.layer}|${e.kind}`);
      (out ??= []).push(...events);
    }
    return out ?? NO_EVENTS;
  }

  /** Hop 6: the rules over what moved. */
  private evaluate(fixes: readonly AcceptedFix[]): readonly Signal[] {
    if (this.rules.length === 0 || fixes.length === 0) return NO_SIGNALS;
    return this.timed(() => evaluateFixes(this.rules, { moved: fixes.filter((f) => f.moved) }, this.onRuleError));
  }

  /** Runs the rules and adds their wall time to `ruleEvaluation` (rules themselves keep no clock). */
  private timed(run: () => readonly Signal[]): readonly Signal[] {
    if (this.rules.length === 0) return NO_SIGNALS;
    const t0 = performance.now();
    const signals = run();
    const e = this.counters.ruleEvaluation;
    e.count++;
    e.seconds += (performance.now() - t0) / 1000;
    return signals;
  }

  /** Hop 7: signals → alert changes, and what the fixes alone change (a responder's arrival). */
  private decide(signals: readonly Signal[], fixes: readonly AcceptedFix[] = NO_FIXES): readonly AlertChange[] {
    const d = this.options.decider;
    if (d === undefined) return NO_CHANGES;
    const fromSignals = signals.length === 0 ? NO_CHANGES : d.decide(signals);
    const fromFixes = fixes.length === 0 || d.onMoved === undefined ? NO_CHANGES : d.onMoved(fixes, this.positionOf);
    return fromFixes.length === 0 ? fromSignals : [...fromSignals, ...fromFixes];
  }

  private readonly positionOf = (id: VesselId): LatLon | undefined => this.live.get(id);

  private outcome(fixes: readonly AcceptedFix[], gridEvents: readonly GridEvent[], alertChanges: readonly AlertChange[]): PipelineOutcome {
    if (this.changed.size === 0) return { fixes, gridEvents, alertChanges, changed: NO_VESSELS };
    const changed = this.changed;
    this.changed = new Set();
    return { fixes, gridEvents, alertChanges, changed };
  }

  private readonly onDecoded = (e: DecodeEvent): void => {
    this.decoded.push(e);
  };

  private takeDecoded(): DecodeEvent[] {
    const d = this.decoded;
    this.decoded = [];
    return d;
  }

  private reportDecodeRejections(events: readonly DecodeEvent[]): void {
    for (const e of events) if (e.kind === 'reject') this.reject(e.code, e.detail);
  }

  private readonly onRuleError = (rule: string, error: unknown): void => {
    bump(this.counters.ruleErrors, rule);
    this.options.onRuleError?.(rule, error);
  };

  private reject(code: RejectCode, detail: string | undefined): void {
    bump(this.counters.rejected, code);
    this.options.onReject?.(code, detail, this.topic);
  }
}

function bump<K>(m: Map<K, number>, key: K): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}
