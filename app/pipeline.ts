import { LivePicture, type LivePictureOptions, type SeaPicture } from '../geo/index.js';
import { createNmeaDecoder, Normalizer, parseTopic, type DecodeEvent, type Normalized, type NormalizerOptions, type RawFrame } from '../ingest/index.js';
import type { GridEvent, PositionReport, RejectCode, VesselId, VesselRegistry } from '../model/index.js';
import type { MetricsRegistry } from './metrics.js';

export interface PipelineOptions {
  /** Topic prefix before `ais/raw/…` and `beidou/raw/…` (CONTRACTS.md topics, prefix configurable). */
  readonly topicPrefix: string;
  readonly registry: VesselRegistry;
  readonly metrics: MetricsRegistry;
  /** Called for each rejection (the app logs them at a bounded rate). */
  readonly onReject?: (code: RejectCode, detail: string | undefined, topic: string) => void;
  readonly live?: LivePictureOptions;
  /** Hop 4: which fix times are receiver clock faults (ingest/normalize.ts). */
  readonly normalize?: NormalizerOptions;
  /** Hop 5, locate: grids, fleet grids, neighbours. Absent: vessels are placed but not located. */
  readonly sea?: SeaPicture;
  /** Hop 8, record: every fix that joins a track, and every grid event (the store batches them). */
  readonly record?: Recorder;
}

export interface Recorder {
  position(vesselId: VesselId, r: PositionReport): void;
  gridEvents(events: readonly GridEvent[]): void;
}

/**
 * Hops 1–5 of ARCHITECTURE.md for one MQTT frame: split lines, frame/reassemble/decode, normalise,
 * place in the live picture. Synchronous and in arrival order, so each vessel's reports keep their
 * order without queues. Every rejection is counted by code; nothing on wire data throws.
 */
export class Pipeline {
  readonly live: LivePicture;
  private readonly decoder = createNmeaDecoder();
  private readonly normalizer: Normalizer;
  private readonly rejected;
  private readonly frames;
  private readonly lines;
  private lastLagMs = 0;

  // Per-frame context, set before the synchronous decode of its lines.
  private frameTopic = '';
  private frameReceivedAtMs = 0;
  private frameCard: string | undefined;

  private readonly onDecoded = (e: DecodeEvent): void => {
    this.normalizer.normalize(
      e,
      this.frameCard === undefined
        ? { receivedAtMs: this.frameReceivedAtMs, topicKind: 'ais' }
        : { receivedAtMs: this.frameReceivedAtMs, beidouCard: this.frameCard, topicKind: 'beidou' },
      this.onNormalized,
    );
  };

  private readonly onNormalized = (n: Normalized): void => {
    // A correction (a field or time replaced, the record kept) is counted and logged like a rejection.
    if (n.kind === 'reject' || n.kind === 'corrected') return this.reject(n.code, n.detail);
    if (n.kind === 'static') {
      const r = this.live.applyStatic(n.static);
      if (typeof r !== 'string') this.reject(r.code, r.detail);
      return;
    }
    const outcome = this.live.applyPosition(n.report);
    if (typeof outcome !== 'string') return this.reject(outcome.code, outcome.detail);
    this.lastLagMs = n.report.receivedAtMs - n.report.atMs;
  };

