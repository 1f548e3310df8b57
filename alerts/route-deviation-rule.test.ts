import { describe, expect, it } from 'vitest';
import { M_PER_NM } from '../geo/index.js';
import type { FleetId, PlannedRoute } from '../model/index.js';
import { DEFAULT_ALERT_POLICY } from './policy.js';
import { parsePlannedRoute, parseRouteFile, RouteBook } from './route-book.js';
import { RouteDeviationRule } from './route-deviation-rule.js';
import { aisFile, idOf, RuleWorld } from './rule-test-support.js';
import { destination } from './test-support.js';

/**
 * Timelines: a route due north along 122.8°E (a meridian: the straight lat/lon leg is the great
 * circle), corridor 0.5 nm. A vessel placed x nm due east of the line (great-circle direct problem,
 * alerts/test-support.ts) is x nm off it. The alert times follow from the policy's holds
 * (route deviation raises after 60 s off, clears 60 s after back) and the scripted offsets.
 */
const A = 412000001;
const B = 412000002;
const LINE: PlannedRoute = { routeId: 'R-N', points: [{ lat: 29.5, lon: 122.8 }, { lat: 30.5, lon: 122.8 }], corridorHalfWidthNm: 0.5 };
const HOLD_S = DEFAULT_ALERT_POLICY.lifecycle.byKind['route-deviation']!.raiseHoldMs!.warning / 1000;
const CLEAR_S = DEFAULT_ALERT_POLICY.lifecycle.default.clearHoldMs / 1000;

/** x nm east of the line, at a latitude that moves north with time (12 kn). */
function at(tS: number, offNm: number): { lat: number; lon: number; sogKn: number; cogDeg: number } {
  const onLine = destination(29.9, 122.8, 0, (12 * M_PER_NM * tS) / 3600);
  const p = destination(onLine.lat, onLine.lon, 90, offNm * M_PER_NM);
  return { ...p, sogKn: 12, cogDeg: 0 };
}

function world(book: RouteBook, fleet?: FleetId): RuleWorld {
  const w = new RuleWorld([aisFile(A, fleet === undefined ? {} : { fleetId: fleet }), aisFile(B, fleet === undefined ? {} : { fleetId: fleet })]);
  w.rules = [new RouteDeviationRule(w.live, book)];
  return w;
}

function run(w: RuleWorld, mmsi: number, offsets: readonly [number, number][]): void {
  for (const [tS, off] of offsets) w.frame(tS, w.report({ mmsi }, tS, at(tS, off)));
}

