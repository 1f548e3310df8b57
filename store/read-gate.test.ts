import { describe, expect, it } from 'vitest';
import { ReadGate } from './read-gate.js';

/** A read that finishes when told: the gate's admission is checked without timing anything. */
function heldRead(): { run: () => Promise<string>; finish: (v: string) => void; started: () => boolean } {
  let finish!: (v: string) => void;
  let started = false;
  const done = new Promise<string>((r) => (finish = r));
  return {
    run: () => {
      started = true;
      return done;
    },
    finish: (v) => finish(v),
    started: () => started,
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ReadGate', () => {
  it('runs `slots` reads at once, queues up to `maxWaiting` in order, refuses the rest as store.busy', async () => {
    const gate = new ReadGate(2, 2, 60_000);
    const reads = Array.from({ length: 5 }, heldRead);
    const results = reads.map((r) => gate.run(r.run));
    const fifth = results[4]!.catch((e: unknown) => e);
    await tick();
    expect(reads.map((r) => r.started())).toEqual([true, true, false, false, false]);
    expect(await fifth).toMatchObject({ code: 'store.busy' });
    expect(gate.stats()).toEqual({ active: 2, waiting: 2, busy: 1 });
    reads[1]!.finish('b');
    await tick();
    // The freed slot went to the first waiter, not the second.
    expect(reads.map((r) => r.started())).toEqual([true, true, true, false, false]);
    reads[0]!.finish('a');
    reads[2]!.finish('c');
    await tick();
    reads[3]!.finish('d');
    expect(await Promise.all(results.slice(0, 4))).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.stats()).toEqual({ active: 0, waiting: 0, busy: 1 });
  });

  it('a read that waits longer than waitMs is refused as busy and leaves the queue; a failing read frees its slot', async () => {
    const gate = new ReadGate(1, 5, 1);
    const held = heldRead();
    const first = gate.run(held.run);
    await expect(gate.run(async () => 'never')).rejects.toMatchObject({ code: 'store.busy' });
    expect(gate.stats()).toMatchObject({ active: 1, waiting: 0, busy: 1 });
    held.finish('x');
    await first;
    await expect(gate.run(() => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await gate.run(async () => 'after')).toBe('after');
    expect(gate.stats()).toEqual({ active: 0, waiting: 0, busy: 1 });
  });
});
