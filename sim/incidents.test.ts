import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_POLICY, type AlertPolicy } from '../alerts/index.js';
import { crossTrackNm } from '../geo/index.js';
import { cosLat } from './flat-earth.js';
import { LANES } from './geography.js';
import { createScenario } from './scenario.js';
import { FleetSimulator, type SimulatedReport } from './simulator.js';
import { runFor } from './test-support.js';
import type { ScriptedIncident } from './types.js';

const run = runFor({ vessels: 300, fleets: 30, merchants: 12, seed: 8 }, 16);
const incidents = run.sim.incidents();
const reportsOf = (vesselId: string, source?: 'ais' | 'beidou'): SimulatedReport[] =>
  run.reports.filter((r) => r.vesselId === vesselId && (source === undefined || r.source === source));
const one = (kind: string) => {
  const i = incidents.find((x) => x.kind === kind);
  if (i === undefined) throw new Error(`no ${kind} incident`);
  return i;
};

/** CPA/TCPA of two reports, the other dead-reckoned to the first's time (flat earth, nm and min). */
function cpa(a: SimulatedReport, b: SimulatedReport): { cpaNm: number; tcpaMin: number } {
  const c = cosLat(a.lat);
  const vel = (r: SimulatedReport): [number, number] => [(r.sogKn / 60) * Math.sin(((r.cogDeg ?? 0) * Math.PI) / 180), (r.sogKn / 60) * Math.cos(((r.cogDeg ?? 0) * Math.PI) / 180)];
  const [bvx, bvy] = vel(b);
  const dtMin = (a.atMs - b.atMs) / 60_000;
  const bx = (b.lon - a.lon) * 60 * c + bvx * dtMin;
  const by = (b.lat - a.lat) * 60 + bvy * dtMin;
  const [avx, avy] = vel(a);
  const rvx = bvx - avx;
  const rvy = bvy - avy;
  const v2 = rvx * rvx + rvy * rvy;
  const t = v2 === 0 ? 0 : -(bx * rvx + by * rvy) / v2;
  return { cpaNm: Math.hypot(bx + rvx * t, by + rvy * t), tcpaMin: t };
}

