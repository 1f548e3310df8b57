/**
 * The collision rule (issue 12 §2): each fix that moves a vessel is judged against its neighbours
 * from the H3 neighbour index — never against all vessels — by CPA/TCPA (alerts/cpa.ts), and a pair
 * that meets a level is signalled under one key per pair whichever vessel reported.
 *
 * What it decides
 * - Levels: `danger` when CPA < danger.cpaNm and 0 < TCPA ≤ danger.tcpaMin, else `warning` likewise
 *   (policy defaults: 0.1 nm / 5 min and 0.5 nm / 10 min), from the first override that matches
 *   either vessel (a grid it is in, its AIS ship type), else the policy's.
 * - Moored or at anchor (AIS navigational status 5, 1; or no status and stopped for 10 min) on either side, or both in one fleet (编组
 *   mates, pair trawlers working together, closer than any warning by trade): `danger` only.
 * - Two vessels whose SOG both say stopped need no CPA (counted). A pair with a vessel whose motion
 *   is not available is not evaluated and keeps whatever it had (counted, never guessed).
 * - State is kept only for pairs it has signalled: a pair that meets a level is signalled when it
 *   first does, when its level changes, and when CPA, TCPA, range, meeting point or confidence
 *   moved beyond the lifecycle's tolerance since its last signal (a smaller move the lifecycle
 *   would coalesce anyway; it rides along with the next); once it no longer meets a level —
 *   opening, both stopped, a vessel gone — one clear (severity undefined) ends it.
 * - A vessel's record is its last moved fix, taken from the fix (every moved fix passes here);
 *   its statics (fleet, ship type) are read from the live picture again after 5 min of fix time,
 *   and before a signal about a vessel not in the batch (gone, or changed by other means).
 *   A signalled pair neither of whose vessels has moved for `forgetPairAfterMs` of fix time is
 *   cleared and forgotten, so the state stays as small as the open alerts.
 *
 * Screen — why no pair that can meet a level is missed
 * ----------------------------------------------------
 * Let B be no faster than A (|vB| ≤ sA) and C, T the largest CPA and TCPA of any level. If they
 * come within C at some t in (0, T], B's place now is within C of A(t) − vB·t, so within C + sA·t
 * of A(t) = A + vA·t; and each of those discs lies inside the last one (their centres are sA·(T − t)
 * apart, their radii differ by as much). So B is within C + sA·T of A's dead-reckoned place at T.
 * B sits in the index at its last fix, up to sB·age ≤ sA·stale behind. A moving vessel A therefore
 * looks at the circle
 *
 *     centre A + vA·T,   radius C + sA·(T + staleAllowance)
 *
 * (`NeighbourIndex.forEachNearPoint`, ≈ 0.3 of the area of the circle about A that the same bound
 * needs without the direction), which holds every B no faster than A with a fix up to
 * `staleAllowanceMin` old; a faster B finds A from its own fixes. A stopped vessel looks at no new
 * neighbours (a moving one finds it), and every vessel re-evaluates the pairs it has open, so an
 * open pair is cleared however far apart it drifts. The reach T·sA + radius is capped at
 * `maxScreenNm` (12 nm, the radius the neighbour index is tested to). So a pair is evaluated at
 * the faster vessel's reporting rate at least (BeiDou: 3 min).
 *
 * Cost — what a fix and a batch pay
 * - Trigonometry once per fix (`motionRow`, into the record's row of one Float64Array: no
 *   allocation, no live snapshot, and one or two cache lines per vessel where the same ten
 *   numbers as object fields were ten boxed heap numbers); a pair is a straight-line
 *   pre-screen in space (a necessary condition, `mayMeet`, before the open-pair look-up) and, for
 *   the few that pass, the exact CPA (`approach`): dot products and square roots; the meeting
 *   point becomes an object only in a signal.
 * - Within one batch each vessel is evaluated once and each pair once: of two vessels of the
 *   batch the faster one evaluates the pair (its screen holds the other if they can meet).
 * - A small batch (a fix or a few hundred): one index query per vessel, neighbours by visitor (no
 *   list, no sort), pre-screened on the numbers the rule keeps in its lane of the index next to
 *   each vessel's position (`mirror`, `onNeighbour`), records found by index slot (not by map)
 *   only for the pairs that may meet. Such a query is memory-bound: on the collision bench's sea
 *   it costs about 1.5 µs when its cells and records are in cache and 12–20 µs when not (a feed's
 *   next vessel is anywhere), the index's cells about half of that; the lane took the
 *   neighbours' records (3–4 cache misses each, ≈ 17 a query) off it.
 * - A large batch (≥ 512 fixes and ≥ 1/8 of the indexed vessels, e.g. every vessel at once): the
 *   index's H3 disks hold ≈ 8× the screen's area, so instead every indexed vessel goes once into a
 *   lat/lon grid (`evaluateBatch`, geo/lat-lon-grid.ts) whose runs are read in memory order, from
 *   one row of numbers per vessel (`kin`: position, velocity, fix time, batch role), the
 *   pre-screen included; stopped vessels in a grid of
 *   their own, looked for only near A's track. On the collision bench's 100,000 vessels this
 *   scans 1.9 M candidates instead of 12.4 M slots (0.76 M pre-screens, 0.13 M CPAs, 70,000 pairs
 *   open: 43,000 between vessels under way, 27,000 between one under way and one stopped in a
 *   harbour, warnings as the policy says, since the bench's harbour boats report SOG 0 but no
 *   moored status). The same circle and the same judgement as the per-fix path: the rule's test
 *   runs both on a 1,000-vessel sea and checks they signal alike. Instruction count (callgrind) of
 *   one full evaluation of a 25,684-vessel cut of that sea: 331 M before this layout, 262 M after.
 * - Signals only on a change (above): at a steady sea, about a third of the open pairs a 10 s
 *   round instead of all of them; the signal is built once per pair per batch.
 */
import type { AlertSeverity, FleetId, GridMembership, VesselId, VesselState } from '../model/index.js';
import { EARTH_RADIUS_M, LatLonGrid, lonReachDeg, M_PER_NM, RAD, type NearVisitor, type NeighbourIndex } from '../geo/index.js';
import { Approach, approachRows, isStationary, M_AT, M_SPEED, MOTION_ROW, motionKnown, motionRow, STATIONARY_SOG_KN, type MotionFix } from './cpa.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy, type CollisionLevel, type LifecycleTiming } from './policy.js';
import type { FixBatch, Rule, Signal } from './rules.js';

export type CollisionLevels = AlertPolicy['collision'];

/**
 * Levels for the pairs it matches: a vessel of the pair is in grid `gridId` (a static, control or
 * patrol grid, a zone in force, or a 渔区 zone or sub-zone) and/or has one of `shipTypes` (AIS ship
 * type, e.g. 80–89 tankers). Both given: one vessel must match both.
 */
export interface CollisionOverride {
  readonly gridId?: string;
  readonly shipTypes?: readonly number[];
  readonly levels: CollisionLevels;
}

