import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AlertQuery, GridEventQuery, Result } from '../model/index.js';
import { BAD_URI, box, count, given, isLoopback, opt, parseQuery, parseTime, printable, Refusal, time } from './params.js';
import { ALERT_IDS_MAX, REPLAY_MAX_MS, REPLAY_MAX_VESSELS, WS_MAX_CLIENT_MESSAGE_BYTES, WS_PATH } from './protocol.js';
import type {
  AlertActionBody,
  AlertActionName,
  AlertFileView,
  ApiErrorCode,
  PlannedRouteView,
  ApiErrorView,
  AlertChangeView,
  AlertView,
  DispatchBody,
  FleetView,
  GridEventView,
  HealthView,
  PictureView,
  ReplayView,
  ResolveClearedView,
  ResponderView,
  SupervisionView,
  TrackPointView,
  VesselFileView,
  VesselView,
} from './protocol.js';
import type { PushHub } from './push.js';
import { fileSafe, trackFile, type TrackFormat } from './export.js';
import { reportCsv } from './report-csv.js';
import { REPORT_DAYS_MAX, type ReportView } from './report-view.js';
import { LOCAL, type Auth, type Principal } from './auth.js';
import { authRoutes, tokenOf } from './auth-routes.js';
import { allows, ruleFor, SIGNED_IN, type RouteRule } from './auth-rules.js';
import { Scope, type ScopeSource } from './auth-scope.js';
import { AlertActionBody as AlertActionBodySchema, ResolveClearedBody as ResolveClearedBodySchema, AlertIdParams, EvidenceQuery, DispatchBody as DispatchBodySchema, ApiErrorResponse, RESPONSES, AlertsQuery, FleetIdParams, GridEventsQuery, MAX_BODY_BYTES, PictureQuery, ReplayQuery as ReplayQuerySchema, ReportsQuery, RouteBody, RouteOwnerParams, SupervisionQuery, TrackQuery as TrackQuerySchema, VesselIdParams, VesselsQuery, VESSEL_PAGE_DEFAULT, VESSEL_PAGE_MAX, ALERT_PAGE_DEFAULT, ALERT_PAGE_MAX } from './schemas.js';

export { MAX_BODY_BYTES, VESSEL_PAGE_DEFAULT, VESSEL_PAGE_MAX } from './schemas.js';
export { parseTime } from './params.js';

type Maybe<T> = T | Promise<T>;

export interface TrackQuery {
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  /** Downsample to at most this many points (long replays). */
  readonly maxPoints: number | undefined;
}

/** What an evidence pack is of: one alert, or an area over a time window. */
export type EvidenceSubjectQuery =
  | { readonly kind: 'alert'; readonly alertId: string }
  | { readonly kind: 'area'; readonly bbox: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number }; readonly fromMs: number; readonly toMs: number };

/** A pack (its file name, the zip and the manifest's packSha256), or why there is none. */
export type EvidencePackAnswer =
  | { readonly filename: string; readonly zip: Uint8Array; readonly manifest: { readonly packSha256: string } }
  | { readonly refused: 'not_found' | 'bounds'; readonly detail: string };

/** `GET /api/vessels`: one page, optionally filtered (all filters must hold). */
export interface VesselQuery {
  readonly limit: number;
  /** Opaque cursor from the previous page's `next` link. */
  readonly after?: number;
  readonly bbox?: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number };
  readonly fleetId?: string;
  readonly gridId?: string;
}

export interface VesselPage {
  readonly vessels: readonly VesselView[];
  /** Cursor of the next page; undefined when this was the last. */
  readonly next: number | undefined;
}

/**
 * Who takes an alert action while the service has no users: `local`, and actions are taken only
 * from the loopback interface (a browser or script on the watch-floor machine itself). With users,
 * the signed-in username.
 */
export const LOCAL_ACTOR = LOCAL.username;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking (set before every handler); undefined: not signed in (a public route). */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** The route's role rule (auth-rules.ts): every route has one or the server does not start. */
    rule?: RouteRule;
  }
}

/** One registered route and its role rule, as the server holds them. */
export interface RouteListing {
  readonly methods: readonly string[];
  readonly url: string;
  readonly rule: RouteRule;
}

/** An error answer decided outside the router (a source's failure it recognises): status and stable code. */
export interface ApiFailure {
  readonly status: 400 | 404 | 503;
  readonly code: ApiErrorCode;
  readonly message: string;
}

/** What the server tells the composition root of each error answer (it counts and logs them). */
export interface ApiErrorEvent {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly requestId: string;
  readonly method: string;
  /** The request path, control characters escaped, at most 200 characters. */
  readonly path: string;
  /** The internal detail of a 500 (never sent to the client). */
  readonly detail?: string;
}

/**
 * What the web server reads; the composition root supplies it (no state lives here). Sources a
 * deployment lacks answer 404 rather than inventing data.
 */
