import {
  reject,
  vesselIdOfCard,
  vesselIdOfMmsi,
  type AisStaticData,
  type BeidouCard,
  type Mmsi,
  type PositionReport,
  type PositionSource,
  type Rejection,
  type VesselFile,
  type VesselId,
  type VesselRegistry,
  type VesselState,
  type VesselStatic,
} from '../model/index.js';
import { distanceM, EARTH_RADIUS_M, M_PER_NM, RAD } from './sphere.js';
import { TrackRing, type TrackPoint } from './track-ring.js';

export type { TrackPoint } from './track-ring.js';

export interface LivePictureOptions {
  /** Implied speed from the last accepted fix above which a fix is a jump (`track.implausible_jump`). */
  readonly maxJumpKn?: number;
  /**
   * Metres of every jump distance forgiven before the speed test: GNSS noise, AIS vs BeiDou
   * antennas on one hull, and receipt-time jitter of AIS without tag-block time.
   */
  readonly jumpToleranceM?: number;
  /**
   * Consecutive fixes that must agree on a new place (each plausible from the one before, none
   * accepted in between) before the vessel is moved there despite the jump; the jump itself is the
   * first. An integer ≥ 2: at 1 every jump would confirm itself and none would be rejected.
   */
  readonly jumpConfirmations?: number;
  readonly trackPointsPerVessel?: number;
  /** Same vessel, source and place within this many ms (when either lacks an AIS second) is one fix. */
  readonly dupWindowMs?: number;
  /** Same vessel, source, place and AIS second within this many ms is one fix. */
  readonly dupSecondWindowMs?: number;
  /**
   * A fix time more than this after its receipt is refused (`track.future_time`): one fix from a
   * wrong clock would otherwise make every later true fix "older" and freeze the vessel.
   * `Infinity` turns the check off (a simulator running faster than real time).
   */
  readonly maxFutureMs?: number;
  /**
   * Unregistered vessels held at most. A new one beyond it makes room by forgetting the unregistered
   * vessel heard least recently (`evicted`); with a limit of 0 it is refused (`track.vessel_limit`).
   * Registry hulls never count and are never refused: the registry bounds them.
   */
  readonly maxVessels?: number;
  /**
   * A vessel not heard (by receipt time) for this long leaves the live picture at the next
   * `expire` (its stored track stays). `Infinity` keeps every vessel.
   */
  readonly forgetAfterMs?: number;
}

/** Why a vessel left the live picture. */
export type ForgetReason = 'aged' | 'evicted';

/**
 * What `applyPosition` did: the vessel moved; an older fix went into the track only; a copy of
 * a fix already applied was counted and dropped; or a rejection with its code.
 */
export type ApplyOutcome = 'moved' | 'kept-older' | 'duplicate' | Rejection;

export interface LivePictureCounters {
  moved: number;
  olderKept: number;
  duplicates: number;
  jumpsRejected: number;
  /** Relocations made after `jumpConfirmations` fixes agreed on a new place. */
  jumpsAccepted: number;
  /** Other rejections (`track.invalid`, `track.future_time`, `track.vessel_limit`). */
  rejected: number;
  staticsMerged: number;
  /** Vessels forgotten after `forgetAfterMs` without a report. */
  aged: number;
  /** Unregistered vessels forgotten to make room for a new one (the limit was reached). */
  evicted: number;
}

/** How full the live picture is (for `/health`). */
export interface LivePictureRoom {
  /** Vessels with a position. */
  readonly live: number;
  /** Vessels held, positioned or not (static data only). */
  readonly held: number;
  readonly unregistered: number;
  /** The limit on unregistered vessels. */
  readonly limit: number;
  readonly evicted: number;
  readonly aged: number;
  /** Receipt time of the report whose vessel caused the latest eviction. */
  readonly lastEvictedAtMs: number | undefined;
}

/** One page of `page()`: vessels in creation order, and the cursor of the next page (absent: no more). */
export interface VesselPage {
  readonly vessels: VesselState[];
  readonly next: number | undefined;
}

