/**
 * Voyage replay against a real Debian PostgreSQL: which vessels a fleet or a grid names, tracks
 * downsampled keeping the turn (the corner fix of an L-shaped run, placed here by hand), the alerts
 * open in the window with their history, and grid crossings; then the route's refusals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertAction, AlertId, FleetId, GridEvent, VesselId } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { REPLAY_MAX_VESSELS, startWebServer, type ReplayView, type WebServer } from '../web/index.js';
import { partsOf, voyageReplay, type ReplayDeps } from './voyage-replay.js';

const T = Date.UTC(2026, 0, 10, 2, 0, 0);
const MIN = 60_000;
const V1 = 'v1-corner' as VesselId;
const V2 = 'v2-straight' as VesselId;
const V3 = 'v3-before' as VesselId;
/** In G1 10 min before the window, out of it at its last fix before: not in G1 at the start. */
const V4 = 'v4-left' as VesselId;
/** In G1 14 min before the window (within the picture's 15 min) and silent since: in G1 at the start, no track. */
const V5 = 'v5-quiet' as VesselId;
/** In G1 exactly 15 min before the window: beyond the picture's lookback. */
const V6 = 'v6-stale' as VesselId;
/** A fleet one more than a replay plays: big-0000 … big-2000. */
const BIG = Array.from({ length: REPLAY_MAX_VESSELS + 1 }, (_, i) => `big-${String(i).padStart(4, '0')}` as VesselId);
const FLEETS: Record<string, VesselId[]> = { F1: [V1, V3], F2: [V2], BIG };
/** Grid G1 by hand: the box around V2's start (30.2°N, 122.2°E). */
const inG1 = (lat: number, lon: number): boolean => lat > 30.15 && lat < 30.25 && lon > 122.15 && lon < 122.25;

const deps = (store: Store): ReplayDeps => ({
  store,
  fleetMembers: (id) => FLEETS[id] ?? [],
  inGridAt: (g, lat, lon) => g === 'G1' && inG1(lat, lon),
  gridBox: (g) => (g === 'G1' ? [122.15, 30.15, 122.25, 30.25] : undefined),
  fileOf: (id) => ({ name: id === V1 ? '浙岱渔01' : null, fleetId: Object.keys(FLEETS).find((f) => FLEETS[f]!.includes(id as VesselId)) ?? null }),
});

function alert(id: string, state: Alert['state'], raisedAtMs: number, atMs: number, seq: number): Alert {
  return { id: id as AlertId, kind: 'collision', severity: 'danger', state, vesselIds: [V1, V2], fleetIds: ['F1', 'F2'] as FleetId[], raisedAtMs, updatedAtMs: atMs, details: { cpaNm: 0.1 }, seq };
}

