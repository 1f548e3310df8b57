/**
 * Alerts through the real service (issue 12 §8–9): two vessels published over MQTT on a head-on
 * course raise a collision alert, seen in `GET /api/alerts`; an officer acknowledges, assigns and
 * resolves it over HTTP (a second resolve is 409), its history keeps every step, and alerts out
 * over MQTT are retained while open and cleared on resolve — on the embedded broker and, when
 * installed, on Debian Mosquitto.
 *
 * Expected values by hand, not from the code: both vessels on 30°N, 0.03° of longitude apart
 * (0.03 × 60 × cos 30° = 1.559 nm), closing at 10 + 10 kn: CPA ≈ 0, TCPA = 1.559 / 20 h = 4.68 min,
 * inside the policy's danger level (CPA < 0.1 nm, 0 < TCPA ≤ 5 min), which raises without a hold.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MqttPublisher, MqttSource, type RawFrame } from '../ingest/adapters.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import { encodePositionA, rmcSentence, tagBlock, vdmSentences } from '../sim/index.js';
import type { AlertChangeView, AlertFileView, AlertView, ApiErrorView, ResolveClearedView, ResponderView, SupervisionView, VesselFileView } from '../web/index.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

const A = 412_000_101;
const B = 412_000_102;
const LAT = 30;
const LON = 122.5;

/** One AIS type 1 report as the receiver hears it (under way, no turn indicator). */
function report(mmsi: number, lon: number, cogDeg: number): string {
  return `${vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat: LAT, lon, sogKn: 10, cogDeg, headingDeg: cogDeg, second: 0 })).join('\r\n')}\r\n`;
}

/** Every message a fresh subscriber to `filter` receives within `ms` (retained ones arrive first). */
async function heard(url: string, filter: string, ms: number): Promise<RawFrame[]> {
  const got: RawFrame[] = [];
  const sub = new MqttSource({ url, clientId: `alerts-test-${Math.random().toString(36).slice(2)}`, topics: [filter], qos: 1, onFrame: (f) => got.push(f) });
  await sub.start();
  await new Promise((r) => setTimeout(r, ms));
  await sub.stop();
  return got;
}

const json = async <T>(r: Response): Promise<T> => (await r.json()) as T;

let serve: ServeUnderTest | undefined;
let mosquitto: Mosquitto | undefined;
afterEach(async () => {
  if (serve !== undefined) {
    await serve.stop();
    serve.dispose();
    serve = undefined;
  }
  await mosquitto?.dispose();
  mosquitto = undefined;
});