export interface CollisionRuleOptions {
  /** Default: DEFAULT_ALERT_POLICY.collision. */
  readonly levels?: CollisionLevels;
  /** Checked in order; the first that matches either vessel gives the pair's levels. */
  readonly overrides?: readonly CollisionOverride[];
  /** Age of the other vessel's fix the screen still covers, minutes. Default 3 (a BeiDou interval). */
  readonly staleAllowanceMin?: number;
  /** Cap of the screening radius, nm. Default 12. */
  readonly maxScreenNm?: number;
  /** A signalled pair unseen this long (fix time) is cleared and forgotten, ms. Default 30 min. */
  readonly forgetPairAfterMs?: number;
  /**
   * Smallest batch screened by one grid of every indexed vessel instead of one index query per
   * vessel (and only when it holds at least an eighth of them). Default 512; Infinity: never.
   */
  readonly batchGridMin?: number;
  /**
   * Tolerances of the lifecycle the signals go to: an open pair at an unchanged level is signalled
   * again only when CPA, TCPA, range, meeting point or confidence moved beyond them (the lifecycle
   * would coalesce a smaller move anyway). Default: DEFAULT_ALERT_POLICY's lifecycle for collisions.
   */
  readonly tolerance?: Pick<LifecycleTiming, 'detailTolerance' | 'detailRelTolerance'>;
}

/** The live picture as the rule reads it (geo's LivePicture). */
export interface VesselStates {
  get(vesselId: VesselId): VesselState | undefined;
}

/** The located picture as the rule reads it (geo's SeaPicture): neighbours and grid membership. */
export interface LocatedVessels {
  readonly neighbours: Pick<NeighbourIndex, 'forEachNear' | 'forEachNearPoint' | 'forEachVessel' | 'size' | 'reserve' | 'setCarried'>;
  membership(vesselId: VesselId): GridMembership | undefined;
}

export interface CollisionCounters {
  /** Pairs whose CPA/TCPA was computed. */
  pairsEvaluated: number;
  /** Pairs not evaluated: a vessel's COG/SOG not available (and its SOG does not say stopped). */
  pairsSkippedMotion: number;
  /** Pairs of two stopped vessels: no CPA needed. */
  pairsStationary: number;
  /** Neighbours too far to meet a level even at both vessels' speeds: no CPA needed. */
  pairsOutOfReach: number;
  /** Signals with a severity: a pair meeting a level, when its level or a figure moved (see `pairsUnchanged`). */
  signalsRaised: number;
  /** Evaluations of an open pair at the same level whose figures moved within the lifecycle's tolerance: no signal. */
  pairsUnchanged: number;
  signalsCleared: number;
  /** Signalled pairs cleared because neither vessel moved for `forgetPairAfterMs`. */
  pairsForgotten: number;
}

/** Why a pair's signal is a clear. */
export type ClearReason = 'below-levels' | 'both-stopped' | 'vessel-gone' | 'not-seen';

/** AIS navigational status 1 at anchor or 5 moored (ITU-R M.1371, message 1 table). */
function isMoored(navStatus: number): boolean {
  return navStatus === 1 || navStatus === 5;
}

/**
 * Stopped this long, a vessel that sends no status (class B AIS, BeiDou boxes: most of the fleet)
 * counts as moored: a boat at its berth row is passed within 0.5 nm by every boat using the
 * harbour, and the simulated hour raised 15,000 warnings an hour for exactly that (helper E's
 * count, 2026-12-03). A vessel that stopped a moment ago may still be drifting into a fairway: it
 * is judged as any other until then.
 */
export const STOPPED_AS_MOORED_MS = 10 * 60_000;
/** Motion unknown: the pairs it would have had are counted within the screen of a vessel at this speed. */
const UNKNOWN_SPEED_KN = 10;
/** Side of the batch grid's cells, km: about half a typical screen radius (2.5 nm at 9 kn). */
const BATCH_CELL_KM = 2;
/** Room added to the stopped-vessel capsule (`evaluateBatch`) for a track drawn straight in lat/lon, nm. */
const CAPSULE_MARGIN_NM = 0.05;
/** A record's statics (fleet, ship type) are read from the live picture again after this much fix time, ms. */
const STATICS_MAX_AGE_MS = 5 * 60_000;
/** How often (fix time) signalled pairs are checked for being forgotten, ms. */
const FORGET_CHECK_MS = 60_000;

/** A moved fix as the rule reads it (a PositionReport or a VesselState). */
type FixData = MotionFix & { readonly navStatus?: number | undefined };

/**
 * Every record's numbers in one Float64Array, a row of ROW per record: its Motion (cpa.ts's
 * MOTION_ROW numbers, first, so `mayMeet` and `approachRows` read the row itself), then its fix
 * and screen. V8 boxes each double field of an object: as fields these twenty numbers were twenty
 * heap numbers, up to a cache miss each; a row is two or three lines. Rows of forgotten records
 * are reused; the array grows by doubling (read `kin` afresh after making a record).
 */
class VesselRows {
  kin = new Float64Array(ROW * 1024);
  private readonly free: number[] = [];
  private used = 0;

  /** A row's offset. */
  take(): number {
    const o = this.free.pop();
    if (o !== undefined) return o;
    const at = this.used;
    this.used += ROW;
    if (this.used > this.kin.length) {
      const grown = new Float64Array(2 * this.kin.length);
      grown.set(this.kin);
      this.kin = grown;
    }
    return at;
  }

  give(o: number): void {
    this.free.push(o);
  }
}

// A record's row: its Motion (0 … MOTION_ROW − 1, fix time M_AT), then these.
const R_SOG = MOTION_ROW;
const R_SCREEN = MOTION_ROW + 1;
const R_LAT = MOTION_ROW + 2;
const R_LON = MOTION_ROW + 3;
const R_COG = MOTION_ROW + 4;
const R_STOPPED = MOTION_ROW + 5;
const R_AHEAD_LAT = MOTION_ROW + 6;
const R_AHEAD_LON = MOTION_ROW + 7;
const R_AHEAD_X = MOTION_ROW + 8;
const R_AHEAD_Y = MOTION_ROW + 9;
const R_AHEAD_Z = MOTION_ROW + 10;
const R_STATICS_AT = MOTION_ROW + 11;
const ROW = MOTION_ROW + 12;

/**
 * What the rule keeps of each vessel in its lane of the neighbour index (`NeighbourIndex.reserve`),
 * next to the vessel's position in its bucket: the Motion row's first numbers (as `mayMeet` reads
 * them), its batch role (the batch it evaluates pairs in, when its screen is not empty; else −1)
 * and SOG, and flags (C_KNOWN, C_STATIONARY). The per-fix path pre-screens a neighbour there and
 * reads its record only when the pair may meet: most of a screen's vessels cost no look-up.
 */
const C_ROLE = M_AT + 1;
const C_SOG = M_AT + 2;
const C_FLAGS = M_AT + 3;
const CARRY = M_AT + 4;
const C_KNOWN = 1;
const C_STATIONARY = 2;

/**
 * What the rule keeps per vessel: its latest fix and that fix's Motion, its statics, its open
 * pairs, its batch role. Its numbers live in its VesselRows row (accessors below, which V8
 * inlines); the object keeps small integers, flags and references.
 */
class Tracked {
  /** Offset of its row in the rule's VesselRows. */
  readonly row: number;
  /** `motionKnown` and `isStationary` of its latest fix. */
  known = false;
  stationary = false;
  /** Open pairs by partner; NO_PAIRS (shared, never written) while it has none. */
  open: ReadonlyMap<VesselId, OpenPair> = NO_PAIRS;
  /** Batch (onFixes call) this vessel is evaluated in, its place in that batch. */
  batch = -1;
  order = 0;
  /** Batch in which the batch grid has given it its turn (`evaluateBatch`). */
  turn = -1;
  /** The neighbour index slot it was last met under. */
  slot = -1;
  /** Its latest fix's AIS navigational status (-1: none). */
  navStatus = -1;
  /** The live picture's state as last read, for its statics (fleet, ship type). */
  state: VesselState;

