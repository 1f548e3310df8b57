/**
 * The proof of "more than one machine" (issue 16 §5): the simulator's Zhoushan scenario (10 min,
 * 40 fishing boats in 5 fleets, 6 merchants; scripted collision course, route deviation, straggler,
 * two signal losses) through two cluster instances on Debian Mosquitto (MQTT 5 shared subscription
 * for the raw feed, fix topics per H3 cell) and Debian PostgreSQL (leases, one store) raises the
 * same alerts (kind + vessels) as one pipeline on the same feed, none twice — with the partitions
 * chosen so that the scripted collision's two vessels are in partitions owned by different
 * instances. Then one instance is killed at +300 s (in-process: its PostgreSQL lease session
 * terminated by the server, `pg_terminate_backend`, and its MQTT links dropped without waiting —
 * not a SIGKILL of a child process) and the survivor takes over its partitions (warm start from
 * the store, open alerts adopted) and raises the alerts that come after.
 *
 * Receipt times: every instance's clock is the test's feed clock (the scenario is from 2025), set
 * before each second of frames is published; the baseline receives each frame at its own time.
 * The feed waits while the survivor takes over (the ownerless moment is a documented limit, not
 * part of what this compares).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lifecycle, parseRouteFile, RouteBook, type Decider } from '../alerts/index.js';
import { PartitionMap, SeaGridIndex, SeaPicture } from '../geo/index.js';
import { MqttPublisher } from '../ingest/adapters.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import { parseRegistry, VesselRegistry, type AlertChange, type H3Cell, type LatLon, type VesselId } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { alertRules } from './alert-rules.js';
import { ClusterDecider, ClusterNode, Ownership } from './cluster.js';
import { Pipeline } from './pipeline.js';
import { readSeaGrids } from './refdata.js';

interface Frame {
  readonly atMs: number;
  readonly topic: string;
  readonly payload: string;
}
const SCENARIO = JSON.parse(readFileSync('fixtures/scenarios/zhoushan-small.json', 'utf8')) as {
  parameters: { startMs: number; durationMs: number };
  incidents: { kind: string; vesselIds: VesselId[] }[];
  registry: unknown;
};
const FRAMES = readFileSync('fixtures/scenarios/zhoushan-small.payloads.ndjson', 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as Frame);
const { startMs, durationMs } = SCENARIO.parameters;
const KILL_AT_MS = startMs + 300_000;
const GRIDS = readSeaGrids();
const ROUTES = (() => {
  const r = parseRouteFile(readFileSync('fixtures/routes/zhoushan-small-lanes.geojson', 'utf8'));
  if (!r.ok) throw new Error(r.code);
  return r.value;
})();

function registry(): VesselRegistry {
  const parsed = parseRegistry(JSON.stringify(SCENARIO.registry), 'json');
  if (!parsed.ok) throw new Error(parsed.detail);
  return new VesselRegistry(parsed.value);
}

/** The serve command's pipeline and rules (app/alert-rules.ts), over a decider of the caller's. */
function pipelineWith(reg: VesselRegistry, lifecycle: Lifecycle, decider: Decider): Pipeline {
  const sea = new SeaPicture(reg, SeaGridIndex.build(GRIDS, { res: 7 }));
  return new Pipeline({
    topicPrefix: '',
    registry: reg,
    sea,
    live: { maxFutureMs: Infinity },
    rules: (live) => alertRules(live, sea, reg, GRIDS, new RouteBook(ROUTES), lifecycle).rules,
    decider,
    onRuleError: (rule, e) => {
      throw new Error(`${rule}: ${String(e)}`);
    },
  });
}

const key = (c: AlertChange): string => `${c.alert.kind}|${[...c.alert.vesselIds].sort().join('+')}`;

interface Raise {
  readonly key: string;
  readonly id: string;
  readonly atMs: number;
  readonly where: readonly (LatLon | undefined)[];
}

