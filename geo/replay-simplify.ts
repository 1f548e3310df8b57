/**
 * Downsampling for replay that keeps turns: top-down Douglas–Peucker on the synchronized distance
 * (SED) — how far a fix lies from where the kept track puts the vessel at that fix's time, i.e. the
 * error a replay would show at that moment. A turn, a stop or a change of speed is where that error
 * peaks, so it is kept; a straight run at steady speed collapses to its ends. Every n-th fix instead
 * cuts corners (a 90° turn between two kept fixes becomes a diagonal).
 *
 * The worst segment is split first (a heap of segments by their worst fix), so with a point budget
 * the fixes kept are the most telling ones, and with a tolerance the splitting stops once every
 * dropped fix is within it.
 */
import { EARTH_RADIUS_M, RAD } from './sphere.js';

export interface TrackColumns {
  /** Fix times, epoch ms, ascending. */
  readonly t: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
  readonly lon: ArrayLike<number>;
}

/**
 * Indices of the fixes to keep, ascending: always the first and the last, then the fix with the
 * largest synchronized distance of the worst segment, until `maxPoints` are kept or every dropped
 * fix lies within `toleranceM` of the kept track at its own time.
 */
export function keepTurns(track: TrackColumns, maxPoints: number, toleranceM: number): number[] {
  const n = track.t.length;
  if (n <= 2 || (maxPoints >= n && toleranceM <= 0)) return Array.from({ length: n }, (_, i) => i);
  // A local plane in metres: at these ranges (a day's run, < 500 km) its error is far below the tolerance.
  const m = EARTH_RADIUS_M * RAD;
  const kx = m * Math.cos(track.lat[0]! * RAD);
  // Scratch reused from call to call (a grid hour calls this for 1,000+ tracks).
  if (scratch.x.length < n) scratch = { x: new Float64Array(2 * n), y: new Float64Array(2 * n), keep: new Uint8Array(2 * n) };
  const { x, y, keep } = scratch;
  keep.fill(0, 0, n);
  for (let i = 0; i < n; i++) {
    x[i] = track.lon[i]! * kx;
    y[i] = track.lat[i]! * m;
  }
  const t = track.t;
  keep[0] = 1;
  keep[n - 1] = 1;
  let kept = 2;
  const heap = new SegmentHeap();
  const push = (a: number, b: number): void => {
    if (b - a < 2) return;
    const ta = t[a]!;
    const span = t[b]! - ta;
    let worst = -1;
    let worstD2 = -1;
    for (let i = a + 1; i < b; i++) {
      // Equal end times (a burst of fixes in one ms): measure from the straight line's middle.
      const f = span > 0 ? (t[i]! - ta) / span : 0.5;
      const dx = x[i]! - (x[a]! + f * (x[b]! - x[a]!));
      const dy = y[i]! - (y[a]! + f * (y[b]! - y[a]!));
      const d2 = dx * dx + dy * dy;
      if (d2 > worstD2) {
        worstD2 = d2;
        worst = i;
      }
    }
    heap.push(a, b, worst, worstD2);
  };
  push(0, n - 1);
  const tol2 = toleranceM * toleranceM;
  while (kept < maxPoints && heap.size > 0) {
    const s = heap.pop();
    if (s.d2 <= tol2) break;
    keep[s.k] = 1;
    kept++;
    push(s.a, s.k);
    push(s.k, s.b);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) out.push(i);
  return out;
}

let scratch = { x: new Float64Array(0), y: new Float64Array(0), keep: new Uint8Array(0) };

/** A binary max-heap of segments [a, b] by the squared distance d2 of their worst fix k. */
class SegmentHeap {
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  private readonly k: number[] = [];
  private readonly d2: number[] = [];

  get size(): number {
    return this.d2.length;
  }

  push(a: number, b: number, k: number, d2: number): void {
    let i = this.d2.length;
    this.a.push(a);
    this.b.push(b);
    this.k.push(k);
    this.d2.push(d2);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.d2[p]! >= this.d2[i]!) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): { a: number; b: number; k: number; d2: number } {
    const top = { a: this.a[0]!, b: this.b[0]!, k: this.k[0]!, d2: this.d2[0]! };
    const last = this.d2.length - 1;
    this.swap(0, last);
    this.a.pop();
    this.b.pop();
    this.k.pop();
    this.d2.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let big = i;
      if (l < last && this.d2[l]! > this.d2[big]!) big = l;
      if (r < last && this.d2[r]! > this.d2[big]!) big = r;
      if (big === i) break;
      this.swap(i, big);
      i = big;
    }
    return top;
  }

  private swap(i: number, j: number): void {
    for (const xs of [this.a, this.b, this.k, this.d2]) {
      const v = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = v;
    }
  }
}