export interface VesselPageQuery {
  /** The `next` of the previous page; absent: from the first vessel. */
  readonly after?: number;
  readonly limit: number;
  /** Only vessels passing this test (cheap fields only: no state object is built for a miss). */
  readonly where?: (vesselId: VesselId, lat: number, lon: number) => boolean;
  /** Candidates from an index (a fleet's members, the vessels of some cells): only these are looked at. */
  readonly among?: Iterable<string>;
  /**
   * At most this many positioned vessels looked at without `among` (default 100,000): a selective filter over
   * a full picture returns a short page and a `next` rather than walking every vessel in one call.
   */
  readonly budget?: number;
}

/** Vessels whose state changed after a cursor, and the cursor to ask with next time. */
export interface Changes {
  readonly cursor: number;
  readonly vessels: VesselState[];
}

const DEFAULTS = {
  maxJumpKn: 60,
  jumpToleranceM: 250,
  jumpConfirmations: 2,
  trackPointsPerVessel: 200,
  dupWindowMs: 2_000,
  dupSecondWindowMs: 59_000,
  maxFutureMs: 10 * 60_000,
  maxVessels: 200_000,
  forgetAfterMs: 24 * 3_600_000,
} satisfies Required<LivePictureOptions>;

const KN_TO_MS = M_PER_NM / 3600;
/** Track points looked at for a duplicate: copies arrive within seconds of the original. */
const DUP_SCAN = 16;
/** Vessels looked at per `page` call without an index. */
const PAGE_BUDGET = 100_000;
/** Vessels forgotten per `expire` call at most (≈ 8 µs each with the locate hop): a mass expiry spreads over ticks instead of one long stall. */
const EXPIRE_BATCH = 2_000;

/** A fix waiting for confirmation after a jump. */
interface Candidate {
  readonly r: PositionReport;
  readonly second: number;
}

/** Mutable per-vessel record: one class so the hot path sees one shape. */
class Vessel {
  positioned = false;
  lat = 0;
  lon = 0;
  sogKn: number | undefined = undefined;
  cogDeg: number | undefined = undefined;
  headingDeg: number | undefined = undefined;
  rotDegMin: number | undefined = undefined;
  navStatus: number | undefined = undefined;
  atMs = -Infinity;
  receivedAtMs = 0;
  source: PositionSource = 'ais';
  lastAisMs: number | undefined = undefined;
  lastBeidouMs: number | undefined = undefined;
  ais: AisStaticData | undefined = undefined;
  moved = 0;
  olderKept = 0;
  duplicates = 0;
  jumpsRejected = 0;
  jumpsAccepted = 0;
  pending: Candidate[] = [];
  seq = 0;
  /** Creation order: the `page` cursor. */
  ord = 0;
  /** Receipt time of the latest report that reached this vessel (any outcome). */
  heardAtMs = -Infinity;
  /** Neighbours in its heard list (least recently heard first). */
  hPrev: Vessel | undefined = undefined;
  hNext: Vessel | undefined = undefined;
  /** Neighbours in the change list (ordered by seq). */
  prev: Vessel | undefined = undefined;
  next: Vessel | undefined = undefined;
  snapshot: VesselState | undefined = undefined;

  constructor(
    readonly vesselId: VesselId,
    readonly mmsi: Mmsi | undefined,
    readonly beidouCard: BeidouCard | undefined,
    readonly file: VesselFile | undefined,
    readonly track: TrackRing,
  ) {}
}

/**
 * Vessels least recently heard first; a report moves its vessel to the end. O(1) per step. The
 * change list's links are the same moves on other fields, written out again on purpose: one list
 * class over keyed fields (v[prev]) made applyPosition 2.5× slower (600k fixes: 145 → 370 ms).
 */
class HeardList {
  head: Vessel | undefined = undefined;
  tail: Vessel | undefined = undefined;
  size = 0;