export interface WebSources {
  health(): HealthView;
  metrics(): Maybe<string>;
  vessels(q: VesselQuery): VesselPage;
  vessel(vesselId: string): VesselFileView | undefined;
  /** Track of a vessel between two epoch-ms times, in time order; undefined: unknown vessel. */
  track(vesselId: string, q: TrackQuery): Maybe<readonly TrackPointView[] | undefined>;
  /** GeoJSON FeatureCollection of the static grids (with live occupancy). */
  grids?(): unknown;
  gridEvents?(q: GridEventQuery): Maybe<readonly GridEventView[]>;
  fleets?(): readonly FleetView[];
  fleet?(fleetId: string): FleetView | undefined;
  alerts?(q: AlertQuery): Maybe<readonly AlertView[]>;
  alertHistory?(alertId: string): Maybe<readonly AlertChangeView[] | undefined>;
  /** One alert as it is now, with its history; undefined: no such alert. */
  alert?(alertId: string): Maybe<AlertFileView | undefined>;
  /**
   * An officer's action on an alert, through the one alert state machine; the alert after it, or
   * its refusal (`alert.not_found` → 404, `alert.transition` → 409, `alert.invalid` → 400).
   */
  /** `onlyIfCleared` (resolve): refused as a transition unless the alert's condition has gone, checked with the resolve. */
  alertAction?(alertId: string, action: AlertActionName, body: AlertActionBody, actor: string, opts?: { readonly onlyIfCleared?: boolean }): Maybe<Result<AlertFileView>>;
  /** Supervision figures of the alerts raised in [fromMs, toMs) whose fleets pass `sees` (a fleet leader's scope). */
  supervision?(q: { fromMs: number; toMs: number; by: 'grid' | 'fleet' }, sees: (fleetIds: readonly string[]) => boolean): Maybe<SupervisionView>;
  /** Reports per grid or fleet and Beijing day; `seesFleet`: the asker's scope ('' is no fleet). */
  reports?(q: { by: 'grid' | 'fleet'; day: string; days: number; fleetId?: string }, seesFleet: (fleetId: string) => boolean): Maybe<ReportView>;
  /** Who can help with an open alert, soonest first (快响指挥); undefined: not an open alert. */
  responders?(alertId: string): Maybe<readonly ResponderView[] | undefined>;
  /** The officer sends vessels to an alert; refusals as for `alertAction`. */
  dispatch?(alertId: string, body: DispatchBody, actor: string): Maybe<Result<AlertFileView>>;
  /** The planned route a vessel or fleet is held to now (a vessel's own, else its fleet's); undefined: none or unknown. */
  route?(of: 'vessel' | 'fleet', id: string): PlannedRouteView | undefined;
  /**
   * Sets the planned route of a known vessel or fleet from the parsed JSON body (a `route.*` refusal
   * names the fault); undefined: no such vessel or fleet.
   */
  putRoute?(of: 'vessel' | 'fleet', id: string, body: unknown, actor: string): Maybe<Result<PlannedRouteView> | undefined>;
  /**
   * An incident evidence pack (zip) of an alert or of an area over a window; `sees`: the vessels the
   * asker may have in it (undefined: all). A refusal: `not_found` → 404, `bounds` → 400 `http.bad_window`.
   */
  evidence?(subject: EvidenceSubjectQuery, actor: string, sees: ((vesselId: string) => boolean) | undefined): Promise<EvidencePackAnswer>;
  /** Last stored fix per vessel at or before a time, optionally one fleet's or one grid's. */
  picture?(q: { atMs: number; fleetId?: string; gridId?: string }): Maybe<PictureView>;
  /** A voyage replay of a list of vessels, a fleet or a grid over [fromMs, toMs); undefined: no such fleet. */
  replay?(subject: { vesselIds: readonly string[] } | { fleetId: string } | { gridId: string }, fromMs: number, toMs: number): Maybe<ReplayView | undefined>;
  /** The most points a track answer may hold; a larger `maxPoints` is a 400 (default 100,000). */
  readonly maxTrackPoints?: number;
  /** Maps a failure thrown by a source to an answer (e.g. the store's busy → 503); undefined: a 500. */
  classifyError?(e: unknown): ApiFailure | undefined;
  /** Every error answer, once (for counting and bounded logging). */
  onError?(e: ApiErrorEvent): void;
  /** The push behind `/ws`; absent: no `/ws`. */
  readonly push?: PushHub;
  /** The built map (dist/client, index.html at `/`); absent or missing: `/` answers 404. */
  readonly clientDir?: string;
  /** Users and sessions; absent, or with no users: no sign-in (loopback only, everything allowed). */
  readonly auth?: Auth;
  /** What a fleet leader's scope needs to know (fleets of vessels, his fleet's positions). */
  readonly scope?: ScopeSource;
  /** The awareness radius around a fleet leader's fleet, nm (default 6). */
  readonly awarenessNm?: number;
}

export interface WebServer {
  readonly port: number;
  /** Every route registered, with its role rule (the route-rule test reads it). */
  readonly routes: readonly RouteListing[];
  close(): Promise<void>;
}

/** Methods a path may be asked with; those it does not serve answer 405 with Allow. */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

const JSON_TYPE = 'application/json; charset=utf-8';
/** Most alerts `/api/alerts` reads for a narrowed scope before it filters them (its limit applies after). */
const ALERT_SCAN = 20_000;

/**
 * The HTTP API of docs/CONTRACTS.md, `/ws` and the map's files, on fastify. Every route has a
 * JSON schema (schemas.ts) that validates its input, types its handler and documents it in
 * `/api/openapi.json` (browsable at `/api/docs`). Every error answer has one shape
 * (`ApiErrorView`) and a stable code, made in one place (`answerError`); a failure the sources do
 * not classify answers 500 `http.internal` with a request id, its detail going only to `onError`.
 */