  constructor(
    readonly id: VesselId,
    state: VesselState,
    private readonly rows: VesselRows,
  ) {
    this.row = rows.take();
    // A reused row holds its last record's numbers.
    rows.kin.fill(0, this.row, this.row + ROW);
    this.stoppedSinceMs = NaN;
    this.state = state;
    this.staticsAtMs = state.atMs;
    this.setFix(state);
  }

  /** The radius it evaluates in this batch, nm (0: none). */
  get screenNm(): number {
    return this.rows.kin[this.row + R_SCREEN]!;
  }
  set screenNm(v: number) {
    this.rows.kin[this.row + R_SCREEN] = v;
  }
  /** Where its screen is centred: its dead-reckoned place at the TCPA horizon. */
  get aheadLat(): number {
    return this.rows.kin[this.row + R_AHEAD_LAT]!;
  }
  set aheadLat(v: number) {
    this.rows.kin[this.row + R_AHEAD_LAT] = v;
  }
  get aheadLon(): number {
    return this.rows.kin[this.row + R_AHEAD_LON]!;
  }
  set aheadLon(v: number) {
    this.rows.kin[this.row + R_AHEAD_LON] = v;
  }
  /** Its screen's centre as a unit vector (the batch grid's chord test). */
  get aheadX(): number {
    return this.rows.kin[this.row + R_AHEAD_X]!;
  }
  set aheadX(v: number) {
    this.rows.kin[this.row + R_AHEAD_X] = v;
  }
  get aheadY(): number {
    return this.rows.kin[this.row + R_AHEAD_Y]!;
  }
  set aheadY(v: number) {
    this.rows.kin[this.row + R_AHEAD_Y] = v;
  }
  get aheadZ(): number {
    return this.rows.kin[this.row + R_AHEAD_Z]!;
  }
  set aheadZ(v: number) {
    this.rows.kin[this.row + R_AHEAD_Z] = v;
  }
  /** Its latest moved fix, taken from the fix itself (no live snapshot per fix); NaN when the fix has none. */
  get lat(): number {
    return this.rows.kin[this.row + R_LAT]!;
  }
  get lon(): number {
    return this.rows.kin[this.row + R_LON]!;
  }
  get sogKn(): number {
    return this.rows.kin[this.row + R_SOG]!;
  }
  get cogDeg(): number {
    return this.rows.kin[this.row + R_COG]!;
  }
  get atMs(): number {
    return this.rows.kin[this.row + M_AT]!;
  }
  /** Fix time since which it has been stationary without a break (NaN: under way). */
  get stoppedSinceMs(): number {
    return this.rows.kin[this.row + R_STOPPED]!;
  }
  set stoppedSinceMs(v: number) {
    this.rows.kin[this.row + R_STOPPED] = v;
  }
  /** The fix time its statics were read at. */
  get staticsAtMs(): number {
    return this.rows.kin[this.row + R_STATICS_AT]!;
  }
  set staticsAtMs(v: number) {
    this.rows.kin[this.row + R_STATICS_AT] = v;
  }

  setFix(f: FixData): void {
    const k = this.rows.kin;
    const o = this.row;
    k[o + R_LAT] = f.lat;
    k[o + R_LON] = f.lon;
    k[o + R_SOG] = f.sogKn ?? NaN;
    k[o + R_COG] = f.cogDeg ?? NaN;
    this.navStatus = f.navStatus ?? -1;
    // The fix time too (M_AT).
    motionRow(f, k, o);
    this.known = motionKnown(f);
    this.stationary = isStationary(f);
    this.stoppedSinceMs = !this.stationary ? NaN : Number.isNaN(this.stoppedSinceMs) ? f.atMs : Math.min(this.stoppedSinceMs, f.atMs);
  }

  /** Moored or anchored by its status, or stopped for STOPPED_AS_MOORED_MS (a vessel sending no status). */
  get berthed(): boolean {
    return isMoored(this.navStatus) || this.atMs - this.stoppedSinceMs >= STOPPED_AS_MOORED_MS;
  }

  sameFix(f: FixData): boolean {
    return f.atMs === this.atMs && f.lat === this.lat && f.lon === this.lon && sameOrNone(f.sogKn, this.sogKn) && sameOrNone(f.cogDeg, this.cogDeg) && (f.navStatus ?? -1) === this.navStatus;
  }
}

/** A fix's optional figure against the record's (NaN: none). */
function sameOrNone(f: number | undefined, kept: number): boolean {
  return f === undefined ? Number.isNaN(kept) : f === kept;
}

/**
 * A vessel's kinematics as the screen and the pre-screen read them, KIN numbers in a row: unit
 * vector and velocity (its Motion), fix time, and (in a batch grid) its SOG if it evaluates pairs
 * in this batch (screen > 0), else −Infinity. One row is one or two cache lines: a grid's scan
 * reads a row where a column per figure would cost a cache line per figure.
 */
const KIN = 8;
/** Columns 0–5 and K_AT as in a Motion row (cpa.ts): `mayMeet` reads a grid's rows and the records' alike. */
const K_AT = M_AT;
const K_SOG = 7;

/** One batch grid: what the screen and the pre-screen read of each vessel (`kin` rows), and its record, in the grid's order. */
interface BatchGrid {
  readonly grid: LatLonGrid;
  readonly kin: Float64Array;
  /** Its place in the batch. */
  readonly ord: Int32Array;
  /** 1: motion not known (met through `meet`, which counts it). */
  readonly unknown: Uint8Array;
  readonly v: readonly Tracked[];
}

/** A BatchGrid's arrays, and the positions the grid is built from. */
interface GridBuffers {
  lat: Float64Array;
  lon: Float64Array;
  kin: Float64Array;
  ord: Int32Array;
  unknown: Uint8Array;
  v: (Tracked | undefined)[];
}

function gridBuffers(n: number): GridBuffers {
  return { lat: new Float64Array(n), lon: new Float64Array(n), kin: new Float64Array(KIN * n), ord: new Int32Array(n), unknown: new Uint8Array(n), v: new Array<Tracked | undefined>(n).fill(undefined) };
}

/** A record's Motion row (offset `from` of `rows`) into `kin` row `row`: what `mayMeet` reads (the SOG column left alone). */
function kinOf(rows: Float64Array, from: number, kin: Float64Array, row: number): void {
  const o = row * KIN;
  kin[o] = rows[from]!;
  kin[o + 1] = rows[from + 1]!;
  kin[o + 2] = rows[from + 2]!;
  kin[o + 3] = rows[from + 3]!;
  kin[o + 4] = rows[from + 4]!;
  kin[o + 5] = rows[from + 5]!;
  kin[o + K_AT] = rows[from + M_AT]!;
}

interface OpenPair {
  readonly key: string;
  readonly lo: Tracked;
  readonly hi: Tracked;
  lastMs: number;
  /** Batch in which it was last evaluated: a pair is evaluated once per batch. */
  evaluated: number;
  /** Batch in which `signal` was set, and that signal. */
  signalled: number;
  signal: Signal | undefined;
  /** What the last signal said: another is sent only when the level or a figure moved beyond the lifecycle's tolerance. */
  sent: Sent;
}

