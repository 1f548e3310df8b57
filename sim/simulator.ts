import type { VesselId } from '../model/index.js';
import {
  encodePositionA,
  encodePositionB,
  encodeStaticPartA,
  encodeStaticPartB,
  encodeStaticVoyage,
  type ArmouredPayload,
} from './ais-encode.js';
import { ggaSentence, rmcSentence } from './beidou-encode.js';
import { cosLat, normDeg } from './flat-earth.js';
import { EventQueue } from './event-queue.js';
import { newKin, type Kin, type LegSource } from './legs.js';
import { tagBlock, vdmSentences } from './nmea-out.js';
import { ReceiverFeed, type MqttOut } from './receivers.js';
import { aisIntervalMs, BEIDOU_INTERVAL_MS, nextReportMs, STATIC_INTERVAL_MS } from './reporting.js';
import { forkRng } from './rng.js';
import { applyHarbourOffset, harbourOffsets } from './truth.js';
import type { PlannedRoute, Scenario, ScriptedIncident, SimVessel } from './types.js';

export type { MqttOut } from './receivers.js';

export interface SimulatorOptions {
  /** Prepended to every topic (`zs/` → `zs/ais/raw/…`); a missing trailing `/` is added. */
  readonly topicPrefix?: string;
  /** AIS payloads gather a receiver's lines over this much sim time. Default 1000 ms. */
  readonly batchWindowMs?: number;
  /** Most lines in one AIS payload. Default 40. */
  readonly maxLinesPerPayload?: number;
  /**
   * Receiver id for vessels no shore receiver hears (satellite AIS); null drops them, as a
   * shore-only feed would. Default `sat-ecs`.
   */
  readonly satelliteReceiverId?: string | null;
  /** Chance that a multipart message is split across two consecutive payloads. Default 0.2. */
  readonly splitMultipartChance?: number;
  /** Called with what was simulated for each position report (for tests and replays of truth). */
  readonly onReport?: (report: SimulatedReport) => void;
}

/** What the simulator sent for one position report, before encoding. */
export interface SimulatedReport {
  readonly vesselIndex: number;
  readonly vesselId: VesselId;
  readonly source: 'ais' | 'beidou';
  /** AIS message type (1, 3, 18), or 0 for a BeiDou fix. */
  readonly messageType: number;
  readonly atMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn: number;
  /** Undefined: sent as "not available". */
  readonly cogDeg: number | undefined;
  readonly headingDeg: number | undefined;
  readonly navStatus: number | undefined;
  readonly rotDegMin: number | undefined;
  readonly turning: boolean;
  /** Time to this vessel's next report of this source. */
  readonly intervalMs: number;
  /** Receivers that heard it (AIS), or the BeiDou topic's card. */
  readonly receivers: readonly string[];
}

export interface SimulatorCounters {
  /** Position reports sent (AIS positions + BeiDou fixes), each counted once however many receivers heard it. */
  positionReports: number;
  aisPositions: number;
  beidouFixes: number;
  staticMessages: number;
  /** NMEA lines in AIS payloads (a report heard by three receivers is three lines). */
  aisLines: number;
  payloads: number;
  /** Reports not sent because the vessel is silent (signal-lost incident). */
  suppressed: number;
  /** AIS reports no receiver heard (no satellite receiver configured). */
  unheard: number;
}

const KIND_AIS = 0;
const KIND_STATIC = 1;
const KIND_BEIDOU = 2;
const KINDS = 3;

const SATELLITE_RANGE = Infinity;

interface Receiver {
  readonly feed: ReceiverFeed;
  readonly lat: number;
  readonly lon: number;
  readonly cos: number;
  readonly range2: number;
}

/**
 * Runs a scenario: `start()` gives every vessel's first report, then `advance(t)` the reports
 * due up to sim time t, as MQTT-ready payloads. Pure: the caller owns the clock (rate scaling is
 * just how fast it advances) and publishing. The same scenario gives the same bytes however the
 * time is sliced into `advance` calls: AIS payloads close on fixed sim-time windows.
 */
