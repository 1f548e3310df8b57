import { describe, expect, it } from 'vitest';
import { TurnBudget } from './turn-budget.js';

/** A clock the test moves: handling a message "takes" what busy() adds (no timing on a loaded machine). */
let clock = 0;
const now = (): number => clock;
function busy(ms: number): void {
  clock += ms;
}
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TurnBudget', () => {
  it('one clock per loop turn for every source sharing it: spent for all once the turn has held the loop budgetMs, fresh the next turn', async () => {
    const turn = new TurnBudget(15, now);
    // Two sources' messages in one turn: the clock runs from the first of them.
    expect(turn.take()).toBe(true);
    busy(8);
    expect(turn.take()).toBe(true);
    busy(8);
    // 16 ms into the turn: spent, for the second source as for the first.
    expect(turn.take()).toBe(false);
    expect(turn.take()).toBe(false);
    await nextTurn();
    expect(turn.take()).toBe(true);
  });

  it('each source alone (its own budget) would go on: the shared one is what bounds the turn', async () => {
    const a = new TurnBudget(15, now);
    const b = new TurnBudget(15, now);
    expect(a.take()).toBe(true);
    busy(10);
    expect(b.take()).toBe(true);
    busy(10);
    // 20 ms into the turn: a is spent, b (started 10 ms later) is not — together they would hold it 30.
    expect([a.take(), b.take()]).toEqual([false, true]);
    await nextTurn();
  });
});
