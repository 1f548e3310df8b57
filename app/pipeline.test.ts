import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CollisionRule, Lifecycle, type Rule, type Signal } from '../alerts/index.js';
import { SeaGridIndex, SeaPicture, type GridDef } from '../geo/index.js';
import { readSeaGrids } from './refdata.js';
import { rmcSentence } from '../sim/index.js';
import { asMmsi, parseRegistry, VesselRegistry, type AlertChange, type BeidouCard, type GridEvent, type PositionReport, type VesselId } from '../model/index.js';
import { MetricsRegistry } from './metrics.js';
import { Pipeline } from './pipeline.js';
import { exposePipelineMetrics } from './pipeline-metrics.js';

function registry(): VesselRegistry {
  const parsed = parseRegistry(readFileSync('fixtures/registry/zhoushan-example.csv', 'utf8'), 'csv');
  if (!parsed.ok) throw new Error(parsed.detail);
  return new VesselRegistry(parsed.value);
}

function gridDefs(): readonly GridDef[] {
  return readSeaGrids();
}

/** fixtures/geo/sample-feed-lines.tsv: topic<TAB>payload, with comment lines. */
function sampleFeed(): { topic: string; payload: string; negative: boolean }[] {
  const out: { topic: string; payload: string; negative: boolean }[] = [];
  let negative = false;
  for (const line of readFileSync('fixtures/geo/sample-feed-lines.tsv', 'utf8').split('\n')) {
    if (line.startsWith('# NEGATIVE')) negative = true;
    if (line === '' || line.startsWith('#')) continue;
    const [topic, payload] = line.split('\t');
    out.push({ topic: topic!, payload: payload!, negative });
  }
  return out;
}

