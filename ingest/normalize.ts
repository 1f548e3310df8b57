import { parseBeidouCard, type PositionReport, type RejectCode, type VesselStatic } from '../model/index.js';
import type { AisMessage } from './ais/types.js';
import type { DecodeEvent } from './decoder.js';

/**
 * Decode events → the core's PositionReport / VesselStatic. The decoder has already turned ITU
 * "not available" values into `undefined` and chosen the time (tag block `c:`, else receipt);
 * this stage decides what is a vessel position, what is static data and what is neither.
 *
 * - Positions: AIS 1/2/3 (class A), 18/19 (class B), 27 (long range), 9 (SAR aircraft: tracked
 *   like a vessel so it shows on the map), and GNSS fixes of BeiDou terminals.
 * - Static data: AIS 5, 19, 24 part A (name) and part B (type, call sign, dimensions); the parts
 *   are not joined here, the live picture merges whatever arrives per MMSI.
 * - Not vessels: 4 (base station) and 21 (aid to navigation) are counted and dropped; so are the
 *   types that carry neither (6, 7, 8, 11, 12 …).
 */
export type Normalized =
  | { readonly kind: 'position'; readonly report: PositionReport }
  | { readonly kind: 'static'; readonly static: VesselStatic }
  | { readonly kind: 'reject'; readonly code: RejectCode; readonly detail?: string };

export type NormalizedSink = (n: Normalized) => void;

export interface NormalizeContext {
  /** When the payload arrived (our clock). */
  readonly receivedAtMs: number;
  /**
   * The BeiDou card of the topic the lines came on (`beidou/raw/{cardId}`); without it a GNSS
   * fix takes its card from the tag block `s:`. Leave it out for AIS topics.
   */
  readonly beidouCard?: string;
  /**
   * The kind of topic the lines came on. On an AIS topic a GNSS fix is the receiver's own
   * position (some receivers interleave `$GPRMC`), not a vessel: it is counted and dropped
   * rather than turned into a vessel named after the receiver's tag `s:`.
   */
  readonly topicKind?: 'ais' | 'beidou';
}

export interface NormalizeCounters {
  positions: number;
  statics: number;
  /** AIS 4 and 21: base stations and aids to navigation. */
  notVessel: number;
  /** AIS types with neither position nor static data (6, 7, 8, 10–17, 20, 22, 23, 25, 26). */
  unused: number;
  /** GNSS fixes that came on an AIS topic (the receiver's own position). */
  receiverFixes: number;
  /** Rejections made here (decoder rejections passed through are not counted again). */
  rejected: number;
}

export class Normalizer {
  readonly counters: NormalizeCounters = { positions: 0, statics: 0, notVessel: 0, unused: 0, receiverFixes: 0, rejected: 0 };

  /** Emits 0–2 results (type 19 gives a position and static data). Never throws on wire data. */
  normalize(e: DecodeEvent, ctx: NormalizeContext, emit: NormalizedSink): void {
    switch (e.kind) {
      case 'ais':
        return this.ais(e, ctx, emit);
      case 'gnss':
        return this.gnss(e, ctx, emit);
      case 'reject':
        return emit(e.detail === undefined ? { kind: 'reject', code: e.code } : { kind: 'reject', code: e.code, detail: e.detail });
    }
  }

  private ais(e: Extract<DecodeEvent, { kind: 'ais' }>, ctx: NormalizeContext, emit: NormalizedSink): void {
    const m = e.msg;
    switch (m.type) {
      case 1:
      case 2:
      case 3:
      case 9:
      case 18:
      case 27:
        return this.position(e, m, ctx, emit);
      case 19:
        this.position(e, m, ctx, emit);
        return this.static(e, m, emit);
      case 5:
      case 24:
        return this.static(e, m, emit);
      case 4:
      case 21:
        this.counters.notVessel++;
        return;
      default:
        this.counters.unused++;
    }
  }