async function collisionThroughService(env: Record<string, string>, brokerUrl: (s: ServeUnderTest) => string): Promise<void> {
  serve = await startServe({ DEMO: '0', ...env });
  const base = serve.base;
  await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000, 'health');
  const url = brokerUrl(serve);
  const pub = await MqttPublisher.connect(url);
  await pub.publish('ais/raw/rx-test', report(A, LON, 90));
  await pub.publish('ais/raw/rx-test', report(B, LON + 0.03, 270));
  await pub.close();

  const [alert] = await until(async () => {
    const open = await json<AlertView[]>(await fetch(`${base}/api/alerts?kind=collision&vesselId=${A}`));
    return open.length > 0 ? open : undefined;
  }, 20_000, 'collision alert');
  expect(alert).toMatchObject({ kind: 'collision', severity: 'danger', state: 'raised', fleetId: null, fleetIds: [], cleared: false });
  expect([...alert!.vesselIds].sort()).toEqual([String(A), String(B)]);
  expect(alert!.details['cpaNm']).toBeLessThan(0.05);
  expect(alert!.details['tcpaMin']).toBeGreaterThan(4.68 - 0.1);
  expect(alert!.details['tcpaMin']).toBeLessThan(4.68 + 0.1);
  const id = alert!.id;
  expect(await json<AlertView[]>(await fetch(`${base}/api/alerts?kind=zone`))).toEqual([]);

  // A device connecting late gets the open alert, retained, under alerts/v1/none/collision/{id}.
  const late = await heard(url, 'alerts/v1/#', 700);
  expect(late.map((f) => f.topic)).toEqual([`alerts/v1/none/collision/${id}`]);
  const retained = JSON.parse(late[0]!.payload.toString()) as AlertChangeView;
  expect(retained).toMatchObject({ alertId: id, action: 'raise', actor: 'system', alert: { id, state: 'raised' } });

  const act = async (action: string, body?: unknown): Promise<Response> =>
    fetch(`${base}/api/alerts/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const ack = await act('acknowledge', { note: '已联系两船' });
  expect(ack.status).toBe(200);
  expect(await json<AlertFileView>(ack)).toMatchObject({ id, state: 'acknowledged' });
  const assigned = await json<AlertFileView>(await act('assign', { assignee: 'team:zs-ctl-03' }));
  expect(assigned).toMatchObject({ state: 'assigned', assignee: 'team:zs-ctl-03' });
  const resolved = await act('resolve', { note: '两船已避让' });
  expect(resolved.status).toBe(200);
  const again = await act('resolve');
  expect(again.status).toBe(409);
  expect((await json<ApiErrorView>(again)).error.code).toBe('http.conflict');
  expect((await act('acknowledge', '{')).status).toBe(400); // a JSON string, not an object

  const file = await json<AlertFileView>(await fetch(`${base}/api/alerts/${id}`));
  expect(file.state).toBe('resolved');
  const steps = file.history.filter((c) => c.action !== 'update').map((c) => [c.action, c.actor, c.note]);
  expect(steps).toEqual([
    ['raise', 'system', null],
    ['acknowledge', 'local', '已联系两船'],
    ['assign', 'local', null],
    ['resolve', 'local', '两船已避让'],
  ]);
  expect(file.history.map((c) => c.seq)).toEqual(file.history.map((_, i) => i + 1));
  expect(await json<AlertView[]>(await fetch(`${base}/api/alerts?vesselId=${A}`))).toEqual([]);
  expect((await json<AlertView[]>(await fetch(`${base}/api/alerts?state=all&vesselId=${A}`))).map((a) => a.state)).toEqual(['resolved']);

  // After the resolve a late device gets nothing for it: the retained message was cleared.
  expect(await heard(url, 'alerts/v1/#', 700)).toEqual([]);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toContain('seagrid_alerts_raised_total{kind="collision",severity="danger"} 1');
  expect(metrics).toContain('seagrid_alerts_open 0');
  expect(metrics).toMatch(/seagrid_collision_pairs_total\{outcome="evaluated"\} [1-9]/);
  expect(metrics).toMatch(/seagrid_rule_evaluations_total [1-9]/);
  expect(metrics).toMatch(/seagrid_rule_signals_total\{rule="collision",signal="raised"\} [1-9]/);
  expect(metrics).toContain('seagrid_rule_signals_total{rule="zone",signal="raised"} 0');
}

describe('alerts through seagrid serve', () => {
  it('embedded broker: a collision course raises a danger alert; acknowledge → assign → resolve over HTTP, 409 on a second resolve; retained while open, cleared on resolve', async () => {
    await collisionThroughService({}, (s) => `mqtt://127.0.0.1:${s.mqttPort}`);
  }, 120_000);

  it.skipIf(!mosquittoAvailable())('Debian Mosquitto: the same, alerts retained there while open and cleared on resolve', async () => {
    mosquitto = await startMosquitto();
    const url = mosquitto.url;
    await collisionThroughService({ MQTT_URL: url }, () => url);
  }, 120_000);
});