describe('Pipeline: MQTT frames → live picture', () => {
  it('fuses the AIS MMSI and the BeiDou card of one registered hull into one vessel and one time-ordered track', async () => {
    const metrics = new MetricsRegistry();
    const p = new Pipeline({ topicPrefix: 'zs/', registry: registry(), live: { maxFutureMs: Infinity } });
    exposePipelineMetrics(metrics, p);
    // Receipt a few seconds after each fix, in feed order.
    let t = Date.parse('2025-10-12T03:20:00Z');
    for (const f of sampleFeed()) p.onFrame({ topic: f.topic, payload: Buffer.from(f.payload), receivedAtMs: (t += 1000) });

    // 浙普渔68123: MMSI 412412345 + card 1234567 (registry); fixes read off the NMEA text:
    // RMC 03:15:00 29°52.8'N 122°31.2'E, RMC/GGA 03:18:00 29°52.7784'N 122°31.4'E (BeiDou),
    // and the AIS type 1 of the same hull at c:1760238900 (03:15:00).
    const v = p.live.get('412412345');
    expect(v).toBeDefined();
    expect(v!.name).toBe('浙普渔68123');
    const track = p.live.track('412412345');
    const sources = new Set(track.map((pt) => pt.source));
    expect(sources).toEqual(new Set(['ais', 'beidou']));
    const times = track.map((pt) => pt.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The latest fix is the BeiDou one at 03:18:00, so it places the vessel.
    expect(v!.atMs).toBe(Date.parse('2025-10-12T03:18:00Z'));
    expect(v!.source).toBe('beidou');
    expect(v!.lat).toBeCloseTo(29 + 52.7784 / 60, 6);
    expect(v!.lon).toBeCloseTo(122 + 31.4 / 60, 6);

    // The card-only hull 浙普渔68124 (card 2000001) is its own vessel bd2000001.
    expect(p.live.get('bd2000001')?.lat).toBeCloseTo(30 + 5.12 / 60, 6);
    // No fix (status V) and the wrong checksum are counted by code.
    const text = await metrics.render();
    expect(text).toMatch(/seagrid_rejected_total\{code="beidou\.no_fix"\} 1/);
    expect(text).toMatch(/seagrid_rejected_total\{code="nmea\.checksum"\} 1/);
  });

  it('counts a message on an unknown topic instead of decoding it', async () => {
    const metrics = new MetricsRegistry();
    const p = new Pipeline({ topicPrefix: '', registry: VesselRegistry.empty() });
    exposePipelineMetrics(metrics, p);
    p.onFrame({ topic: 'weather/raw/x', payload: Buffer.from('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'), receivedAtMs: 0 });
    expect(p.live.size).toBe(0);
    expect((await metrics.render())).toMatch(/seagrid_rejected_total\{code="mqtt\.topic"\} 1/);
  });

  it('impossible values never reach the live picture as sent: MMSI 0 is refused, COG 409.5 / heading 400 / c:0 are replaced, each counted by code', async () => {
    const metrics = new MetricsRegistry();
    const p = new Pipeline({ topicPrefix: '', registry: VesselRegistry.empty() });
    exposePipelineMetrics(metrics, p);
    const receivedAtMs = Date.parse('2026-11-23T08:00:00Z');
    // Read back with gpsdecode 3.22: MMSI 0; MMSI 412345678 course 409.5; MMSI 412345679 heading 400;
    // MMSI 412345682 under tag block c:0. All at 30.5°N 122.25°E.
    const lines = [
      '!AIVDM,1,1,,A,100000001s8gWKPALtH8h6g20000,0*74',
      '!AIVDM,1,1,,A,169?UCP01s8gWKPALtH?wng20000,0*42',
      '!AIVDM,1,1,,A,169?UCh01s8gWKPALtH8h<Q20000,0*06',
      '\\s:r1,c:0*4F\\!AIVDM,1,1,,A,169?UDP01s8gWKPALtH8h6g20000,0*05',
    ];
    p.onFrame({ topic: 'ais/raw/r1', payload: Buffer.from(lines.join('\r\n')), receivedAtMs });
    expect(p.live.get('000000000')).toBeUndefined();
    expect(p.live.get('412345678')).toMatchObject({ cogDeg: undefined, headingDeg: 215 });
    expect(p.live.get('412345679')).toMatchObject({ cogDeg: 224, headingDeg: undefined });
    expect(p.live.get('412345682')).toMatchObject({ atMs: receivedAtMs });
    const text = await metrics.render();
    expect(text).toMatch(/seagrid_rejected_total\{code="ais\.mmsi"\} 1/);
    expect(text).toMatch(/seagrid_rejected_total\{code="ais\.field_range"\} 2/);
    expect(text).toMatch(/seagrid_rejected_total\{code="ais\.fix_time"\} 1/);
  });
});

describe('Pipeline: locate and record (hops 5 and 8)', () => {
  it('a BeiDou vessel sailing east across 122°E at 30°45′N leaves control grid CG-01 for CG-02 at that fix; every fix is recorded', async () => {
    const reg = registry();
    const sea = new SeaPicture(reg, SeaGridIndex.build(gridDefs(), { res: 7 }));
    const positions: [string, number][] = [];
    const events: GridEvent[] = [];
    const metrics = new MetricsRegistry();
    const p = new Pipeline({
      topicPrefix: '',
      registry: reg,
      live: { maxFutureMs: Infinity },
      sea,
    });
    exposePipelineMetrics(metrics, p, sea);
    const t0 = Date.parse('2025-10-12T03:00:00Z');
    // 3 min apart (the BeiDou interval), 0.02° of longitude each ≈ 1.03 nm: 20.6 kn.
    const lons = [121.97, 121.99, 122.01, 122.03];
    lons.forEach((lon, i) => {
      const line = rmcSentence({ talker: 'BD', atMs: t0 + i * 180_000, lat: 30.75, lon, sogKn: 20.6, cogDeg: 90 });
      const out = p.onFrame({ topic: 'beidou/raw/1234567', payload: Buffer.from(line + '\r\n'), receivedAtMs: t0 + i * 180_000 + 2000 });
      for (const f of out.fixes) positions.push([f.vesselId, f.report.atMs]);
      events.push(...out.gridEvents);
    });
    expect(positions).toEqual(lons.map((_, i) => ['412412345', t0 + i * 180_000]));
    const crossing = events.filter((e) => e.atMs === t0 + 2 * 180_000 && e.layer === 'control');
    expect(crossing.map((e) => `${e.kind} ${e.gridId}`)).toEqual(['exit CG-01', 'enter CG-02']);
    // The first fix entered its grids; the last crossed nothing.
    expect(events.filter((e) => e.atMs === t0).every((e) => e.kind === 'enter')).toBe(true);
    expect(events.some((e) => e.layer === 'control' && e.gridId === 'CG-01' && e.kind === 'enter' && e.atMs === t0)).toBe(true);
    expect(events.filter((e) => e.atMs === t0 + 3 * 180_000)).toEqual([]);
    const m = sea.membership('412412345' as VesselId);
    expect(m).toMatchObject({ control: ['CG-02'], patrol: ['PG-N'], static: ['SG-03'] });
    expect(sea.tracker.occupancy().get('CG-02')).toBe(1);
    expect(sea.tracker.occupancy().get('CG-01') ?? 0).toBe(0);
    const text = await metrics.render();
    expect(text).toContain('seagrid_grid_occupancy{grid="CG-02",layer="control"} 1');
    expect(text).toContain('seagrid_grid_events_total{kind="exit",layer="control"} 1');
    expect(text).toContain('seagrid_vessels_located_total 4');
  });
});

describe('Pipeline: the evaluate and decide slots', () => {
  it('runs each rule isolated: a throwing rule is counted and reported, the others still reach the decider', async () => {
    const metrics = new MetricsRegistry();
    const reported: string[] = [];
    const seen: Signal[][] = [];
    const calm: Rule = {
      name: 'calm',
      onFixes: (b) => b.moved.map((f) => ({ kind: 'zone', key: `calm:${f.vesselId}`, severity: 'info', vesselIds: [f.vesselId], atMs: f.report.atMs, details: {} })),
    };
    const broken: Rule = {
      name: 'broken',
      onFixes: () => {
        throw new Error('boom');
      },
    };
    const p = new Pipeline({
      topicPrefix: '',
      registry: VesselRegistry.empty(),
      live: { maxFutureMs: Infinity },
      rules: [broken, calm],
      onRuleError: (rule, e) => reported.push(`${rule}: ${(e as Error).message}`),
      decider: {
        decide: (signals) => {
          seen.push([...signals]);
          return [];
        },
      },
    });
    exposePipelineMetrics(metrics, p);
    // gpsd sample.aivdm: MMSI 371798000 and 440348000, one type 1 each.
    const out = p.onFrame({ topic: 'ais/raw/r1', payload: Buffer.from('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42'), receivedAtMs: 1_000 });
    expect(out.fixes.map((f) => [f.vesselId, f.moved])).toEqual([
      ['371798000', true],
      ['440348000', true],
    ]);
    expect([...out.changed].sort()).toEqual(['371798000', '440348000']);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.map((s) => s.key)).toEqual(['calm:371798000', 'calm:440348000']);
    expect(reported).toEqual(['broken: boom']);
    expect((await metrics.render())).toContain('seagrid_rule_errors_total{rule="broken"} 1');
  });

  it('a frame that moves nothing asks no rule and changes no vessel', () => {
    let asked = 0;
    const p = new Pipeline({ topicPrefix: '', registry: VesselRegistry.empty(), rules: [{ name: 'count', onFixes: () => (asked++, []) }] });
    const out = p.onFrame({ topic: 'ais/raw/r1', payload: Buffer.from('not nmea'), receivedAtMs: 0 });
    expect(out.fixes).toEqual([]);
    expect(out.changed.size).toBe(0);
    expect(asked).toBe(0);
  });

  it('tick runs the decider\'s holds: a condition whose clear arrives in a quiet spell is marked cleared 60 s later, with no new fix', () => {
    // The default policy: danger raises at once, a clear holds 60 s (alerts/policy.ts's documented defaults).
    let fixes = 0;
    const rule: Rule = {
      name: 'once',
      onFixes: (b) =>
        b.moved.map((f) => ({ kind: 'zone', key: `once:${f.vesselId}`, severity: fixes++ === 0 ? 'danger' : undefined, vesselIds: [f.vesselId], atMs: f.report.atMs, details: {} })),
    };
    const p = new Pipeline({ topicPrefix: '', registry: VesselRegistry.empty(), live: { maxFutureMs: Infinity }, rules: [rule], decider: new Lifecycle() });
    const t0 = Date.UTC(2025, 6, 1, 8);
    const line = (t: number): Buffer => Buffer.from(rmcSentence({ talker: 'BD', atMs: t, lat: 29.9 + (t - t0) / 1e8, lon: 122.3, sogKn: 5, cogDeg: 0 }));
    const raised = p.onFrame({ topic: 'beidou/raw/3000001', payload: line(t0), receivedAtMs: t0 });
    expect(raised.alertChanges.map((c) => c.action)).toEqual(['raise']);
    const cleared = p.onFrame({ topic: 'beidou/raw/3000001', payload: line(t0 + 10_000), receivedAtMs: t0 + 10_000 });
    expect(cleared.alertChanges).toEqual([]); // the clear waits for its hold
    expect(p.tick(t0 + 69_000).alertChanges).toEqual([]);
    const due = p.tick(t0 + 71_000).alertChanges;
    expect(due.map((c) => [c.action, c.alert.cleared, c.atMs])).toEqual([['update', true, t0 + 70_000]]);
    expect(p.counters.ruleEvaluation.count).toBeGreaterThanOrEqual(2);
  });

  it('builds its rules over its own live picture when given a function', () => {
    let seen: unknown;
    const p = new Pipeline({ topicPrefix: '', registry: VesselRegistry.empty(), rules: (live) => ((seen = live), []) });
    expect(seen).toBe(p.live);
  });
});

