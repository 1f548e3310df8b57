import { parseBeidouCard, type PositionReport, type RejectCode, type VesselStatic } from '../model/index.js';
import type { AisMessage } from './ais/types.js';
import { DAY_MS, nearestDayTime } from './beidou/fields.js';
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
 *
 * Impossible values (the decoder keeps what was sent; plausibility is judged here, so `seagrid
 * decode` still prints what gpsd prints). Each is refused, or replaced and then reported as a
 * `corrected` result with its code, so every one is counted:
 * - Identity: an AIS report from MMSI 0 (no station has it: it is what an unconfigured transponder
 *   sends, so it is many boats at once) or from an MMSI of more than nine digits (ITU-R M.585; the
 *   30-bit field reaches 1073741823) is refused, `ais.mmsi`. Nine-digit MMSIs outside M.585's
 *   formats (unknown MID, a default like 123456789) are kept: they are real, moving transponders,
 *   and hiding a vessel from collision watch is worse than showing it under a wrong number.
 * - Fields (ITU-R M.1371-5): COG 0–359.9° (type 27: 0–359°) and heading 0–359° are values; the
 *   decoder already made the "not available" codes (3600, 511) absent, and what is left from 360°
 *   up is "not to be used" by the standard: that field becomes not available and the fix is kept,
 *   `ais.field_range`. AIS speed needs no check (every code up to 102.2 kn is a value). A GNSS
 *   speed above 102.2 kn, the top of the AIS scale, is not available, `beidou.field_range`.
 * - Time: a fix dated before `minFixTimeMs` (2000-01-01) is a clock fault, not a fix time: 1970
 *   is a receiver clock never set (`c:0`), 1980 the GPS epoch and 1999 its first week rollover
 *   (receivers with a 10-bit week counter). The same holds, when `maxFixAgeMs` is set, for a time
 *   that much older than its receipt (a receiver rolled back 1024 weeks from 2019 reports 1999–
 *   2006, above any fixed floor). As gpsd does not drop a rolled-over fix but repairs its date,
 *   the fix is kept: an AIS tag-block time is the receiver's clock, all of it wrong, so receipt
 *   time is used (`ais.fix_time`; the AIS second stays in `utcSecond`); a GNSS receiver's time of
 *   day survives a rollover, so only its date is dropped and the time of day placed on the day
 *   nearest its receipt, the rule GGA already follows without an RMC date (`beidou.fix_time`).
 *   `maxFixAgeMs` is off by default: replays of old captures arrive now with their own times.
 */
export type Normalized =
  | { readonly kind: 'position'; readonly report: PositionReport }
  | { readonly kind: 'static'; readonly static: VesselStatic }
  | { readonly kind: 'reject'; readonly code: RejectCode; readonly detail?: string }
  /** Follows the record it is about: a field or the time of it was replaced; the record is kept. */
  | { readonly kind: 'corrected'; readonly code: RejectCode; readonly detail: string };

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
  /** Fields and times replaced in records that were kept (each also emitted as `corrected`). */
  corrected: number;
}

export interface NormalizerOptions {
  /** Fix times before this (epoch ms) are a receiver clock fault. Default 2000-01-01T00:00:00Z. */
  readonly minFixTimeMs?: number;
  /** Fix times more than this before their receipt are not trusted either. Default: no limit. */
  readonly maxFixAgeMs?: number;
}

/** The first moment no receiver clock fault reaches: 1970 (unset), 1980 (GPS epoch), 1999 (rollover). */
const DEFAULT_MIN_FIX_TIME_MS = Date.UTC(2000, 0, 1);
/** ITU-R M.585: an MMSI is nine digits; 0 belongs to no station. */
const MAX_MMSI = 999_999_999;
/** The top of the AIS speed scale ("102.2 kn or more"); no vessel watched here goes faster. */
const MAX_GNSS_SOG_KN = 102.2;

export class Normalizer {
  readonly counters: NormalizeCounters = { positions: 0, statics: 0, notVessel: 0, unused: 0, receiverFixes: 0, rejected: 0, corrected: 0 };
  private readonly minFixTimeMs: number;
  private readonly maxFixAgeMs: number;