  private position(
    e: Extract<DecodeEvent, { kind: 'ais' }>,
    m: Extract<AisMessage, { type: 1 | 2 | 3 | 9 | 18 | 19 | 27 }>,
    ctx: NormalizeContext,
    emit: NormalizedSink,
  ): void {
    const { lat, lon } = m;
    if (lat === undefined || lon === undefined) return this.reject('ais.no_position', `type ${m.type} from ${m.mmsi}: lat/lon not available`, emit);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return this.reject('ais.position_range', `type ${m.type} from ${m.mmsi}: ${lat},${lon}`, emit);
    // 0,0 is what many transponders send before their GNSS has a fix; no vessel in our sea is there.
    if (lat === 0 && lon === 0) return this.reject('ais.no_position', `type ${m.type} from ${m.mmsi}: 0,0 (no GNSS fix)`, emit);
    const second = m.type === 27 ? undefined : m.second;
    const report: PositionReport = {
      source: 'ais',
      mmsi: m.mmsi,
      beidouCard: undefined,
      atMs: e.atMs,
      receivedAtMs: ctx.receivedAtMs,
      lat,
      lon,
      sogKn: m.sogKn,
      cogDeg: m.cogDeg,
      headingDeg: m.type === 9 || m.type === 27 ? undefined : m.headingDeg,
      rotDegMin: m.type <= 3 ? (m as Extract<AisMessage, { type: 1 | 2 | 3 }>).rotDegMin : undefined,
      navStatus: m.type <= 3 || m.type === 27 ? (m as Extract<AisMessage, { type: 1 | 2 | 3 | 27 }>).navStatus : undefined,
      receiver: e.tag?.source ?? e.source,
      // 61–63 say "manual / dead reckoning / inoperative", not a time.
      utcSecond: second !== undefined && second < 60 ? second : undefined,
    };
    this.counters.positions++;
    emit({ kind: 'position', report });
  }

  private static(e: Extract<DecodeEvent, { kind: 'ais' }>, m: Extract<AisMessage, { type: 5 | 19 | 24 }>, emit: NormalizedSink): void {
    let s: VesselStatic;
    if (m.type === 24 && m.partno === 0) {
      s = { mmsi: m.mmsi, atMs: e.atMs, name: m.shipname };
    } else {
      const dims = dimensions(m.toBowM, m.toSternM, m.toPortM, m.toStarboardM);
      s = {
        mmsi: m.mmsi,
        atMs: e.atMs,
        // A lone part B carries no name; an A+B merge does.
        name: m.type === 24 && m.partno === 1 ? undefined : m.shipname,
        callsign: m.type === 19 ? undefined : m.callsign,
        imo: m.type === 5 ? m.imo : undefined,
        shipType: m.shipType,
        ...dims,
        draughtM: m.type === 5 ? m.draughtM : undefined,
        destination: m.type === 5 ? m.destination : undefined,
      };
    }
    this.counters.statics++;
    emit({ kind: 'static', static: s });
  }

  private gnss(e: Extract<DecodeEvent, { kind: 'gnss' }>, ctx: NormalizeContext, emit: NormalizedSink): void {
    if (ctx.topicKind === 'ais') {
      this.counters.receiverFixes++;
      return;
    }
    const named = ctx.beidouCard ?? e.tag?.source;
    const card = named === undefined ? undefined : parseBeidouCard(named);
    if (card === undefined) {
      return this.reject('beidou.no_card', named === undefined ? 'no topic card and no tag block s:' : `unusable card ${JSON.stringify(named)}`, emit);
    }
    const f = e.fix;
    const report: PositionReport = {
      source: 'beidou',
      mmsi: undefined,
      beidouCard: card,
      atMs: f.atMs,
      receivedAtMs: ctx.receivedAtMs,
      lat: f.lat,
      lon: f.lon,
      sogKn: f.sogKn,
      cogDeg: f.cogDeg,
      headingDeg: undefined,
      rotDegMin: undefined,
      navStatus: undefined,
      receiver: e.tag?.source ?? e.source,
      utcSecond: undefined,
    };
    this.counters.positions++;
    emit({ kind: 'position', report });
  }

  private reject(code: RejectCode, detail: string, emit: NormalizedSink): void {
    this.counters.rejected++;
    emit({ kind: 'reject', code, detail });
  }
}

/**
 * ITU: all four dimensions 0 means "not available". A single 0 is real (the GNSS antenna at the
 * bow or on the side), so dimensions are dropped only together.
 */
function dimensions(
  toBowM: number | undefined,
  toSternM: number | undefined,
  toPortM: number | undefined,
  toStarboardM: number | undefined,
): Pick<VesselStatic, 'toBowM' | 'toSternM' | 'toPortM' | 'toStarboardM'> {
  if (!toBowM && !toSternM && !toPortM && !toStarboardM) return {};
  return { toBowM, toSternM, toPortM, toStarboardM };
}
