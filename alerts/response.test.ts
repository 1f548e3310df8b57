/**
 * Rapid response (快响指挥) on the pure core: ranking who can help against a brute-force scan of
 * every vessel (distances by the test's own haversine), a worked ETA example, and the dispatch →
 * arrival timeline through the lifecycle.
 */
import { describe, expect, it } from 'vitest';
import { NeighbourIndex } from '../geo/index.js';
import { seededRandom, type AcceptedFix, type Alert, type AlertId, type FleetId, type LatLon, type VesselId } from '../model/index.js';
import { ARRIVAL_RADIUS_NM, Lifecycle } from './lifecycle.js';
import { rankResponders, type ResponderOption, type ResponderVessel, type ResponderWorld } from './responders.js';
import { destination } from './test-support.js';

const NM = 1852;
const T = Date.parse('2026-07-01T04:00:00Z');

/** Haversine, nm, on the mean earth radius: the test's own distance. */
function havNm(a: LatLon, b: LatLon): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return (2 * 6_371_008.8 * Math.asin(Math.sqrt(h))) / NM;
}

function worldOf(vessels: Map<VesselId, ResponderVessel>): ResponderWorld & { index: NeighbourIndex } {
  const index = new NeighbourIndex({ res: 6 });
  for (const [id, v] of vessels) index.upsert(id, v.lat, v.lon);
  return {
    index,
    near: (lat, lon, radiusNm, visit) => void index.forEachNear({ lat, lon }, radiusNm, (id) => visit(id)),
    vessel: (id) => vessels.get(id),
    patrolCraft: () => [...vessels].filter(([, v]) => v.shipType === 55 || v.shipType === 51).map(([id]) => id),
  };
}

function collision(a: VesselId, b: VesselId, fleetIds?: FleetId[]): Alert {
  return { id: 'collision-x' as AlertId, kind: 'collision', severity: 'danger', state: 'raised', vesselIds: [a, b], raisedAtMs: T, updatedAtMs: T, details: {}, seq: 1, ...(fleetIds === undefined ? {} : { fleetIds, fleetId: fleetIds[0] }) };
}