interface Sent {
  severity: AlertSeverity | undefined;
  dangerOnly: boolean;
  cpaNm: number;
  tcpaMin: number;
  rangeNm: number;
  lat: number;
  lon: number;
  confidence: number;
}

export class CollisionRule implements Rule {
  readonly name = 'collision';
  readonly counters: CollisionCounters = { pairsEvaluated: 0, pairsSkippedMotion: 0, pairsStationary: 0, pairsOutOfReach: 0, signalsRaised: 0, pairsUnchanged: 0, signalsCleared: 0, pairsForgotten: 0 };
  private readonly levels: CollisionLevels;
  private readonly overrides: readonly CollisionOverride[];
  private readonly maxScreenNm: number;
  private readonly forgetAfterMs: number;
  private readonly batchGridMin: number;
  private readonly tol: { cpaNm: number; tcpaMin: number; lat: number; lon: number; rangeRel: number; confidenceRel: number };
  /** C and T + staleAllowance of the header, nm and hours. */
  private readonly screenCpaNm: number;
  private readonly screenHours: number;
  /** T of the header, hours and seconds. */
  private readonly horizonHours: number;
  private readonly horizonS: number;
  private readonly staleS: number;
  /** How near the track a stopped vessel must lie to be met (the batch grid), nm: see `evaluateBatch`. */
  private readonly capsuleNm: number;
  private readonly vessels = new Map<VesselId, Tracked>();
  /** The same records by neighbour-index slot: a neighbour costs an array read, not a map lookup. */
  private readonly bySlot: (Tracked | undefined)[] = [];
  private readonly pairs = new Set<OpenPair>();
  private clockMs = -Infinity;
  private lastForgetMs = -Infinity;
  private batch = 0;
  /** Pairs signalled in this batch, in order. */
  private touched: OpenPair[] = [];
  /** The vessel being evaluated and its neighbour visitor (one closure for the rule's life). */
  private current: Tracked | undefined = undefined;
  private readonly visit: NearVisitor = (id, distanceNm, slot, carried, at) => this.onNeighbour(id, slot, carried, at);
  private readonly scratch = new Approach();
  /** `mayMeet`'s limits (T + 1 min in s, C + 100 m in m). */
  private readonly screenLim: Float64Array;
  /** Every record's numbers. */
  private readonly rows = new VesselRows();
  /** The rule's lane in the neighbour index (CARRY numbers per vessel), and a row to fill it from. */
  private readonly lane: number;
  private readonly carry = new Float64Array(CARRY);
  /** The batch grid's population (`evaluateBatch`), reused. */
  private readonly popMoving: Tracked[] = [];
  private readonly popStopped: Tracked[] = [];
  /** The batch's vessels in the order `evaluateBatch` evaluates them, reused. */
  private readonly turns: Tracked[] = [];
  /** The batch grids' arrays, kept between batches (grown as needed). */
  private readonly movingBuf: GridBuffers = gridBuffers(0);
  private readonly stoppedBuf: GridBuffers = gridBuffers(0);

  constructor(
    private readonly live: VesselStates,
    private readonly sea: LocatedVessels,
    options: CollisionRuleOptions = {},
  ) {
    this.levels = options.levels ?? DEFAULT_ALERT_POLICY.collision;
    this.overrides = options.overrides ?? [];
    this.maxScreenNm = options.maxScreenNm ?? 12;
    this.forgetAfterMs = options.forgetPairAfterMs ?? 30 * 60_000;
    this.batchGridMin = options.batchGridMin ?? 512;
    const lc = options.tolerance ?? { ...DEFAULT_ALERT_POLICY.lifecycle.default, ...DEFAULT_ALERT_POLICY.lifecycle.byKind['collision'] };
    const rel = lc.detailRelTolerance;
    const abs = lc.detailTolerance;
    this.tol = { cpaNm: abs['cpaNm'] ?? NaN, tcpaMin: abs['tcpaMin'] ?? NaN, lat: abs['lat'] ?? NaN, lon: abs['lon'] ?? NaN, rangeRel: rel, confidenceRel: rel };
    const stale = options.staleAllowanceMin ?? 3;
    const all = [this.levels, ...this.overrides.map((o) => o.levels)];
    for (const o of this.overrides) if (o.gridId === undefined && o.shipTypes === undefined) throw new Error('collision override needs gridId or shipTypes');
    for (const l of all) for (const level of [l.warning, l.danger]) checkLevel(level);
    if (!(this.maxScreenNm > 0) || !(stale >= 0) || !(this.forgetAfterMs > 0)) throw new Error('collision rule: bad screen or forget option');
    this.screenCpaNm = Math.max(...all.flatMap((l) => [l.warning.cpaNm, l.danger.cpaNm]));
    const horizonMin = Math.max(...all.flatMap((l) => [l.warning.tcpaMin, l.danger.tcpaMin]));
    this.screenHours = (horizonMin + stale) / 60;
    this.horizonHours = horizonMin / 60;
    this.horizonS = horizonMin * 60;
    this.staleS = stale * 60;
    this.capsuleNm = this.screenCpaNm + STATIONARY_SOG_KN * this.screenHours + CAPSULE_MARGIN_NM;
    this.screenLim = Float64Array.of(this.horizonS + 60, this.screenCpaNm * M_PER_NM + 100);
    this.lane = sea.neighbours.reserve(CARRY);
  }

  /** Pairs signalled and not yet cleared. */
  get openPairs(): number {
    return this.pairs.size;
  }

  /** How far from its fix a vessel under way at `sogKn` looks (see the header: T ahead plus the radius there), nm. */
  screenNm(sogKn: number): number {
    return Math.min(this.maxScreenNm, this.screenCpaNm + sogKn * (this.horizonHours + this.screenHours));
  }

  onFixes(batch: FixBatch): readonly Signal[] {
    const seq = ++this.batch;
    const order = this.prepare(batch, seq);
    if (order.length >= this.batchGridMin && order.length * 8 >= this.sea.neighbours.size) this.evaluateBatch(order, seq);
    else for (let i = 0; i < order.length; i++) this.evaluateVessel(order[i]!, seq);
    if (this.clockMs - this.lastForgetMs >= FORGET_CHECK_MS) {
      this.lastForgetMs = this.clockMs;
      this.forgetUnseen();
    }
    return this.take();
  }

  /** Restored vessels' records take the picture's state (and their lane in the index with it): a neighbour is judged on its restored fix, not an older one. */
  onRestored(vesselIds: readonly VesselId[]): void {
    for (const id of vesselIds) if (this.vessels.has(id)) this.refreshed(id);
  }

  /**
   * Brings every vessel of the batch up to date first, so each pair of two of them is evaluated
   * once, by the one with the larger screen, on both latest fixes. Returns them, each once.
   */
  private prepare(batch: FixBatch, seq: number): Tracked[] {
    const order: Tracked[] = [];
    for (const f of batch.moved) {
      let v = this.vessels.get(f.vesselId);
      if (v === undefined || v.atMs - v.staticsAtMs >= STATICS_MAX_AGE_MS) v = this.refreshed(f.vesselId);
      if (v === undefined) continue;
      if (f.report.atMs >= v.atMs && !v.sameFix(f.report)) v.setFix(f.report);
      if (v.batch === seq) {
        this.mirror(v);
        continue;
      }
      if (v.atMs > this.clockMs) this.clockMs = v.atMs;
      v.batch = seq;
      v.order = order.length;
      v.screenNm = 0;
      if (!v.stationary && v.known) this.aim(v);
      order.push(v);
      this.mirror(v);
    }
    return order;
  }