describe('scripted incidents', () => {
  it('lists one of each kind, with the signal-lost ones for a BeiDou boat and an AIS ship', () => {
    expect(incidents.map((i) => i.kind).sort()).toEqual(['collision-course', 'fleet-straggler', 'route-deviation', 'signal-lost', 'signal-lost']);
    expect(incidents.filter((i) => i.kind === 'signal-lost').map((i) => i.details.source).sort()).toEqual(['ais', 'beidou']);
    for (const i of incidents) expect(i.expectedAlertAtMs).toBeGreaterThanOrEqual(i.startsAtMs);
  });

  it('collision course: the reported tracks close to CPA < 0.1 nm at the stated time; TCPA reaches the warning horizon (10 min) at the expected alert', () => {
    const warning = DEFAULT_ALERT_POLICY.collision.warning;
    const i = one('collision-course');
    const [a, b] = i.vesselIds.map((id) => reportsOf(id, 'ais'));
    let best = { cpaNm: Infinity, atMs: 0 };
    let firstAlert = NaN;
    for (const ra of a!) {
      const rb = b!.filter((r) => r.atMs <= ra.atMs).at(-1);
      if (rb === undefined) continue;
      const c = cpa(ra, rb);
      if (c.tcpaMin >= 0 && c.cpaNm < best.cpaNm) best = { cpaNm: c.cpaNm, atMs: ra.atMs + c.tcpaMin * 60_000 };
      if (Number.isNaN(firstAlert) && c.cpaNm < warning.cpaNm && c.tcpaMin <= warning.tcpaMin) firstAlert = ra.atMs;
    }
    expect(best.cpaNm).toBeLessThan(0.1);
    expect(Math.abs(best.atMs - (i.details.cpaAtMs as number))).toBeLessThan(5_000);
    // The first report (of the first ship) at or after the expected time raises it; none before.
    expect(firstAlert).toBeGreaterThanOrEqual(i.expectedAlertAtMs - 1000);
    expect(firstAlert - i.expectedAlertAtMs).toBeLessThanOrEqual(10_000);
  });

  it('route deviation: the ship leaves the corridor of its planned route at the expected time', () => {
    const i = one('route-deviation');
    const route = run.sim.routes().find((r) => r.routeId === i.details.routeId)!;
    expect(route.vesselIds).toContain(i.vesselIds[0]);
    expect(route.corridorHalfWidthNm).toBe(LANES.find((l) => l.id === route.routeId)!.corridorHalfWidthNm);
    const rs = reportsOf(i.vesselIds[0]!, 'ais');
    const out = rs.filter((r) => crossTrackNm(route.points, r.lat, r.lon) > route.corridorHalfWidthNm);
    expect(out.length).toBeGreaterThan(10);
    expect(out[0]!.atMs).toBeGreaterThanOrEqual(i.expectedAlertAtMs);
    expect(out[0]!.atMs - i.expectedAlertAtMs).toBeLessThanOrEqual(rs[1]!.intervalMs);
    expect(rs.filter((r) => r.atMs < i.startsAtMs).every((r) => crossTrackNm(route.points, r.lat, r.lon) <= route.corridorHalfWidthNm)).toBe(true);
  });

  it('fleet straggler: the boat stops (not under command) while its fleet sails on, passing the threshold as stated', () => {
    const i = one('fleet-straggler');
    const fleet = run.scenario.fleets.find((f) => f.fleetId === i.details.fleetId)!;
    const id = i.vesselIds[0]!;
    expect(fleet.members).toContain(id);
    expect(fleet.leaderVesselId).not.toBe(id);
    const mine = reportsOf(id);
    const after = mine.filter((r) => r.atMs > i.startsAtMs);
    expect(after.length).toBeGreaterThan(0);
    for (const r of after) {
      expect(r.sogKn).toBeCloseTo(0.8, 1);
      if (r.navStatus !== undefined) expect(r.navStatus).toBe(2);
    }
    // Distance to the centroid of the others' latest reports (each dead-reckoned), around the expected time.
    const others = fleet.members.filter((m) => m !== id).map((m) => reportsOf(m));
    const distAt = (t: number): number => {
      const me = mine.filter((r) => r.atMs <= t).at(-1)!;
      let lat = 0;
      let lon = 0;
      for (const rs of others) {
        const r = rs.filter((x) => x.atMs <= t).at(-1)!;
        const dt = (t - r.atMs) / 3_600_000;
        const cog = ((r.cogDeg ?? 0) * Math.PI) / 180;
        lat += r.lat + (r.sogKn * dt * Math.cos(cog)) / 60;
        lon += r.lon + (r.sogKn * dt * Math.sin(cog)) / (60 * cosLat(r.lat));
      }
      lat /= others.length;
      lon /= others.length;
      const dtMe = (t - me.atMs) / 3_600_000;
      const mlat = me.lat + (me.sogKn * dtMe * Math.cos(((me.cogDeg ?? 0) * Math.PI) / 180)) / 60;
      const mlon = me.lon + (me.sogKn * dtMe * Math.sin(((me.cogDeg ?? 0) * Math.PI) / 180)) / (60 * cosLat(me.lat));
      return Math.hypot((mlat - lat) * 60, (mlon - lon) * 60 * cosLat(lat));
    };
    const threshold = i.details.thresholdNm as number;
    expect(distAt(i.expectedAlertAtMs - 30_000)).toBeLessThan(threshold);
    expect(distAt(i.expectedAlertAtMs + 30_000)).toBeGreaterThan(threshold);
  });

  it('signal lost: reports stop at the stated time, the last one is where the incident says', () => {
    for (const i of incidents.filter((x) => x.kind === 'signal-lost')) {
      const rs = reportsOf(i.vesselIds[0]!, i.details.source as 'ais' | 'beidou');
      expect(rs.filter((r) => r.atMs >= i.startsAtMs && r.atMs < (i.details.resumesAtMs as number))).toEqual([]);
      expect(rs.at(-1)!.atMs).toBe(i.details.lastReportAtMs);
      expect(i.expectedAlertAtMs).toBe((i.details.lastReportAtMs as number) + 3 * (i.details.expectedIntervalMs as number));
      // Nothing from the other source either.
      expect(reportsOf(i.vesselIds[0]!).filter((r) => r.atMs >= i.startsAtMs)).toEqual([]);
    }
    expect(run.sim.counters.suppressed).toBeGreaterThan(0);
  });

  it('expected alert times follow the alert policy they are computed for', () => {
    const p = DEFAULT_ALERT_POLICY;
    const policy: AlertPolicy = {
      ...p,
      collision: { warning: { ...p.collision.warning, tcpaMin: p.collision.warning.tcpaMin + 2 }, danger: p.collision.danger },
      fleetStraggler: { distanceNm: p.fleetStraggler.distanceNm + 1 },
      signalLost: { overdueFactor: p.signalLost.overdueFactor + 1 },
    };
    const other = createScenario({ ...run.scenario.params, alertPolicy: policy }).incidents;
    const at = (list: readonly ScriptedIncident[], kind: string, source?: string): ScriptedIncident =>
      list.find((x) => x.kind === kind && (source === undefined || x.details.source === source))!;
    const incidents = run.scenario.incidents;
    // Two minutes more warning horizon: due two minutes earlier.
    expect(at(other, 'collision-course').expectedAlertAtMs).toBe(at(incidents, 'collision-course').expectedAlertAtMs - 2 * 60_000);
    expect(at(other, 'collision-course').details.tcpaThresholdMin).toBe(p.collision.warning.tcpaMin + 2);
    // One more interval of silence before it is overdue.
    for (const source of ['ais', 'beidou']) {
      const before = at(incidents, 'signal-lost', source);
      expect(at(other, 'signal-lost', source).expectedAlertAtMs).toBe(before.expectedAlertAtMs + (before.details.expectedIntervalMs as number));
    }
    // A mile farther to drift at 0.8 kn: later.
    expect(at(other, 'fleet-straggler').expectedAlertAtMs).toBeGreaterThan(at(incidents, 'fleet-straggler').expectedAlertAtMs);
    expect(at(other, 'fleet-straggler').details.thresholdNm).toBe(p.fleetStraggler.distanceNm + 1);
    // The route departure depends on the route's corridor, not the policy.
    expect(at(other, 'route-deviation').expectedAlertAtMs).toBe(at(incidents, 'route-deviation').expectedAlertAtMs);
  });

  it('incident times move with the start time of the run', () => {
    const sim = new FleetSimulator(run.scenario);
    sim.start(run.scenario.startMs + 3_600_000);
    const moved = sim.incidents();
    expect(moved.map((i) => i.expectedAlertAtMs - 3_600_000)).toEqual(incidents.map((i) => i.expectedAlertAtMs));
    expect(moved.map((i) => (i.details.lastReportAtMs as number | undefined) ?? 0)).toEqual(
      incidents.map((i) => (i.details.lastReportAtMs === undefined ? 0 : (i.details.lastReportAtMs as number) + 3_600_000)),
    );
  });
});