  /** Moves (or adds) v to the end. */
  heard(v: Vessel): void {
    if (this.tail === v) return;
    this.remove(v);
    v.hPrev = this.tail;
    v.hNext = undefined;
    if (this.tail !== undefined) this.tail.hNext = v;
    else this.head = v;
    this.tail = v;
    this.size++;
  }

  /** Takes v out; nothing when it is not in the list. */
  remove(v: Vessel): void {
    if (v.hPrev !== undefined) v.hPrev.hNext = v.hNext;
    else if (this.head === v) this.head = v.hNext;
    else return;
    if (v.hNext !== undefined) v.hNext.hPrev = v.hPrev;
    else this.tail = v.hPrev;
    v.hPrev = undefined;
    v.hNext = undefined;
    this.size--;
  }
}

/**
 * The live picture: one state per vessel, fed with position reports from AIS and BeiDou and with
 * AIS static data. Identity follows the registry: an MMSI and a BeiDou card bound to one hull
 * feed one vessel with one track; an unknown MMSI is the vessel `{mmsi}`, an unknown card `bd{card}`.
 *
 * Per report, in order: validity (finite, in range, not from the future), duplicate (a copy of a
 * fix in the recent track or awaiting confirmation), then plausibility against the last accepted
 * fix (implied speed ≤ maxJumpKn after the tolerance). A plausible newer fix moves the vessel; a
 * plausible older one only joins the track.
 *
 * Jump recovery: a jump is rejected and held as a candidate; the next newer fixes that are
 * plausible from the candidate (and not copies of it) confirm it; at `jumpConfirmations` the
 * vessel moves there and the candidates join the track. Any fix accepted in between clears the
 * candidates, so one bad fix is rejected once and a vessel that really is elsewhere (a bad first
 * fix, a wrong previous one) is back after one more report. Pure and synchronous; no clock.
 *
 * Room: a vessel not heard for `forgetAfterMs` (receipt time, judged by `expire(nowMs)`) leaves the
 * picture; `onForget` tells the locate hop so grid, fleet and neighbour entries go with it (its
 * stored track stays). Unregistered vessels are bounded by `maxVessels`; when full, a new one
 * forgets the unregistered vessel heard least recently. Eviction, not refusal: a flood of junk
 * identities then cycles through its own entries while vessels that keep reporting stay, and an
 * evicted real vessel is back with its next report, whereas refusing would hide every new real
 * vessel until the junk aged out. Registry hulls are never evicted or refused.
 */
export class LivePicture {
  readonly counters: LivePictureCounters = {
    moved: 0,
    olderKept: 0,
    duplicates: 0,
    jumpsRejected: 0,
    jumpsAccepted: 0,
    rejected: 0,
    staticsMerged: 0,
    aged: 0,
    evicted: 0,
  };
  private readonly opts: Required<LivePictureOptions>;
  private readonly maxJumpMs: number;
  private readonly byMmsi = new Map<number, Vessel>();
  private readonly byCard = new Map<string, Vessel>();
  private readonly byId = new Map<string, Vessel>();
  private positioned = 0;
  private seq = 0;
  private ords = 0;
  /** Vessels in creation order (`ord` ascending); a forgotten one leaves a hole until compaction. */
  private order: (Vessel | undefined)[] = [];
  private orderOrd: number[] = [];
  private holes = 0;
  private readonly heardRegistered = new HeardList();
  private readonly heardUnregistered = new HeardList();
  private lastEvictedAtMs: number | undefined = undefined;
  /** Receipt time of the report being applied (what an eviction it causes is dated). */
  private reportAtMs = 0;
  /** Told of each vessel that leaves the picture, after it left. */
  onForget: ((vesselId: VesselId, why: ForgetReason) => void) | undefined = undefined;
  /**
   * Told of every fix that joins a vessel's track (moved it, older and kept, or a confirmed jump
   * candidate), after the picture changed: the store records exactly the track the picture keeps,
   * and the locate hop sees the vessel's new state. `moved` is false for a fix that only joined the track.
   */
  onTrackPoint: ((vesselId: VesselId, r: PositionReport, moved: boolean) => void) | undefined = undefined;
  /** Change list ends: oldest change first. */
  private head: Vessel | undefined = undefined;
  private tail: Vessel | undefined = undefined;