export class FleetSimulator {
  readonly counters: SimulatorCounters = {
    positionReports: 0,
    aisPositions: 0,
    beidouFixes: 0,
    staticMessages: 0,
    aisLines: 0,
    payloads: 0,
    suppressed: 0,
    unheard: 0,
  };
  private readonly vessels: readonly SimVessel[];
  private readonly tracks: readonly LegSource[];
  private readonly queue: EventQueue;
  private readonly shore: Receiver[];
  private readonly satellite: Receiver | undefined;
  private readonly prefix: string;
  private readonly windowMs: number;
  private readonly onReport: ((r: SimulatedReport) => void) | undefined;
  private readonly kin: Kin = newKin();
  /** Last AIS interval per vessel (type 3 on a change of rate; the rate estimate). */
  private readonly lastInterval: Float64Array;
  private readonly sentFirst: Uint8Array;
  private readonly aisCount: Uint32Array;
  private readonly staticCache: (readonly ArmouredPayload[] | undefined)[];
  private readonly jitter: Float64Array;
  private readonly heard: Receiver[] = [];
  private started = false;
  private shift = 0;
  private nowMs = 0;
  private window = 0;
  private sequenceId = 0;

  constructor(
    readonly scenario: Scenario,
    options: SimulatorOptions = {},
  ) {
    this.vessels = scenario.vessels;
    const motion = scenario.createMotion();
    this.tracks = this.vessels.map((v) => motion.trackOf(v.index));
    this.queue = new EventQueue(this.vessels.length * KINDS);
    const p = options.topicPrefix ?? '';
    this.prefix = p === '' || p.endsWith('/') ? p : `${p}/`;
    this.windowMs = options.batchWindowMs ?? 1000;
    if (!(this.windowMs > 0)) throw new RangeError(`batchWindowMs must be positive, got ${this.windowMs}`);
    const maxLines = options.maxLinesPerPayload ?? 40;
    const split = options.splitMultipartChance ?? 0.2;
    const seed = scenario.params.seed;
    const receiver = (id: string, lat: number, lon: number, rangeNm: number, groups: boolean): Receiver => ({
      feed: new ReceiverFeed(id, `${this.prefix}ais/raw/${id}`, groups, maxLines, split, forkRng(seed, `receiver:${id}`)),
      lat,
      lon,
      cos: cosLat(lat),
      range2: rangeNm * rangeNm,
    });
    this.shore = scenario.receivers.map((r) => receiver(r.id, r.lat, r.lon, r.rangeNm, r.tagGroups));
    const sat = options.satelliteReceiverId === undefined ? 'sat-ecs' : options.satelliteReceiverId;
    this.satellite = sat === null ? undefined : receiver(sat, 0, 0, SATELLITE_RANGE, true);
    this.onReport = options.onReport;
    const n = this.vessels.length;
    this.lastInterval = new Float64Array(n);
    this.sentFirst = new Uint8Array(n * KINDS);
    this.aisCount = new Uint32Array(n);
    this.staticCache = new Array<readonly ArmouredPayload[] | undefined>(n).fill(undefined);
    // Boats rafted up in harbour must not sit on one point (truth.ts: the same offsets score the alerts).
    this.jitter = harbourOffsets(this.vessels, seed);
  }

  /** Sim time reached so far. */
  get timeMs(): number {
    return this.nowMs;
  }

  /**
   * Every vessel's first report at `simTimeMs` (default: the scenario's start); scenario times
   * (incidents) move with it.
   */
  start(simTimeMs: number = this.scenario.startMs): MqttOut[] {
    if (this.started) throw new Error('the simulator has already started');
    this.started = true;
    this.shift = simTimeMs - this.scenario.startMs;
    this.nowMs = simTimeMs;
    this.window = Math.floor(simTimeMs / this.windowMs);
    for (const v of this.vessels) {
      const base = v.index * KINDS;
      if (v.aisClass !== 'none') {
        this.queue.push(simTimeMs, base + KIND_AIS);
        this.queue.push(simTimeMs, base + KIND_STATIC);
      }
      if (v.beidouReports && v.beidouCard !== undefined) this.queue.push(simTimeMs, base + KIND_BEIDOU);
    }
    const out: MqttOut[] = [];
    this.run(simTimeMs, out);
    this.flushFeeds(out, simTimeMs);
    return out;
  }