describe('rapid response through seagrid serve (快响指挥)', () => {
  it('a BeiDou boat 1.8 nm off a collision is offered as a responder, dispatched over HTTP, and its arrival within 0.5 nm recorded by the system at its fix time', async () => {
    serve = await startServe({ DEMO: '0' });
    const base = serve.base;
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000, 'health');
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    // C waits at rest 0.03° of latitude north of A: 1.80 nm (and 1.96 nm from B, 0.03° of longitude east of A).
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    const c = (k: number): string => `${rmcSentence({ talker: 'BD', atMs: t0 + k * 10_000, lat: 30.03 - 0.005 * k, lon: LON, sogKn: k === 0 ? 0 : 6, cogDeg: 180 })}\r\n`;
    await pub.publish('beidou/raw/3000088', c(0));
    await pub.publish('ais/raw/rx-test', report(A, LON, 90));
    await pub.publish('ais/raw/rx-test', report(B, LON + 0.03, 270));
    const [alert] = await until(async () => {
      const open = await json<AlertView[]>(await fetch(`${base}/api/alerts?kind=collision&vesselId=${A}`));
      return open.length > 0 ? open : undefined;
    }, 20_000, 'collision alert');
    const id = alert!.id;

    const offered = await json<ResponderView[]>(await fetch(`${base}/api/alerts/${id}/responders`));
    const boat = offered.find((r) => r.vesselId === 'bd3000088');
    expect(boat).toMatchObject({ role: 'nearby' });
    expect(boat!.distanceNm).toBeGreaterThan(1.79);
    expect(boat!.distanceNm).toBeLessThan(1.81);
    expect(boat!.etaMin).toBeCloseTo((1.8 / 7) * 60, 0); // at rest: a fishing boat makes 7 kn under way
    expect(offered.map((r) => r.vesselId)).not.toContain(String(A));
    expect((await fetch(`${base}/api/alerts/no-such-alert/responders`)).status).toBe(404);

    const dispatch = (body: unknown): Promise<Response> => fetch(`${base}/api/alerts/${id}/dispatch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await dispatch({ vesselIds: [] })).status).toBe(400);
    expect((await dispatch({ vesselIds: [String(A)] })).status).toBe(400); // a vessel of the alert itself
    const sent = await dispatch({ vesselIds: ['bd3000088'], note: '就近救援' });
    expect(sent.status).toBe(200);
    const afterSend = await json<AlertFileView>(sent);
    expect(afterSend).toMatchObject({ id, state: 'acknowledged', responders: [{ vesselId: 'bd3000088', by: 'local', arrivedAt: null }] });
    expect((await dispatch({ vesselIds: ['bd3000088'] })).status).toBe(409); // already on its way
    expect((await json<ResponderView[]>(await fetch(`${base}/api/alerts/${id}/responders`))).find((r) => r.vesselId === 'bd3000088')).toMatchObject({ dispatched: true });

    // C runs south 0.005° (0.3 nm) a fix: 1.5, 1.2, 0.9, 0.6, then 0.3 nm from A at k = 5 — its arrival.
    for (let k = 1; k <= 7; k++) await pub.publish('beidou/raw/3000088', c(k));
    await pub.close();
    const file = await until(async () => {
      const f = await json<AlertFileView>(await fetch(`${base}/api/alerts/${id}`));
      return f.history.some((h) => h.action === 'arrive') ? f : undefined;
    }, 20_000, 'arrival');
    expect(file.responders).toEqual([{ vesselId: 'bd3000088', dispatchedAt: afterSend.responders[0]!.dispatchedAt, by: 'local', arrivedAt: new Date(t0 + 50_000).toISOString() }]);
    expect(file.history.filter((h) => h.action !== 'update').map((h) => [h.action, h.actor, h.note])).toEqual([
      ['raise', 'system', null],
      ['dispatch', 'local', '就近救援'],
      ['arrive', 'system', null],
    ]);

    // Supervision (全链监督): the seconds from the raise, read off the alert's own times by hand.
    const done = await json<AlertFileView>(await fetch(`${base}/api/alerts/${id}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"note":"已到场处置"}' }));
    const raisedMs = Date.parse(done.raisedAt);
    const step = (action: string): number => Math.max(0, (Date.parse(done.history.find((h) => h.action === action)!.at) - raisedMs) / 1000);
    expect((await fetch(`${base}/api/supervision`)).status).toBe(400);
    const gridsOfA = (await json<VesselFileView>(await fetch(`${base}/api/vessels/${A}`))).grids;
    const expectedGrids = [...gridsOfA.static, ...gridsOfA.control, ...gridsOfA.patrol].sort();
    expect(expectedGrids.length).toBeGreaterThan(0);
    // An alert is placed by its first vessel's stored fix, and fixes reach the store in batches: on a
    // busy machine the first read can come before A's fix is written (the alert then has no grid yet).
    const sup = await until(async () => {
      const v = await json<SupervisionView>(await fetch(`${base}/api/supervision?from=${new Date(raisedMs - 600_000).toISOString()}&by=grid`));
      return expectedGrids.every((g) => v.rows.some((r) => r.id === g)) ? v : undefined;
    }, 10_000, 'the alert placed in A\'s grids');
    expect(sup.rows.map((r) => r.id).sort()).toEqual(expect.arrayContaining(expectedGrids));
    for (const g of expectedGrids) {
      expect(sup.rows.find((r) => r.id === g)).toMatchObject({
        dispatched: 1,
        resolved: 1,
        medianToAcknowledgeS: step('dispatch'), // the dispatch was the first thing a person did
        medianToDispatchS: step('dispatch'),
        medianToArrivalS: step('arrive'),
        medianToResolveS: step('resolve'),
      });
    }
  }, 120_000);
});

