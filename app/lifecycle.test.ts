import { describe, expect, it } from 'vitest';
import { Lifecycle, StartAborted } from './lifecycle.js';

/** A promise settled from outside. */
function later<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Lifecycle', () => {
  it('stops parts in reverse order of start, each once, however often stop() is called', async () => {
    const log: string[] = [];
    const life = new Lifecycle(() => undefined);
    await life.step(Promise.resolve('broker'), 'broker', async (b) => void log.push(`stop ${b}`));
    life.add('source', async () => void log.push('stop source'));
    await life.step(Promise.resolve('web'), 'web', async (w) => void log.push(`stop ${w}`));
    await Promise.all([life.stop(), life.stop()]);
    await life.stop();
    expect(log).toEqual(['stop web', 'stop source', 'stop broker']);
  });

  it('ends the step in progress at once when stopped, and stops its part when it arrives later', async () => {
    const log: string[] = [];
    const life = new Lifecycle(() => undefined);
    life.add('broker', async () => void log.push('stop broker'));
    const store = later<string>();
    const step = life.step(store.promise, 'store', async (s) => void log.push(`stop ${s}`));
    const stopped = life.stop();
    await expect(step).rejects.toBeInstanceOf(StartAborted);
    // stop() waits for the part still starting: the store opens later and is stopped before the broker's turn is over.
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    store.resolve('store');
    await stopped;
    expect(log).toEqual(['stop broker', 'stop store']);
    // A step begun after the stop rejects at once.
    await expect(life.step(new Promise(() => undefined))).rejects.toBeInstanceOf(StartAborted);
  });

  it('stops a part registered after the stop finished, and reports a part that fails to stop while the others still stop', async () => {
    const log: string[] = [];
    const failures: string[] = [];
    const life = new Lifecycle((part, e) => failures.push(`${part}: ${e.message}`));
    life.add('a', async () => void log.push('stop a'));
    life.add('b', async () => {
      throw new Error('stuck');
    });
    await life.stop();
    expect(log).toEqual(['stop a']);
    expect(failures).toEqual(['b: stuck']);
    life.add('late', async () => void log.push('stop late'));
    await life.stop();
    expect(log).toEqual(['stop a', 'stop late']);
  });
});