  /** The reports due after the last call and up to `toSimTimeMs`. */
  advance(toSimTimeMs: number): MqttOut[] {
    if (!this.started) throw new Error('call start() first');
    if (toSimTimeMs < this.nowMs) throw new RangeError(`time runs forward: ${toSimTimeMs} < ${this.nowMs}`);
    const out: MqttOut[] = [];
    this.run(toSimTimeMs, out);
    const w = Math.floor(toSimTimeMs / this.windowMs);
    if (w > this.window) {
      this.flushFeeds(out, this.window * this.windowMs + this.windowMs);
      this.window = w;
    }
    this.nowMs = toSimTimeMs;
    return out;
  }

  /** Releases the lines of the batching window still open (at the end of a run). */
  flush(): MqttOut[] {
    const out: MqttOut[] = [];
    this.flushFeeds(out, this.nowMs);
    return out;
  }

  /** The scenario's incidents in this run's time. */
  incidents(): ScriptedIncident[] {
    const d = this.shift;
    return this.scenario.incidents.map((i) => ({
      ...i,
      startsAtMs: i.startsAtMs + d,
      expectedAlertAtMs: i.expectedAlertAtMs + d,
      details: Object.fromEntries(Object.entries(i.details).map(([k, v]) => [k, k.endsWith('AtMs') && typeof v === 'number' ? v + d : v])),
    }));
  }

  routes(): readonly PlannedRoute[] {
    return this.scenario.routes;
  }

  /**
   * Position reports per sim second at the current state (before start: at the scenario's start):
   * AIS at each vessel's present interval plus BeiDou every 3 minutes. Multiply by the rate.
   */
  reportsPerSimSecond(): number {
    let sum = 0;
    for (const v of this.vessels) {
      if (v.aisClass !== 'none') {
        let interval = this.lastInterval[v.index]!;
        if (interval === 0) {
          this.tracks[v.index]!.evaluate(this.scenario.startMs, 0, this.kin);
          interval = aisIntervalMs(v.aisClass, this.kin);
        }
        sum += 1000 / interval;
      }
      if (v.beidouReports && v.beidouCard !== undefined) sum += 1000 / BEIDOU_INTERVAL_MS;
    }
    return sum;
  }

  private run(until: number, out: MqttOut[]): void {
    const q = this.queue;
    while (q.peekTime() <= until) {
      const t = q.peekTime();
      const w = Math.floor(t / this.windowMs);
      if (w > this.window) {
        this.flushFeeds(out, this.window * this.windowMs + this.windowMs);
        this.window = w;
      }
      const id = q.pop();
      const index = (id / KINDS) | 0;
      const kind = id - index * KINDS;
      const v = this.vessels[index]!;
      const first = this.sentFirst[id] === 0;
      this.sentFirst[id] = 1;
      const silent = v.silence !== undefined && t - this.shift >= v.silence.fromMs && t - this.shift < v.silence.untilMs;
      if (kind === KIND_AIS) {
        const interval = this.aisPosition(v, t, silent);
        q.push(nextReportMs(t, interval, first ? v.reportPhase[0] : undefined), id);
      } else if (kind === KIND_STATIC) {
        if (!silent) this.staticData(v, t);
        q.push(nextReportMs(t, STATIC_INTERVAL_MS, first ? v.reportPhase[1] : undefined), id);
      } else {
        this.beidou(v, t, silent, out);
        q.push(nextReportMs(t, BEIDOU_INTERVAL_MS, first ? v.reportPhase[2] : undefined), id);
      }
      if (silent) this.counters.suppressed++;
    }
    this.nowMs = Math.max(this.nowMs, until);
  }