export async function startWebServer(host: string, port: number, sources: WebSources): Promise<WebServer> {
  // Request ids: a per-start prefix and a counter, so ids from two runs in one log do not collide.
  const prefix = randomBytes(3).toString('hex');
  let requests = 0;
  const app = Fastify({
    logger: false,
    genReqId: () => `${prefix}-${(++requests).toString(36)}`,
    keepAliveTimeout: 5_000,
    forceCloseConnections: true,
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { querystringParser: parseQuery },
    // Refuse, never repair: no unknown fields stripped, no `5` read as "5". `x-code` names a
    // field's error code (schemas.ts): a keyword for Ajv, not a typo.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, keywords: ['x-code'] } },
    frameworkErrors: (e, req, reply) => answerError(req, reply, e.code === 'FST_ERR_BAD_URL' ? BAD_URI_REFUSAL : e),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Every route's answers in its schema, for the OpenAPI document (schemas.ts RESPONSES).
  app.addHook('onRoute', (route) => {
    const ok = RESPONSES[route.url];
    if (route.schema?.hide === true || (ok === undefined && !route.url.startsWith('/api/'))) return;
    route.schema = { ...route.schema, response: { ...(ok !== undefined ? { [ok.status]: ok.schema } : {}), '4xx': ApiErrorResponse, '5xx': ApiErrorResponse } };
  });

  function answerError(req: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply {
    const a = errorAnswer(e, req, sources);
    if (e instanceof Refusal && e.headers !== undefined) void reply.headers(e.headers);
    if (a.status === 413) void reply.header('connection', 'close'); // the rest of the body is not read
    if (a.status === 503) void reply.header('retry-after', '1');
    sources.onError?.({ status: a.status, code: a.code, requestId: req.id, method: req.method, path: printable(req.url), ...opt('detail', a.detail) });
    const body: ApiErrorView = { error: { code: a.code, message: a.message, requestId: req.id } };
    return reply.code(a.status).header('x-request-id', req.id).header('cache-control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));
  }
  app.setErrorHandler((e, req, reply) => answerError(req, reply, e));
  const mapBuilt = sources.clientDir !== undefined && existsSync(sources.clientDir);
  const notFound = (url: string): string => (url.startsWith('/api/') ? 'no such route' : url === '/' && !mapBuilt ? 'the map is not built here: npm run build writes dist/client' : 'not found');
  app.setNotFoundHandler((req, reply) => answerError(req, reply, new Refusal(404, 'http.not_found', notFound(req.url))));
  // Every route has a role rule, or the server does not start (a new route cannot be left open).
  const routes: RouteListing[] = [];
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method as string];
    const rule = r.config?.rule ?? ruleFor(methods.includes('GET') ? 'GET' : methods[0]!, r.url);
    if (rule === undefined) throw new Error(`route ${methods.join(',')} ${r.url} has no role rule (web/auth-rules.ts)`);
    r.config = { ...r.config, rule };
    routes.push({ methods, url: r.url, rule });
  });
  const auth = sources.auth;
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    if ((req.query as { [BAD_URI]?: true } | undefined)?.[BAD_URI] === true) throw BAD_URI_REFUSAL;
    if (auth === undefined || !auth.enforced) {
      req.principal = LOCAL;
      return;
    }
    req.principal = auth.principal(tokenOf(req.headers));
    const rule = req.routeOptions.config.rule;
    if (rule !== undefined && 'public' in rule) return;
    if (req.principal === undefined) {
      // A browser opening the map is sent to sign in; anything else (and an unknown path) is a 401.
      if (req.method === 'GET' && rule !== undefined && req.routeOptions.url === '/*' && (req.headers.accept ?? '').includes('text/html')) {
        return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 302);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') auth.audit({ actor: '-', action: `${req.method} ${req.routeOptions.url ?? ''}`, target: printable(req.url), address: req.ip, outcome: 'refused', detail: 'not signed in' });
      throw new Refusal(401, 'http.unauthorized', 'sign in first: POST /api/auth/login (the map: /login)');
    }
    if (rule !== undefined && !allows(rule, req.principal.role)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') auth.audit({ actor: req.principal.username, action: `${req.method} ${req.routeOptions.url ?? ''}`, target: printable(req.url), address: req.ip, outcome: 'refused', detail: `role ${req.principal.role}` });
      throw new Refusal(403, 'http.forbidden', `a${req.principal.role === 'officer' || req.principal.role === 'analyst' || req.principal.role === 'admin' ? 'n' : ''} ${req.principal.role} may not do this`);
    }
  });
  // A refused /ws upgrade (401, 403) is answered by @fastify/websocket on a socket the HTTP server
  // no longer tracks: unless closed here it stays open (a leaked descriptor, and close() waits for it).
  app.addHook('onResponse', async (req, reply) => {
    if (req.headers.upgrade !== undefined && reply.statusCode !== 101 && !req.socket.destroyed) req.socket.destroySoon();
  });
  /** What the asker may see (a fleet leader: his fleets and the traffic near them). */
  const scopeOf = (req: FastifyRequest): Scope => new Scope(req.principal ?? LOCAL, sources.scope, sources.awarenessNm);
  /** Whether the asker may act on this alert: every one for the whole scope, a narrowed one those it sees and acts on. */
  const actsOnAlert = (scope: Scope, a: AlertView): boolean => scope.whole || (scope.seesAlert(a) && scope.actsOnAlert(a));
  /** A narrowed scope acts on its fleets' alerts: another's is a 404 (not confirmed), one it only reads (dispatched to, liaison) a 403. */
  const actsOn = async (scope: Scope, id: string): Promise<void> => {
    const now = await sources.alert?.(id);
    if (now === undefined || !scope.seesAlert(now)) throw new Refusal(404, 'http.not_found', `no alert ${id}`);
    if (!scope.actsOnAlert(now)) throw new Refusal(403, 'http.forbidden', `alert ${id} is not one of your fleets': you may read it only`);
  };
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });
  // One body parser whatever the content type: at most MAX_BODY_BYTES, strictly UTF-8, JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  await app.register(swagger, { openapi: { info: { title: 'seagrid', version: '1', description: 'Vessel monitoring and sea grids (Zhoushan); docs/CONTRACTS.md' } } });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  /** The methods a path does not serve: 405 with Allow, in the one error shape. */
  /** `head: false`: a GET route registered without its HEAD (exposeHeadRoute: false) answers HEAD 405 too. */
  const otherMethods = (url: string, served: readonly Method[], head = true): void => {
    const allow = served.flatMap((m) => (m === 'GET' && head ? ['GET', 'HEAD'] : [m])).join(', ');
    const message = served.length === 1 && served[0] === 'POST' ? 'alert actions are POST' : `only ${allow} are served here`;
    app.route({
      method: [...METHODS.filter((m) => !served.includes(m)), ...(head ? [] : (['HEAD'] as const))],
      url,
      schema: { hide: true },
      config: { rule: SIGNED_IN },
      handler: async (_req, reply) => {
        void reply.header('allow', allow);
        throw new Refusal(405, 'http.method', message);
      },
    });
  };
  const json = (reply: FastifyReply, body: unknown, type = JSON_TYPE): FastifyReply => reply.type(type).send(JSON.stringify(body));
  const found = <T>(reply: FastifyReply, v: T | undefined, what: string): FastifyReply => {
    if (v === undefined) throw new Refusal(404, 'http.not_found', what);
    return json(reply, v);
  };

  app.get('/health', { schema: { summary: 'service health; 503 while degraded' } }, async (_req, reply) => {
    const h = sources.health();
    return json(reply.code(h.status === 'ok' ? 200 : 503), h);
  });
  otherMethods('/health', ['GET']);
  app.get('/metrics', { schema: { summary: 'Prometheus text format' } }, async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await sources.metrics()));
  otherMethods('/metrics', ['GET']);

  app.get('/api/vessels', { schema: { summary: 'one page of the live picture; the next page is a Link header', querystring: VesselsQuery } }, async (req, reply) => {
    const q = req.query;
    const after = given(q.after);
    const page = sources.vessels({
      limit: count(q.limit, 'limit', 1, VESSEL_PAGE_MAX) ?? VESSEL_PAGE_DEFAULT,
      ...opt('after', after === undefined ? undefined : Number(after)),
      ...opt('bbox', box(q.bbox, 'bbox')),
      ...opt('fleetId', given(q.fleetId)),
      ...opt('gridId', given(q.gridId)),
    });
    const see = scopeOf(req).vesselViewer();
    if (page.next !== undefined) {
      // The next page's link keeps every parameter but the cursor (RFC 8288, as GitHub's API pages).
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (k !== 'after' && typeof v === 'string') params.append(k, v);
      params.set('after', String(page.next));
      void reply.header('link', `</api/vessels?${params.toString()}>; rel="next"`);
    }
    return json(reply, page.vessels.map(see).filter((v) => v !== null));
  });
  otherMethods('/api/vessels', ['GET']);
  app.get('/api/vessels/:vesselId', { schema: { summary: 'the vessel file (一船一档) and its live state', params: VesselIdParams } }, async (req, reply) => {
    const v = sources.vessel(req.params.vesselId);
    // Another fleet's vessel is not found: a fleet leader is not told it exists.
    const scope = scopeOf(req);
    return found(reply, v !== undefined && (scope.ownsFleet(v.fleetId) || scope.ownsVessel(v.vesselId)) ? v : undefined, `no vessel ${req.params.vesselId} in the live picture`);
  });
  otherMethods('/api/vessels/:vesselId', ['GET']);
  app.get('/api/vessels/:vesselId/track', { schema: { summary: 'stored positions in time order', params: VesselIdParams, querystring: TrackQuerySchema } }, async (req, reply) => {
    const q = req.query;
    const fromMs = time(q.from, 'from');
    const toMs = time(q.to, 'to');
    const maxPoints = count(q.maxPoints, 'maxPoints', 2, sources.maxTrackPoints ?? 100_000);
    const format = (given(q.format) ?? 'json') as TrackFormat;
    if (!scopeOf(req).ownsVessel(req.params.vesselId)) throw new Refusal(404, 'http.not_found', `no vessel ${req.params.vesselId}`);
    const points = await sources.track(req.params.vesselId, { fromMs, toMs, maxPoints });
    if (format === 'json' || points === undefined) return found(reply, points, `no vessel ${req.params.vesselId}`);
    // The same track as a file analysts' tools open (issue 15 §4).
    const file = trackFile(format, req.params.vesselId, points);
    return reply.type(file.type).header('content-disposition', `attachment; filename="${fileSafe(req.params.vesselId)}-track.${file.ext}"`).send(file.text);
  });
  otherMethods('/api/vessels/:vesselId/track', ['GET']);

  if (sources.grids !== undefined) {
    const grids = sources.grids;
    app.get('/api/grids', { schema: { summary: 'GeoJSON of the sea grids with live occupancy' } }, async (_req, reply) => json(reply, grids(), 'application/geo+json; charset=utf-8'));
    otherMethods('/api/grids', ['GET']);
  }
  if (sources.gridEvents !== undefined) {
    const gridEvents = sources.gridEvents;
    app.get('/api/grid-events', { schema: { summary: 'grid entries and exits', querystring: GridEventsQuery } }, async (req, reply) => {
      const q = req.query;
      const fromMs = time(q.from, 'from');
      const toMs = time(q.to, 'to');
      const limit = count(q.limit, 'limit', 1, 9_999_999);
      const scope = scopeOf(req);
      const vesselId = given(q.vesselId);
      if (vesselId !== undefined && !scope.ownsVessel(vesselId)) throw new Refusal(404, 'http.not_found', `no vessel ${vesselId}`);
      // A fleet leader's page holds only his vessels' events (it may be shorter than limit).
      return json(reply, (await gridEvents({ ...opt('vesselId', given(q.vesselId) as GridEventQuery['vesselId']), ...opt('gridId', given(q.gridId)), ...opt('fromMs', fromMs), ...opt('toMs', toMs), ...opt('limit', limit) })).filter((e) => scope.ownsVessel(e.vesselId)));
    });
    otherMethods('/api/grid-events', ['GET']);
  }
  if (sources.fleets !== undefined) {
    const fleets = sources.fleets;
    app.get('/api/fleets', { schema: { summary: 'fleet grids (编组)' } }, async (req, reply) => {
      const scope = scopeOf(req);
      return json(reply, fleets().filter((f) => scope.ownsFleet(f.fleetId)));
    });
    otherMethods('/api/fleets', ['GET']);
  }
  if (sources.fleet !== undefined) {
    const fleet = sources.fleet;
    app.get('/api/fleets/:fleetId', { schema: { summary: 'one fleet grid', params: FleetIdParams } }, async (req, reply) =>
      found(reply, scopeOf(req).ownsFleet(req.params.fleetId) ? fleet(req.params.fleetId) : undefined, `no fleet ${req.params.fleetId}`),
    );
    otherMethods('/api/fleets/:fleetId', ['GET']);
  }
  if (sources.alerts !== undefined) {
    const alerts = sources.alerts;
    app.get('/api/alerts', { schema: { summary: 'alerts, newest change first; X-Truncated: true when there were more than the limit', querystring: AlertsQuery } }, async (req, reply) => {
      const q = req.query;
      const state = given(q.state) ?? 'open';
      if (state !== 'open' && state !== 'all') throw new Refusal(400, 'http.bad_param', 'state must be open or all');
      const limit = count(q.limit, 'limit', 1, ALERT_PAGE_MAX) ?? ALERT_PAGE_DEFAULT;
      const scope = scopeOf(req);
      // A narrowed scope (fleet leader, liaison) is applied to what the store returns: it reads up
      // to ALERT_SCAN of the newest, so his alerts are not cut off behind others' newer ones (it
      // read the limit, and a leader could get none of his while they were open).
      const read = scope.whole ? limit + 1 : Math.max(limit + 1, ALERT_SCAN);
      const rows = await alerts({ state, limit: read, ...opt('vesselId', given(q.vesselId) as AlertQuery['vesselId']), ...opt('kind', given(q.kind)), ...opt('fleetId', given(q.fleetId)) });
      const seen = scope.whole ? rows : rows.filter((a) => scope.seesAlert(a));
      // More than the limit, or (narrowed) a full scan that may have left some of his out.
      if (seen.length > limit || rows.length === read) void reply.header('x-truncated', 'true');
      return json(reply, seen.length > limit ? seen.slice(0, limit) : seen);
    });
    otherMethods('/api/alerts', ['GET']);
  }
  if (sources.alert !== undefined) {
    const alert = sources.alert;
    app.get('/api/alerts/:id', { schema: { summary: 'the alert now and its history', params: AlertIdParams } }, async (req, reply) => {
      const a = await alert(req.params.id);
      return found(reply, a !== undefined && scopeOf(req).seesAlert(a) ? a : undefined, `no alert ${req.params.id}`);
    });
    otherMethods('/api/alerts/:id', ['GET']);
  }
  if (sources.alertHistory !== undefined) {
    const history = sources.alertHistory;
    app.get('/api/alerts/:id/history', { schema: { summary: "the alert's changes by seq", params: AlertIdParams } }, async (req, reply) => {
      const h = await history(req.params.id);
      const last = h?.at(-1)?.alert;
      return found(reply, last === undefined || scopeOf(req).seesAlert(last) ? h : undefined, `no alert ${req.params.id}`);
    });
    otherMethods('/api/alerts/:id/history', ['GET']);
  }
  if (sources.alertAction !== undefined) {
    const act = sources.alertAction;
    // An empty body is {}: filled in before the schema sees it (the parser leaves it undefined).
    const preValidation = async (req: FastifyRequest): Promise<void> => {
      req.body ??= {};
    };
    /** The action through the one state machine, and its line in the audit trail (refused ones too). */
    const actAudited = async (req: FastifyRequest, id: string, action: AlertActionName, body: AlertActionBody, detail: string | null, opts?: { readonly onlyIfCleared?: boolean }): Promise<Result<AlertFileView>> => {
      const actor = scopeOf(req).principal.username;
      const r = await act(id, action, body, actor, opts);
      auth?.audit({ actor, action: `alert.${action}`, target: id, address: req.ip, outcome: r.ok ? 'ok' : 'refused', detail: r.ok ? detail : r.code });
      return r;
    };
    for (const action of ['acknowledge', 'assign', 'resolve'] as const) {
      const url = `/api/alerts/:id/${action}`;
      const schema = { summary: `${action} an alert (loopback only until sign-in)`, params: AlertIdParams, body: AlertActionBodySchema };
      app.post(url, { schema, onRequest: loopbackOnly('alert actions'), preValidation }, async (req, reply) => {
        const { note, assignee } = req.body;
        if (action === 'assign' && (assignee === undefined || assignee.trim() === '')) throw new Refusal(400, 'http.bad_body', 'assign needs an assignee');
        const scope = scopeOf(req);
        // A fleet leader acts on his fleets' alerts only; another's is not found (one he only reads is a 403).
        if (!scope.whole) await actsOn(scope, req.params.id);
        const r = await actAudited(req, req.params.id, action, { ...opt('note', note), ...opt('assignee', assignee) }, assignee ?? null);
        if (r.ok) return json(reply, r.value);
        const refusal = ACTION_REFUSALS[r.code] ?? { status: 400, code: 'http.bad_body' };
        throw new Refusal(refusal.status, refusal.code, r.detail ?? r.code);
      });
      otherMethods(url, ['POST']);
    }
    if (sources.alerts !== undefined && sources.alert !== undefined) {
      const { alerts, alert } = sources;
      // The flood's answer: an officer resolves every alert whose condition has gone (a leader his
      // fleets'), each as by /resolve — its own history entry with the note, its own audit line.
      app.post('/api/alerts/resolve-cleared', { schema: { summary: 'resolve the open alerts whose condition has cleared (optionally of one kind or fleet)', body: ResolveClearedBodySchema }, onRequest: loopbackOnly('alert actions'), preValidation }, async (req, reply) => {
        const { note, kind, fleetId, ids } = req.body;
        const scope = scopeOf(req);
        // Given ids are read as stored before they are acted on; listed ones already were, filtered by
        // kind, fleet and scope in the listing (undefined: no second read).
        let picked: { id: string; view?: AlertView }[];
        let truncated = false;
        if (ids !== undefined) picked = [...new Set(ids)].map((id) => ({ id }));
        else {
          // The newest ALERT_SCAN open alerts by last change: a cleared one changed when it cleared.
          const rows = await alerts({ state: 'open', limit: ALERT_SCAN, ...opt('kind', kind), ...opt('fleetId', fleetId) });
          const mine = rows.filter((a) => a.cleared && actsOnAlert(scope, a));
          picked = mine.slice(0, ALERT_IDS_MAX).map((a) => ({ id: a.id, view: a }));
          truncated = mine.length > picked.length;
        }
        const resolved: string[] = [];
        const refused = (id: string, why: string): void =>
          auth?.audit({ actor: scope.principal.username, action: 'alert.resolve', target: id, address: req.ip, outcome: 'refused', detail: `resolve-cleared: ${why}` });
        for (const { id, view } of picked) {
          try {
            // Scope, kind and fleet from the alert as stored (given ids) or as listed; cleared and open
            // are checked by the lifecycle in the step that resolves (onlyIfCleared): the condition may have come back.
            const now = view ?? (await alert(id));
            if (now === undefined || !actsOnAlert(scope, now)) refused(id, 'not found or not yours');
            else if ((kind !== undefined && now.kind !== kind) || (fleetId !== undefined && !now.fleetIds.includes(fleetId))) refused(id, 'another kind or fleet');
            else if ((await actAudited(req, id, 'resolve', opt('note', note), 'resolve-cleared', { onlyIfCleared: true })).ok) resolved.push(id);
          } catch (e) {
            // One alert's failure (the store away) costs that one, not the answer about the others.
            refused(id, `error: ${(e as Error).message}`);
          }
        }
        return json(reply, { resolved, skipped: picked.length - resolved.length, truncated } satisfies ResolveClearedView);
      });
      otherMethods('/api/alerts/resolve-cleared', ['POST']);
    }
  }
  if (sources.responders !== undefined && sources.dispatch !== undefined) {
    const { responders, dispatch } = sources;
    // A fleet leader asks only about his fleets' alerts: another's is not found (not confirmed to exist).
    const seen = async (req: FastifyRequest, id: string): Promise<void> => {
      const scope = scopeOf(req);
      if (!scope.whole) await actsOn(scope, id);
    };
    app.get('/api/alerts/:id/responders', { schema: { summary: 'who can help with an open alert, soonest first (快响指挥)', params: AlertIdParams } }, async (req, reply) => {
      await seen(req, req.params.id);
      return found(reply, await responders(req.params.id), `no open alert ${req.params.id}`);
    });
    otherMethods('/api/alerts/:id/responders', ['GET']);
    app.post('/api/alerts/:id/dispatch', { schema: { summary: 'send vessels to help with an alert (快响指挥)', params: AlertIdParams, body: DispatchBodySchema }, onRequest: loopbackOnly('alert actions') }, async (req, reply) => {
      await seen(req, req.params.id);
      const p = scopeOf(req).principal;
      const r = await dispatch(req.params.id, req.body, p.username);
      auth?.audit({ actor: p.username, action: 'alert.dispatch', target: req.params.id, address: req.ip, outcome: r.ok ? 'ok' : 'refused', detail: r.ok ? req.body.vesselIds.join(',') : r.code });
      if (r.ok) return json(reply, r.value);
      const refusal = ACTION_REFUSALS[r.code] ?? { status: 400, code: 'http.bad_body' };
      throw new Refusal(refusal.status, refusal.code, r.detail ?? r.code);
    });
    otherMethods('/api/alerts/:id/dispatch', ['POST']);
  }
  if (sources.supervision !== undefined) {
    const supervision = sources.supervision;
    app.get('/api/supervision', { schema: { summary: 'how fast alerts were handled, by grid or fleet (全链监督)', querystring: SupervisionQuery } }, async (req, reply) => {
      const fromMs = time(req.query.from, 'from');
      if (fromMs === undefined) throw new Refusal(400, 'http.bad_time', 'from is required: an ISO-8601 time or epoch ms');
      const toMs = time(req.query.to, 'to') ?? Date.now();
      if (toMs <= fromMs) throw new Refusal(400, 'http.bad_time', 'to must be after from');
      const scope = scopeOf(req);
      return json(reply, await supervision({ fromMs, toMs, by: req.query.by ?? 'grid' }, (fleetIds) => scope.seesAlert({ fleetIds })));
    });
    otherMethods('/api/supervision', ['GET']);
  }
  if (sources.reports !== undefined) {
    const reports = sources.reports;
    app.get('/api/reports', { schema: { summary: 'reports per grid or fleet and Beijing day (JSON or CSV)', querystring: ReportsQuery } }, async (req, reply) => {
      const q = req.query;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(q.day) || parseTime(q.day) === undefined) throw new Refusal(400, 'http.bad_time', 'day must be a calendar day YYYY-MM-DD (Beijing)');
      const days = count(q.days, 'days', 1, REPORT_DAYS_MAX) ?? 1;
      const fleetId = given(q.fleetId);
      const scope = scopeOf(req);
      if (fleetId !== undefined && !scope.ownsFleet(fleetId)) throw new Refusal(403, 'http.forbidden', `fleet ${fleetId} is not one of yours`);
      const r = await reports({ by: given(q.by) === 'fleet' ? 'fleet' : 'grid', day: q.day, days, ...opt('fleetId', fleetId) }, (f) => scope.whole || (f !== '' && scope.ownsFleet(f)));
      if (given(q.format) !== 'csv') return json(reply, r);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="seagrid-report-${r.by}-${r.day}-${r.days}d.csv"`).send(reportCsv(r));
    });
    otherMethods('/api/reports', ['GET']);
  }
  if (sources.route !== undefined && sources.putRoute !== undefined) {
    const { route, putRoute } = sources;
    for (const [of, url] of [['vessel', '/api/vessels/:id/route'], ['fleet', '/api/fleets/:id/route']] as const) {
      app.get(url, { schema: { summary: `the planned route the ${of} is held to`, params: RouteOwnerParams } }, async (req, reply) => {
        const scope = scopeOf(req);
        const mine = of === 'fleet' ? scope.ownsFleet(req.params.id) : scope.ownsVessel(req.params.id);
        return found(reply, mine ? route(of, req.params.id) : undefined, `no planned route for ${of} ${req.params.id}`);
      });
      app.put(url, { schema: { summary: `set the ${of}'s planned route (loopback only until sign-in)`, params: RouteOwnerParams, body: RouteBody }, onRequest: loopbackOnly('routes') }, async (req, reply) => {
        if (req.body === undefined) throw new Refusal(400, 'http.bad_json', 'the body is not JSON');
        const actor = (req.principal ?? LOCAL).username;
        const r = await putRoute(of, req.params.id, req.body, actor);
        auth?.audit({ actor, action: 'route.set', target: `${of}:${req.params.id}`, address: req.ip, outcome: r?.ok === true ? 'ok' : 'refused', detail: r === undefined ? 'not found' : r.ok ? null : r.code });
        if (r === undefined) throw new Refusal(404, 'http.not_found', `no ${of} ${req.params.id}`);
        if (r.ok) return json(reply, r.value);
        throw new Refusal(400, r.code.startsWith('route.') ? 'http.bad_route' : 'http.bad_body', `${r.code}${r.detail === undefined ? '' : `: ${r.detail}`}`);
      });
      otherMethods(url, ['GET', 'PUT']);
    }
  }
  if (sources.evidence !== undefined) {
    const evidence = sources.evidence;
    /** Makes the pack, audits it (`evidence.create`), and sends the zip or the refusal. */
    const pack = async (req: FastifyRequest, reply: FastifyReply, subject: EvidenceSubjectQuery, target: string): Promise<FastifyReply> => {
      const scope = scopeOf(req);
      const actor = scope.principal.username;
      const r = await evidence(subject, actor, scope.whole ? undefined : (id) => scope.ownsVessel(id));
      auth?.audit({ actor, action: 'evidence.create', target, address: req.ip, outcome: 'refused' in r ? 'refused' : 'ok', detail: 'refused' in r ? r.detail : `packSha256 ${r.manifest.packSha256}` });
      if ('refused' in r) throw r.refused === 'not_found' ? new Refusal(404, 'http.not_found', r.detail) : new Refusal(400, 'http.bad_window', r.detail);
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${r.filename}"`).send(Buffer.from(r.zip.buffer, r.zip.byteOffset, r.zip.byteLength));
    };
    // No HEAD: it would build (and audit) a whole pack to send none of it.
    app.get('/api/alerts/:id/evidence', { exposeHeadRoute: false, schema: { summary: "the incident's evidence pack (application/zip; seagrid verify-pack checks it)", params: AlertIdParams } }, async (req, reply) => {
      // A fleet leader's pack is of his fleets' alerts (another's is not found), with his vessels only.
      const scope = scopeOf(req);
      if (!scope.whole) {
        const now = await sources.alert?.(req.params.id);
        if (now === undefined || !scope.seesAlert(now)) throw new Refusal(404, 'http.not_found', `no alert ${req.params.id}`);
      }
      return pack(req, reply, { kind: 'alert', alertId: req.params.id }, req.params.id);
    });
    otherMethods('/api/alerts/:id/evidence', ['GET'], false);
    app.get('/api/evidence', { exposeHeadRoute: false, schema: { summary: 'the evidence pack of an area over a time window (application/zip)', querystring: EvidenceQuery } }, async (req, reply) => {
      const bbox = box(req.query.bbox, 'bbox');
      const fromMs = time(req.query.from, 'from');
      const toMs = time(req.query.to, 'to');
      if (bbox === undefined || fromMs === undefined || toMs === undefined) throw new Refusal(400, 'http.bad_window', 'bbox, from and to are all required');
      return pack(req, reply, { kind: 'area', bbox, fromMs, toMs }, `area:${req.query.bbox}@${req.query.from}/${req.query.to}`);
    });
    otherMethods('/api/evidence', ['GET'], false);
  }
  if (sources.picture !== undefined) {
    const picture = sources.picture;
    app.get('/api/picture', { schema: { summary: 'the last stored fix of each vessel at a moment', querystring: PictureQuery } }, async (req, reply) => {
      const atMs = time(req.query.at, 'at');
      if (atMs === undefined) throw new Refusal(400, 'http.bad_time', 'at is required: an ISO-8601 time or epoch ms');
      const scope = scopeOf(req);
      const fleetId = given(req.query.fleetId);
      if (fleetId !== undefined && !scope.ownsFleet(fleetId)) throw new Refusal(404, 'http.not_found', `no fleet ${fleetId}`);
      // A fleet leader's picture of the past holds his vessels only (no awareness radius in history).
      const pic = await picture({ atMs, ...opt('fleetId', fleetId), ...opt('gridId', given(req.query.gridId)) });
      return json(reply, scope.whole ? pic : { ...pic, vessels: pic.vessels.filter((v) => scope.ownsVessel(v.vesselId)) });
    });
    otherMethods('/api/picture', ['GET']);
  }

  if (sources.replay !== undefined) {
    const replay = sources.replay;
    app.get('/api/replay', { schema: { summary: 'a voyage replay: tracks downsampled keeping turns, alerts with their history, grid entries/exits', querystring: ReplayQuerySchema } }, async (req, reply) => {
      const q = req.query;
      const fromMs = time(q.from, 'from');
      const toMs = time(q.to, 'to');
      if (fromMs === undefined || toMs === undefined) throw new Refusal(400, 'http.bad_time', 'from and to are required: ISO-8601 times or epoch ms');
      if (!(toMs > fromMs) || toMs - fromMs > REPLAY_MAX_MS) throw new Refusal(400, 'http.bad_time', `to must be after from, by at most ${REPLAY_MAX_MS / 3_600_000} h`);
      const vessels = given(q.vessels)?.split(',').map((v) => v.trim()).filter((v) => v !== '');
      const fleetId = given(q.fleetId);
      const gridId = given(q.gridId);
      if ([vessels, fleetId, gridId].filter((x) => x !== undefined).length !== 1) throw new Refusal(400, 'http.bad_param', 'give exactly one of vessels, fleetId, gridId');
      if (vessels !== undefined && (vessels.length === 0 || vessels.length > REPLAY_MAX_VESSELS)) throw new Refusal(400, 'http.bad_param', `vessels must name 1 to ${REPLAY_MAX_VESSELS} vessel ids`);
      const scope = scopeOf(req);
      // Another fleet's vessel or fleet is not found: a fleet leader is not told it exists.
      for (const id of vessels ?? []) if (!scope.ownsVessel(id)) throw new Refusal(404, 'http.not_found', `no vessel ${id}`);
      if (fleetId !== undefined && !scope.ownsFleet(fleetId)) throw new Refusal(404, 'http.not_found', `no fleet ${fleetId}`);
      const r = await replay(vessels !== undefined ? { vesselIds: vessels } : fleetId !== undefined ? { fleetId } : { gridId: gridId! }, fromMs, toMs);
      if (r === undefined) throw new Refusal(404, 'http.not_found', `no fleet ${fleetId ?? ''}`);
      // A grid's replay for a fleet leader: his vessels in it, their alerts and crossings.
      return json(reply, scope.whole ? r : { ...r, vessels: r.vessels.filter((v) => scope.ownsVessel(v.vesselId)), alerts: r.alerts.filter((a) => scope.seesAlert(a.alert)), gridEvents: r.gridEvents.filter((e) => scope.ownsVessel(e.vesselId)) });
    });
    otherMethods('/api/replay', ['GET']);
  }

  const push = sources.push;
  if (push !== undefined) {
    // Per-message compression off: measured ~10× cheaper in CPU here (issue 13). ws closes a
    // message over maxPayload with 1009 and invalid UTF-8 with 1007 itself.
    await app.register(websocket, { options: { perMessageDeflate: false, maxPayload: WS_MAX_CLIENT_MESSAGE_BYTES } });
    app.get(WS_PATH, { websocket: true, schema: { summary: 'push: snapshot then coalesced deltas (web/protocol.ts)' } }, (socket, req) => {
      // Signed in before the upgrade (the onRequest hook answers 401/403 instead of upgrading).
      const scope = scopeOf(req);
      const client = push.connect(socket, scope.whole ? null : scope);
      socket.on('message', (data, isBinary) => push.receive(client, isBinary ? null : data.toString()));
      socket.on('close', (code) => push.disconnect(client, code));
      socket.on('error', () => undefined); // ws closes the socket after its own protocol errors (1007, 1009): 'close' follows
    });
  }
  // Sign-in, who-am-I, users and the audit trail (auth-routes.ts).
  const signIn = authRoutes(auth);
  for (const r of signIn) {
    const schema = { summary: r.summary, ...opt('body', r.body), ...opt('params', r.params), ...opt('querystring', r.querystring) };
    app.route({
      method: r.method,
      url: r.url,
      schema,
      handler: async (req, reply) => {
        const a = await r.handle({
          principal: req.principal,
          address: req.ip,
          secure: req.protocol === 'https',
          body: req.body,
          params: req.params as Record<string, string>,
          query: req.query as Record<string, string | undefined>,
        });
        if (a.headers !== undefined) void reply.headers(a.headers);
        void reply.code(a.status);
        if (a.body === undefined) return reply.send();
        return typeof a.body === 'string' ? reply.type(a.type ?? 'text/plain; charset=utf-8').send(a.body) : json(reply, a.body);
      },
    });
  }
  for (const url of new Set(signIn.map((r) => r.url))) otherMethods(url, signIn.filter((r) => r.url === url).map((r) => r.method));
  // The map (web/client, built into dist/client by `npm run build`): index.html at `/`.
  if (mapBuilt) {
    await app.register(fastifyStatic, { root: sources.clientDir!, prefix: '/', index: 'index.html' }); // max-age=0 with ETags: revalidated, 304 when unchanged
  }

  await app.listen({ host, port });
  const bound = (app.server.address() as { port: number }).port;
  return {
    port: bound,
    routes,
    close: async () => {
      push?.closeAll();
      await app.close();
    },
  };
}