  /** The record's numbers into the rule's lane of the neighbour index (at every change of them). */
  private mirror(v: Tracked): void {
    const c = this.carry;
    const k = this.rows.kin;
    const o = v.row;
    for (let i = 0; i <= M_AT; i++) c[i] = k[o + i]!;
    c[C_ROLE] = v.batch === this.batch && v.screenNm > 0 ? this.batch : -1;
    c[C_SOG] = v.sogKn;
    c[C_FLAGS] = (v.known ? C_KNOWN : 0) + (v.stationary ? C_STATIONARY : 0);
    this.sea.neighbours.setCarried(v.id, v.slot, this.lane, CARRY, c, 0);
  }

  /** Centres the vessel's screen T ahead on its track, radius C + s·(T + stale), within the cap. */
  private aim(v: Tracked): void {
    const k0 = this.rows.kin;
    const o = v.row;
    const speedMs = k0[o + M_SPEED]!;
    const sog = v.sogKn;
    const aheadNm = sog * this.horizonHours;
    v.screenNm = Math.max(0, Math.min(this.maxScreenNm - aheadNm, this.screenCpaNm + sog * this.screenHours));
    if (speedMs === 0) {
      v.aheadLat = v.lat;
      v.aheadLon = v.lon;
      v.aheadX = k0[o]!;
      v.aheadY = k0[o + 1]!;
      v.aheadZ = k0[o + 2]!;
      return;
    }
    // Along its great circle: cos θ·p + sin θ·(v/|v|).
    const th = (speedMs * this.horizonS) / EARTH_RADIUS_M;
    const c = Math.cos(th);
    const k = Math.sin(th) / speedMs;
    const x = c * k0[o]! + k * k0[o + 3]!;
    const y = c * k0[o + 1]! + k * k0[o + 4]!;
    const z = c * k0[o + 2]! + k * k0[o + 5]!;
    v.aheadLat = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD;
    v.aheadLon = Math.atan2(y, x) / RAD;
    v.aheadX = x;
    v.aheadY = y;
    v.aheadZ = z;
  }

  /** This batch's signals, one per pair (its latest), in the order the pairs were first signalled. */
  private take(): readonly Signal[] {
    const touched = this.touched;
    if (touched.length === 0) return [];
    this.touched = [];
    return touched.map((p) => p.signal!);
  }

  /** The vessel's record, brought up to the live picture (fix and statics); undefined if gone. */
  private refreshed(id: VesselId): Tracked | undefined {
    const state = this.live.get(id);
    if (state === undefined) return undefined;
    let v = this.vessels.get(id);
    if (v === undefined) {
      this.vessels.set(id, (v = new Tracked(id, state, this.rows)));
      this.mirror(v);
    } else this.adopt(v, state);
    return v;
  }

  /** Takes the live state into the record; whether anything the judgement reads changed (fix, fleet, ship type). */
  private adopt(v: Tracked, state: VesselState): boolean {
    const was = v.state;
    v.state = state;
    v.staticsAtMs = v.atMs;
    let changed = state.fleetId !== was.fleetId || state.shipType !== was.shipType;
    if (state.atMs >= v.atMs && !v.sameFix(state)) {
      v.setFix(state);
      this.mirror(v);
      changed = true;
    }
    return changed;
  }

  private evaluateVessel(a: Tracked, seq: number): void {
    if (!a.stationary) {
      this.current = a;
      if (a.known) this.sea.neighbours.forEachNearPoint(a.id, { lat: a.aheadLat, lon: a.aheadLon }, a.screenNm, this.visit);
      else this.sea.neighbours.forEachNear(a.id, this.screenNm(UNKNOWN_SPEED_KN), this.visit);
      this.current = undefined;
    }
    this.evaluateOpen(a, seq);
  }

  /** Open partners not evaluated yet in this batch: beyond the screen, or left to this side. */
  private evaluateOpen(a: Tracked, seq: number): void {
    if (a.open.size === 0) return;
    for (const p of a.open.values()) {
      if (p.evaluated === seq) continue;
      // The partner's record is as of its last moved fix; whether it is gone is asked before a signal.
      this.evaluatePair(a, p.lo === a ? p.hi : p.lo, p, seq);
    }
  }

  /**
   * The whole batch against one grid of every indexed vessel (`LatLonGrid`, built once) instead of
   * one index query per vessel: same screens, same pairs, same judgement (`meet`), a fraction of
   * the candidates and in memory order. Moving vessels (and those whose motion is unknown) are in
   * one grid and met within the screen circle, tested by chord on unit vectors. Stopped ones are in
   * another and only looked for near the track: a stopped B (≤ STATIONARY_SOG_KN) that can come
   * within C of A in (0, T] lies within C + 0.2 kn·(T + stale) of A's track from its fix to T + stale
   * ahead (B's fix up to `stale` older, or A's up to `stale` older than B's), so the box about that
   * capsule, intersected with the circle, holds every one the circle's screen would judge at a level.
   * A vessel whose motion is unknown screens by the index as on the per-fix path.
   */
  private evaluateBatch(order: readonly Tracked[], seq: number): void {
    this.popMoving.length = 0;
    this.popStopped.length = 0;
    this.sea.neighbours.forEachVessel(this.collect);
    const moving = this.gridOf(this.popMoving, seq, this.movingBuf);
    const stopped = this.gridOf(this.popStopped, seq, this.stoppedBuf);
    const runs = new Int32Array(2 * Math.max(moving.grid.maxRuns, stopped.grid.maxRuns));
    // Turns in the grids' order (then any vessel of the batch in neither: not indexed), not the
    // batch's: a batch comes in feed order, random in space, so each screen read rows and records
    // far from the last one's; in grid order the next screen's are mostly still in cache. Which
    // vessel evaluates a pair (`meet`: the faster, then the earlier in the batch) and what it
    // finds do not depend on the turns, only the order of the signals within the batch does.
    const turns = this.turns;
    turns.length = 0;
    turnsOf(moving, this.popMoving.length, seq, turns);
    turnsOf(stopped, this.popStopped.length, seq, turns);
    if (turns.length < order.length) for (const a of order) if (a.turn !== seq) turns.push(a);
    for (let i = 0; i < turns.length; i++) {
      const a = turns[i]!;
      if (!a.known) {
        this.evaluateVessel(a, seq);
        continue;
      }
      if (!a.stationary && a.screenNm > 0) {
        const rRad = (a.screenNm * M_PER_NM) / EARTH_RADIUS_M;
        // Chord of the screen radius, with the index's room for rounding.
        const c = 2 * Math.sin((rRad * (1 + 1e-9)) / 2) + 1e-12;
        const c2 = c * c;
        let k = moving.grid.runsAround(a.aheadLat, a.aheadLon, rRad, runs);
        this.meetIn(a, moving, runs, k, c2, seq);
        k = this.capsuleRuns(a, stopped.grid, runs);
        this.meetIn(a, stopped, runs, k, c2, seq);
      }
      this.evaluateOpen(a, seq);
    }
  }