describe('Pipeline.restore: the warm start after a restart', () => {
  it('places the last known fix in the grids without grid events, so the next live fix in the same grids enters nothing; without it that fix enters them all', () => {
    const t0 = Date.parse('2025-10-12T03:00:00Z');
    // 浙普渔68123's BeiDou card at 30°45′N 122°01′E (control grid CG-02), 3 min apart.
    const restored: PositionReport = { source: 'beidou', beidouCard: '1234567' as BeidouCard, atMs: t0, receivedAtMs: t0, lat: 30.75, lon: 122.01, sogKn: 0.5, cogDeg: 90 };
    const next = rmcSentence({ talker: 'BD', atMs: t0 + 180_000, lat: 30.75, lon: 122.0101, sogKn: 0.5, cogDeg: 90 });
    const run = (warm: boolean): { restoredFixes: number; events: GridEvent[]; membership: unknown } => {
      const reg = registry();
      const sea = new SeaPicture(reg, SeaGridIndex.build(gridDefs(), { res: 7 }));
      const p = new Pipeline({ topicPrefix: '', registry: reg, live: { maxFutureMs: Infinity }, sea });
      const restoredFixes = warm ? p.restore([restored]) : 0;
      const membership = sea.membership('412412345' as VesselId);
      const out = p.onFrame({ topic: 'beidou/raw/1234567', payload: Buffer.from(`${next}\r\n`), receivedAtMs: t0 + 182_000 });
      expect(out.fixes.map((f) => f.vesselId)).toEqual(['412412345']);
      return { restoredFixes, events: [...out.gridEvents], membership };
    };
    const cold = run(false);
    expect(cold.events.filter((e) => e.kind === 'enter').map((e) => e.gridId)).toContain('CG-02');
    const warm = run(true);
    expect(warm.restoredFixes).toBe(1);
    expect(warm.membership).toMatchObject({ control: ['CG-02'] });
    expect(warm.events).toEqual([]);
  });

  it('tells the rules which vessels it restored (a cluster takeover restores into a running pipeline), and only those that moved', () => {
    const t0 = Date.parse('2025-10-12T03:00:00Z');
    const told: VesselId[][] = [];
    const p = new Pipeline({ topicPrefix: '', registry: registry(), live: { maxFutureMs: Infinity }, rules: [{ name: 'copies', onRestored: (ids) => told.push([...ids]) }] });
    const fix = (mmsi: number, atMs: number): PositionReport => ({ source: 'ais', mmsi: asMmsi(mmsi), atMs, receivedAtMs: atMs, lat: 30.75, lon: 122.01, sogKn: 5, cogDeg: 90 });
    expect(p.restore([fix(412_000_001, t0), fix(412_000_002, t0)])).toBe(2);
    // The same fix again moves nothing: nothing to tell.
    p.restore([fix(412_000_001, t0)]);
    expect(told).toEqual([['412000001', '412000002']]);
  });
});