/** Where `npm run build` puts the map: dist/client, whether this module runs from dist/web or from source (tsx). */
export function builtClientDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return resolve(here, basename(dirname(here)) === 'dist' ? '../client' : '../dist/client');
}

const BAD_URI_REFUSAL = new Refusal(400, 'http.bad_uri', 'malformed percent-encoding (or not UTF-8) in the request target');

/** The lifecycle's refusals as answers; any other code is a body the action cannot use. */
const ACTION_REFUSALS: Readonly<Record<string, { status: number; code: ApiErrorCode }>> = {
  'alert.not_found': { status: 404, code: 'http.not_found' },
  'alert.transition': { status: 409, code: 'http.conflict' },
};

/** An onRequest hook: with no users, writes are taken only from the loopback interface (before the body is read). */
function loopbackOnly(what: string): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    if (req.principal?.role === 'local' && !isLoopback(req.socket.remoteAddress)) throw new Refusal(403, 'http.forbidden', `${what} are taken only from the loopback interface while the service has no users (actor "${LOCAL_ACTOR}")`);
  };
}

/** A body: strictly UTF-8 JSON; an empty (or blank) one is undefined. */
function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new Refusal(400, 'http.bad_json', 'the body is not UTF-8');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'http.bad_json', 'the body is not JSON');
  }
}

