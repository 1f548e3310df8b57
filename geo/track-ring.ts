import type { PositionSource } from '../model/index.js';

/** One point of a vessel's recent track (what `GET …/track` and the map draw). */
export interface TrackPoint {
  readonly atMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn?: number;
  readonly cogDeg?: number;
  readonly source: PositionSource;
}

/**
 * Doubles per point: time, lat, lon, and one packed "meta" double holding SOG and COG (0.01
 * resolution, 0 = absent), the source and the AIS second. One contiguous array per vessel keeps
 * a point in one cache line pair, which is what makes the hot path fast with thousands of vessels.
 */
const STRIDE = 4;
const SOG_LIMIT = 1 << 20;
const COG_BASE = 36_002;
const INITIAL_POINTS = 16;

/**
 * A bounded track in time order: a ring over one Float64Array, no object per point, so
 * thousands of vessels × hundreds of points cost no GC work. Storage starts small and doubles up
 * to the capacity. Appending in time order is O(1); an out-of-order point is inserted at its
 * place (shifting the newer ones), and when the ring is full the oldest point is dropped.
 */
export class TrackRing {
  private a: Float64Array;
  /** Points the storage holds (≤ capacity). */
  private size: number;
  private start = 0;
  private n = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`track capacity must be a positive integer, got ${capacity}`);
    this.size = Math.min(INITIAL_POINTS, capacity);
    this.a = new Float64Array(this.size * STRIDE);
  }

  get length(): number {
    return this.n;
  }

  /** Offset in `a` of the k-th point in time order (0 = oldest). */
  private at(k: number): number {
    const s = this.start + k;
    return (s >= this.size ? s - this.size : s) * STRIDE;
  }

  timeAt(k: number): number {
    return this.a[this.at(k)]!;
  }

  /**
   * Whether point k is the same fix: same source and place, and the same AIS second within
   * `secondWindowMs`, or (when either lacks a second) a time within `windowMs`.
   */
  sameFix(k: number, atMs: number, lat: number, lon: number, source: PositionSource, second: number, windowMs: number, secondWindowMs: number): boolean {
    const a = this.a;
    const o = this.at(k);
    if (a[o + 1] !== lat || a[o + 2] !== lon) return false;
    const low = a[o + 3]! % 128;
    if (low >= 64 !== (source === 'beidou')) return false;
    const s = (low % 64) - 1;
    const dt = Math.abs(a[o]! - atMs);
    return s >= 0 && second >= 0 ? s === second && dt <= secondWindowMs : dt <= windowMs;
  }

  /**
   * Adds a point at its place in time order (after points of the same time). Returns false when
   * the ring is full and the point is older than all it holds (it would be dropped at once).
   */
  insert(atMs: number, lat: number, lon: number, sogKn: number | undefined, cogDeg: number | undefined, source: PositionSource, second: number): boolean {
    let k = this.n;
    while (k > 0 && this.timeAt(k - 1) > atMs) k--;
    if (this.n === this.capacity) {
      if (k === 0) return false;
      this.start = this.start + 1 === this.size ? 0 : this.start + 1;
      this.n--;
      k--;
    } else if (this.n === this.size) {
      this.grow();
    }
    const a = this.a;
    // Shift the newer points up by one (none in the usual in-order case).
    for (let j = this.n; j > k; j--) a.copyWithin(this.at(j), this.at(j - 1), this.at(j - 1) + STRIDE);
    const o = this.at(k);
    a[o] = atMs;
    a[o + 1] = lat;
    a[o + 2] = lon;
    a[o + 3] = pack(sogKn, cogDeg, source, second);
    this.n++;
    return true;
  }

  /** Points with fromMs ≤ atMs ≤ toMs, oldest first. */
  points(fromMs = -Infinity, toMs = Infinity): TrackPoint[] {
    const out: TrackPoint[] = [];
    const a = this.a;
    for (let k = 0; k < this.n; k++) {
      const o = this.at(k);
      const t = a[o]!;
      if (t < fromMs) continue;
      if (t > toMs) break;
      let m = Math.floor(a[o + 3]! / 64);
      const beidou = m % 2 === 1;
      m = Math.floor(m / 2);
      const cog = m % COG_BASE;
      const sog = Math.floor(m / COG_BASE);
      out.push({
        atMs: t,
        lat: a[o + 1]!,
        lon: a[o + 2]!,
        sogKn: sog === 0 ? undefined : (sog - 1) / 100,
        cogDeg: cog === 0 ? undefined : (cog - 1) / 100,
        source: beidou ? 'beidou' : 'ais',
      });
    }
    return out;
  }

  /** Doubles the storage (capped at capacity), laying the points out from offset 0. */
  private grow(): void {
    const size = Math.min(this.capacity, this.size * 2);
    const b = new Float64Array(size * STRIDE);
    const head = this.a.subarray(this.start * STRIDE);
    b.set(head, 0);
    b.set(this.a.subarray(0, this.start * STRIDE), head.length);
    this.a = b;
    this.size = size;
    this.start = 0;
  }
}

/**
 * SOG and COG to 0.01 (plus one, so 0 means absent), source bit, AIS second + 1 (0 = none):
 * ((sog·36002 + cog)·2 + source)·64 + second, below 2^53. Out-of-range values are stored as absent.
 */
function pack(sogKn: number | undefined, cogDeg: number | undefined, source: PositionSource, second: number): number {
  let sog = sogKn === undefined ? 0 : Math.round(sogKn * 100) + 1;
  if (!(sog >= 0 && sog < SOG_LIMIT)) sog = 0;
  let cog = cogDeg === undefined ? 0 : Math.round(cogDeg * 100) + 1;
  if (!(cog >= 0 && cog < COG_BASE)) cog = 0;
  const sec = second >= 0 && second < 63 ? second + 1 : 0;
  return ((sog * COG_BASE + cog) * 2 + (source === 'beidou' ? 1 : 0)) * 64 + sec;
}
