/** Supervision figures (全链监督) on hand-made step times: each expected median read off by hand. */
import { describe, expect, it } from 'vitest';
import { median, supervise, type AlertSteps } from './supervision.js';

const T = Date.parse('2026-07-01T00:00:00Z');
const S = 1000;
function steps(id: string, ack: number | null, dispatch: number | null, arrive: number | null, resolve: number | null, grids: string[], fleets: string[]): AlertSteps {
  const at = (s: number | null): number | null => (s === null ? null : T + s * S);
  return { alertId: id, kind: 'collision', severity: 'danger', raisedAtMs: T, acknowledgedAtMs: at(ack), dispatchedAtMs: at(dispatch), arrivedAtMs: at(arrive), resolvedAtMs: at(resolve), gridIds: grids, fleetIds: fleets };
}

describe('supervision figures', () => {
  it('median: odd count the middle value, even count the mean of the middle two, none null', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNull();
  });

  it('groups by grid and by fleet, an alert in two grids counted in each once, steps not reached left out of their median', () => {
    const all = [
      steps('a1', 30, 60, 900, 1800, ['S1', 'C3'], ['F1']),
      steps('a2', 90, null, null, 600, ['S1'], ['F1', 'F2']),
      steps('a3', null, null, null, null, ['S1', 'S1'], []), // nobody has seen it yet
      steps('a4', 10, 20, null, null, ['S2'], ['F2']),
    ];
    expect(supervise(all, 'grid')).toEqual([
      { id: 'C3', alerts: 1, acknowledged: 1, dispatched: 1, resolved: 1, medianToAcknowledgeS: 30, medianToDispatchS: 60, medianToArrivalS: 900, medianToResolveS: 1800 },
      { id: 'S1', alerts: 3, acknowledged: 2, dispatched: 1, resolved: 2, medianToAcknowledgeS: 60, medianToDispatchS: 60, medianToArrivalS: 900, medianToResolveS: 1200 },
      { id: 'S2', alerts: 1, acknowledged: 1, dispatched: 1, resolved: 0, medianToAcknowledgeS: 10, medianToDispatchS: 20, medianToArrivalS: null, medianToResolveS: null },
    ]);
    expect(supervise(all, 'fleet').map((r) => [r.id, r.alerts, r.medianToAcknowledgeS, r.medianToResolveS])).toEqual([
      ['F1', 2, 60, 1200],
      ['F2', 2, 50, 600],
    ]);
  });
});
