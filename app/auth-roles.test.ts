/**
 * Roles on every route and on /ws (issue 14, "Done when"), against a real PostgreSQL holding the
 * users, sessions and audit trail. The expected answers are written out here, role by role, from
 * the rules — not read from web/auth-rules.ts — and the route list comes from the fastify
 * server itself: a route the table below does not name fails the test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, type UserRecord } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { Auth } from '../web/auth.js';
import { hashPassword } from '../web/auth-password.js';
import type { ScopeSource } from '../web/auth-scope.js';
import type { AlertChangeView, AlertFileView, AlertView, FleetView, ReplayView, VesselFileView, VesselView, WsServerMessage } from '../web/protocol.js';
import { PushHub } from '../web/push.js';
import { startWebServer, type ApiErrorEvent, type WebServer } from '../web/server.js';
import { connectWs, wsUpgradeStatus } from '../web/ws-test-support.js';
import { syncFileUsers } from './users.js';

const ROLES = ['anon', 'officer', 'leader', 'analyst', 'admin', 'liaison'] as const;
type Who = (typeof ROLES)[number];
const PASSWORDS: Record<Exclude<Who, 'anon'>, string> = { officer: 'Officer-pass-731', leader: 'Leader-pass-482', analyst: 'Analyst-pass-265', admin: 'Admin-pass-904', liaison: 'Liaison-pass-617' };
const ACCOUNTS: Record<Exclude<Who, 'anon'>, Omit<UserRecord, 'passwordHash'>> = {
  officer: { username: 'wang', role: 'officer', fleetIds: [], displayName: '王值班', source: 'store' },
  leader: { username: 'li', role: 'fleet_leader', fleetIds: ['F1'], displayName: '李组长', source: 'store' },
  analyst: { username: 'zhao', role: 'analyst', fleetIds: [], displayName: null, source: 'store' },
  admin: { username: 'root', role: 'admin', fleetIds: [], displayName: null, source: 'store' },
  // The registry names him liaison official (定人联船) of V3 only.
  liaison: { username: 'chen', role: 'liaison', fleetIds: [], displayName: '陈干部', source: 'store' },
};

/**
 * The live picture: V1 is the leader's (fleet F1). V2 (fleet F2) and V4 (no fleet) are 0.05° of
 * longitude from V1 at 30° N: 0.05 × 60 × cos 30° ≈ 2.6 nm, inside the 6 nm awareness radius. V3
 * (F2) is 0.5° of latitude north: 30 nm, outside it.
 */
const GRIDS = { static: ['S1'], control: [], patrol: [], fishingZone: 'Z1', fleet: null, h3: null, zones: [] };
const vessel = (id: string, fleetId: string | null, lat: number, lon: number): VesselView => ({
  vesselId: id, mmsi: Number(id.slice(1)) + 412000000, beidouCard: `card-${id}`, name: `船${id}`, shipType: 30, fleetId, lat, lon, sogKn: 5, cogDeg: 90, headingDeg: 90, at: '2026-12-03T00:00:00.000Z', source: 'ais', grids: GRIDS,
});
const live = new Map<string, VesselView>([
  ['V1', vessel('V1', 'F1', 30, 122)],
  ['V2', vessel('V2', 'F2', 30, 122.05)],
  ['V3', vessel('V3', 'F2', 30.5, 122)],
  ['V4', vessel('V4', null, 30, 121.95)],
]);
const alertOf = (id: string, fleetIds: string[], vesselIds: string[]): AlertView => ({
  id, kind: 'collision', severity: 'danger', state: 'raised', vesselIds, fleetId: fleetIds[0] ?? null, raisedAt: '2026-12-03T00:00:00.000Z', updatedAt: '2026-12-03T00:00:00.000Z', assignee: null, details: {}, fleetIds, cleared: false, seq: 1, responders: [],
});
/** A3 concerns no fleet, but V1 (the leader's) is dispatched to it: he reads it, he does not act on it. */
const sentV1 = { vesselId: 'V1', dispatchedAt: '2026-12-03T00:01:00.000Z', by: 'wang', arrivedAt: null };
const ALERTS = new Map<string, AlertView>([
  ['A1', alertOf('A1', ['F1'], ['V1', 'V4'])],
  ['A2', alertOf('A2', ['F2'], ['V2', 'V3'])],
  ['A3', { ...alertOf('A3', [], ['V4']), responders: [sentV1] }],
]);
/**
 * Newer than A1–A3 in the alert list (`alerts` source, newest change first, as the store answers):
 * more than a page of another fleet's alerts, in front of the leader's and the liaison's.
 */
const CROWD = Array.from({ length: 600 }, (_, i) => alertOf(`C${i}`, ['F2'], ['V2']));
const change = (a: AlertView, seq: number): AlertChangeView => ({ alertId: a.id, seq, action: 'raise', at: a.raisedAt, actor: 'rule', note: null, alert: { ...a, seq } });
const fileOf = (a: AlertView): AlertFileView => ({ ...a, history: [change(a, 1)] });
const fleetView = (id: string, members: string[]): FleetView => ({ fleetId: id, leader: null, members, located: members.length, centroid: null, spreadNm: null, stragglerRadiusNm: 3, outside: [], stale: [], missing: [], cells: [], footprint: { type: 'MultiPolygon', coordinates: [] }, at: null });
const FLEETS = [fleetView('F1', ['V1']), fleetView('F2', ['V2', 'V3'])];
const ROUTE = { type: 'Feature', properties: { corridorHalfWidthNm: 1 }, geometry: { type: 'LineString', coordinates: [[122, 30], [122.1, 30.1]] } };

/** Haversine on a 3,440.065 nm sphere, written out here rather than taken from geo/. */
function haversineNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 3440.065 * Math.asin(Math.sqrt(h));
}

const scopeSource: ScopeSource = {
  fleetOf: (id) => live.get(id)?.fleetId ?? null,
  positionsOf: (fleets) => [...live.values()].filter((v) => v.fleetId !== null && fleets.has(v.fleetId)),
  distanceNm: haversineNm,
  liaisonVessels: (username) => new Set(username === 'chen' ? ['V3'] : []),
};

