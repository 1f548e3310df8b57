import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { fixtureSeaGrids } from '../geo/test-support.js';
import { rmcSentence } from '../sim/index.js';
import { parseRegistry, VesselRegistry, type FleetId, type VesselId } from '../model/index.js';
import { MetricsRegistry } from './metrics.js';
import { Pipeline, type PipelineOutcome } from './pipeline.js';
import { exposePipelineMetrics } from './pipeline-metrics.js';

function registry(): VesselRegistry {
  const parsed = parseRegistry(readFileSync('fixtures/registry/zhoushan-example.csv', 'utf8'), 'csv');
  if (!parsed.ok) throw new Error(parsed.detail);
  return new VesselRegistry(parsed.value);
}

function seaPicture(reg: VesselRegistry): SeaPicture {
  const loaded = fixtureSeaGrids();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return new SeaPicture(reg, SeaGridIndex.build(loaded.grids, { res: 7 }));
}

describe('Pipeline: a vessel not heard for VESSEL_FORGET_AFTER leaves the picture and everything located with it', () => {
  it('grid occupancy, membership, neighbour index and fleet position go at the tick after the limit; no exit events', async () => {
    const reg = registry();
    const sea = seaPicture(reg);
    const metrics = new MetricsRegistry();
    const events: string[] = [];
    const p = new Pipeline({
      topicPrefix: '',
      registry: reg,
      live: { maxFutureMs: Infinity, forgetAfterMs: 3_600_000 },
      sea,
    });
    exposePipelineMetrics(metrics, p, sea);
    const record = (out: PipelineOutcome): void => {
      events.push(...out.gridEvents.map((x) => `${x.kind} ${x.gridId}`));
    };
    const t0 = Date.parse('2025-10-12T03:00:00Z');
    // The hull 浙普渔68123 (card 1234567, fleet PT-SJM-017) in control grid CG-01, and an unregistered card nearby.
    for (const card of ['1234567', '7654321']) {
      const line = rmcSentence({ talker: 'BD', atMs: t0, lat: 30.75, lon: card === '1234567' ? 121.97 : 121.98, sogKn: 5, cogDeg: 90 });
      record(p.onFrame({ topic: `beidou/raw/${card}`, payload: Buffer.from(line + '\r\n'), receivedAtMs: t0 + 1000 }));
    }
    const hull = '412412345' as VesselId;
    expect(sea.tracker.occupancy().get('CG-01')).toBe(2);
    expect(sea.neighbours.size).toBe(2);
    expect(sea.fleets.fleet('PT-SJM-017' as FleetId)).toMatchObject({ located: 1 });
    const entered = events.length;

    record(p.tick(t0 + 1000 + 3_600_000));
    expect(p.live.size).toBe(2);
    record(p.tick(t0 + 1001 + 3_600_000));
    expect(p.live.size).toBe(0);
    expect(p.live.get(hull)).toBeUndefined();
    expect(sea.membership(hull)).toBeUndefined();
    expect(sea.tracker.occupancy().get('CG-01')).toBeUndefined();
    expect(sea.tracker.size).toBe(0);
    expect(sea.neighbours.size).toBe(0);
    expect(sea.neighbours.near({ lat: 30.75, lon: 121.97 }, 5)).toEqual([]);
    const fleet = sea.fleets.fleet('PT-SJM-017' as FleetId)!;
    expect(fleet.located).toBe(0);
    expect(fleet.missing).toContain(hull);
    expect(events.length).toBe(entered);
    expect((await metrics.render())).toContain('seagrid_vessels_forgotten_total{reason="aged"} 2');

    // Heard again: located afresh, with enter events (it appeared there).
    const back = rmcSentence({ talker: 'BD', atMs: t0 + 4 * 3_600_000, lat: 30.75, lon: 121.97, sogKn: 5, cogDeg: 90 });
    record(p.onFrame({ topic: 'beidou/raw/1234567', payload: Buffer.from(back + '\r\n'), receivedAtMs: t0 + 4 * 3_600_000 }));
    expect(sea.tracker.occupancy().get('CG-01')).toBe(1);
    expect(events.slice(entered)).toContain('enter CG-01');
    expect(sea.fleets.fleet('PT-SJM-017' as FleetId)).toMatchObject({ located: 1 });
  });
});