/** One pipeline, every frame at its own time, a tick each second: the single-instance answer. */
function baseline(): { raises: Raise[]; cells: LatLon[] } {
  const reg = registry();
  const lc = new Lifecycle();
  const p = pipelineWith(reg, lc, lc);
  const raises: Raise[] = [];
  const cells: LatLon[] = [];
  const take = (cs: readonly AlertChange[]): void => {
    for (const c of cs) if (c.action === 'raise') raises.push({ key: key(c), id: c.alertId, atMs: c.alert.raisedAtMs, where: c.alert.vesselIds.map((v) => {
          const at = p.live.get(v); // the live state moves on: copy where it is now
          return at === undefined ? undefined : { lat: at.lat, lon: at.lon };
        }) });
  };
  let i = 0;
  for (let t = startMs; t <= startMs + durationMs; t += 1000) {
    for (; i < FRAMES.length && FRAMES[i]!.atMs <= t; i++) {
      const f = FRAMES[i]!;
      const out = p.onFrame({ topic: f.topic, payload: Buffer.from(f.payload), receivedAtMs: f.atMs });
      for (const x of out.fixes) cells.push(x.report);
      take(out.alertChanges);
    }
    take(p.tick(t).alertChanges);
  }
  return { raises, cells };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const until = async (ok: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
};

describe.skipIf(!mosquittoAvailable() || !postgresAvailable())('two cluster instances vs one pipeline, then one killed (Debian Mosquitto + PostgreSQL)', () => {
  let broker: Mosquitto;
  let db: Postgres;
  const dirs: string[] = [];
  beforeAll(async () => {
    [broker, db] = await Promise.all([startMosquitto(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([broker?.dispose(), db?.dispose()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('same alerts as one instance, none twice; the survivor takes over and raises those after the kill', async () => {
    const base = baseline();
    const collision = SCENARIO.incidents.find((x) => x.kind === 'collision-course')!;
    const collisionKey = `collision|${[...collision.vesselIds].sort().join('+')}`;
    const scripted = base.raises.find((r) => r.key === collisionKey);
    expect(scripted, 'the baseline raises the scripted collision').toBeDefined();
    // The finest plan whose partition border runs between the two vessels when the alert is raised.
    // (The pair is ≈ 3 nm apart when it is raised: only small partitions split it.)
    const map = [
      { topicRes: 6, partitionRes: 4 },
      { topicRes: 6, partitionRes: 5 },
      { topicRes: 7, partitionRes: 6 },
    ]
      .map((plan) => new PartitionMap(plan))
      .find((m) => {
        const [a, b] = scripted!.where;
        return a !== undefined && b !== undefined && m.partitionOf(a.lat, a.lon) !== m.partitionOf(b.lat, b.lon);
      });
    expect(map, 'a plan that puts the collision across a border').toBeDefined();
    const low = [...collision.vesselIds].sort()[0]!;
    const lowAt = scripted!.where[collision.vesselIds.indexOf(low)]!;
    const highAt = scripted!.where[1 - collision.vesselIds.indexOf(low)]!;
    const pLow = map!.partitionOf(lowAt.lat, lowAt.lon);
    const pHigh = map!.partitionOf(highAt.lat, highAt.lon);
    // Every partition the feed touches; ordered so that A keeps pLow's side and hands pHigh's to B.
    const others = [...new Set(base.cells.map((c) => map!.partitionOf(c.lat, c.lon)))].filter((p) => p !== pLow && p !== pHigh).sort();
    const half = Math.ceil((others.length + 2) / 2) - 1;
    const partitions: H3Cell[] = [pLow, ...others.slice(0, half), ...others.slice(half), pHigh];

    const changes = new Map<string, AlertChange[]>([
      ['a', []],
      ['b', []],
    ]);
    let clock = startMs;
    const stores: Store[] = [];
    const nodes = new Map<string, ClusterNode>();
    const start = async (name: string, startAt: number): Promise<ClusterNode> => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-cluster-'));
      dirs.push(dataDir);
      const store = await openStore({ databaseUrl: db.url, dataDir, flushIntervalMs: 50 });
      stores.push(store);
      const reg = registry();
      const ownership = new Ownership(map!);
      const lifecycle = new Lifecycle();
      const pipeline = pipelineWith(reg, lifecycle, new ClusterDecider(lifecycle, ownership));
      const node = new ClusterNode({
        brokerUrl: broker.url,
        instance: name,
        topicPrefix: '',
        ownership,
        partitions,
        leaseStartAt: startAt,
        databaseUrl: db.url,
        cluster: 'proof',
        leaseCheckMs: 200,
        tickMs: 0,
        pipeline,
        lifecycle,
        store,
        registry: reg,
        recording: { onError: (e) => console.error(e), publish: (c) => changes.get(name)!.push(c) },
        now: () => clock,
        onError: (what, e) => console.error(`${name} ${what}: ${e.message}`),
      });
      await node.start();
      nodes.set(name, node);
      return node;
    };
    const a = await start('a', 0);
    const b = await start('b', partitions.length - 1);
    const share = Math.ceil(partitions.length / 2);
    await until(() => a.lease.owned().size === share && b.lease.owned().size === partitions.length - share, 'leases settle at a fair split');
    expect(a.lease.owned().has(pLow)).toBe(true);
    expect(b.lease.owned().has(pHigh)).toBe(true);
    await Promise.all([a.settle(), b.settle()]);

    const feeder = await MqttPublisher.connect(broker.url);
    let published = 0;
    const live = (): ClusterNode[] => [...nodes.values()];
    /** Until every published frame was decoded, every republished fix acknowledged and the owners quiet. */
    const drain = async (): Promise<void> => {
      await feeder.flush();
      await until(() => live().reduce((s, n) => s + n.counters.decoded, 0) >= published - decodedByDead, 'frames decoded');
      let last = -1;
      for (;;) {
        await Promise.all(live().map((n) => n.settle()));
        const received = live().reduce((s, n) => s + n.counters.received, 0);
        if (received === last) return;
        last = received;
        await sleep(4);
      }
    };
    let decodedByDead = 0;
    try {
      let i = 0;
      for (let t = startMs; t <= startMs + durationMs; t += 1000) {
        clock = t;
        if (t === KILL_AT_MS) {
          // B dies: PostgreSQL drops its lease session (its locks go with it), its MQTT links are cut.
          const admin = new pg.Client({ connectionString: db.url });
          await admin.connect();
          const killed = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'seagrid-lease:proof/b'");
          await admin.end();
          expect(killed.rowCount).toBe(1);
          decodedByDead = b.counters.decoded;
          published -= decodedByDead;
          nodes.delete('b');
          await b.stop(0);
          await until(() => a.lease.owned().size === partitions.length, 'the survivor holds every partition');
          await a.settle();
          expect(a.counters.takeovers).toBeGreaterThanOrEqual(2);
          decodedByDead = 0;
          published = a.counters.decoded;
        }
        let sent = 0;
        for (; i < FRAMES.length && FRAMES[i]!.atMs <= t; i++, sent++) void feeder.send(FRAMES[i]!.topic, FRAMES[i]!.payload);
        published += sent;
        if (sent > 0) await drain();
        for (const n of live()) n.tick();
      }
    } finally {
      await feeder.close();
      for (const n of nodes.values()) await n.stop();
      for (const s of stores) await s.close();
    }

    const before = (rs: readonly Raise[]): Raise[] => rs.filter((r) => r.atMs < KILL_AT_MS);
    console.log(`cluster proof: ${partitions.length} partitions (H3 res ${map!.partitionRes}, topics res ${map!.topicRes}), baseline raises ${base.raises.length} (${before(base.raises).length} before the kill), A ${changes.get('a')!.length} changes, B ${changes.get('b')!.length}; A restored ${a.counters.restoredFixes} fixes and adopted ${a.counters.adoptedAlerts} open alerts at takeovers`);
    const raisesOf = (name: string): Raise[] => changes.get(name)!.filter((c) => c.action === 'raise').map((c) => ({ key: key(c), id: c.alertId, atMs: c.alert.raisedAtMs, where: [] }));
    const cluster = [...raisesOf('a'), ...raisesOf('b')];
    const keys = (rs: readonly Raise[]): string[] => rs.map((r) => r.key).sort();
    // None twice: each alert raised by one instance, once.
    expect(new Set(cluster.map((r) => r.id)).size).toBe(cluster.length);
    // Before the kill: both instances together raise what one pipeline raises.
    expect(keys(before(cluster))).toEqual(keys(before(base.raises)));
    // The scripted collision across the border was raised by A (the owner of its anchor), not B.
    expect(raisesOf('a').filter((r) => r.key === collisionKey)).toHaveLength(1);
    expect(raisesOf('b').filter((r) => r.key === collisionKey)).toHaveLength(0);
    // After the kill: the survivor raises what one pipeline raises.
    const after = (rs: readonly Raise[]): Raise[] => rs.filter((r) => r.atMs >= KILL_AT_MS);
    expect(keys(after(raisesOf('a')))).toEqual(keys(after(base.raises)));
    expect(after(base.raises).length).toBeGreaterThan(0);
    // One store: no alert stored twice.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const dup = await admin.query('select alert_id, count(*) from alerts group by alert_id having count(*) > 1');
      expect(dup.rows).toEqual([]);
      const stored = await admin.query('select kind, vessel_ids from alerts');
      expect(stored.rows.map((r: { kind: string; vessel_ids: string[] }) => `${r.kind}|${[...r.vessel_ids].sort().join('+')}`).sort()).toEqual(keys(base.raises));
    } finally {
      await admin.end();
    }
  }, 90_000);
});
