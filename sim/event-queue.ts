/**
 * A binary min-heap of (time, id) on typed arrays. Ties go to the smaller id, so the order of
 * simultaneous reports — and so the output bytes — depends on nothing but the scenario.
 */
export class EventQueue {
  private times: Float64Array;
  private ids: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the next event, or Infinity. */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0]!;
  }

  push(time: number, id: number): void {
    if (this.n === this.times.length) this.grow();
    let i = this.n++;
    const t = this.times;
    const d = this.ids;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent]! < time || (t[parent] === time && d[parent]! < id)) break;
      t[i] = t[parent]!;
      d[i] = d[parent]!;
      i = parent;
    }
    t[i] = time;
    d[i] = id;
  }

  /** Removes the next event and returns its id (its time was `peekTime()`). */
  pop(): number {
    const t = this.times;
    const d = this.ids;
    const top = d[0]!;
    const n = --this.n;
    if (n === 0) return top;
    const time = t[n]!;
    const id = d[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (t[r]! < t[l]! || (t[r] === t[l] && d[r]! < d[l]!))) c = r;
      if (t[c]! > time || (t[c] === time && d[c]! > id)) break;
      t[i] = t[c]!;
      d[i] = d[c]!;
      i = c;
    }
    t[i] = time;
    d[i] = id;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const ids = new Int32Array(this.ids.length * 2);
    times.set(this.times);
    ids.set(this.ids);
    this.times = times;
    this.ids = ids;
  }
}