  /** Meets `a` with the vessels of the runs within chord² c2 of its screen's centre. */
  private meetIn(a: Tracked, g: BatchGrid, runs: Int32Array, k: number, c2: number, seq: number): void {
    const { kin, ord, unknown, v } = g;
    const cx = a.aheadX;
    const cy = a.aheadY;
    const cz = a.aheadZ;
    const ka = this.rows.kin;
    const ia = a.row;
    const lim = this.screenLim;
    const sa = a.sogKn;
    const oa = a.order;
    let outOfReach = 0;
    for (let r = 0; r < k; r++) {
      const end = runs[2 * r + 1]!;
      for (let j = runs[2 * r]!; j < end; j++) {
        // `meet` on the grid's rows: the faster of two in this batch evaluates (its screen holds
        // the other; tested first, it halves the chords), the screen's circle, and the pre-screen
        // before any record is read. An open pair that fails it is still evaluated, by evaluateOpen.
        const o = j * KIN;
        const sb = kin[o + K_SOG]!;
        if (sb > sa || (sb === sa && ord[j]! < oa)) continue;
        const dx = kin[o]! - cx;
        const dy = kin[o + 1]! - cy;
        const dz = kin[o + 2]! - cz;
        if (dx * dx + dy * dy + dz * dz > c2) continue;
        const b = v[j]!;
        if (b === a) continue;
        if (unknown[j] === 1) {
          this.meet(a, b);
          continue;
        }
        if (!mayMeet(ka, ia, kin, o, lim)) {
          outOfReach++;
          continue;
        }
        this.evaluatePair(a, b, a.open.size === 0 ? undefined : a.open.get(b.id), seq, true);
      }
    }
    this.counters.pairsOutOfReach += outOfReach;
  }

  /** Runs of the box about A's track from its fix to T + stale ahead, widened by `capsuleNm`. */
  private capsuleRuns(a: Tracked, g: LatLonGrid, out: Int32Array): number {
    const k0 = this.rows.kin;
    const o = a.row;
    const speedMs = k0[o + M_SPEED]!;
    const lat0 = a.lat;
    const lon0 = a.lon;
    const th = (speedMs * (this.horizonS + this.staleS)) / EARTH_RADIUS_M;
    const cs = Math.cos(th);
    const kk = Math.sin(th) / speedMs;
    const fx = cs * k0[o]! + kk * k0[o + 3]!;
    const fy = cs * k0[o + 1]! + kk * k0[o + 4]!;
    const fz = cs * k0[o + 2]! + kk * k0[o + 5]!;
    const lat1 = Math.atan2(fz, Math.sqrt(fx * fx + fy * fy)) / RAD;
    let lon1 = Math.atan2(fy, fx) / RAD;
    if (lon1 - lon0 > 180) lon1 -= 360;
    else if (lon0 - lon1 > 180) lon1 += 360;
    const rRad = (this.capsuleNm * M_PER_NM) / EARTH_RADIUS_M;
    const dLat = (rRad / RAD) * (1 + 1e-9) + 1e-12;
    const latMin = Math.min(lat0, lat1) - dLat;
    const latMax = Math.max(lat0, lat1) + dLat;
    // The widest longitude reach is at the box's latitude farthest from the equator.
    const dLon = lonReachDeg(rRad, Math.cos(Math.min(90, Math.max(Math.abs(latMin), Math.abs(latMax))) * RAD));
    return g.runs(latMin, latMax, Math.min(lon0, lon1) - dLon, Math.max(lon0, lon1) + dLon, out);
  }

  /** One indexed vessel into the batch's population: moving (or unknown) or stopped. */
  private readonly collect = (id: VesselId, _lat: number, _lon: number, slot: number): void => {
    const b = this.atSlot(id, slot);
    if (b === undefined) return;
    (b.stationary ? this.popStopped : this.popMoving).push(b);
  };

  /** A grid of these vessels at their fixes, with their kinematics and records in grid order. */
  private gridOf(pop: readonly Tracked[], seq: number, buf: GridBuffers): BatchGrid {
    const n = pop.length;
    if (buf.lat.length < n) Object.assign(buf, gridBuffers(Math.ceil(n * 1.25)));
    const { lat, lon, kin, ord, unknown, v } = buf;
    for (let i = 0; i < n; i++) {
      const t = pop[i]!;
      lat[i] = t.lat;
      lon[i] = t.lon;
    }
    const grid = new LatLonGrid(lat, lon, n, BATCH_CELL_KM);
    const order = grid.order;
    const rows = this.rows.kin;
    for (let j = 0; j < n; j++) {
      const t = pop[order[j]!]!;
      kinOf(rows, t.row, kin, j);
      // Only a vessel of this batch with a screen can take the pair from the other side.
      kin[j * KIN + K_SOG] = t.batch === seq && t.screenNm > 0 ? t.sogKn : -Infinity;
      ord[j] = t.order;
      unknown[j] = t.known ? 0 : 1;
      v[j] = t;
    }
    // Records past n from an earlier batch are never read (runs stop at n); drop them for the GC.
    v.fill(undefined, n);
    return { grid, kin, ord, unknown, v: v as Tracked[] };
  }

  /** One neighbour of the vessel being evaluated (`current`), from the index. */
  /** The record of the vessel in index slot `slot`, found by slot and re-homed there when it moved slots. */
  private atSlot(id: VesselId, slot: number) {
    let b = this.bySlot[slot];
    if (b === undefined || b.id !== id) {
      b = this.vessels.get(id) ?? this.refreshed(id);
      if (b === undefined) return undefined;
      if (b.slot >= 0 && this.bySlot[b.slot] === b) this.bySlot[b.slot] = undefined;
      b.slot = slot;
      // Grown in order: an array written far past its end turns into a slow dictionary.
      while (this.bySlot.length <= slot) this.bySlot.push(undefined);
      this.bySlot[slot] = b;
      // Its lane there may be unset (new to the index, or to this slot).
      this.mirror(b);
    }
    return b;
  }

  /**
   * One neighbour of the vessel being evaluated (`current`), from the index with the rule's lane:
   * `meet`'s batch role and pre-screen on the numbers there, the record read only for a pair that
   * may meet (or a tie of speeds, or a vessel not mirrored yet: `meet` itself).
   */
  private onNeighbour(id: VesselId, slot: number, carried: Float64Array, at: number): void {
    const a = this.current!;
    const o = at + this.lane;
    const flags = carried[o + C_FLAGS]!;
    // NaN (never set, or forgotten) fails both tests.
    if (a.known && flags >= 0) {
      let tie = false;
      if (carried[o + C_ROLE] === this.batch) {
        const sa = a.sogKn;
        const sb = carried[o + C_SOG]!;
        if (sb > sa) return;
        tie = sb === sa;
      }
      if (!tie && (flags & C_KNOWN) !== 0 && !(a.stationary && (flags & C_STATIONARY) !== 0) && !mayMeet(this.rows.kin, a.row, carried, o, this.screenLim)) {
        this.counters.pairsOutOfReach++;
        return;
      }
    }
    const b = this.atSlot(id, slot);
    if (b === undefined) return;
    this.meet(a, b);
  }

