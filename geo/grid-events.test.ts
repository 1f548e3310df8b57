import { beforeAll, describe, expect, it } from 'vitest';
import type { GridMembership, VesselId } from '../model/index.js';
import { GridTracker } from './grid-events.js';
import { fixtureSeaGrids } from './test-support.js';
import { SeaGridIndex } from './sea-grid.js';

let index: SeaGridIndex;

beforeAll(() => {
  const r = fixtureSeaGrids();
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  index = SeaGridIndex.build(r.grids);
}, 120_000);

const A = '412000001' as VesselId;
const B = '412000002' as VesselId;
/** Winter, so no moratorium zone comes and goes during these tests. */
const T0 = Date.parse('2025-12-01T00:00:00Z');

function summary(events: readonly { kind: string; layer: string; gridId: string }[]): string[] {
  return events.map((e) => `${e.kind} ${e.layer} ${e.gridId}`);
}

describe('GridTracker', () => {
  it('a vessel sailing east across 122°E at 30°45′N: exit CG-01 + enter CG-02 at that fix, occupancy follows', () => {
    const tracker = new GridTracker();
    const lat = 30.75;
    let t = T0;
    const first = tracker.update(A, index.assign(lat, 121.99, t), t, lat, 121.99);
    // The first fix enters everything it is in.
    expect(summary(first)).toEqual([
      'enter static SG-03',
      'enter control CG-01',
      'enter patrol PG-N',
      'enter zone CN-TRAWL-ZONE',
      'enter zone FG-ZHOUSHAN',
      'enter fishingZone FZ-N3030-E12130-6',
    ]);
    expect(tracker.occupancy().get('CG-01')).toBe(1);
    // 0.001° steps east (≈ 96 m, 10 s at ≈ 19 kn): nothing until the fix at or past 122°E.
    let crossing: ReturnType<GridTracker['update']> = [];
    let crossedAt = 0;
    for (let lon = 121.991; lon < 122.01; lon += 0.001) {
      t += 10_000;
      const ev = tracker.update(A, index.assign(lat, lon, t), t, lat, lon);
      if (lon < 122) expect(ev).toEqual([]);
      else if (crossedAt === 0) {
        crossing = ev;
        crossedAt = t;
      } else expect(ev).toEqual([]);
    }
    expect(summary(crossing)).toEqual(['exit control CG-01', 'exit fishingZone FZ-N3030-E12130-6', 'enter control CG-02', 'enter fishingZone FZ-N3030-E12200-4']);
    expect(crossing.every((e) => e.atMs === crossedAt && e.vesselId === A && e.lat === lat && e.lon >= 122)).toBe(true);
    expect(tracker.occupancy().get('CG-01')).toBeUndefined();
    expect(tracker.occupancy().get('CG-02')).toBe(1);
    expect(tracker.occupancy().get('PG-N')).toBe(1);
  });

  it('counts several vessels, and stays consistent when vessels are removed or expire', () => {
    const tracker = new GridTracker();
    tracker.update(A, index.assign(30.75, 121.75, T0), T0, 30.75, 121.75); // CG-01
    tracker.update(B, index.assign(30.8, 121.9, T0 + 5000), T0 + 5000, 30.8, 121.9); // CG-01 too
    expect(tracker.occupancy().get('CG-01')).toBe(2);
    expect(tracker.occupancy().get('SG-03')).toBe(2);
    expect(tracker.remove(A)).toBe(true);
    expect(tracker.remove(A)).toBe(false);
    expect(tracker.occupancy().get('CG-01')).toBe(1);
    expect(tracker.expire(T0 + 1)).toEqual([]);
    expect(tracker.expire(T0 + 5001)).toEqual([B]);
    expect(tracker.occupancyObject()).toEqual({});
    expect(tracker.size).toBe(0);
  });

  it('an older fix changes nothing and gives no events; a fix at the same time applies', () => {
    const tracker = new GridTracker();
    const inCg01 = index.assign(30.75, 121.99, T0);
    const inCg02 = index.assign(30.75, 122.01, T0);
    tracker.update(A, inCg01, T0, 30.75, 121.99);
    expect(tracker.update(A, inCg02, T0 - 1, 30.75, 122.01)).toEqual([]);
    expect(tracker.membershipOf(A)).toBe(inCg01);
    expect(tracker.occupancy().get('CG-01')).toBe(1);
    expect(summary(tracker.update(A, inCg02, T0, 30.75, 122.01))).toContain('enter control CG-02');
  });

  it('zones come and go with the moratorium dates even when the vessel does not move', () => {
    const tracker = new GridTracker();
    const start = Date.parse('2025-05-01T04:00:00Z');
    tracker.update(A, index.assign(30.75, 121.75, start - 1), start - 1, 30.75, 121.75);
    expect(summary(tracker.update(A, index.assign(30.75, 121.75, start), start, 30.75, 121.75))).toEqual(['enter zone MOR-35-2630']);
    expect(tracker.occupancy().get('MOR-35-2630')).toBe(1);
  });

  it('handles hand-made memberships with several changes in one layer, exits before enters', () => {
    const tracker = new GridTracker();
    const m = (zones: string[]): GridMembership => ({ static: [], control: [], patrol: [], zones });
    tracker.update(A, m(['Z1', 'Z3', 'Z5']), 1, 0, 0);
    expect(summary(tracker.update(A, m(['Z2', 'Z3', 'Z6']), 2, 0, 0))).toEqual(['exit zone Z1', 'exit zone Z5', 'enter zone Z2', 'enter zone Z6']);
    expect(tracker.occupancyObject()).toEqual({ Z2: 1, Z3: 1, Z6: 1 });
  });
});