  constructor(private readonly options: PipelineOptions) {
    this.live = new LivePicture(options.registry, options.live);
    this.normalizer = new Normalizer(options.normalize);
    const { sea, record } = options;
    const m = options.metrics;
    const gridEvents = m.counter('seagrid_grid_events_total', 'vessels entering or leaving a grid, by layer and kind');
    this.live.onTrackPoint = (vesselId, r, moved) => {
      record?.position(vesselId, r);
      if (!moved || sea === undefined) return;
      const events = sea.locate(vesselId, r.lat, r.lon, r.atMs);
      if (events.length === 0) return;
      for (const e of events) gridEvents.inc({ layer: e.layer, kind: e.kind });
      record?.gridEvents(events);
    };
    // A vessel that leaves the live picture leaves the grids, fleets and neighbour index with it.
    if (sea !== undefined) this.live.onForget = (vesselId) => sea.forget(vesselId);
    this.rejected = m.counter('seagrid_rejected_total', 'records rejected, by stable reason code');
    this.frames = m.counter('seagrid_mqtt_frames_total', 'MQTT messages received, by topic kind');
    this.lines = m.counter('seagrid_lines_total', 'NMEA lines received');
    const d = this.decoder.counters;
    const norm = this.normalizer.counters;
    const live = this.live.counters;
    m.gauge('seagrid_sentences_total', 'framed NMEA sentences', () => d.sentences, 'counter');
    m.gauge('seagrid_lines_ignored_total', 'valid lines not used (comments, GSV, proprietary …)', () => d.ignored, 'counter');
    m.gauge('seagrid_tag_blocks_dropped_total', 'bad tag blocks dropped from good sentences', () => d.tagProblems, 'counter');
    m.gauge('seagrid_fragments_pending', 'multipart AIS messages waiting for fragments', () => this.decoder.pendingFragments);
    m.gauge('seagrid_positions_total', 'position reports by outcome', () => [
      [{ outcome: 'moved' }, live.moved],
      [{ outcome: 'older_kept' }, live.olderKept],
      [{ outcome: 'duplicate' }, live.duplicates],
      [{ outcome: 'jump_rejected' }, live.jumpsRejected],
      [{ outcome: 'jump_accepted' }, live.jumpsAccepted],
    ], 'counter');
    m.gauge('seagrid_statics_total', 'AIS static reports applied', () => norm.statics, 'counter');
    m.gauge('seagrid_ais_not_vessel_total', 'AIS base-station and aid-to-navigation reports', () => norm.notVessel, 'counter');
    m.gauge('seagrid_vessels', 'vessels in the live picture', () => this.live.size);
    m.gauge('seagrid_vessels_forgotten_total', 'vessels that left the live picture: aged (not heard for VESSEL_FORGET_AFTER_H) or evicted (room for a new one at VESSEL_LIMIT)', () => [
      [{ reason: 'aged' }, live.aged],
      [{ reason: 'evicted' }, live.evicted],
    ], 'counter');
    if (sea !== undefined) {
      m.gauge('seagrid_vessels_located_total', 'fixes placed in the sea grids', () => sea.counters.located, 'counter');
      // One series per area grid except the 渔区 lattice (thousands of sub-zones: /api/grids has them).
      const layerOf = new Map(sea.grids.grids().map((g) => [g.id, g.layer]));
      m.gauge('seagrid_grid_occupancy', 'vessels in each static, control and patrol grid and zone', () => {
        const out: [Record<string, string>, number][] = [];
        for (const [grid, n] of sea.tracker.occupancy()) {
          const layer = layerOf.get(grid);
          if (layer !== undefined) out.push([{ grid, layer }, n]);
        }
        return out;
      });
    }
    m.gauge('seagrid_ingest_lag_seconds', 'receipt time minus fix time of the latest position', () => this.lastLagMs / 1000);
  }

  /** One MQTT message: several NMEA lines (CRLF or LF). */
  onFrame(frame: RawFrame): void {
    const kind = parseTopic(this.options.topicPrefix, frame.topic);
    if (kind === undefined) {
      this.frames.inc({ kind: 'unknown' });
      return this.reject('mqtt.topic', frame.topic);
    }
    this.frames.inc({ kind: kind.kind });
    this.frameTopic = frame.topic;
    this.frameReceivedAtMs = frame.receivedAtMs;
    this.frameCard = kind.kind === 'beidou' ? kind.card : undefined;
    const ctx = { source: kind.kind === 'ais' ? kind.receiver : `bd:${kind.card}`, receivedAtMs: frame.receivedAtMs };
    // Lines are decoded in place in the received bytes: the common sentence never becomes a string.
    const buf = frame.payload;
    let start = 0;
    let n = 0;
    while (start < buf.length) {
      let nl = buf.indexOf(10, start);
      if (nl < 0) nl = buf.length;
      if (nl > start) {
        n++;
        this.decoder.decodeBytes(buf, start, nl, ctx, this.onDecoded);
      }
      start = nl + 1;
    }
    this.lines.inc(undefined, n);
  }

  /** Drops multipart messages whose fragments never came (call once a second). */
  tick(nowMs: number): void {
    this.decoder.expire(nowMs, this.onDecoded);
    this.live.expire(nowMs);
    this.options.sea?.tick(nowMs);
  }

  private reject(code: RejectCode, detail: string | undefined): void {
    this.rejected.inc({ code });
    this.options.onReject?.(code, detail, this.frameTopic);
  }
}