describe('RouteDeviationRule', () => {
  it('t=70 s off the corridor … raised at t=70+hold … back inside the margin at t=300 … cleared at t=300+clear hold', () => {
    const w = world(new RouteBook([{ route: LINE, vesselIds: [idOf(A)], fleetIds: [] }]));
    const script: [number, number][] = [];
    for (let t = 0; t <= 400; t += 10) script.push([t, t < 70 ? 0.1 : t < 300 ? 0.8 : 0.3]);
    run(w, A, script);
    const key = `route-deviation:${idOf(A)}`;
    expect(w.transitions(key)).toEqual([[70, 'warning'], [300, 'clear']]);
    expect(w.timeline(key)).toEqual([[70 + HOLD_S, 'raise:warning'], [300 + CLEAR_S, 'cleared']]);
    const raised = w.changes.find((c) => c.change.action === 'raise')!.change.alert;
    expect(raised.details.routeId).toBe('R-N');
    expect(raised.details.offNm as number).toBeCloseTo(0.8, 2);
  });

  it('flicker at the corridor edge: in and out between 0.4 and 0.6 nm raises one alert and never clears it (hysteresis: back only below 0.4 nm)', () => {
    const w = world(new RouteBook([{ route: LINE, vesselIds: [idOf(A)], fleetIds: [] }]));
    const script: [number, number][] = [];
    // Off at 0.55, then alternating 0.45 / 0.55 every 10 s: inside the corridor but not inside the margin.
    for (let t = 0; t <= 300; t += 10) script.push([t, t < 50 ? 0.2 : t % 20 === 10 ? 0.55 : 0.45]);
    run(w, A, script);
    const key = `route-deviation:${idOf(A)}`;
    expect(w.transitions(key)).toEqual([[50, 'warning']]);
    expect(w.timeline(key)).toEqual([[50 + HOLD_S, 'raise:warning']]);
  });

  it('a brief excursion shorter than the raise hold raises nothing', () => {
    const w = world(new RouteBook([{ route: LINE, vesselIds: [idOf(A)], fleetIds: [] }]));
    run(w, A, [[0, 0.1], [10, 0.7], [20, 0.7], [30, 0.1], [40, 0.1], [200, 0.1]]);
    const key = `route-deviation:${idOf(A)}`;
    expect(w.transitions(key)).toEqual([[10, 'warning'], [30, 'clear']]);
    expect(w.timeline(key)).toEqual([]);
  });

  it('a fleet route holds every member without its own; a vessel’s own route beats its fleet’s; the alert names the fleet', () => {
    const fleet = 'QS-9' as FleetId;
    // B's own route is 1 nm east of the fleet's, so B on it is 1 nm off the fleet's line.
    const east: PlannedRoute = { routeId: 'R-E', points: LINE.points.map((p) => destination(p.lat, p.lon, 90, M_PER_NM)), corridorHalfWidthNm: 0.5 };
    const w = world(new RouteBook([{ route: LINE, vesselIds: [], fleetIds: [fleet] }, { route: east, vesselIds: [idOf(B)], fleetIds: [] }]), fleet);
    for (let t = 0; t <= 100; t += 10) w.frame(t, w.report({ mmsi: A }, t, at(t, 1)), w.report({ mmsi: B }, t, at(t, 1)));
    expect(w.transitions(`route-deviation:${idOf(A)}`)).toEqual([[0, 'warning']]);
    expect(w.transitions(`route-deviation:${idOf(B)}`)).toEqual([]);
    expect(w.signals[0]!.signal.fleetIds).toEqual([fleet]);
  });
});

describe('parsePlannedRoute: a bad LineString is a Result naming the fault', () => {
  const good = { type: 'LineString', coordinates: [[122.8, 29.5], [122.8, 30.5]] };
  it.each([
    ['not JSON', '{', 'route.json'],
    ['a Point', { type: 'Point', coordinates: [122, 30] }, 'route.json'],
    ['one position', { type: 'LineString', coordinates: [[122, 30]] }, 'route.points'],
    ['a repeated position', { type: 'LineString', coordinates: [[122, 30], [122, 30]] }, 'route.points'],
    ['lat beyond 90', { type: 'LineString', coordinates: [[122, 30], [122, 91]] }, 'route.coordinate'],
    ['a string coordinate', { type: 'LineString', coordinates: [[122, 30], ['122', 31]] }, 'route.coordinate'],
    ['no corridor', good, 'route.corridor'],
    ['a zero corridor', { ...good, corridorHalfWidthNm: 0 }, 'route.corridor'],
  ])('%s → %s', (_name, input, code) => {
    const r = parsePlannedRoute(input, 'R');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('accepts a LineString with its corridor, or a Feature with it in properties', () => {
    const r = parsePlannedRoute({ type: 'Feature', properties: { corridorHalfWidthNm: 0.5, name: 'north' }, geometry: good }, 'R');
    expect(r).toEqual({ ok: true, value: { routeId: 'R', points: LINE.points, corridorHalfWidthNm: 0.5, name: 'north' } });
    expect(parsePlannedRoute(JSON.stringify(good), 'R', 2).ok).toBe(true);
  });

  it('a route file names the bad feature', () => {
    const r = parseRouteFile({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'X', corridorHalfWidthNm: 1 }, geometry: { type: 'LineString', coordinates: [[0, 0]] } }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.detail]).toEqual(['route.points', 'feature 0 (X): 1 positions (2–10000)']);
  });
});