  /** Evaluates the vessel at sim time t into `this.kin` (fishing boats get their harbour offset). */
  private locate(v: SimVessel, t: number): Kin {
    const k = this.kin;
    this.tracks[v.index]!.evaluate(t - this.shift, 0, k);
    applyHarbourOffset(k, this.jitter, v.index);
    return k;
  }

  private aisPosition(v: SimVessel, t: number, silent: boolean): number {
    const k = this.locate(v, t);
    const aisClass = v.aisClass as 'A' | 'B';
    const interval = aisIntervalMs(aisClass, k);
    const previous = this.lastInterval[v.index]!;
    this.lastInterval[v.index] = interval;
    if (silent) return interval;
    const moving = k.cogDeg !== undefined;
    const heading = v.headingSensor ? normDeg(k.headingDeg + (moving ? v.headingBiasDeg : 0)) : undefined;
    const second = Math.floor(t / 1000);
    const count = this.aisCount[v.index]!;
    this.aisCount[v.index] = count + 1;
    let payload: ArmouredPayload;
    let type: number;
    if (aisClass === 'A') {
      // ITDMA (type 3) when the reporting rate changes, SOTDMA (type 1) otherwise.
      type = previous === 0 || previous !== interval ? 3 : 1;
      payload = encodePositionA({
        type: type as 1 | 3,
        mmsi: v.mmsi!,
        navStatus: k.navStatus,
        rotDegMin: v.rotSensor ? k.rotDegMin : undefined,
        sogKn: k.sogKn,
        accuracy: v.accuracy,
        lat: k.lat,
        lon: k.lon,
        cogDeg: k.cogDeg,
        headingDeg: heading,
        second: second % 60,
        radio: type === 3 ? itdmaState(interval) : sotdmaState(count, t),
      });
    } else {
      type = 18;
      payload = encodePositionB({ mmsi: v.mmsi!, sogKn: k.sogKn, accuracy: v.accuracy, lat: k.lat, lon: k.lon, cogDeg: k.cogDeg, headingDeg: heading, second: second % 60 });
    }
    const sentence = vdmSentences(payload, { channel: (count & 1) === 0 ? 'A' : 'B' })[0]!;
    const heard = this.hear(k.lat, k.lon);
    for (const r of heard) r.feed.add(sentence, second);
    this.counters.aisLines += heard.length;
    if (heard.length === 0) this.counters.unheard++;
    this.counters.aisPositions++;
    this.counters.positionReports++;
    if (this.onReport !== undefined) {
      this.onReport({
        vesselIndex: v.index,
        vesselId: v.vesselId,
        source: 'ais',
        messageType: type,
        atMs: t,
        lat: k.lat,
        lon: k.lon,
        sogKn: k.sogKn,
        cogDeg: k.cogDeg,
        headingDeg: heading,
        navStatus: aisClass === 'A' ? k.navStatus : undefined,
        rotDegMin: aisClass === 'A' && v.rotSensor ? k.rotDegMin : undefined,
        turning: k.turning,
        intervalMs: interval,
        receivers: heard.map((r) => r.feed.id),
      });
    }
    return interval;
  }

  private staticData(v: SimVessel, t: number): void {
    let payloads = this.staticCache[v.index];
    if (payloads === undefined) {
      payloads =
        v.aisClass === 'A'
          ? [
              encodeStaticVoyage({
                mmsi: v.mmsi!,
                ...(v.imo === undefined ? {} : { imo: v.imo }),
                ...(v.callsign === undefined ? {} : { callsign: v.callsign }),
                ...(v.aisName === undefined ? {} : { shipname: v.aisName }),
                shipType: v.shipType,
                ...v.dimensions,
                ...(v.eta === undefined ? {} : { eta: v.eta }),
                ...(v.draughtM === undefined ? {} : { draughtM: v.draughtM }),
                ...(v.destination === undefined ? {} : { destination: v.destination }),
              }),
            ]
          : [
              encodeStaticPartA({ mmsi: v.mmsi!, ...(v.aisName === undefined ? {} : { shipname: v.aisName }) }),
              encodeStaticPartB({
                mmsi: v.mmsi!,
                shipType: v.shipType,
                vendor: 'SRT',
                model: 1,
                serial: v.mmsi! % 1_000_000,
                ...(v.callsign === undefined ? {} : { callsign: v.callsign }),
                ...v.dimensions,
              }),
            ];
      this.staticCache[v.index] = payloads;
    }
    const k = this.locate(v, t);
    const heard = this.hear(k.lat, k.lon);
    const second = Math.floor(t / 1000);
    const channel = (this.aisCount[v.index]! & 1) === 0 ? 'B' : 'A';
    for (const p of payloads) {
      const seq = (this.sequenceId = (this.sequenceId + 1) % 10);
      const sentences = vdmSentences(p, { channel, sequenceId: seq });
      for (const r of heard) {
        if (sentences.length === 1) r.feed.add(sentences[0]!, second);
        else r.feed.addMultipart(sentences, second);
      }
      this.counters.aisLines += heard.length * sentences.length;
      this.counters.staticMessages++;
    }
  }