  constructor(
    private readonly registry: VesselRegistry,
    options: LivePictureOptions = {},
  ) {
    const o = { ...DEFAULTS };
    for (const [k, v] of Object.entries(options) as [keyof LivePictureOptions, number | undefined][]) if (v !== undefined) o[k] = v;
    if (!(o.jumpConfirmations >= 2) || !Number.isInteger(o.jumpConfirmations)) throw new Error('jumpConfirmations must be an integer ≥ 2');
    if (!(o.maxJumpKn > 0)) throw new Error('maxJumpKn must be > 0');
    this.opts = o;
    this.maxJumpMs = o.maxJumpKn * KN_TO_MS;
  }

  /** Vessels with a position. */
  get size(): number {
    return this.positioned;
  }

  /** The newest change sequence: `changedSince(picture.cursor)` later returns what changed after now. */
  get cursor(): number {
    return this.seq;
  }

  applyPosition(r: PositionReport): ApplyOutcome {
    const { lat, lon, atMs } = r;
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180) || !Number.isFinite(atMs)) {
      this.counters.rejected++;
      return reject('track.invalid', `${lat},${lon} at ${atMs}`);
    }
    if (atMs - r.receivedAtMs > this.opts.maxFutureMs) {
      this.counters.rejected++;
      return reject('track.future_time', `fix ${atMs - r.receivedAtMs} ms after its receipt`);
    }
    this.reportAtMs = r.receivedAtMs;
    const v = this.vesselOf(r);
    if (v === undefined) {
      this.counters.rejected++;
      return reject('track.vessel_limit', `${this.heardUnregistered.size} unregistered vessels`);
    }
    this.heardFrom(v, r.receivedAtMs);
    const second = r.utcSecond ?? -1;
    if (!v.positioned) {
      this.accept(v, r, second);
      return 'moved';
    }
    if (this.isDuplicate(v, r, second)) {
      v.duplicates++;
      this.counters.duplicates++;
      return 'duplicate';
    }
    const newer = atMs >= v.atMs;
    if (!this.plausible(v.lat, v.lon, v.atMs, lat, lon, atMs)) return newer ? this.jump(v, r, second) : this.rejectJump(v, r, 'older fix');
    if (newer) {
      if (v.pending.length > 0) v.pending.length = 0;
      this.accept(v, r, second);
      return 'moved';
    }
    v.track.insert(atMs, lat, lon, r.sogKn, r.cogDeg, r.source, second);
    this.heard(v, r);
    v.olderKept++;
    this.counters.olderKept++;
    v.snapshot = undefined;
    this.onTrackPoint?.(v.vesselId, r, false);
    return 'kept-older';
  }

  /**
   * Merges AIS static data into the vessel of its MMSI (types 5, 19 and 24 parts A and B each
   * bring some fields; a field a message does not carry keeps its value). Creates the vessel
   * (without a position) when it is new.
   */
  applyStatic(s: VesselStatic): 'merged' | 'unchanged' | Rejection {
    this.reportAtMs = s.atMs;
    const v = this.vesselOfMmsi(s.mmsi);
    if (v === undefined) {
      this.counters.rejected++;
      return reject('track.vessel_limit', `${this.heardUnregistered.size} unregistered vessels`);
    }
    // Static data carries no receipt time of its own: its time is the tag block's or the receipt's.
    this.heardFrom(v, s.atMs);
    const was = v.ais;
    const merged: AisStaticData = {
      name: s.name ?? was?.name,
      callsign: s.callsign ?? was?.callsign,
      imo: s.imo ?? was?.imo,
      shipType: s.shipType ?? was?.shipType,
      toBowM: s.toBowM ?? was?.toBowM,
      toSternM: s.toSternM ?? was?.toSternM,
      toPortM: s.toPortM ?? was?.toPortM,
      toStarboardM: s.toStarboardM ?? was?.toStarboardM,
      draughtM: s.draughtM ?? was?.draughtM,
      destination: s.destination ?? was?.destination,
      atMs: Math.max(s.atMs, was?.atMs ?? -Infinity),
    };
    if (was !== undefined && sameStatic(was, merged)) return 'unchanged';
    v.ais = merged;
    this.counters.staticsMerged++;
    this.touch(v);
    return 'merged';
  }

  get(vesselId: VesselId | string): VesselState | undefined {
    const v = this.byId.get(vesselId);
    return v === undefined || !v.positioned ? undefined : this.stateOf(v);
  }

  all(): VesselState[] {
    const out: VesselState[] = [];
    for (const v of this.byId.values()) if (v.positioned) out.push(this.stateOf(v));
    return out;
  }

  /** The bounded recent track, oldest first, optionally limited to fromMs ≤ atMs ≤ toMs. */
  track(vesselId: VesselId | string, fromMs?: number, toMs?: number): TrackPoint[] {
    return this.byId.get(vesselId)?.track.points(fromMs, toMs) ?? [];
  }

  /**
   * Positioned vessels whose state changed after `cursor` (a position moved or static data
   * merged), oldest change first; each appears once however often it changed. O(changes).
   */
  changedSince(cursor: number): Changes {
    const out: VesselState[] = [];
    for (let v = this.tail; v !== undefined && v.seq > cursor; v = v.prev) if (v.positioned) out.push(this.stateOf(v));
    out.reverse();
    return { cursor: this.seq, vessels: out };
  }

  private vesselOf(r: PositionReport): Vessel | undefined {
    if (r.mmsi !== undefined) return this.vesselOfMmsi(r.mmsi);
    if (r.beidouCard !== undefined) return this.vesselOfCard(r.beidouCard);
    return undefined;
  }

  private vesselOfMmsi(mmsi: Mmsi): Vessel | undefined {
    const known = this.byMmsi.get(mmsi);
    if (known !== undefined) return known;
    const file = this.registry.byMmsi(mmsi);
    const v = file === undefined ? this.create(vesselIdOfMmsi(mmsi), mmsi, undefined, undefined) : this.hull(file);
    if (v !== undefined) this.byMmsi.set(mmsi, v);
    return v;
  }

  private vesselOfCard(card: BeidouCard): Vessel | undefined {
    const known = this.byCard.get(card);
    if (known !== undefined) return known;
    const file = this.registry.byCard(card);
    const v = file === undefined ? this.create(vesselIdOfCard(card), undefined, card, undefined) : this.hull(file);
    if (v !== undefined) this.byCard.set(card, v);
    return v;
  }

  /** The one vessel of a registry hull, whichever of its identities reported first. */
  private hull(file: VesselFile): Vessel | undefined {
    return this.byId.get(file.vesselId) ?? this.create(file.vesselId, file.mmsi, file.beidouCard, file);
  }

  private create(id: VesselId, mmsi: Mmsi | undefined, card: BeidouCard | undefined, file: VesselFile | undefined): Vessel | undefined {
    if (file === undefined && this.heardUnregistered.size >= this.opts.maxVessels) {
      const lru = this.heardUnregistered.head;
      if (lru === undefined) return undefined; // a limit of 0
      this.lastEvictedAtMs = this.reportAtMs;
      this.forget(lru, 'evicted');
    }
    const v = new Vessel(id, mmsi, card, file, new TrackRing(this.opts.trackPointsPerVessel));
    v.ord = ++this.ords;
    this.order.push(v);
    this.orderOrd.push(v.ord);
    this.byId.set(id, v);
    return v;
  }

  /** A report reached v at `atMs` (receipt): v becomes the most recently heard of its list. */
  private heardFrom(v: Vessel, atMs: number): void {
    const list = v.file === undefined ? this.heardUnregistered : this.heardRegistered;
    // Kept non-decreasing along the list, so `expire` can stop at the first vessel still fresh.
    const floor = list.tail?.heardAtMs ?? -Infinity;
    v.heardAtMs = Number.isFinite(atMs) && atMs > floor ? atMs : floor;
    list.heard(v);
  }

  /**
   * Forgets the vessels not heard since `nowMs - forgetAfterMs`, least recently heard first, at
   * most `EXPIRE_BATCH` per call (call about once a second). Returns how many left.
   */
  expire(nowMs: number): number {
    const cutoff = nowMs - this.opts.forgetAfterMs;
    let n = 0;
    for (const list of [this.heardRegistered, this.heardUnregistered]) {
      for (let v = list.head; v !== undefined && v.heardAtMs < cutoff && n < EXPIRE_BATCH; v = list.head) {
        this.forget(v, 'aged');
        n++;
      }
    }
    return n;
  }

  /** Takes a vessel out of every map and list; its identities make a new vessel if heard again. */
  private forget(v: Vessel, why: ForgetReason): void {
    this.byId.delete(v.vesselId);
    if (v.mmsi !== undefined && this.byMmsi.get(v.mmsi) === v) this.byMmsi.delete(v.mmsi);
    if (v.beidouCard !== undefined && this.byCard.get(v.beidouCard) === v) this.byCard.delete(v.beidouCard);
    (v.file === undefined ? this.heardUnregistered : this.heardRegistered).remove(v);
    this.unlinkChange(v);
    if (v.positioned) this.positioned--;
    this.removeFromOrder(v);
    if (why === 'aged') this.counters.aged++;
    else this.counters.evicted++;
    this.onForget?.(v.vesselId, why);
  }

  private removeFromOrder(v: Vessel): void {
    const i = lowerBound(this.orderOrd, v.ord);
    if (this.order[i] !== v) return;
    this.order[i] = undefined;
    this.holes++;
    // Compaction keeps the arrays within twice the vessels held; amortised O(1) per forget.
    if (this.holes > 1024 && this.holes * 2 > this.order.length) {
      const order: Vessel[] = [];
      for (const x of this.order) if (x !== undefined) order.push(x);
      this.order = order;
      this.orderOrd = order.map((x) => x.ord);
      this.holes = 0;
    }
  }

  /** How full the picture is. */
  room(): LivePictureRoom {
    return {
      live: this.positioned,
      held: this.byId.size,
      unregistered: this.heardUnregistered.size,
      limit: this.opts.maxVessels,
      evicted: this.counters.evicted,
      aged: this.counters.aged,
      lastEvictedAtMs: this.lastEvictedAtMs,
    };
  }

  /**
   * Positioned vessels in creation order, one page at a time. The cursor is a creation number, so
   * it stays valid under inserts (new vessels come after every cursor) and removals (a forgotten
   * vessel is skipped); each vessel held throughout a walk appears exactly once.
   */
  page(q: VesselPageQuery): VesselPage {
    const after = q.after ?? 0;
    const out: VesselState[] = [];
    if (q.among !== undefined) {
      const hits: Vessel[] = [];
      for (const id of q.among) {
        const v = this.byId.get(id);
        if (v !== undefined && v.positioned && v.ord > after && (q.where === undefined || q.where(v.vesselId, v.lat, v.lon))) hits.push(v);
      }
      hits.sort((a, b) => a.ord - b.ord);
      for (let i = 0; i < hits.length && i < q.limit; i++) out.push(this.stateOf(hits[i]!));
      return { vessels: out, next: hits.length > q.limit ? hits[q.limit - 1]!.ord : undefined };
    }
    const budget = q.budget ?? PAGE_BUDGET;
    const order = this.order;
    let i = lowerBound(this.orderOrd, after + 1);
    // Holes and vessels without a position cost a check each and compaction bounds the holes to
    // half the array, so only the vessels the filter looks at count against the budget.
    for (let looked = 0; i < order.length && out.length < q.limit && looked < budget; i++) {
      const v = order[i];
      if (v === undefined || !v.positioned) continue;
      looked++;
      if (q.where === undefined || q.where(v.vesselId, v.lat, v.lon)) out.push(this.stateOf(v));
    }
    return { vessels: out, next: i < order.length ? this.orderOrd[i - 1] : undefined };
  }

  /** Copies of one fix: several receivers, QoS 1 redelivery. Looks at recent track points and candidates. */
  private isDuplicate(v: Vessel, r: PositionReport, second: number): boolean {
    const { dupWindowMs, dupSecondWindowMs } = this.opts;
    const reach = Math.max(dupWindowMs, dupSecondWindowMs);
    const track = v.track;
    const stop = Math.max(0, track.length - DUP_SCAN);
    for (let k = track.length - 1; k >= stop; k--) {
      const t = track.timeAt(k);
      if (t > r.atMs + reach) continue;
      if (t < r.atMs - reach) break;
      if (track.sameFix(k, r.atMs, r.lat, r.lon, r.source, second, dupWindowMs, dupSecondWindowMs)) return true;
    }
    for (const c of v.pending) if (sameFix(c, r, second, dupWindowMs, dupSecondWindowMs)) return true;
    return false;
  }

  /** Implied speed between two fixes ≤ maxJumpKn, after forgiving `jumpToleranceM`. */
  private plausible(lat1: number, lon1: number, t1: number, lat2: number, lon2: number, t2: number): boolean {
    const allowedM = this.maxJumpMs * (Math.abs(t2 - t1) / 1000) + this.opts.jumpToleranceM;
    // R·√(Δφ² + Δλ²) bounds the great-circle distance from above (cos φ ≤ 1): most fixes pass here without trigonometry.
    const dLat = lat2 - lat1;
    let dLon = Math.abs(lon2 - lon1);
    if (dLon > 180) dLon = 360 - dLon;
    const boundM = EARTH_RADIUS_M * RAD * Math.sqrt(dLat * dLat + dLon * dLon);
    return boundM <= allowedM || distanceM(lat1, lon1, lat2, lon2) <= allowedM;
  }

  /** A newer fix that jumps: held as a candidate, accepted once enough consecutive fixes agree. */
  private jump(v: Vessel, r: PositionReport, second: number): ApplyOutcome {
    const pending = v.pending;
    const last = pending[pending.length - 1];
    if (last !== undefined && r.atMs > last.r.atMs && this.plausible(last.r.lat, last.r.lon, last.r.atMs, r.lat, r.lon, r.atMs)) {
      pending.push({ r, second });
    } else {
      pending.length = 0;
      pending.push({ r, second });
    }
    if (pending.length < this.opts.jumpConfirmations) return this.rejectJump(v, r, `candidate ${pending.length}/${this.opts.jumpConfirmations}`);
    for (let i = 0; i < pending.length - 1; i++) {
      const c = pending[i]!.r;
      v.track.insert(c.atMs, c.lat, c.lon, c.sogKn, c.cogDeg, c.source, pending[i]!.second);
      this.heard(v, c);
      this.onTrackPoint?.(v.vesselId, c, false);
    }
    pending.length = 0;
    v.jumpsAccepted++;
    this.counters.jumpsAccepted++;
    this.accept(v, r, second);
    return 'moved';
  }

  private rejectJump(v: Vessel, r: PositionReport, why: string): Rejection {
    v.jumpsRejected++;
    this.counters.jumpsRejected++;
    v.snapshot = undefined;
    const dtS = Math.abs(r.atMs - v.atMs) / 1000;
    const km = distanceM(v.lat, v.lon, r.lat, r.lon) / 1000;
    return reject('track.implausible_jump', `${v.vesselId}: ${km.toFixed(2)} km in ${dtS.toFixed(0)} s (${why})`);
  }

  private accept(v: Vessel, r: PositionReport, second: number): void {
    if (!v.positioned) {
      v.positioned = true;
      this.positioned++;
    }
    v.lat = r.lat;
    v.lon = r.lon;
    v.sogKn = r.sogKn;
    v.cogDeg = r.cogDeg;
    v.headingDeg = r.headingDeg;
    v.rotDegMin = r.rotDegMin;
    v.navStatus = r.navStatus;
    v.atMs = r.atMs;
    v.receivedAtMs = r.receivedAtMs;
    v.source = r.source;
    v.track.insert(r.atMs, r.lat, r.lon, r.sogKn, r.cogDeg, r.source, second);
    this.heard(v, r);
    v.moved++;
    this.counters.moved++;
    this.touch(v);
    this.onTrackPoint?.(v.vesselId, r, true);
  }

  /** Last fix time per source, over every accepted fix (older ones included). */
  private heard(v: Vessel, r: PositionReport): void {
    if (r.source === 'ais') {
      if (v.lastAisMs === undefined || r.atMs > v.lastAisMs) v.lastAisMs = r.atMs;
    } else if (v.lastBeidouMs === undefined || r.atMs > v.lastBeidouMs) {
      v.lastBeidouMs = r.atMs;
    }
  }

  /** Marks a change: new seq, moved to the end of the change list. */
  private touch(v: Vessel): void {
    v.seq = ++this.seq;
    v.snapshot = undefined;
    if (this.tail === v) return;
    this.unlinkChange(v);
    v.prev = this.tail;
    v.next = undefined;
    if (this.tail !== undefined) this.tail.next = v;
    this.tail = v;
    if (this.head === undefined) this.head = v;
  }

  /** Takes v out of the change list (nothing when it is not in it). */
  private unlinkChange(v: Vessel): void {
    if (v.prev !== undefined) v.prev.next = v.next;
    else if (this.head === v) this.head = v.next;
    else return;
    if (v.next !== undefined) v.next.prev = v.prev;
    else this.tail = v.prev;
    v.prev = undefined;
    v.next = undefined;
  }

  /** An immutable view, built once per change and shared by every reader until the next. */
  private stateOf(v: Vessel): VesselState {
    if (v.snapshot !== undefined) return v.snapshot;
    const f = v.file;
    const s: VesselState = {
      vesselId: v.vesselId,
      mmsi: v.mmsi,
      beidouCard: v.beidouCard,
      fleetId: f?.fleetId,
      name: f?.name ?? v.ais?.name,
      shipType: f?.shipType ?? v.ais?.shipType,
      lat: v.lat,
      lon: v.lon,
      sogKn: v.sogKn,
      cogDeg: v.cogDeg,
      headingDeg: v.headingDeg,
      navStatus: v.navStatus,
      atMs: v.atMs,
      source: v.source,
      lastAisMs: v.lastAisMs,
      lastBeidouMs: v.lastBeidouMs,
      rotDegMin: v.rotDegMin,
      receivedAtMs: v.receivedAtMs,
      registered: f !== undefined,
      registryNo: f?.registryNo,
      ais: v.ais,
      counts: { moved: v.moved, olderKept: v.olderKept, duplicates: v.duplicates, jumpsRejected: v.jumpsRejected, jumpsAccepted: v.jumpsAccepted },
      seq: v.seq,
    };
    v.snapshot = s;
    return s;
  }
}

/** The first index whose value is ≥ x in an ascending array. */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameFix(c: Candidate, r: PositionReport, second: number, windowMs: number, secondWindowMs: number): boolean {
  if (c.r.lat !== r.lat || c.r.lon !== r.lon || c.r.source !== r.source) return false;
  const dt = Math.abs(c.r.atMs - r.atMs);
  return c.second >= 0 && second >= 0 ? c.second === second && dt <= secondWindowMs : dt <= windowMs;
}

function sameStatic(a: AisStaticData, b: AisStaticData): boolean {
  return (
    a.name === b.name &&
    a.callsign === b.callsign &&
    a.imo === b.imo &&
    a.shipType === b.shipType &&
    a.toBowM === b.toBowM &&
    a.toSternM === b.toSternM &&
    a.toPortM === b.toPortM &&
    a.toStarboardM === b.toStarboardM &&
    a.draughtM === b.draughtM &&
    a.destination === b.destination
  );
}