  /** A vessel of the screen of `a` (being evaluated in this batch): the pair, unless the other side evaluates it. */
  private meet(a: Tracked, b: Tracked): void {
    const id = b.id;
    if (!a.known) {
      // An open partner is counted (and kept alive) by evaluatePair, from the open pairs.
      if (!a.open.has(id)) this.counters.pairsSkippedMotion++;
      return;
    }
    // A faster vessel of this batch (or as fast and earlier) evaluates the pair from its own screen,
    // which holds this one if the pair can meet a level (the header).
    if (b.batch === this.batch && b.screenNm > 0) {
      const sa = a.sogKn;
      const sb = b.sogKn;
      if (sb > sa || (sb === sa && b.order < a.order)) return;
    }
    // The pre-screen here, before the open-pair look-up and the call into the large evaluatePair:
    // most of a screen's vessels end at it. Two stopped ones or an unknown motion are evaluatePair's
    // to count. An open pair that fails it is still evaluated, by evaluateOpen (as in the batch grid).
    if (b.known && !(a.stationary && b.stationary) && !this.mayMeetM(a, b)) {
      this.counters.pairsOutOfReach++;
      return;
    }
    this.evaluatePair(a, b, a.open.size === 0 ? undefined : a.open.get(id), this.batch, true);
  }

  /** `reachable`: the caller has already passed the pair through `mayMeet`. */
  private evaluatePair(a: Tracked, b: Tracked, pair: OpenPair | undefined, seq: number, reachable = false): void {
    if (pair !== undefined) {
      if (pair.evaluated === seq) return;
      pair.evaluated = seq;
    }
    const atMs = Math.max(a.atMs, b.atMs);
    if (a.stationary && b.stationary) {
      this.counters.pairsStationary++;
      if (pair !== undefined) this.clear(pair, atMs, 'both-stopped', undefined, seq);
      return;
    }
    if (!a.known || !b.known) {
      this.counters.pairsSkippedMotion++;
      if (pair !== undefined) pair.lastMs = atMs;
      return;
    }
    if (pair === undefined && !reachable && !this.mayMeetM(a, b)) {
      this.counters.pairsOutOfReach++;
      return;
    }
    const k = this.rows.kin;
    const r = approachRows(k, a.row, k, b.row, atMs, this.scratch);
    this.counters.pairsEvaluated++;
    const sa = a.state;
    const sb = b.state;
    const onlyDanger = a.berthed || b.berthed || (sa.fleetId !== undefined && sa.fleetId === sb.fleetId);
    const cpaNm = r.cpaM / M_PER_NM;
    const tcpaMin = r.tcpaS / 60;
    const severity = severityOf(cpaNm, tcpaMin, this.overrides.length === 0 ? this.levels : this.levelsFor(sa, sb), onlyDanger);
    if (severity === undefined) {
      if (pair !== undefined) this.clear(pair, atMs, 'below-levels', r, seq);
      return;
    }
    r.meetInto();
    const rangeNm = r.rangeM / M_PER_NM;
    // Both fixes at the evaluation time (every fix of a burst): Math.pow(0.5, 0) without the call.
    const confidence = r.ageAMs === 0 && r.ageBMs === 0 ? 1 : r.confidence();
    if (pair !== undefined && !this.moved(pair.sent, severity, onlyDanger, cpaNm, tcpaMin, rangeNm, r.meetLat, r.meetLon, confidence)) {
      pair.lastMs = atMs;
      this.counters.pairsUnchanged++;
      return;
    }
    // A record is as of its vessel's last moved fix (every one passes here). One of this batch has
    // just moved; another's may be older than the live picture (gone, or changed by other means):
    // it is read again before a signal. Statics are at most STATICS_MAX_AGE_MS of fix time old.
    if (a.batch !== seq || b.batch !== seq) {
      const la = a.batch === seq ? a.state : this.live.get(a.id);
      const lb = b.batch === seq ? b.state : this.live.get(b.id);
      if (la === undefined || lb === undefined) {
        if (pair !== undefined) this.clear(pair, atMs, 'vessel-gone', undefined, seq);
        return;
      }
      if ((la !== a.state && this.adopt(a, la)) || (lb !== b.state && this.adopt(b, lb))) {
        if (pair !== undefined) pair.evaluated = -1;
        this.evaluatePair(a, b, pair, seq);
        return;
      }
    }
    const p = pair ?? this.opened(a, b, seq);
    p.lastMs = atMs;
    this.counters.signalsRaised++;
    const aIsLo = p.lo === a;
    const sent = p.sent;
    sent.severity = severity;
    sent.dangerOnly = onlyDanger;
    sent.cpaNm = cpaNm;
    sent.tcpaMin = tcpaMin;
    sent.rangeNm = rangeNm;
    sent.lat = r.meetLat;
    sent.lon = r.meetLon;
    sent.confidence = confidence;
    const fleetIds = fleetsOf(sa.fleetId, sb.fleetId);
    const details: Record<string, unknown> = {
      cpaNm,
      tcpaMin,
      rangeNm,
      meetingPoint: { lat: r.meetLat, lon: r.meetLon },
      confidence,
      // Evaluation time minus each fix's time, in `vesselIds` order.
      fixAgesMs: aIsLo ? [r.ageAMs, r.ageBMs] : [r.ageBMs, r.ageAMs],
    };
    if (onlyDanger) details['dangerOnly'] = true;
    this.emit(p, severity, atMs, details, fleetIds, seq);
  }

  /** Whether a signal now would tell the lifecycle something new: the level, or a figure beyond its tolerance. */
  private moved(s: Sent, severity: AlertSeverity, dangerOnly: boolean, cpaNm: number, tcpaMin: number, rangeNm: number, lat: number, lon: number, confidence: number): boolean {
    const t = this.tol;
    return (
      s.severity !== severity ||
      s.dangerOnly !== dangerOnly ||
      !(Math.abs(cpaNm - s.cpaNm) <= t.cpaNm) ||
      !(Math.abs(tcpaMin - s.tcpaMin) <= t.tcpaMin) ||
      !(Math.abs(lat - s.lat) <= t.lat) ||
      !(Math.abs(lon - s.lon) <= t.lon) ||
      !(Math.abs(rangeNm - s.rangeNm) <= t.rangeRel * Math.abs(s.rangeNm)) ||
      !(Math.abs(confidence - s.confidence) <= t.confidenceRel * Math.abs(s.confidence))
    );
  }

  /** `mayMeet` of two records, on their Motion rows. */
  private mayMeetM(a: Tracked, b: Tracked): boolean {
    const k = this.rows.kin;
    return mayMeet(k, a.row, k, b.row, this.screenLim);
  }

  /** The first override matching either vessel, else the defaults. */
  private levelsFor(a: VesselState, b: VesselState): CollisionLevels {
    let ma: GridMembership | undefined | null = null;
    let mb: GridMembership | undefined | null = null;
    for (const o of this.overrides) {
      if (o.gridId !== undefined) {
        ma ??= this.sea.membership(a.vesselId);
        mb ??= this.sea.membership(b.vesselId);
      }
      if (matches(o, a, ma ?? undefined) || matches(o, b, mb ?? undefined)) return o.levels;
    }
    return this.levels;
  }

  private opened(x: Tracked, y: Tracked, seq: number): OpenPair {
    const [lo, hi] = x.id < y.id ? [x, y] : [y, x];
    const p: OpenPair = { key: `collision:${lo.id}|${hi.id}`, lo, hi, lastMs: -Infinity, evaluated: seq, signalled: -1, signal: undefined, sent: { severity: undefined, dangerOnly: false, cpaNm: NaN, tcpaMin: NaN, rangeNm: NaN, lat: NaN, lon: NaN, confidence: NaN } };
    link(lo, hi.id, p);
    link(hi, lo.id, p);
    this.pairs.add(p);
    return p;
  }