describe('rankResponders', () => {
  it('agrees with a brute-force scan of 3,000 vessels: same vessels, roles, distances and order', () => {
    const rand = seededRandom(11);
    const vessels = new Map<VesselId, ResponderVessel>();
    const centre = { lat: 30.0, lon: 122.6 };
    for (let i = 0; i < 3_000; i++) {
      const kind = rand();
      const at = destination(centre.lat, centre.lon, rand() * 360, Math.sqrt(rand()) * 40 * NM);
      const v: ResponderVessel = {
        ...at,
        atMs: T - (rand() < 0.1 ? 45 * 60_000 : rand() * 600_000), // one in ten not heard for 45 min
        sogKn: rand() < 0.4 ? 0 : rand() * 14,
        ...(kind < 0.002 ? { shipType: 55 } : kind < 0.1 ? { shipType: 70 } : kind < 0.7 ? { shipType: 30, fleetId: `F${Math.floor(rand() * 40)}` as FleetId } : kind < 0.85 ? { beidou: true } : {}),
      };
      vessels.set(`4120${String(i).padStart(5, '0')}` as VesselId, v);
    }
    // Two far-away patrol craft too: offered whatever the radius.
    vessels.set('412099998' as VesselId, { ...destination(centre.lat, centre.lon, 45, 80 * NM), atMs: T - 60_000, sogKn: 0, shipType: 55 });
    vessels.set('412099999' as VesselId, { ...destination(centre.lat, centre.lon, 200, 60 * NM), atMs: T - 60_000, sogKn: 22, shipType: 51 });
    const a = '412000010' as VesselId;
    const b = '412000011' as VesselId;
    vessels.set(a, { ...centre, atMs: T, sogKn: 5, shipType: 30, fleetId: 'F3' as FleetId });
    vessels.set(b, { ...destination(centre.lat, centre.lon, 90, 0.2 * NM), atMs: T, sogKn: 9, shipType: 70 });
    const alert = collision(a, b, ['F3' as FleetId]);

    const got = rankResponders(alert, worldOf(vessels), T, { radiusNm: 12, limit: 10_000 });

    const expected: ResponderOption[] = [];
    for (const [id, v] of vessels) {
      if (id === a || id === b || T - v.atMs > 30 * 60_000) continue;
      const d = Math.min(havNm(v, vessels.get(a)!), havNm(v, vessels.get(b)!));
      const patrol = v.shipType === 55 || v.shipType === 51;
      if (!patrol && d > 12) continue;
      const role = patrol ? 'patrol' : v.fleetId === 'F3' ? 'fleet-mate' : v.shipType === 30 || v.fleetId !== undefined || v.beidou === true ? 'nearby' : undefined;
      if (role === undefined) continue;
      const kn = Math.min(30, Math.max(v.sogKn ?? 0, patrol ? 18 : 7));
      expected.push({ vesselId: id, role, distanceNm: d, etaMin: (d / kn) * 60, fixAgeS: (T - v.atMs) / 1000, ...(v.fleetId === undefined ? {} : { fleetId: v.fleetId }) });
    }
    expected.sort((x, y) => x.etaMin - y.etaMin || x.distanceNm - y.distanceNm);
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.filter((e) => e.role === 'fleet-mate').length).toBeGreaterThan(0);
    expect(got.map((g) => [g.vesselId, g.role])).toEqual(expected.map((e) => [e.vesselId, e.role]));
    for (let i = 0; i < got.length; i++) {
      expect(got[i]!.distanceNm).toBeCloseTo(expected[i]!.distanceNm, 6);
      expect(got[i]!.etaMin).toBeCloseTo(expected[i]!.etaMin, 6);
    }
    expect(got.some((g) => g.vesselId === '412099998' && g.distanceNm > 70)).toBe(true);
    // The widening search stops early for a top 20: the same 20 as the full scan's first.
    const top = rankResponders(alert, worldOf(vessels), T, { radiusNm: 12, limit: 20 });
    expect(top.map((g) => g.vesselId)).toEqual(expected.slice(0, 20).map((e) => e.vesselId));
    // A vessel already sent stays in the answer whatever its rank (its closing distance is watched).
    const sent = expected[60]!;
    const withSent = rankResponders(alert, worldOf(vessels), T, { radiusNm: 12, limit: 20, always: [sent.vesselId] });
    expect(withSent.map((g) => g.vesselId)).toEqual([...expected.slice(0, 20), sent].map((e) => e.vesselId));
  });

  it('worked example: a trawler at rest 3.5 nm off reaches the scene in 30 min, a patrol boat 9 nm off in 30 min, a fleet-mate at 10 kn 4 nm off in 24 min', () => {
    const scene = { lat: 29.9, lon: 122.5 };
    const a = '412100001' as VesselId;
    const vessels = new Map<VesselId, ResponderVessel>([
      [a, { ...scene, atMs: T, sogKn: 0, fleetId: 'F1' as FleetId, shipType: 30 }],
      ['412100002' as VesselId, { ...destination(scene.lat, scene.lon, 10, 3.5 * NM), atMs: T, sogKn: 0, shipType: 30 }],
      ['412100003' as VesselId, { ...destination(scene.lat, scene.lon, 190, 9 * NM), atMs: T, sogKn: 0, shipType: 55 }],
      ['412100004' as VesselId, { ...destination(scene.lat, scene.lon, 300, 4 * NM), atMs: T, sogKn: 10, fleetId: 'F1' as FleetId, shipType: 30 }],
      ['412100005' as VesselId, { ...destination(scene.lat, scene.lon, 100, 1 * NM), atMs: T, sogKn: 12, shipType: 80 }], // a tanker: not offered
    ]);
    const alert: Alert = { ...collision(a, a, ['F1' as FleetId]), vesselIds: [a] };
    const got = rankResponders(alert, worldOf(vessels), T);
    expect(got.map((g) => [g.vesselId, g.role, Math.round(g.etaMin * 10) / 10])).toEqual([
      ['412100004', 'fleet-mate', 24],
      ['412100002', 'nearby', 30],
      ['412100003', 'patrol', 30],
    ]);
  });
});