describe.skipIf(!postgresAvailable())('needs Debian postgresql: roles and scope on every route and /ws', () => {
  let pg: Postgres;
  let store: Store;
  let auth: Auth;
  let web: WebServer;
  let push: PushHub;
  let now = Date.parse('2026-12-03T08:00:00Z');
  const dirs: string[] = [];
  const authLog: string[] = [];
  const httpErrors: ApiErrorEvent[] = [];
  const bearer: Partial<Record<Who, string>> = {};
  const cookie: Partial<Record<Who, string>> = {};
  const actions: { id: string; action: string; actor: string }[] = [];
  const packs: { subject: string; vessels: string[] | null }[] = [];

  const base = (): string => `http://127.0.0.1:${web.port}`;
  const headersOf = (who: Who, how: 'bearer' | 'cookie' = 'bearer'): Record<string, string> =>
    who === 'anon' ? {} : how === 'bearer' ? { authorization: `Bearer ${bearer[who]}` } : { cookie: `seagrid_session=${cookie[who]}` };
  const call = async (who: Who, method: string, p: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base()}${p}`, { method, redirect: 'manual', headers: { ...headersOf(who), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const signIn = async (username: string, password: string, session: 'cookie' | 'bearer'): Promise<Response> =>
    fetch(`${base()}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password, session }) });
  const bearerFor = async (who: Exclude<Who, 'anon'>): Promise<string> => ((await (await signIn(ACCOUNTS[who].username, PASSWORDS[who], 'bearer')).json()) as { token: string }).token;

  beforeAll(async () => {
    pg = await startPostgres();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-auth-'));
    dirs.push(dataDir);
    store = await openStore({ databaseUrl: pg.url, dataDir });
    for (const who of Object.keys(ACCOUNTS) as Exclude<Who, 'anon'>[]) await store.putUser({ ...ACCOUNTS[who], passwordHash: await hashPassword(PASSWORDS[who]) });
    auth = await Auth.open({ store, nowMs: () => now, limits: { perUser: 1000, perAddress: 1000, windowMs: 60_000 }, onError: (what, e) => authLog.push(`${what}: ${String(e)}`) });
    push = new PushHub({
      vessels: () => [...live.values()],
      vessel: (id) => live.get(id),
      openAlerts: () => [...ALERTS.values()],
    }, { nowMs: () => now });
    const clientDir = path.join(dataDir, 'client');
    mkdirSync(clientDir);
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>map</title>');
    web = await startWebServer('127.0.0.1', 0, {
      auth,
      scope: scopeSource,
      push,
      clientDir,
      onError: (e) => httpErrors.push(e),
      health: () => ({ status: 'ok' }) as never,
      metrics: () => '# metrics\n',
      vessels: (q) => ({ vessels: [...live.values()].slice(0, q.limit), next: undefined }),
      vessel: (id) => (live.has(id) ? ({ ...live.get(id)!, registryNo: null, gear: null, lengthM: null, homePort: null, owner: '船东', ownerPhone: null, liaison: null, liaisonPhone: null, callsign: null, lastAisAt: null, lastBeidouAt: null, fleetLeader: null } satisfies VesselFileView) : undefined),
      track: async (id) => (live.has(id) ? [] : undefined),
      grids: () => ({ type: 'FeatureCollection', features: [] }),
      gridEvents: async () => [...live.keys()].map((vesselId) => ({ vesselId, layer: 'static', gridId: 'S1', kind: 'enter' as const, at: '2026-12-03T00:00:00.000Z', lat: 30, lon: 122 })),
      fleets: () => FLEETS,
      fleet: (id) => FLEETS.find((f) => f.fleetId === id),
      // The store's answer: the newest `limit` (its default 500).
      alerts: async (q) => [...CROWD, ...ALERTS.values()].slice(0, q.limit ?? 500),
      alert: async (id) => (ALERTS.has(id) ? fileOf(ALERTS.get(id)!) : undefined),
      alertHistory: async (id) => (ALERTS.has(id) ? [change(ALERTS.get(id)!, 1)] : undefined),
      alertAction: async (id, action, _body, actor) => {
        actions.push({ id, action, actor });
        return ok(fileOf(ALERTS.get(id)!));
      },
      responders: async (id) => (ALERTS.has(id) ? [{ vesselId: 'V4', role: 'nearby', dispatched: false, name: null, fleetId: null, distanceNm: 1.2, etaMin: 10.3, fixAgeS: 20 }] : undefined),
      // Reports: rows of fleets F1, F2 and of no fleet (''), kept as the service keeps them: by the scope and the fleetId asked.
      reports: async (q, seesFleet) => ({
        by: q.by, day: q.day, days: q.days, timeZone: 'Asia/Shanghai', fleetId: q.fleetId ?? null, dayStates: [{ day: q.day, complete: true, stored: true }],
        rows: ['F1', 'F2', ''].filter((f) => seesFleet(f) && (q.fleetId === undefined || f === q.fleetId)).map((f) => ({
          day: q.day, id: f === '' ? 'none' : f, vessels: 2, hoursAtSea: 3.5, distanceNm: 12.25, moratoriumHours: 0, alerts: 1, alertsByKind: { collision: 1 }, alertsBySeverity: { danger: 1 },
          acknowledged: 1, dispatched: 0, resolved: 0, medianToAcknowledgeS: 30, medianToDispatchS: null, medianToArrivalS: null, medianToResolveS: null,
        })),
      }),
      supervision: async (q, sees) => ({ from: new Date(q.fromMs).toISOString(), to: new Date(q.toMs).toISOString(), by: q.by, alerts: [...ALERTS.values()].filter((a) => sees(a.fleetIds)).length, rows: [], perAlert: [] }),
      dispatch: async (id, body, actor) => {
        actions.push({ id, action: 'dispatch', actor });
        return ok(fileOf(ALERTS.get(id)!));
      },
      route: (of, id) => (of === 'vessel' ? live.has(id) : FLEETS.some((f) => f.fleetId === id)) ? { routeId: `${of}:${id}`, name: null, corridorHalfWidthNm: 1, line: { type: 'LineString', coordinates: [[122, 30], [122.1, 30.1]] } } : undefined,
      putRoute: (of, id) => ok({ routeId: `${of}:${id}`, name: null, corridorHalfWidthNm: 1, line: { type: 'LineString', coordinates: [[122, 30], [122.1, 30.1]] } }),
      // Evidence packs: which vessels the asker's pack may hold (undefined: all) is what the route decides.
      evidence: async (subject, _actor, sees) => {
        packs.push({ subject: subject.kind === 'alert' ? subject.alertId : 'area', vessels: sees === undefined ? null : [...live.keys()].filter(sees) });
        if (subject.kind === 'alert' && !ALERTS.has(subject.alertId)) return { refused: 'not_found', detail: `no alert ${subject.alertId}` };
        return { filename: 'pack.zip', zip: new Uint8Array([0x50, 0x4b, 5, 6, ...new Array<number>(18).fill(0)]), manifest: { packSha256: '0'.repeat(64) } };
      },
      // Voyage replay: every vessel and alert, so the route's scope is what narrows a leader's.
      replay: async (subject) =>
        'fleetId' in subject && !FLEETS.some((f) => f.fleetId === subject.fleetId)
          ? undefined
          : {
              from: '2026-12-03T00:00:00.000Z', to: '2026-12-03T01:00:00.000Z', toleranceM: 10, gridEventsCut: false, vesselsCut: 0,
              vessels: [...live.keys()].map((vesselId) => ({ vesselId, name: null, fleetId: null, fixes: 1, t: [Date.parse('2026-12-03T00:00:00Z')], lat: [30], lon: [122], sogKn: [null], cogDeg: [null] })),
              alerts: [...ALERTS.values()].map((alert) => ({ alert, history: [] })),
              gridEvents: [...live.keys()].map((vesselId) => ({ vesselId, layer: 'static', gridId: 'S1', kind: 'enter' as const, at: '2026-12-03T00:10:00.000Z', lat: 30, lon: 122 })),
            },
      picture: async (q) => ({ at: new Date(q.atMs).toISOString(), vessels: [...live.values()].map((v) => ({ vesselId: v.vesselId, at: v.at, lat: v.lat, lon: v.lon, sogKn: v.sogKn, cogDeg: v.cogDeg, source: v.source })) }),
    });
    for (const who of Object.keys(ACCOUNTS) as Exclude<Who, 'anon'>[]) {
      bearer[who] = await bearerFor(who);
      const r = await signIn(ACCOUNTS[who].username, PASSWORDS[who], 'cookie');
      cookie[who] = /seagrid_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')![1];
    }
  }, 120_000);
  afterAll(async () => {
    // Closes at once: a refused /ws upgrade left a socket the server waited for (see server.ts onResponse).
    await web?.close();
    auth?.close();
    await store?.close();
    await pg?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  /** What each route is asked, and what each of anon, officer, fleet leader, analyst, admin gets (101: upgraded). */
  interface Case {
    readonly path: string;
    readonly method?: string;
    readonly body?: () => unknown;
    /** anon, officer, leader, analyst, admin, liaison (his vessel V3 only: V1, F1 and A1 are not his, 404) */
    readonly expect: readonly [number, number, number, number, number, number];
    /** Ends the session it is sent with: each role gets a fresh token for it. */
    readonly fresh?: true;
  }
  const R = 200;
  const ALL_READ = [401, R, R, R, R, R] as const;
  /** Read by all, but the path names V1, F1 or A1: not the liaison official's (not confirmed to exist). */
  const NOT_HIS = [401, R, R, R, R, 404] as const;
  const CASES: Readonly<Record<string, Case>> = {
    'GET /health': { path: '/health', expect: [R, R, R, R, R, R] },
    'GET /metrics': { path: '/metrics', expect: [401, R, 403, R, R, 403] },
    'GET /api/vessels': { path: '/api/vessels', expect: ALL_READ },
    'GET /api/vessels/:vesselId': { path: '/api/vessels/V1', expect: NOT_HIS },
    'GET /api/vessels/:vesselId/track': { path: '/api/vessels/V1/track', expect: NOT_HIS },
    'GET /api/grids': { path: '/api/grids', expect: ALL_READ },
    'GET /api/grid-events': { path: '/api/grid-events', expect: ALL_READ },
    'GET /api/fleets': { path: '/api/fleets', expect: ALL_READ },
    'GET /api/fleets/:fleetId': { path: '/api/fleets/F1', expect: NOT_HIS },
    'GET /api/alerts': { path: '/api/alerts', expect: ALL_READ },
    'GET /api/alerts/:id': { path: '/api/alerts/A1', expect: NOT_HIS },
    'GET /api/alerts/:id/history': { path: '/api/alerts/A1/history', expect: NOT_HIS },
    'POST /api/alerts/:id/acknowledge': { path: '/api/alerts/A1/acknowledge', method: 'POST', body: () => ({}), expect: [401, R, R, 403, 403, 403] },
    'POST /api/alerts/:id/assign': { path: '/api/alerts/A1/assign', method: 'POST', body: () => ({ assignee: 'team:S1' }), expect: [401, R, R, 403, 403, 403] },
    'POST /api/alerts/:id/resolve': { path: '/api/alerts/A1/resolve', method: 'POST', body: () => ({ note: 'done' }), expect: [401, R, R, 403, 403, 403] },
    'POST /api/alerts/resolve-cleared': { path: '/api/alerts/resolve-cleared', method: 'POST', body: () => ({ note: 'flood' }), expect: [401, R, R, 403, 403, 403] },
    'GET /api/alerts/:id/responders': { path: '/api/alerts/A1/responders', expect: [401, R, R, 403, 403, 403] },
    'POST /api/alerts/:id/dispatch': { path: '/api/alerts/A1/dispatch', method: 'POST', body: () => ({ vesselIds: ['V4'] }), expect: [401, R, 403, 403, 403, 403] },
    'GET /api/vessels/:id/route': { path: '/api/vessels/V1/route', expect: NOT_HIS },
    'GET /api/fleets/:id/route': { path: '/api/fleets/F1/route', expect: NOT_HIS },
    'PUT /api/vessels/:id/route': { path: '/api/vessels/V1/route', method: 'PUT', body: () => ROUTE, expect: [401, R, 403, 403, 403, 403] },
    'PUT /api/fleets/:id/route': { path: '/api/fleets/F1/route', method: 'PUT', body: () => ROUTE, expect: [401, R, 403, 403, 403, 403] },
    'GET /api/picture': { path: '/api/picture?at=2026-12-03T00:00:00Z', expect: ALL_READ },
    // Evidence packs (issue 15): officer and analyst; a fleet leader of his fleets' alerts only, never of an area.
    'GET /api/alerts/:id/evidence': { path: '/api/alerts/A1/evidence', expect: [401, R, R, R, 403, 403] },
    'GET /api/evidence': { path: '/api/evidence?bbox=122,30,122.1,30.1&from=2026-12-03T00:00:00Z&to=2026-12-03T01:00:00Z', expect: [401, R, 403, R, 403, 403] },
    'GET /api/reports': { path: '/api/reports?day=2026-12-02', expect: [401, R, R, R, R, 403] },
    'GET /api/supervision': { path: '/api/supervision?from=2026-12-02T00:00:00Z', expect: [401, R, R, R, R, 403] },
    'GET /api/replay': { path: '/api/replay?from=2026-12-03T00:00:00Z&to=2026-12-03T01:00:00Z&fleetId=F1', expect: [401, R, R, R, 403, 403] },
    'GET /ws': { path: '/ws', expect: [401, 101, 101, 101, 101, 101] },
    'GET /api/openapi.json': { path: '/api/openapi.json', expect: ALL_READ },
    'GET /*': { path: '/index.html', expect: ALL_READ },
    'GET /login': { path: '/login', expect: [R, R, R, R, R, R] },
    // Public, so every asker reaches the check of the password (a wrong one here).
    'POST /api/auth/login': { path: '/api/auth/login', method: 'POST', body: () => ({ username: 'nobody', password: 'wrong-password' }), expect: [401, 401, 401, 401, 401, 401] },
    'POST /api/auth/logout': { path: '/api/auth/logout', method: 'POST', fresh: true, expect: [204, 204, 204, 204, 204, 204] },
    'GET /api/auth/me': { path: '/api/auth/me', expect: ALL_READ },
    'GET /api/users': { path: '/api/users', expect: [401, 403, 403, 403, R, 403] },
    'POST /api/users': { path: '/api/users', method: 'POST', body: () => ({ username: 'newbie', role: 'analyst', password: 'a-long-password' }), expect: [401, 403, 403, 403, 201, 403] },
    'PUT /api/users/:username': { path: '/api/users/zhao', method: 'PUT', body: () => ({ displayName: '赵分析' }), expect: [401, 403, 403, 403, R, 403] },
    'DELETE /api/users/:username': { path: '/api/users/newbie', method: 'DELETE', expect: [401, 403, 403, 403, 204, 403] },
    'GET /api/audit': { path: '/api/audit', expect: [401, 403, 403, 403, R, 403] },
  };
  /** Swagger UI's page and assets, GET under /api/docs: signed-in roles only (any 2xx/3xx). */
  const DOCS = /^\/api\/docs(\/|$)/;
  const routeKeys = (): { key: string; methods: readonly string[]; url: string }[] =>
    web.routes.flatMap((r) => {
      // fastify's own HEAD twin of a GET route answers as the GET does.
      if (r.methods.length === 1 && r.methods[0] === 'HEAD') return [];
      const served = r.methods.includes('GET') && r.methods.length <= 2 ? 'GET' : r.methods.length === 1 ? r.methods[0]! : '405';
      return [{ key: `${served} ${r.url}`, methods: r.methods, url: r.url }];
    });

  it('every route the server registered has a role expectation here (a new route without one fails)', () => {
    const keys = routeKeys();
    expect(keys.length).toBeGreaterThan(40);
    const missing = keys.filter((k) => CASES[k.key] === undefined && !DOCS.test(k.url) && !k.key.startsWith('405 ')).map((k) => k.key);
    expect(missing).toEqual([]);
    // And every expectation names a route that exists.
    const have = new Set(keys.map((k) => k.key));
    expect(Object.keys(CASES).filter((k) => !have.has(k))).toEqual([]);
  });

  it('each role gets what the issue says on every HTTP route and on /ws: 401 without a session, 403 for a role that may not', async () => {
    const got: Record<string, number[]> = {};
    const want: Record<string, readonly number[]> = {};
    // The admin last: he deletes the user he made.
    for (const [key, c] of Object.entries(CASES)) {
      want[key] = c.expect;
      got[key] = [];
      for (const who of ROLES) {
        if (key === 'GET /ws') {
          got[key]!.push(await wsUpgradeStatus(web.port, headersOf(who)));
          continue;
        }
        const headers = c.fresh === true && who !== 'anon' ? { authorization: `Bearer ${await bearerFor(who)}` } : headersOf(who);
        const r = await fetch(`${base()}${c.path}`, {
          method: c.method ?? 'GET',
          redirect: 'manual',
          headers: { ...headers, ...(c.body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(c.body === undefined ? {} : { body: JSON.stringify(c.body()) }),
        });
        await r.arrayBuffer();
        got[key]!.push(r.status);
      }
    }
    expect(got).toEqual(want);
  });

  it("a method a path does not serve is 401 before sign-in and 405 after, for every role; Swagger UI is for the signed-in", async () => {
    for (const k of routeKeys()) {
      if (!k.key.startsWith('405 ')) continue;
      const p = k.url.replace(':vesselId', 'V1').replace(':fleetId', 'F1').replace(':id', 'A1').replace(':username', 'zhao').replace('*', 'index.html');
      const method = k.methods.find((m) => m !== 'HEAD' && m !== 'OPTIONS')!;
      const statuses = [];
      for (const who of ROLES) statuses.push((await call(who, method, p)).status);
      expect({ route: k.url, statuses }).toEqual({ route: k.url, statuses: [401, 405, 405, 405, 405, 405] });
    }
    for (const who of ROLES) {
      const r = await call(who, 'GET', '/api/docs/json');
      expect({ who, ok: r.status < 400 }).toEqual({ who, ok: who !== 'anon' });
      if (who === 'anon') expect(r.status).toBe(401);
    }
  });

  it('a browser opening the map unsigned is sent to the zh-CN sign-in page; a script gets a 401 in the error shape', async () => {
    const r = await call('anon', 'GET', '/', undefined, { accept: 'text/html,application/xhtml+xml' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/login?next=%2F');
    const page = await call('anon', 'GET', '/login');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('lang="zh-CN"');
    const api = await call('anon', 'GET', '/api/vessels');
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('http.unauthorized');
  });

  it('a fleet leader sees his vessels whole, other traffic within 6 nm as position and identity only, and nothing farther', async () => {
    // The distances the expectations rest on.
    expect(haversineNm(30, 122, 30, 122.05)).toBeGreaterThan(2.5);
    expect(haversineNm(30, 122, 30, 122.05)).toBeLessThan(2.7);
    expect(haversineNm(30, 122, 30.5, 122)).toBeCloseTo(30, 0);
    const vessels = (await (await call('leader', 'GET', '/api/vessels')).json()) as VesselView[];
    const byId = new Map(vessels.map((v) => [v.vesselId, v]));
    expect([...byId.keys()].sort()).toEqual(['V1', 'V2', 'V4']);
    expect(byId.get('V1')).toEqual(live.get('V1'));
    for (const id of ['V2', 'V4']) {
      const v = byId.get(id)!;
      expect({ lat: v.lat, lon: v.lon, name: v.name, mmsi: v.mmsi }).toEqual({ lat: live.get(id)!.lat, lon: live.get(id)!.lon, name: live.get(id)!.name, mmsi: live.get(id)!.mmsi });
      expect({ fleetId: v.fleetId, beidouCard: v.beidouCard, static: v.grids.static }).toEqual({ fleetId: null, beidouCard: null, static: [] });
    }
    const officer = (await (await call('officer', 'GET', '/api/vessels')).json()) as VesselView[];
    expect(officer.map((v) => v.vesselId).sort()).toEqual(['V1', 'V2', 'V3', 'V4']);
  });

  it("another fleet's vessel, alert, fleet, route or history is a 404 to a fleet leader (its existence is not confirmed); his own answer", async () => {
    const status = async (method: string, p: string, body?: unknown): Promise<number> => (await call('leader', method, p, body)).status;
    expect(await status('GET', '/api/vessels/V2')).toBe(404);
    expect(await status('GET', '/api/vessels/V3')).toBe(404);
    expect(await status('GET', '/api/vessels/V2/track')).toBe(404);
    expect(await status('GET', '/api/vessels/V2/route')).toBe(404);
    expect(await status('GET', '/api/fleets/F2')).toBe(404);
    expect(await status('GET', '/api/fleets/F2/route')).toBe(404);
    expect(await status('GET', '/api/alerts/A2')).toBe(404);
    expect(await status('GET', '/api/alerts/A2/history')).toBe(404);
    expect(await status('GET', '/api/grid-events?vesselId=V2')).toBe(404);
    expect(await status('GET', '/api/picture?at=2026-12-03T00:00:00Z&fleetId=F2')).toBe(404);
    // A replay names only his fleets and vessels; a grid's holds his vessels, their alerts and crossings.
    const window = 'from=2026-12-03T00:00:00Z&to=2026-12-03T01:00:00Z';
    expect(await status('GET', `/api/replay?${window}&fleetId=F2`)).toBe(404);
    expect(await status('GET', `/api/replay?${window}&vessels=V1,V2`)).toBe(404);
    const gridReplay = (await (await call('leader', 'GET', `/api/replay?${window}&gridId=S1`)).json()) as ReplayView;
    expect([gridReplay.vessels.map((v) => v.vesselId), gridReplay.alerts.map((a) => a.alert.id), gridReplay.gridEvents.map((e) => e.vesselId)]).toEqual([['V1'], ['A1', 'A3'], ['V1']]);
    const before = actions.length;
    expect(await status('POST', '/api/alerts/A2/acknowledge', {})).toBe(404);
    expect(await status('GET', '/api/alerts/A2/responders')).toBe(404);
    // His pack of another fleet's alert is not found; of his own, it may hold his vessels only.
    expect(await status('GET', '/api/alerts/A2/evidence')).toBe(404);
    expect(await status('GET', '/api/alerts/A1/evidence')).toBe(200);
    expect(packs.at(-1)).toEqual({ subject: 'A1', vessels: ['V1'] });
    expect(((await (await call('leader', 'GET', '/api/supervision?from=2026-12-02T00:00:00Z')).json()) as { alerts: number }).alerts).toBe(1); // A1, his fleet's
    expect(actions.length).toBe(before); // refused before the lifecycle saw it
    // His, though 600 of another fleet's changed since (the page is filled after the scope, not before).
    const his = await call('leader', 'GET', '/api/alerts');
    expect(((await his.json()) as AlertView[]).map((a) => a.id)).toEqual(['A1', 'A3']);
    expect(his.headers.get('x-truncated')).toBeNull();
    expect(((await (await call('leader', 'GET', '/api/fleets')).json()) as FleetView[]).map((f) => f.fleetId)).toEqual(['F1']);
    expect(((await (await call('leader', 'GET', '/api/grid-events')).json()) as { vesselId: string }[]).map((e) => e.vesselId)).toEqual(['V1']);
    expect(((await (await call('leader', 'GET', '/api/picture?at=2026-12-03T00:00:00Z')).json()) as { vessels: { vesselId: string }[] }).vessels.map((v) => v.vesselId)).toEqual(['V1']);
    // Reports: his fleets only; asking for another fleet is 403.
    const reportIds = async (who: string, query: string): Promise<string[]> => ((await (await call(who as never, 'GET', `/api/reports?${query}`)).json()) as { rows: { id: string }[] }).rows.map((r) => r.id);
    expect(await reportIds('leader', 'day=2026-12-02&by=fleet')).toEqual(['F1']);
    expect(await reportIds('leader', 'day=2026-12-02&fleetId=F1')).toEqual(['F1']);
    expect(await status('GET', '/api/reports?day=2026-12-02&fleetId=F2')).toBe(403);
    expect(await reportIds('officer', 'day=2026-12-02&by=fleet')).toEqual(['F1', 'F2', 'none']);
    expect(await reportIds('officer', 'day=2026-12-02&fleetId=F2')).toEqual(['F2']);
    // Bad parameters: a stable code each; the CSV has its header and one line per row.
    const refusal = async (query: string): Promise<[number, string]> => {
      const r = await call('officer', 'GET', `/api/reports?${query}`);
      return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
    };
    expect(await refusal('day=2026-02-30')).toEqual([400, 'http.bad_time']);
    expect(await refusal('day=2026-12-02T00:00:00Z')).toEqual([400, 'http.bad_time']);
    expect(await refusal('days=3')).toEqual([400, 'http.bad_time']);
    expect(await refusal('day=2026-12-02&days=32')).toEqual([400, 'http.bad_param']);
    expect(await refusal('day=2026-12-02&days=0')).toEqual([400, 'http.bad_param']);
    expect(await refusal('day=2026-12-02&by=ship')).toEqual([400, 'http.bad_param']);
    expect(await refusal('day=2026-12-02&format=xlsx')).toEqual([400, 'http.bad_param']);
    const csv = await call('officer', 'GET', '/api/reports?day=2026-12-02&by=fleet&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]!.split(',').slice(0, 8)).toEqual(['day_beijing', 'fleet_id', 'vessels', 'hours_at_sea', 'distance_nm', 'moratorium_hours', 'alerts', 'alerts_collision']);
    expect(lines.slice(1, 4).map((l) => l.split(',').slice(0, 8).join(','))).toEqual(['2026-12-02,F1,2,3.5,12.25,0,1,1', '2026-12-02,F2,2,3.5,12.25,0,1,1', '2026-12-02,none,2,3.5,12.25,0,1,1']);
    // The officer's answers for the same: everything exists.
    expect((await call('officer', 'GET', '/api/vessels/V3')).status).toBe(200);
    expect((await call('officer', 'GET', '/api/alerts/A2')).status).toBe(200);
  });

  it("a liaison official (定人联船) reads his vessel and its alerts, over HTTP and /ws, and nothing else", async () => {
    const get = async <T>(p: string): Promise<T> => (await (await call('liaison', 'GET', p)).json()) as T;
    expect((await get<AlertView[]>('/api/alerts')).map((a) => a.id)).toEqual(['A2']); // V3's; the officer has A1, A2, A3 and the crowd
    expect((await get<AlertView[]>('/api/alerts?state=all')).map((a) => a.id)).toEqual(['A2']);
    expect((await call('liaison', 'GET', '/api/alerts/A2')).status).toBe(200);
    expect((await call('liaison', 'GET', '/api/alerts/A2/history')).status).toBe(200);
    for (const p of ['/api/alerts/A1', '/api/alerts/A3', '/api/vessels/V2', '/api/vessels/V2/track', '/api/fleets/F2', '/api/grid-events?vesselId=V2']) expect({ p, status: (await call('liaison', 'GET', p)).status }).toEqual({ p, status: 404 });
    // His vessel whole (its file too); no awareness radius, no fleets, no other vessel's events.
    expect((await get<VesselView[]>('/api/vessels')).map((v) => v.vesselId)).toEqual(['V3']);
    expect((await get<VesselView>('/api/vessels/V3')).fleetId).toBe('F2');
    expect(await get<FleetView[]>('/api/fleets')).toEqual([]);
    expect((await get<{ vesselId: string }[]>('/api/grid-events')).map((e) => e.vesselId)).toEqual(['V3']);
    expect((await get<{ vessels: { vesselId: string }[] }>('/api/picture?at=2026-12-03T00:00:00Z')).vessels.map((v) => v.vesselId)).toEqual(['V3']);
    const before = actions.length;
    expect((await call('liaison', 'POST', '/api/alerts/A2/acknowledge', {})).status).toBe(403);
    expect(actions.length).toBe(before);
    const ws = await connectWs(web.port, { authorization: `Bearer ${bearer.liaison}` });
    try {
      const snap = (await ws.next((m) => m.type === 'snapshot')) as Extract<WsServerMessage, { type: 'snapshot' }>;
      expect(snap.vessels.map((v) => v.vesselId)).toEqual(['V3']);
      expect(snap.alerts.map((a) => a.id)).toEqual(['A2']);
      // A new alert on V3 reaches him; one on V2 alone (his vessel's fleet-mate) does not.
      push.alertChanged(change(alertOf('A5', ['F2'], ['V2']), 1));
      push.alertChanged(change(alertOf('A6', [], ['V3', 'V4']), 1));
      push.vesselsChanged(['V1', 'V2', 'V3']);
      push.flush();
      const d = (await ws.next((m) => m.type === 'delta')) as Extract<WsServerMessage, { type: 'delta' }>;
      expect(d.alerts.map((c) => c.alertId)).toEqual(['A6']);
      expect(d.vessels.map((v) => v.vesselId)).toEqual(['V3']);
    } finally {
      await ws.close();
    }
  });

  it("a fleet leader reads, and may not act on, another fleet's alert his vessel is dispatched to; the dispatch reaches his /ws", async () => {
    expect((await call('leader', 'GET', '/api/alerts/A3')).status).toBe(200);
    const before = actions.length;
    for (const [method, p, body] of [['POST', '/api/alerts/A3/acknowledge', {}], ['POST', '/api/alerts/A3/resolve', {}], ['GET', '/api/alerts/A3/responders', undefined]] as const) {
      const r = await call('leader', method, p, body);
      expect({ p, status: r.status }).toEqual({ p, status: 403 });
    }
    expect(actions.length).toBe(before);
    expect((await call('liaison', 'GET', '/api/alerts/A3')).status).toBe(404);
    const ws = await connectWs(web.port, { authorization: `Bearer ${bearer.leader}` });
    try {
      await ws.next((m) => m.type === 'snapshot');
      // A4 is F2's: not his, until V1 (his) is sent to it; its changes then reach him.
      const a4 = alertOf('A4', ['F2'], ['V2']);
      push.alertChanged(change(a4, 1));
      push.alertChanged({ ...change({ ...a4, responders: [sentV1] }, 2), action: 'dispatch', actor: 'wang' });
      push.flush();
      const d = (await ws.next((m) => m.type === 'delta' && m.alerts.length > 0)) as Extract<WsServerMessage, { type: 'delta' }>;
      expect(d.alerts.map((c) => [c.alertId, c.seq, c.action])).toEqual([['A4', 2, 'dispatch']]);
      expect(d.alerts[0]!.alert.responders.map((r) => r.vesselId)).toEqual(['V1']);
    } finally {
      await ws.close();
    }
  });

  it("resolve-cleared: a fleet leader resolves his fleets' cleared alerts only (not one he reads as a dispatcher's), an officer every cleared one; each as its own resolve, audited", async () => {
    const held = new Map(ALERTS);
    // A1 (F1, his), A2 (F2) and A3 (no fleet; his V1 dispatched to it) have all cleared; the 600 of CROWD have not.
    for (const id of ['A1', 'A2', 'A3']) ALERTS.set(id, { ...ALERTS.get(id)!, cleared: true });
    try {
      actions.length = 0;
      const leader = await call('leader', 'POST', '/api/alerts/resolve-cleared', { note: '编组已散开' });
      expect(leader.status).toBe(200);
      expect(await leader.json()).toEqual({ resolved: ['A1'], skipped: 0, truncated: false });
      expect(actions).toEqual([{ id: 'A1', action: 'resolve', actor: 'li' }]);
      // Named ones (a console's list) get the same rule: another fleet's, and one he only reads, are skipped.
      actions.length = 0;
      const named = await call('leader', 'POST', '/api/alerts/resolve-cleared', { ids: ['A2', 'A3', 'A1', 'A1'] });
      expect(await named.json()).toEqual({ resolved: ['A1'], skipped: 2, truncated: false });
      expect(actions.map((a) => a.id)).toEqual(['A1']);
      expect((await call('leader', 'POST', '/api/alerts/resolve-cleared', { ids: [] })).status).toBe(400);
      actions.length = 0;
      const officer = await call('officer', 'POST', '/api/alerts/resolve-cleared', {});
      expect(await officer.json()).toEqual({ resolved: ['A1', 'A2', 'A3'], skipped: 0, truncated: false });
      expect(actions.map((a) => [a.id, a.action, a.actor])).toEqual([['A1', 'resolve', 'wang'], ['A2', 'resolve', 'wang'], ['A3', 'resolve', 'wang']]);
      await new Promise((r) => setTimeout(r, 200)); // audit lines are written in the background
      const audit = (await (await call('admin', 'GET', '/api/audit?limit=500')).json()) as { actor: string; action: string; target: string | null; outcome: string }[];
      expect(audit).toContainEqual(expect.objectContaining({ actor: 'li', action: 'alert.resolve', target: 'A1', outcome: 'ok' }));
    } finally {
      for (const [id, a] of held) ALERTS.set(id, a);
    }
  });

  it('alert actions carry the signed-in username as actor and are in the audit trail, with refusals', async () => {
    actions.length = 0;
    expect((await call('leader', 'POST', '/api/alerts/A1/acknowledge', { note: 'on it' })).status).toBe(200);
    expect((await call('analyst', 'POST', '/api/alerts/A1/resolve', {})).status).toBe(403);
    expect(actions).toEqual([{ id: 'A1', action: 'acknowledge', actor: 'li' }]);
    await new Promise((r) => setTimeout(r, 200)); // audit lines are written in the background
    const audit = (await (await call('admin', 'GET', '/api/audit?limit=500')).json()) as { actor: string; action: string; target: string | null; outcome: string }[];
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'li', action: 'alert.acknowledge', target: 'A1', outcome: 'ok' }));
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'zhao', action: 'POST /api/alerts/:id/resolve', outcome: 'refused' }));
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'wang', action: 'sign-in', outcome: 'ok' }));
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'nobody', action: 'sign-in', outcome: 'refused' }));
  });

  it('no credentials, a forged or malformed token, an expired cookie and a signed-out token are all 401; a bearer token outlives a cookie', async () => {
    expect((await call('anon', 'GET', '/api/alerts')).status).toBe(401);
    expect((await fetch(`${base()}/api/alerts`, { headers: { cookie: 'seagrid_session=AAAAforgedAAAAforgedAAAAforgedAAAAforgedAAA' } })).status).toBe(401);
    expect((await fetch(`${base()}/api/alerts`, { headers: { authorization: 'Bearer not a token' } })).status).toBe(401);
    expect((await fetch(`${base()}/api/alerts`, { headers: { authorization: 'Basic d2FuZzp4' } })).status).toBe(401);
    const token = await bearerFor('officer');
    expect((await fetch(`${base()}/api/alerts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${base()}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect((await fetch(`${base()}/api/alerts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    // A fresh cookie session: fine now, gone after the 12 h of a watch; the 30-day bearer token still works.
    const r = await signIn('wang', PASSWORDS.officer, 'cookie');
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Max-Age=43200/);
    const c = /seagrid_session=([^;]+)/.exec(set)![1]!;
    expect((await fetch(`${base()}/api/alerts`, { headers: { cookie: `seagrid_session=${c}` } })).status).toBe(200);
    const saved = now;
    try {
      now += 12 * 3_600_000 + 1_000;
      expect((await fetch(`${base()}/api/alerts`, { headers: { cookie: `seagrid_session=${c}` } })).status).toBe(401);
      expect((await fetch(`${base()}/api/alerts`, { headers: { authorization: `Bearer ${bearer.officer}` } })).status).toBe(200);
      expect(await wsUpgradeStatus(web.port, { cookie: `seagrid_session=${c}` })).toBe(401);
    } finally {
      now = saved;
    }
  });

  it("a fleet leader's /ws holds his fleets' vessels and alerts and the traffic near them, in the snapshot and in every delta", async () => {
    const leader = await connectWs(web.port, { cookie: `seagrid_session=${cookie.leader}` });
    const officer = await connectWs(web.port, { authorization: `Bearer ${bearer.officer}` });
    try {
      const snap = (await leader.next((m) => m.type === 'snapshot')) as Extract<WsServerMessage, { type: 'snapshot' }>;
      expect(snap.vessels.map((v) => v.vesselId).sort()).toEqual(['V1', 'V2', 'V4']);
      expect(snap.vessels.find((v) => v.vesselId === 'V2')!.fleetId).toBeNull();
      expect(snap.alerts.map((a) => a.id)).toEqual(['A1', 'A3']);
      const all = (await officer.next((m) => m.type === 'snapshot')) as Extract<WsServerMessage, { type: 'snapshot' }>;
      expect(all.vessels.map((v) => v.vesselId).sort()).toEqual(['V1', 'V2', 'V3', 'V4']);
      expect(all.alerts.map((a) => a.id).sort()).toEqual(['A1', 'A2', 'A3']);
      // V3 comes within 1 nm of V1, V2 goes 60 nm away, and both alerts change.
      live.set('V3', { ...live.get('V3')!, lat: 30.01, lon: 122 });
      live.set('V2', { ...live.get('V2')!, lat: 31, lon: 122.05 });
      push.vesselsChanged(['V2', 'V3']);
      push.alertChanged(change(ALERTS.get('A1')!, 2));
      push.alertChanged(change(ALERTS.get('A2')!, 2));
      push.flush();
      const d = (await leader.next((m) => m.type === 'delta')) as Extract<WsServerMessage, { type: 'delta' }>;
      expect(d.vessels.map((v) => [v.vesselId, v.fleetId])).toEqual([['V3', null]]);
      expect(d.removed).toEqual(['V2']);
      expect(d.alerts.map((c) => c.alertId)).toEqual(['A1']);
      const od = (await officer.next((m) => m.type === 'delta')) as Extract<WsServerMessage, { type: 'delta' }>;
      expect(od.vessels.map((v) => v.vesselId).sort()).toEqual(['V2', 'V3']);
      expect(od.alerts.map((c) => c.alertId)).toEqual(['A1', 'A2']);
    } finally {
      live.set('V2', vessel('V2', 'F2', 30, 122.05));
      live.set('V3', vessel('V3', 'F2', 30.5, 122));
      await leader.close();
      await officer.close();
    }
  });

  it('after 2 failed sign-ins for a name, even the right password is a 429 with Retry-After until the window ends', async () => {
    const limited = await Auth.open({ store, nowMs: () => now, limits: { perUser: 2, perAddress: 100, windowMs: 15 * 60_000 }, onError: (what, e) => authLog.push(`${what}: ${String(e)}`) });
    const small = await startWebServer('127.0.0.1', 0, { auth: limited, health: () => ({ status: 'ok' }) as never, metrics: () => '', vessels: () => ({ vessels: [], next: undefined }), vessel: () => undefined, track: async () => undefined });
    const attempt = (password: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${small.port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhao', password }) });
    try {
      expect((await attempt('not-it-1')).status).toBe(401);
      expect((await attempt('not-it-2')).status).toBe(401);
      const held = await attempt(PASSWORDS.analyst);
      expect(held.status).toBe(429);
      expect(held.headers.get('retry-after')).toBe('900');
      expect(((await held.json()) as { error: { code: string } }).error.code).toBe('http.too_many');
      now += 15 * 60_000;
      expect((await attempt(PASSWORDS.analyst)).status).toBe(200);
    } finally {
      now -= 15 * 60_000;
      await small.close();
      limited.close();
    }
  });

  it('USERS_FILE owns its users: a changed password or role signs the user out, a user gone from the file is removed, store users stay', async () => {
    const h1 = await hashPassword('File-pass-1111');
    const h2 = await hashPassword('File-pass-2222');
    const fileUser = (role: UserRecord['role'], passwordHash: string): UserRecord => ({ username: 'filer', role, fleetIds: [], passwordHash, displayName: null, source: 'file' });
    const session = (tokenSha256: string): Parameters<Store['putSession']>[0] => ({ tokenSha256, username: 'filer', kind: 'bearer', createdAtMs: now, expiresAtMs: now + 3_600_000 });
    const sessionsOfFiler = async (): Promise<number> => (await store.sessions(now)).filter((x) => x.username === 'filer').length;
    expect(await syncFileUsers(store, [fileUser('officer', h1)])).toEqual({ written: 1, removed: 0, signedOut: 0 });
    await store.putSession(session('f'.repeat(64)));
    expect(await syncFileUsers(store, [fileUser('officer', h1)])).toEqual({ written: 1, removed: 0, signedOut: 0 });
    expect(await sessionsOfFiler()).toBe(1);
    expect(await syncFileUsers(store, [fileUser('officer', h2)])).toEqual({ written: 1, removed: 0, signedOut: 1 });
    expect(await sessionsOfFiler()).toBe(0);
    await store.putSession(session('e'.repeat(64)));
    expect(await syncFileUsers(store, [])).toEqual({ written: 0, removed: 1, signedOut: 0 });
    expect(await sessionsOfFiler()).toBe(0);
    const names = (await store.users()).map((u) => u.username);
    expect(names).not.toContain('filer');
    expect(names).toEqual(expect.arrayContaining(['wang', 'li', 'zhao', 'root']));
  });

  it('the store and every log line after sign-ins, failed ones included, hold no clear password', async () => {
    await signIn('li', 'Leader-pass-WRONG-5521', 'cookie');
    await signIn('ghost', 'Ghost-pass-never-9931', 'bearer');
    await new Promise((r) => setTimeout(r, 200));
    const client = await import('pg');
    const db = new client.default.Client({ connectionString: pg.url });
    await db.connect();
    try {
      let dump = '';
      for (const table of ['users', 'sessions', 'audit']) dump += JSON.stringify((await db.query(`select * from ${table}`)).rows);
      expect(dump).toContain('wang'); // the dump is what it should be
      expect(dump).toContain('scrypt$');
      const logs = `${authLog.join('\n')}\n${JSON.stringify(httpErrors)}`;
      for (const pw of [...Object.values(PASSWORDS), 'Leader-pass-WRONG-5521', 'Ghost-pass-never-9931', 'a-long-password', 'wrong-password']) {
        expect({ pw, inStore: dump.includes(pw), inLogs: logs.includes(pw) }).toEqual({ pw, inStore: false, inLogs: false });
      }
    } finally {
      await db.end();
    }
  });
});