describe('Pipeline.reevaluate: the rules\' memory after a kill -9', () => {
  // Two boats closing head-on at 10 kn each, 2 nm apart and 0.3 nm off each other's track: a
  // warning (CPA 0.3 nm in 6 min), which the default policy raises once it has held 20 s. Both
  // report every 10 s. The process dies 15 s in, with the hold under way and nothing raised.
  const t0 = Date.parse('2025-10-12T03:00:00Z');
  const NM_LON = 1 / (60 * Math.cos((30 * Math.PI) / 180));
  const run = (nm: number): number => (10 / 3600) * nm;
  const fixes = (tS: number): PositionReport[] => [
    { source: 'ais', mmsi: asMmsi(412_000_001), atMs: t0 + tS * 1000, receivedAtMs: t0 + tS * 1000, lat: 30, lon: 122 + run(tS) * NM_LON, sogKn: 10, cogDeg: 90 },
    { source: 'ais', mmsi: asMmsi(412_000_002), atMs: t0 + tS * 1000, receivedAtMs: t0 + tS * 1000, lat: 30 + 0.3 / 60, lon: 122 + (2 - run(tS)) * NM_LON, sogKn: 10, cogDeg: 270 },
  ];
  const pipeline = (decider: Lifecycle): Pipeline => {
    const reg = VesselRegistry.empty();
    const sea = new SeaPicture(reg, SeaGridIndex.build(gridDefs(), { res: 7 }));
    return new Pipeline({ topicPrefix: '', registry: reg, live: { maxFutureMs: Infinity }, sea, rules: (live) => [new CollisionRule(live, sea)], decider });
  };
  // A second's fixes, then the second's tick (the service ticks once a second).
  const feed = (p: Pipeline, tS: number): AlertChange[] => [...p.onRecords(fixes(tS).map((report) => ({ kind: 'position' as const, report }))).alertChanges, ...p.tick(t0 + tS * 1000).alertChanges];
  const raises = (changes: readonly AlertChange[]): string[] => changes.filter((c) => c.action === 'raise').map((c) => `${c.alert.id} ${c.alert.severity} +${(c.atMs - t0) / 1000} s`);

  it('the stored fixes of the last span back through the rules raise what the hold would have raised, at the same moment, as the same alert', () => {
    // Without a fault: raised as the 20 s fixes arrive, at +20 s.
    const whole = pipeline(new Lifecycle());
    const fromWhole = [0, 10, 20, 30].flatMap((t) => feed(whole, t));
    expect(raises(fromWhole)).toHaveLength(1);
    expect(raises(fromWhole)[0]).toMatch(/ warning \+20 s$/);

    // Stored before the kill: the fixes at 0 and 10 s. Restarted with nothing open in the store.
    const stored = [0, 10].flatMap(fixes);
    const again = pipeline(Lifecycle.restore([]));
    again.restore([]);
    const rebuilt = again.reevaluate(stored);
    expect(rebuilt.fixes).toBe(4);
    expect(raises(rebuilt.alertChanges)).toEqual([]);
    const after = [20, 30].flatMap((t) => feed(again, t));
    expect(raises([...rebuilt.alertChanges, ...after])).toEqual(raises(fromWhole));

    // The warm start alone (the last fixes placed, no rule run) starts the hold again at 20 s.
    const warmOnly = pipeline(Lifecycle.restore([]));
    warmOnly.restore(fixes(10));
    const late = raises([20, 30, 40].flatMap((t) => feed(warmOnly, t)));
    expect(late).toHaveLength(1);
    expect(late[0]).toMatch(/ warning \+40 s$/);
  });

  it('an alert open before the kill comes back unchanged: the fixes run again record nothing it already had', () => {
    // Without a fault: raised at +20 s, its figures updated as the boats close, to +60 s.
    const whole = pipeline(new Lifecycle());
    const before = [0, 10, 20, 30, 40, 50, 60].flatMap((t) => feed(whole, t));
    expect(raises(before)).toHaveLength(1);
    expect(before.filter((c) => c.action === 'update').length).toBeGreaterThan(0);
    const open = [...new Map(before.map((c) => [c.alertId, c.alert] as const)).values()];
    // Stored: every fix to +60 s and every change; restarted, the last 60 s run again.
    const again = pipeline(Lifecycle.restore(open));
    again.restore([0, 10, 20, 30, 40, 50, 60].flatMap(fixes));
    expect(again.reevaluate([0, 10, 20, 30, 40, 50, 60].flatMap(fixes)).alertChanges).toEqual([]);
    // The feed goes on: the same alert, its next seq.
    const next = [70, 80, 90, 100].flatMap((t) => feed(again, t));
    expect(raises(next)).toEqual([]);
    expect(next.length).toBeGreaterThan(0);
    expect(next[0]).toMatchObject({ alertId: open[0]!.id, seq: (open[0]!.seq ?? 0) + 1, action: 'update' });
  });
});