describe.skipIf(!postgresAvailable())('needs Debian postgresql: voyage replay', () => {
  let pg: Postgres;
  let store: Store;
  let web: WebServer;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-replay-'));

  beforeAll(async () => {
    pg = await startPostgres();
    store = await openStore({ databaseUrl: pg.url, dataDir: dir });
    // V1: east 30 min then north 30 min at 10 kn (1/36 nm = 1/2160° a fix every 10 s), the corner at T + 30 min.
    for (let k = 0; k <= 360; k++) {
      const east = Math.min(k, 180);
      const north = Math.max(0, k - 180);
      store.writePosition(V1, { source: 'ais', atMs: T + k * 10_000, receivedAtMs: T + k * 10_000, lat: 30 + north / 2160, lon: 122 + east / 2160 / Math.cos((30 * Math.PI) / 180), sogKn: 10, cogDeg: k < 180 ? 90 : 0 });
    }
    // V2: straight south from G1's box; V3: only before the window.
    for (let k = 0; k <= 60; k++) store.writePosition(V2, { source: 'beidou', atMs: T + k * 60_000, receivedAtMs: T + k * 60_000, lat: 30.2 - k * 0.002, lon: 122.2, sogKn: 7.2 });
    store.writePosition(V3, { source: 'ais', atMs: T - 30 * MIN, receivedAtMs: T - 30 * MIN, lat: 30.5, lon: 122.5 });
    store.writePosition(V4, { source: 'ais', atMs: T - 10 * MIN, receivedAtMs: T - 10 * MIN, lat: 30.2, lon: 122.2 });
    store.writePosition(V4, { source: 'ais', atMs: T - 5 * MIN, receivedAtMs: T - 5 * MIN, lat: 30.3, lon: 122.2 });
    store.writePosition(V4, { source: 'ais', atMs: T + MIN, receivedAtMs: T + MIN, lat: 30.3, lon: 122.2 });
    store.writePosition(V5, { source: 'ais', atMs: T - 14 * MIN, receivedAtMs: T - 14 * MIN, lat: 30.18, lon: 122.18 });
    store.writePosition(V6, { source: 'ais', atMs: T - 15 * MIN, receivedAtMs: T - 15 * MIN, lat: 30.22, lon: 122.22 });
    store.writePosition(V6, { source: 'ais', atMs: T + MIN, receivedAtMs: T + MIN, lat: 30.6, lon: 122.6 });
    for (const v of BIG) store.writePosition(v, { source: 'ais', atMs: T + MIN, receivedAtMs: T + MIN, lat: 31, lon: 123 });
    const ev = (vesselId: VesselId, gridId: string, kind: 'enter' | 'exit', atMs: number): GridEvent => ({ vesselId, layer: 'static', gridId, kind, atMs, lat: 30, lon: 122 });
    store.recordGridEvents([ev(V1, 'G1', 'enter', T + 5 * MIN), ev(V1, 'G1', 'exit', T + 35 * MIN), ev(V2, 'G2', 'enter', T + 20 * MIN), ev(V1, 'G1', 'enter', T + 90 * MIN)]);
    const change = async (id: string, seq: number, action: AlertAction, state: Alert['state'], raisedAtMs: number, atMs: number, actor = 'system'): Promise<void> =>
      store.recordAlertChange({ alertId: id as AlertId, seq, action, atMs, actor, alert: alert(id, state, raisedAtMs, atMs, seq) });
    // A0: over before the window; A1: raised, acknowledged, resolved within it; A2: raised after it.
    await change('A0', 1, 'raise', 'raised', T - 50 * MIN, T - 50 * MIN);
    await change('A0', 2, 'resolve', 'resolved', T - 50 * MIN, T - 40 * MIN, 'wang');
    await change('A1', 1, 'raise', 'raised', T + 10 * MIN, T + 10 * MIN);
    await change('A1', 2, 'acknowledge', 'acknowledged', T + 10 * MIN, T + 15 * MIN, 'wang');
    await change('A1', 3, 'resolve', 'resolved', T + 10 * MIN, T + 40 * MIN, 'wang');
    await change('A2', 1, 'raise', 'raised', T + 70 * MIN, T + 70 * MIN);
    // A4: on V4 alone, within the window: V4 is a candidate of G1's replay (in its box before the window) but not played.
    await store.recordAlertChange({ alertId: 'A4' as AlertId, seq: 1, action: 'raise', atMs: T + 20 * MIN, actor: 'system', alert: { ...alert('A4', 'raised', T + 20 * MIN, T + 20 * MIN, 1), vesselIds: [V4] } });
    // A5: on the quiet vessel alone, within the window.
    await store.recordAlertChange({ alertId: 'A5' as AlertId, seq: 1, action: 'raise', atMs: T + 20 * MIN, actor: 'system', alert: { ...alert('A5', 'raised', T + 20 * MIN, T + 20 * MIN, 1), vesselIds: [V5] } });
    await store.flush();
    web = await startWebServer('127.0.0.1', 0, {
      health: () => ({ status: 'ok' }) as never,
      metrics: () => '',
      vessels: () => ({ vessels: [], next: undefined }),
      vessel: () => undefined,
      track: () => undefined,
      replay: (subject, fromMs, toMs) => voyageReplay(deps(store), subject, fromMs, toMs),
    });
  }, 120_000);
  afterAll(async () => {
    await web?.close();
    await store?.close();
    await pg?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("a fleet's hour: its vessels with fixes in the window, the corner kept, the alert's history, the grid crossings", async () => {
    const r = (await voyageReplay(deps(store), { fleetId: 'F1' }, T, T + 60 * MIN))!;
    expect(r.vessels.map((v) => v.vesselId)).toEqual([V1]);
    const v1 = r.vessels[0]!;
    expect(v1).toMatchObject({ name: '浙岱渔01', fleetId: 'F1', fixes: 360 }); // [T, T + 60 min): the fix at T + 60 min is out
    // Start, corner, last fix: every other fix is on the straight line between them at its time.
    expect(v1.t).toEqual([T, T + 30 * MIN, T + 60 * MIN - 10_000]);
    expect(v1.sogKn).toEqual([10, 10, 10]);
    expect(r.alerts.map((a) => a.alert.id)).toEqual(['A1']);
    expect(r.alerts[0]!.alert.state).toBe('resolved');
    expect(r.alerts[0]!.history.map((h) => [h.action, h.state, h.actor, h.at])).toEqual([
      ['raise', 'raised', 'system', new Date(T + 10 * MIN).toISOString()],
      ['acknowledge', 'acknowledged', 'wang', new Date(T + 15 * MIN).toISOString()],
      ['resolve', 'resolved', 'wang', new Date(T + 40 * MIN).toISOString()],
    ]);
    expect(r.gridEvents.map((e) => [e.vesselId, e.gridId, e.kind])).toEqual([[V1, 'G1', 'enter'], [V1, 'G1', 'exit']]);
    expect(await voyageReplay(deps(store), { fleetId: 'F9' }, T, T + MIN)).toBeUndefined();
  });

  it("a grid's replay: those in it at the start (V2, by the picture) and those crossing its edge (V1), its events only", async () => {
    const r = (await voyageReplay(deps(store), { gridId: 'G1' }, T, T + 60 * MIN))!;
    expect(r.vessels.map((v) => v.vesselId)).toEqual([V1, V2]);
    expect(r.gridEvents.map((e) => `${e.vesselId} ${e.kind}`)).toEqual([`${V1} enter`, `${V1} exit`]);
    // V2 goes straight at steady speed: its ends only.
    expect(r.vessels[1]!.t).toEqual([T, T + 59 * MIN]);
  });

  it("a grid's vessels at the start follow the picture's rule: the last fix within 15 min, in the grid", async () => {
    const r = (await voyageReplay(deps(store), { gridId: 'G1' }, T, T + 60 * MIN))!;
    // V5 was in G1 (no fix in the window: no track, but its alert plays); V4 had left (its alert A4 does not play); V6's fix is too old.
    expect(r.vessels.map((v) => v.vesselId)).toEqual([V1, V2]);
    expect(r.alerts.map((a) => a.alert.id)).toEqual(['A1', 'A5']);
    expect(r.vesselsCut).toBe(0);
    // The same from a picture of the whole sea (no grid box: every vessel's last fix tested).
    const whole = (await voyageReplay({ ...deps(store), gridBox: () => undefined }, { gridId: 'G1' }, T, T + 60 * MIN))!;
    expect(whole).toEqual(r);
  });

  it('over REPLAY_MAX_VESSELS vessels, the first by id play and the answer says how many did not', async () => {
    const r = (await voyageReplay(deps(store), { fleetId: 'BIG' }, T, T + 60 * MIN))!;
    expect(r.vessels.length).toBe(REPLAY_MAX_VESSELS);
    expect(r.vessels[0]!.vesselId).toBe('big-0000');
    expect(r.vessels.at(-1)!.vesselId).toBe('big-1999');
    expect(r.vesselsCut).toBe(1);
    const body = (await (await fetch(`http://127.0.0.1:${web.port}/api/replay?from=${new Date(T).toISOString()}&to=${new Date(T + 60 * MIN).toISOString()}&fleetId=BIG`)).json()) as ReplayView;
    expect(body.vesselsCut).toBe(1);
    expect(body.vessels.some((v) => v.vesselId === 'big-2000')).toBe(false);
  });

  it('the route: one subject, a window of at most 24 h; the answer is the replay', async () => {
    const get = (q: string): Promise<Response> => fetch(`http://127.0.0.1:${web.port}/api/replay?${q}`);
    const from = new Date(T).toISOString();
    const to = new Date(T + 60 * MIN).toISOString();
    const ok = await get(`from=${from}&to=${to}&vessels=${V1},${V2}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as ReplayView;
    expect(body.vessels.map((v) => v.vesselId)).toEqual([V1, V2]);
    expect(body.alerts.map((a) => a.alert.id)).toEqual(['A1']);
    const code = async (q: string): Promise<[number, string]> => {
      const r = await get(q);
      return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
    };
    expect(await code(`from=${from}&to=${to}&vessels=${V1}&fleetId=F1`)).toEqual([400, 'http.bad_param']);
    expect(await code(`from=${from}&to=${to}`)).toEqual([400, 'http.bad_param']);
    expect(await code(`from=${from}&to=${new Date(T + 25 * 3_600_000).toISOString()}&fleetId=F1`)).toEqual([400, 'http.bad_time']);
    expect(await code(`from=${to}&to=${from}&fleetId=F1`)).toEqual([400, 'http.bad_time']);
    expect(await code(`to=${to}&fleetId=F1`)).toEqual([400, 'http.bad_time']);
    expect(await code(`from=${from}&to=${to}&fleetId=F9`)).toEqual([404, 'http.not_found']);
  });
});

describe('partsOf: the read parts of a grid replay', () => {
  /** The smallest largest part over every cut of `w` into at most k consecutive runs (brute force). */
  function bestMax(w: number[], k: number): number {
    if (k === 1 || w.length <= 1) return w.reduce((a, b) => a + b, 0);
    let best = Infinity;
    let head = 0;
    for (let i = 1; i <= w.length; i++) {
      head += w[i - 1]!;
      best = Math.min(best, Math.max(head, i === w.length ? 0 : bestMax(w.slice(i), k - 1)));
    }
    return best;
  }

  it('cuts the sorted ids into consecutive runs whose largest weighs at most the best cut plus one vessel', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(rand() * 12);
      const ids = Array.from({ length: n }, (_, i) => `v${String(i).padStart(2, '0')}`);
      // Heavy ones (class A at 10 s) among light ones (anchored at 3 min), some with no weight known.
      const weight = new Map(ids.flatMap((id) => (rand() < 0.15 ? [] : [[id, rand() < 0.3 ? 90 : 5] as [string, number]])));
      const k = 1 + Math.floor(rand() * 4);
      const parts = partsOf(ids, k, weight);
      expect(parts.flat()).toEqual(ids);
      expect(parts.length).toBeLessThanOrEqual(k);
      expect(parts.every((p) => p.length > 0)).toBe(true);
      const known = [...weight.values()];
      const mean = known.length === 0 ? 1 : known.reduce((a, b) => a + b, 0) / known.length;
      const w = ids.map((id) => weight.get(id) ?? mean);
      const sums = parts.map((p) => p.reduce((a, id) => a + (weight.get(id) ?? mean), 0));
      expect(Math.max(...sums)).toBeLessThanOrEqual(bestMax(w, k) + Math.max(...w) + 1e-9);
    }
  });
});