  constructor(options: NormalizerOptions = {}) {
    this.minFixTimeMs = options.minFixTimeMs ?? DEFAULT_MIN_FIX_TIME_MS;
    this.maxFixAgeMs = options.maxFixAgeMs ?? Infinity;
    if (!Number.isFinite(this.minFixTimeMs)) throw new RangeError(`minFixTimeMs must be a finite epoch ms, got ${this.minFixTimeMs}`);
    if (!(this.maxFixAgeMs > 0)) throw new RangeError(`maxFixAgeMs must be positive, got ${this.maxFixAgeMs}`);
  }

  /**
   * Emits the records of one event (type 19 gives a position and static data), each followed by
   * its corrections, or one rejection. Never throws on wire data.
   */
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
      case 5:
      case 9:
      case 18:
      case 19:
      case 24:
      case 27:
        return this.aisRecord(e, m, ctx, emit);
      case 4:
      case 21:
        this.counters.notVessel++;
        return;
      default:
        this.counters.unused++;
    }
  }

  /** A message that gives a position, static data or both: one identity and one time for all. */
  private aisRecord(
    e: Extract<DecodeEvent, { kind: 'ais' }>,
    m: Extract<AisMessage, { type: 1 | 2 | 3 | 5 | 9 | 18 | 19 | 24 | 27 }>,
    ctx: NormalizeContext,
    emit: NormalizedSink,
  ): void {
    if (!(m.mmsi >= 1 && m.mmsi <= MAX_MMSI)) {
      this.reject('ais.mmsi', `type ${m.type}: MMSI ${m.mmsi} is no station's`, emit);
      return;
    }
    const timeOk = this.plausibleTime(e.atMs, ctx.receivedAtMs);
    const atMs = timeOk ? e.atMs : ctx.receivedAtMs;
    let kept = false;
    if (m.type !== 5 && m.type !== 24) kept = this.position(e, m, atMs, ctx, emit);
    if (m.type === 5 || m.type === 19 || m.type === 24) {
      this.static(m, atMs, emit);
      kept = true;
    }
    // Reported once per message, and only when something with that time went out.
    if (kept && !timeOk) {
      this.correct('ais.fix_time', `type ${m.type} from ${m.mmsi}: tag-block time ${iso(e.atMs)}, receipt ${iso(ctx.receivedAtMs)} used`, emit);
    }
  }

  /** True when the report went out (it may be followed by corrections of its fields). */
  private position(
    e: Extract<DecodeEvent, { kind: 'ais' }>,
    m: Extract<AisMessage, { type: 1 | 2 | 3 | 9 | 18 | 19 | 27 }>,
    atMs: number,
    ctx: NormalizeContext,
    emit: NormalizedSink,
  ): boolean {
    const { lat, lon } = m;
    if (lat === undefined || lon === undefined) return this.reject('ais.no_position', `type ${m.type} from ${m.mmsi}: lat/lon not available`, emit);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return this.reject('ais.position_range', `type ${m.type} from ${m.mmsi}: ${lat},${lon}`, emit);
    // 0,0 is what many transponders send before their GNSS has a fix; no vessel in our sea is there.
    if (lat === 0 && lon === 0) return this.reject('ais.no_position', `type ${m.type} from ${m.mmsi}: 0,0 (no GNSS fix)`, emit);
    const second = m.type === 27 ? undefined : m.second;
    const sentHeading = m.type === 9 || m.type === 27 ? undefined : m.headingDeg;
    // What is left above 359.9° / 359° after the "not available" codes is "not to be used".
    const cogBad = m.cogDeg !== undefined && m.cogDeg >= 360;
    const headingBad = sentHeading !== undefined && sentHeading >= 360;
    const report: PositionReport = {
      source: 'ais',
      mmsi: m.mmsi,
      beidouCard: undefined,
      atMs,
      receivedAtMs: ctx.receivedAtMs,
      lat,
      lon,
      sogKn: m.sogKn,
      cogDeg: cogBad ? undefined : m.cogDeg,
      headingDeg: headingBad ? undefined : sentHeading,
      rotDegMin: m.type <= 3 ? (m as Extract<AisMessage, { type: 1 | 2 | 3 }>).rotDegMin : undefined,
      navStatus: m.type <= 3 || m.type === 27 ? (m as Extract<AisMessage, { type: 1 | 2 | 3 | 27 }>).navStatus : undefined,
      receiver: e.tag?.source ?? e.source,
      // 61–63 say "manual / dead reckoning / inoperative", not a time.
      utcSecond: second !== undefined && second < 60 ? second : undefined,
    };
    this.counters.positions++;
    emit({ kind: 'position', report });
    if (cogBad) this.correct('ais.field_range', `type ${m.type} from ${m.mmsi}: COG ${m.cogDeg}° made not available`, emit);
    if (headingBad) this.correct('ais.field_range', `type ${m.type} from ${m.mmsi}: heading ${sentHeading}° made not available`, emit);
    return true;
  }

  private static(m: Extract<AisMessage, { type: 5 | 19 | 24 }>, atMs: number, emit: NormalizedSink): void {
    let s: VesselStatic;
    if (m.type === 24 && m.partno === 0) {
      s = { mmsi: m.mmsi, atMs, name: m.shipname };
    } else {
      const dims = dimensions(m.toBowM, m.toSternM, m.toPortM, m.toStarboardM);
      s = {
        mmsi: m.mmsi,
        atMs,
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
      this.reject('beidou.no_card', named === undefined ? 'no topic card and no tag block s:' : `unusable card ${JSON.stringify(named)}`, emit);
      return;
    }
    const f = e.fix;
    const timeOk = this.plausibleTime(f.atMs, ctx.receivedAtMs);
    const sogBad = f.sogKn !== undefined && f.sogKn > MAX_GNSS_SOG_KN;
    const report: PositionReport = {
      source: 'beidou',
      mmsi: undefined,
      beidouCard: card,
      // Only the date is dropped: the time of day goes on the day nearest the receipt.
      atMs: timeOk ? f.atMs : nearestDayTime(timeOfDayMs(f.atMs), ctx.receivedAtMs),
      receivedAtMs: ctx.receivedAtMs,
      lat: f.lat,
      lon: f.lon,
      sogKn: sogBad ? undefined : f.sogKn,
      cogDeg: f.cogDeg,
      headingDeg: undefined,
      rotDegMin: undefined,
      navStatus: undefined,
      receiver: e.tag?.source ?? e.source,
      utcSecond: undefined,
    };
    this.counters.positions++;
    emit({ kind: 'position', report });
    if (sogBad) this.correct('beidou.field_range', `card ${card}: SOG ${f.sogKn} kn made not available`, emit);
    if (!timeOk) this.correct('beidou.fix_time', `card ${card}: fix dated ${iso(f.atMs)}, received ${iso(ctx.receivedAtMs)}: date replaced`, emit);
  }

  /** After the floor, and not older at receipt than the configured age. NaN is not plausible. */
  private plausibleTime(atMs: number, receivedAtMs: number): boolean {
    return atMs >= this.minFixTimeMs && !(receivedAtMs - atMs > this.maxFixAgeMs);
  }

  /** Always false, so a caller that reports whether it emitted can `return this.reject(…)`. */
  private reject(code: RejectCode, detail: string, emit: NormalizedSink): false {
    this.counters.rejected++;
    emit({ kind: 'reject', code, detail });
    return false;
  }

  private correct(code: RejectCode, detail: string, emit: NormalizedSink): void {
    this.counters.corrected++;
    emit({ kind: 'corrected', code, detail });
  }
}

function timeOfDayMs(atMs: number): number {
  return ((atMs % DAY_MS) + DAY_MS) % DAY_MS;
}

/** ISO text of an epoch-ms time for a detail; wire times can be beyond what Date prints. */
function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`;
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