  private clear(p: OpenPair, atMs: number, reason: ClearReason, r: Approach | undefined, seq: number): void {
    unlink(p.lo, p.hi.id);
    unlink(p.hi, p.lo.id);
    this.pairs.delete(p);
    this.counters.signalsCleared++;
    const details = r === undefined ? { reason } : { reason, cpaNm: r.cpaM / M_PER_NM, tcpaMin: r.tcpaS / 60, rangeNm: r.rangeM / M_PER_NM };
    this.emit(p, undefined, atMs, details, undefined, seq);
  }

  private emit(p: OpenPair, severity: AlertSeverity | undefined, atMs: number, details: Record<string, unknown>, fleetIds: readonly FleetId[] | undefined, seq: number): void {
    const signal: Signal =
      fleetIds === undefined
        ? { kind: 'collision', key: p.key, severity, vesselIds: [p.lo.id, p.hi.id], atMs, details }
        : { kind: 'collision', key: p.key, severity, vesselIds: [p.lo.id, p.hi.id], fleetIds, atMs, details };
    p.signal = signal;
    if (p.signalled !== seq) {
      p.signalled = seq;
      this.touched.push(p);
    }
  }

  /**
   * Clears and forgets signalled pairs neither of whose vessels moved for `forgetAfterMs`, and the
   * records of vessels not heard for as long that have no open pair (gone from the live picture,
   * or about to be: they are read again when next met).
   */
  private forgetUnseen(): void {
    const before = this.clockMs - this.forgetAfterMs;
    const stale: OpenPair[] = [];
    for (const p of this.pairs) if (p.lastMs < before) stale.push(p);
    for (const p of stale) {
      this.counters.pairsForgotten++;
      this.clear(p, this.clockMs, 'not-seen', undefined, this.batch);
    }
    for (const [id, v] of this.vessels) {
      if (v.open.size > 0 || v.atMs >= before) continue;
      this.vessels.delete(id);
      this.carry.fill(NaN);
      this.sea.neighbours.setCarried(id, v.slot, this.lane, CARRY, this.carry, 0);
      this.rows.give(v.row);
      if (v.slot >= 0 && this.bySlot[v.slot] === v) this.bySlot[v.slot] = undefined;
    }
  }
}

/** The vessels of the batch among the first `n` of a batch grid, in its order, into `out`. */
function turnsOf(g: BatchGrid, n: number, seq: number, out: Tracked[]): void {
  const v = g.v;
  for (let j = 0; j < n; j++) {
    const t = v[j]!;
    if (t.batch === seq && t.turn !== seq) {
      t.turn = seq;
      out.push(t);
    }
  }
}

function severityOf(cpaNm: number, tcpaMin: number, levels: CollisionLevels, onlyDanger: boolean): AlertSeverity | undefined {
  if (!(tcpaMin > 0)) return undefined;
  if (cpaNm < levels.danger.cpaNm && tcpaMin <= levels.danger.tcpaMin) return 'danger';
  if (!onlyDanger && cpaNm < levels.warning.cpaNm && tcpaMin <= levels.warning.tcpaMin) return 'warning';
  return undefined;
}

/**
 * A necessary condition for a level, cheaper than the CPA: the two tracks (`kin` rows at offsets
 * ia and ib, dead-reckoned to the newer fix's time) as straight lines in space (chord and 3-D
 * velocities, no projection) come within lim[1] (C + 100 m) + 1 % of the range at some time in
 * [0, lim[0]] (T + 1 min, seconds). Straight lines in space and great circles in the gnomonic
 * plane part by second-order terms — tens of metres at 12 nm and 60 kn closing — which the margin
 * covers (the rule's test against all pairs checks it). Arrays and offsets, not numbers: a call
 * V8 does not inline would box every number argument.
 */
function mayMeet(a: Float64Array, ia: number, b: Float64Array, ib: number, lim: Float64Array): boolean {
  const aAt = a[ia + K_AT]!;
  const bAt = b[ib + K_AT]!;
  const atMs = aAt > bAt ? aAt : bAt;
  const dtA = (atMs - aAt) / 1000;
  const dtB = (atMs - bAt) / 1000;
  const avx = a[ia + 3]!;
  const avy = a[ia + 4]!;
  const avz = a[ia + 5]!;
  const bvx = b[ib + 3]!;
  const bvy = b[ib + 4]!;
  const bvz = b[ib + 5]!;
  const rx = EARTH_RADIUS_M * (b[ib]! - a[ia]!) + bvx * dtB - avx * dtA;
  const ry = EARTH_RADIUS_M * (b[ib + 1]! - a[ia + 1]!) + bvy * dtB - avy * dtA;
  const rz = EARTH_RADIUS_M * (b[ib + 2]! - a[ia + 2]!) + bvz * dtB - avz * dtA;
  const vx = bvx - avx;
  const vy = bvy - avy;
  const vz = bvz - avz;
  const v2 = vx * vx + vy * vy + vz * vz;
  const r2 = rx * rx + ry * ry + rz * rz;
  let t = v2 < 1e-9 ? 0 : -(rx * vx + ry * vy + rz * vz) / v2;
  if (t < 0) t = 0;
  else if (t > lim[0]!) t = lim[0]!;
  const cx = rx + vx * t;
  const cy = ry + vy * t;
  const cz = rz + vz * t;
  const reach = lim[1]! + 0.01 * Math.sqrt(r2);
  return cx * cx + cy * cy + cz * cz <= reach * reach;
}

function matches(o: CollisionOverride, v: VesselState, m: GridMembership | undefined): boolean {
  if (o.shipTypes !== undefined && (v.shipType === undefined || !o.shipTypes.includes(v.shipType))) return false;
  return o.gridId === undefined || (m !== undefined && inGrid(m, o.gridId));
}

function inGrid(m: GridMembership, gridId: string): boolean {
  const fz = m.fishingZone;
  return (
    m.static.includes(gridId) ||
    m.control.includes(gridId) ||
    m.patrol.includes(gridId) ||
    m.zones.includes(gridId) ||
    (fz !== undefined && (fz === gridId || fz.startsWith(`${gridId}-`)))
  );
}

function fleetsOf(a: FleetId | undefined, b: FleetId | undefined): readonly FleetId[] | undefined {
  if (a === undefined) return b === undefined ? undefined : [b];
  return b === undefined || b === a ? [a] : [a, b];
}

function checkLevel(l: CollisionLevel): void {
  if (!(l.cpaNm > 0 && Number.isFinite(l.cpaNm)) || !(l.tcpaMin > 0 && Number.isFinite(l.tcpaMin))) throw new Error(`collision level needs cpaNm and tcpaMin > 0: ${JSON.stringify(l)}`);
}

// One shared empty map rather than `undefined`: a field that is sometimes undefined made the hot
// neighbour visit deoptimize again and again (V8: insufficient feedback at `open?.get`).
const NO_PAIRS: ReadonlyMap<VesselId, OpenPair> = new Map();

function link(v: Tracked, other: VesselId, p: OpenPair): void {
  if (v.open === NO_PAIRS) v.open = new Map();
  (v.open as Map<VesselId, OpenPair>).set(other, p);
}

function unlink(v: Tracked, other: VesselId): void {
  if (v.open === NO_PAIRS) return;
  const m = v.open as Map<VesselId, OpenPair>;
  m.delete(other);
  if (m.size === 0) v.open = NO_PAIRS;
}