describe('route deviation through seagrid serve (ROUTES_FILE)', () => {
  // The route runs along 30°N; the vessel sails east along 30°03′N: 0.05° of latitude = 3.0 nm off.
  const route = { type: 'Feature', properties: { id: 'R-1', corridorHalfWidthNm: 0.2, vesselIds: ['bd3000077'] }, geometry: { type: 'LineString', coordinates: [[122.3, 30], [122.7, 30]] } };
  /** seagrid serve with the route (and `files`, by env name) written to a temp dir; six BeiDou fixes 30 s apart, 3 nm off; the first alert. */
  async function offRoute(dir: string, files: Record<string, unknown> = {}): Promise<{ base: string; t0: number; alert: AlertView }> {
    const env: Record<string, string> = { DEMO: '0' };
    for (const [name, body] of Object.entries({ ROUTES_FILE: { type: 'FeatureCollection', features: [route] }, ...files })) {
      env[name] = path.join(dir, `${name}.json`);
      writeFileSync(env[name], JSON.stringify(body));
    }
    serve = await startServe(env);
    const base = serve.base;
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000, 'health');
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    // Old enough that every hold below has elapsed on the wall clock too: the 1 s tick settles it.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 400_000;
    for (let k = 0; k <= 5; k++) {
      const line = rmcSentence({ talker: 'BD', atMs: t0 + k * 30_000, lat: 30.05, lon: 122.4 + k * 0.001, sogKn: 8, cogDeg: 90 });
      await pub.publish('beidou/raw/3000077', `${line}\r\n`);
    }
    await pub.close();
    const [alert] = await until(async () => {
      const open = await json<AlertView[]>(await fetch(`${base}/api/alerts?kind=route-deviation`));
      return open.length > 0 ? open : undefined;
    }, 20_000, 'route-deviation alert');
    return { base, t0, alert: alert! };
  }

  it('ALERT_POLICY_FILE reaches the lifecycle: with no raise hold for route deviation the first fix off the corridor raises it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-policy-'));
    try {
      const { t0, alert } = await offRoute(dir, { ALERT_POLICY_FILE: { lifecycle: { byKind: { 'route-deviation': { raiseHoldMs: { info: 0, warning: 0, danger: 0 } } } } } });
      expect(alert).toMatchObject({ kind: 'route-deviation', vesselIds: ['bd3000077'], state: 'raised', raisedAt: new Date(t0).toISOString() });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a BeiDou vessel 3 nm off its planned route (corridor 0.2 nm) is raised after the 60 s hold; a wider corridor PUT over HTTP clears it 60 s after its next fix', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-routes-'));
    try {
      const { base, t0, alert } = await offRoute(dir);
      expect(alert).toMatchObject({ kind: 'route-deviation', vesselIds: ['bd3000077'], state: 'raised', raisedAt: new Date(t0 + 60_000).toISOString() });
      expect(alert.details['offNm']).toBeGreaterThan(2.95);
      expect(alert.details['offNm']).toBeLessThan(3.05);
      // Its condition holds: resolving the cleared ones leaves it open.
      const resolveCleared = async (body: object): Promise<ResolveClearedView> => {
        const r = await fetch(`${base}/api/alerts/resolve-cleared`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(r.status).toBe(200);
        return json<ResolveClearedView>(r);
      };
      expect(await resolveCleared({})).toEqual({ resolved: [], skipped: 0, truncated: false });

      // PUT a wider corridor (5 nm; clear margin 20 % → back inside below 4 nm): the next fix clears
      // the condition, and the alert is marked cleared 60 s (the clear hold) later, still open.
      const put = (target: string, body: string): Promise<Response> => fetch(`${base}${target}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
      const bad = await put('/api/vessels/bd3000077/route', JSON.stringify({ type: 'LineString', coordinates: [[122.3, 30]], corridorHalfWidthNm: 5 }));
      expect(bad.status).toBe(400);
      expect((await json<ApiErrorView>(bad)).error).toMatchObject({ code: 'http.bad_route', message: expect.stringContaining('route.points') });
      expect((await put('/api/vessels/bd3000077/route', '{"type":')).status).toBe(400);
      expect((await put('/api/fleets/no-such-fleet/route', JSON.stringify({ ...route, properties: { corridorHalfWidthNm: 5 } }))).status).toBe(404);
      const wide = await put('/api/vessels/bd3000077/route', JSON.stringify({ ...route, properties: { corridorHalfWidthNm: 5 } }));
      expect(wide.status).toBe(200);
      expect(await json<unknown>(await fetch(`${base}/api/vessels/bd3000077/route`))).toEqual({ routeId: 'vessel:bd3000077', name: null, corridorHalfWidthNm: 5, line: { type: 'LineString', coordinates: [[122.3, 30], [122.7, 30]] } });
      const again = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve!.mqttPort}`);
      for (let k = 6; k <= 9; k++) {
        const line = rmcSentence({ talker: 'BD', atMs: t0 + k * 30_000, lat: 30.05, lon: 122.4 + k * 0.001, sogKn: 8, cogDeg: 90 });
        await again.publish('beidou/raw/3000077', `${line}\r\n`);
      }
      await again.close();
      const cleared = await until(async () => {
        const [a] = await json<AlertView[]>(await fetch(`${base}/api/alerts?kind=route-deviation`));
        return a?.cleared === true ? a : undefined;
      }, 20_000, 'route-deviation cleared');
      expect(cleared).toMatchObject({ id: alert.id, state: 'raised', updatedAt: new Date(t0 + 240_000).toISOString() });
      // Cleared, still open: resolved by the flood's one request (another kind's matches nothing),
      // with its own history entry (actor, note) — and only once.
      expect(await resolveCleared({ kind: 'collision', note: 'x' })).toEqual({ resolved: [], skipped: 0, truncated: false });
      // Named: an unknown id and the cleared one of another kind are skipped alike.
      expect(await resolveCleared({ ids: ['route-deviation-zz-1', alert.id], kind: 'zone' })).toEqual({ resolved: [], skipped: 2, truncated: false });
      const tooMany = await fetch(`${base}/api/alerts/resolve-cleared`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: Array.from({ length: 1001 }, (_, i) => `a${i}`) }) });
      expect(tooMany.status).toBe(400);
      expect(await resolveCleared({ kind: 'route-deviation', note: '已归航' })).toEqual({ resolved: [alert.id], skipped: 0, truncated: false });
      const done = await json<AlertFileView>(await fetch(`${base}/api/alerts/${alert.id}`));
      expect(done.state).toBe('resolved');
      expect(done.history.at(-1)).toMatchObject({ action: 'resolve', actor: 'local', note: '已归航' });
      expect(await resolveCleared({})).toEqual({ resolved: [], skipped: 0, truncated: false });
      const badBody = await fetch(`${base}/api/alerts/resolve-cleared`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ alertIds: ['x'] }) });
      expect({ status: badBody.status, code: (await json<ApiErrorView>(badBody)).error.code }).toEqual({ status: 400, code: 'http.bad_body' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('alerts across a restart of seagrid serve', () => {
  it('an open alert comes back: retained again on the (fresh) embedded broker, and resolvable over HTTP once, its history continued', async () => {
    const first = await startServe({ DEMO: '0' });
    let second: ServeUnderTest | undefined;
    try {
      await until(async () => ((await fetch(`${first.base}/health`)).ok ? true : undefined), 60_000, 'health');
      const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${first.mqttPort}`);
      await pub.publish('ais/raw/rx-test', report(A, LON, 90));
      await pub.publish('ais/raw/rx-test', report(B, LON + 0.03, 270));
      await pub.close();
      const [alert] = await until(async () => {
        const open = await json<AlertView[]>(await fetch(`${first.base}/api/alerts?kind=collision`));
        return open.length > 0 ? open : undefined;
      }, 20_000, 'collision alert');
      const ack = await fetch(`${first.base}/api/alerts/${alert!.id}/acknowledge`, { method: 'POST' });
      expect(ack.status).toBe(200);
      expect(await first.stop()).toBe(0);

      second = await startServe({ DEMO: '0', DATA_DIR: first.dataDir });
      const base = second.base;
      await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000, 'health after restart');
      const late = await heard(`mqtt://127.0.0.1:${second.mqttPort}`, 'alerts/v1/#', 700);
      expect(late.map((f) => f.topic)).toEqual([`alerts/v1/none/collision/${alert!.id}`]);
      expect(JSON.parse(late[0]!.payload.toString())).toMatchObject({ alertId: alert!.id, action: 'acknowledge', actor: 'local', alert: { state: 'acknowledged' } });
      const resolve = (): Promise<Response> => fetch(`${base}/api/alerts/${alert!.id}/resolve`, { method: 'POST' });
      expect((await resolve()).status).toBe(200);
      expect((await resolve()).status).toBe(409);
      const file = await json<AlertFileView>(await fetch(`${base}/api/alerts/${alert!.id}`));
      expect(file.history.filter((c) => c.action !== 'update').map((c) => c.action)).toEqual(['raise', 'acknowledge', 'resolve']);
      expect(file.history.map((c) => c.seq)).toEqual(file.history.map((_, i) => i + 1)); // none doubled, none skipped
      expect(await heard(`mqtt://127.0.0.1:${second.mqttPort}`, 'alerts/v1/#', 700)).toEqual([]);
      expect(await second.stop()).toBe(0);
      second = undefined;

      // A third start: the alert resolved before it is unknown to the new lifecycle, yet a resolve is still 409 (read from the store).
      second = await startServe({ DEMO: '0', DATA_DIR: first.dataDir });
      const third = second.base;
      await until(async () => ((await fetch(`${third}/health`)).ok ? true : undefined), 60_000, 'health after second restart');
      const again = await fetch(`${third}/api/alerts/${alert!.id}/resolve`, { method: 'POST' });
      expect(again.status).toBe(409);
    } finally {
      if (second !== undefined) await second.stop();
      first.dispose();
    }
  }, 180_000);
});

describe('a replayed capture through seagrid serve', () => {
  it('has its alerts decided on its own time: a warning that one report later has gone (capture an hour old) raises nothing, as live', async () => {
    // By hand: A at 30°N 122.5°E east at 10 kn, B 3 nm east of it (0.0577° at 30°N) west at 10 kn:
    // CPA 0, TCPA 9 min → warning (CPA < 0.5 nm, TCPA ≤ 10 min; not danger), which raises only after
    // holding 20 s. 10 s later B heads north: relative velocity (−10, +10) kn from r = (3, 0) nm gives
    // TCPA 9 min but CPA |(1.5, 1.5)| = 2.12 nm: no level, the condition is gone before its hold.
    serve = await startServe({ DEMO: '0' });
    const base = serve.base;
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000, 'health');
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const tagged = (atMs: number, mmsi: number, lon: number, cogDeg: number): string => {
      const [s] = vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat: LAT, lon, sogKn: 10, cogDeg, headingDeg: cogDeg, second: Math.floor(atMs / 1000) % 60 }));
      return `${tagBlock({ source: 'rx-replay', timeS: atMs / 1000 })}${s}\r\n`;
    };
    const dLon = 3 / (60 * Math.cos((LAT * Math.PI) / 180));
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    await pub.publish('ais/raw/rx-replay', tagged(t0, A, LON, 90) + tagged(t0, B, LON + dLon, 270));
    await new Promise((r) => setTimeout(r, 2_500)); // the service ticks between the capture's reports
    await pub.publish('ais/raw/rx-replay', tagged(t0 + 10_000, A, LON + 10 / 360 / 60 / Math.cos((LAT * Math.PI) / 180), 90) + tagged(t0 + 10_000, B, LON + dLon, 0));
    await pub.close();
    await until(async () => {
      const m = await (await fetch(`${base}/metrics`)).text();
      return /seagrid_rule_signals_total\{rule="collision",signal="cleared"\} [1-9]/.test(m) ? true : undefined;
    }, 20_000, 'the clear');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await json<AlertView[]>(await fetch(`${base}/api/alerts?state=all&kind=collision`))).toEqual([]);
  }, 120_000);
});