interface ErrorAnswer {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly message: string;
  /** A 500's internal detail: for the log only. */
  readonly detail?: string;
}

/**
 * Any failure as its answer: our refusals, schema refusals (the field's `x-code`), fastify's own
 * (body too large, bad content length), a source failure the composition root recognises, else 500.
 */
function errorAnswer(e: unknown, req: FastifyRequest, s: WebSources): ErrorAnswer {
  if (e instanceof Refusal) return { status: e.status, code: e.code, message: e.message };
  const fe = e as { code?: string; statusCode?: number; validation?: readonly ValidationError[]; validationContext?: string };
  if (fe.validation !== undefined && fe.validation.length > 0) return schemaRefusal(fe.validation[0]!, fe.validationContext ?? '', req);
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'http.too_large', message: `the body may hold at most ${MAX_BODY_BYTES} bytes` };
  if (typeof fe.code === 'string' && fe.code.startsWith('FST_ERR_CTP_') && fe.statusCode !== undefined && fe.statusCode < 500) return { status: 400, code: 'http.bad_json', message: 'the body could not be read' };
  let known: ApiFailure | undefined;
  try {
    known = s.classifyError?.(e);
  } catch {
    known = undefined;
  }
  if (known !== undefined) return { status: known.status, code: known.code, message: known.message };
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { status: 500, code: 'http.internal', message: 'internal error; quote the request id', detail };
}

/** Ajv's error object, as much of it as is read here. */
interface ValidationError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A schema refusal names its field and answers the field's `x-code` (default by where it was). */
function schemaRefusal(v: ValidationError, context: string, req: FastifyRequest): ErrorAnswer {
  const field = v.keyword === 'required' ? String(v.params.missingProperty) : v.keyword === 'additionalProperties' ? String(v.params.additionalProperty) : v.instancePath.split('/')[1] ?? '';
  const schema = (req.routeOptions.schema as Record<string, { properties?: Record<string, { description?: string; 'x-code'?: ApiErrorCode }> } | undefined> | undefined)?.[context];
  const prop = schema?.properties?.[field];
  const body = context === 'body';
  const code = prop?.['x-code'] ?? (body ? 'http.bad_body' : 'http.bad_param');
  const shown = JSON.stringify(field.slice(0, 40));
  const message =
    v.keyword === 'additionalProperties' ? `unknown field ${shown}` : prop?.description !== undefined ? `${field} must be ${prop.description}` : body && field === '' ? 'the body must be a JSON object of the route\'s fields' : `${context} ${shown} is malformed`;
  return { status: 400, code, message };
}
