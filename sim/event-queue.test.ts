import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { Rng } from './rng.js';

describe('EventQueue', () => {
  it('pops in time order, ties by id, growing as needed', () => {
    const q = new EventQueue(2);
    const rng = new Rng(5);
    const items: [number, number][] = [];
    for (let i = 0; i < 2000; i++) items.push([rng.int(0, 50), i]);
    for (const [t, id] of items) q.push(t, id);
    const out: [number, number][] = [];
    while (q.size > 0) {
      const t = q.peekTime();
      out.push([t, q.pop()]);
    }
    expect(out).toEqual([...items].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(q.peekTime()).toBe(Infinity);
  });
});