  private beidou(v: SimVessel, t: number, silent: boolean, out: MqttOut[]): void {
    if (silent) return;
    const k = this.locate(v, t);
    const fix = { talker: v.beidouTalker, atMs: t, lat: k.lat, lon: k.lon, sogKn: round1(k.sogKn), ...(k.cogDeg === undefined ? {} : { cogDeg: round1(k.cogDeg) % 360 }) };
    const card = v.beidouCard!;
    const tag = tagBlock({ source: `bd${card}`, timeS: Math.floor(t / 1000) });
    let payload = tag + rmcSentence(fix);
    if (v.beidouGga) payload += `\r\n${tag}${ggaSentence(fix, { satellites: 8 + (v.index % 12) })}`;
    out.push({ topic: `${this.prefix}beidou/raw/${card}`, payload, atMs: t });
    this.counters.payloads++;
    this.counters.beidouFixes++;
    this.counters.positionReports++;
    if (this.onReport !== undefined) {
      this.onReport({
        vesselIndex: v.index,
        vesselId: v.vesselId,
        source: 'beidou',
        messageType: 0,
        atMs: t,
        lat: k.lat,
        lon: k.lon,
        sogKn: fix.sogKn,
        cogDeg: fix.cogDeg,
        headingDeg: undefined,
        navStatus: undefined,
        rotDegMin: undefined,
        turning: k.turning,
        intervalMs: BEIDOU_INTERVAL_MS,
        receivers: [card],
      });
    }
  }

  /** Shore receivers within range; the satellite when none is. */
  private hear(lat: number, lon: number): readonly Receiver[] {
    const heard = this.heard;
    heard.length = 0;
    for (const r of this.shore) {
      const dn = (lat - r.lat) * 60;
      const de = (lon - r.lon) * 60 * r.cos;
      if (dn * dn + de * de <= r.range2) heard.push(r);
    }
    if (heard.length === 0 && this.satellite !== undefined) heard.push(this.satellite);
    return heard;
  }

  private flushFeeds(out: MqttOut[], atMs: number): void {
    const before = out.length;
    for (const r of this.shore) r.feed.flush(out, atMs);
    this.satellite?.feed.flush(out, atMs);
    this.counters.payloads += out.length - before;
  }
}

/** SOTDMA communication state: sync (UTC direct), slot time-out counting 7→0, and its sub-message. */
function sotdmaState(count: number, t: number): number {
  const timeout = 7 - (count % 8);
  const slot = Math.floor((t % 60_000) / (60_000 / 2250));
  let sub: number;
  if (timeout === 1) {
    const d = new Date(t);
    sub = (d.getUTCHours() << 9) | (d.getUTCMinutes() << 2);
  } else if (timeout === 0) sub = 0;
  else if (timeout % 2 === 0) sub = slot;
  else sub = 20 + (count % 40);
  return (timeout << 14) | (sub & 0x3fff);
}

/** ITDMA communication state: slot increment to the next report, one slot, no keep flag. */
function itdmaState(intervalMs: number): number {
  const increment = Math.min(8191, Math.round(intervalMs / (60_000 / 2250)));
  return increment << 4;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