describe('dispatch and arrival (lifecycle)', () => {
  const A = '412000001' as VesselId;
  const B = '412000002' as VesselId;
  const R = '412000077' as VesselId;
  function raised(): { lc: Lifecycle; id: AlertId } {
    const lc = new Lifecycle();
    const [c] = lc.decide([{ kind: 'collision', key: `collision:${A}|${B}`, severity: 'danger', vesselIds: [A, B], atMs: T, details: {} }]);
    return { lc, id: c!.alertId };
  }
  const fixOf = (id: VesselId, p: LatLon, atMs: number): AcceptedFix => ({ vesselId: id, moved: true, report: { source: 'ais', mmsi: Number(id) as never, atMs, receivedAtMs: atMs, lat: p.lat, lon: p.lon, sogKn: 12 } });

  it('t=0 raised … t=60 s officer-7 dispatches R (acknowledges it) … R closes in … arrives at the first fix within 0.5 nm … resolved', () => {
    const { lc, id } = raised();
    const scene = { lat: 30, lon: 122.5 };
    const positions = new Map<VesselId, LatLon>([
      [A, scene],
      [B, destination(scene.lat, scene.lon, 0, 0.1 * NM)],
    ]);
    const d = lc.dispatch(id, 'officer-7', [R], T + 60_000, '就近救援');
    if (!d.ok) throw new Error(d.code);
    expect(d.value.action).toBe('dispatch');
    expect(d.value.alert.state).toBe('acknowledged');
    expect(d.value.alert.responders).toEqual([{ vesselId: R, dispatchedAtMs: T + 60_000, by: 'officer-7' }]);
    expect([...(lc.enRouteTo(R) ?? [])]).toEqual([id]);

    // R runs in from 3.05 nm south at 12 kn: a fix every 30 s (0.1 nm each).
    const arrivals = [];
    let arrivedAt: number | undefined;
    for (let k = 0; k <= 30; k++) {
      const atMs = T + 120_000 + k * 30_000;
      const p = destination(scene.lat, scene.lon, 180, (3.05 - 0.1 * k) * NM);
      positions.set(R, p);
      const out = lc.onMoved([fixOf(R, p, atMs)], (v) => positions.get(v));
      if (out.length > 0 && arrivedAt === undefined) arrivedAt = atMs;
      arrivals.push(...out);
    }
    // First fix within ARRIVAL_RADIUS_NM of A (the nearer of the two): 3.05 − 0.1k ≤ 0.5 → k = 26.
    expect(ARRIVAL_RADIUS_NM).toBe(0.5);
    expect(arrivals).toHaveLength(1);
    expect(arrivedAt).toBe(T + 120_000 + 26 * 30_000);
    expect(arrivals[0]!).toMatchObject({ action: 'arrive', actor: 'system', atMs: arrivedAt });
    expect(arrivals[0]!.alert.responders).toEqual([{ vesselId: R, dispatchedAtMs: T + 60_000, by: 'officer-7', arrivedAtMs: arrivedAt }]);
    expect(lc.enRouteTo(R)).toBeUndefined();
    expect(lc.resolve(id, 'officer-7', T + 1_200_000).ok).toBe(true);
  });

  it('refuses a dispatch of nobody, of a vessel of the alert, of one already on its way, and on a resolved alert', () => {
    const { lc, id } = raised();
    const code = (r: { ok: boolean; code?: string }): string | undefined => (r.ok ? undefined : r.code);
    expect(code(lc.dispatch(id, 'officer-7', [], T))).toBe('alert.invalid');
    expect(code(lc.dispatch(id, 'officer-7', [A], T))).toBe('alert.invalid');
    expect(lc.dispatch(id, 'officer-7', [R], T).ok).toBe(true);
    expect(code(lc.dispatch(id, 'officer-8', [R], T + 1_000))).toBe('alert.transition');
    expect(code(lc.dispatch('collision-nope' as AlertId, 'officer-7', [R], T))).toBe('alert.not_found');
    expect(lc.resolve(id, 'officer-7', T + 2_000).ok).toBe(true);
    expect(code(lc.dispatch(id, 'officer-7', ['412000078' as VesselId], T + 3_000))).toBe('alert.transition');
    expect(lc.enRouteTo(R)).toBeUndefined(); // resolved: nobody is on the way to it any more
  });

  it('a restarted lifecycle keeps who is on the way (restored from the stored alert)', () => {
    const { lc, id } = raised();
    const d = lc.dispatch(id, 'officer-7', [R], T + 60_000);
    if (!d.ok) throw new Error(d.code);
    const again = Lifecycle.restore([d.value.alert]);
    expect([...(again.enRouteTo(R) ?? [])]).toEqual([id]);
  });
});
