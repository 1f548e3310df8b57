import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AlertQuery, GridEventQuery, Result, VesselId } from '../model/index.js';
import type {
  AlertActionBody,
  AlertActionName,
  AlertFileView,
  ApiErrorCode,
  PlannedRouteView,
  ApiErrorView,
  AlertChangeView,
  AlertView,
  FleetView,
  GridEventView,
  HealthView,
  PictureView,
  TrackPointView,
  VesselFileView,
  VesselView,
} from './protocol.js';

type Maybe<T> = T | Promise<T>;

export interface TrackQuery {
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  /** Downsample to at most this many points (long replays). */
  readonly maxPoints: number | undefined;
}

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

/** `limit` of `/api/vessels` when absent, and the most one call may ask for. */
export const VESSEL_PAGE_DEFAULT = 1_000;
export const VESSEL_PAGE_MAX = 10_000;

/** The most a request body may hold (alert actions). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Who takes an alert action. Until sign-in exists (issue 14) it is `local`, and actions are taken
 * only from the loopback interface (a browser or script on the watch-floor machine itself).
 */
export const LOCAL_ACTOR = 'local';

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
  metrics(): string;
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
  alertAction?(alertId: string, action: AlertActionName, body: AlertActionBody, actor: string): Maybe<Result<AlertFileView>>;
  /** The planned route a vessel or fleet is held to now (a vessel's own, else its fleet's); undefined: none or unknown. */
  route?(of: 'vessel' | 'fleet', id: string): PlannedRouteView | undefined;
  /**
   * Sets the planned route of a known vessel or fleet from the parsed JSON body (a `route.*` refusal
   * names the fault); undefined: no such vessel or fleet.
   */
  putRoute?(of: 'vessel' | 'fleet', id: string, body: unknown, actor: string): Maybe<Result<PlannedRouteView> | undefined>;
  /** Last stored fix per vessel at or before a time, optionally one fleet's or one grid's. */
  picture?(q: { atMs: number; fleetId?: string; gridId?: string }): Maybe<PictureView>;
  /** The most points a track answer may hold; a larger `maxPoints` is a 400 (default 100,000). */
  readonly maxTrackPoints?: number;
  /** Maps a failure thrown by a source to an answer (e.g. the store's busy → 503); undefined: a 500. */
  classifyError?(e: unknown): ApiFailure | undefined;
  /** Every error answer, once (for counting and bounded logging). */
  onError?(e: ApiErrorEvent): void;
}

export interface WebServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A routed answer: JSON body, status, and headers beyond the defaults. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Set on error answers: the event the composition root is told of. */
  readonly error?: { readonly code: ApiErrorCode; readonly detail?: string };
}

/** A request the router refuses: thrown only inside this module, from parsing, and turned into a Reply. */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly message: string,
  ) {}
}

/**
 * The HTTP API of docs/CONTRACTS.md on node:http; routes that later issues add plug in here. Every
 * error answer has one shape (`ApiErrorView`) and a stable code; a failure the sources do not
 * classify answers 500 `http.internal` with a request id, its detail going only to `onError`.
 */
export async function startWebServer(host: string, port: number, sources: WebSources): Promise<WebServer> {
  // Request ids: a per-start prefix and a counter, so ids from two runs in one log do not collide.
  const prefix = randomBytes(3).toString('hex');
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const requestId = `${prefix}-${(++requests).toString(36)}`;
    route(req, sources)
      .catch((e: unknown) => failureReply(e, sources))
      .then((reply) => {
        if (reply.error !== undefined) {
          sources.onError?.({ status: reply.status, code: reply.error.code, requestId, method: req.method ?? '', path: printable(req.url ?? ''), ...(reply.error.detail === undefined ? {} : { detail: reply.error.detail }) });
        }
        send(res, reply, requestId);
      })
      .catch(() => res.destroy()); // the socket failed mid-answer: nothing left to tell the client
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failureReply(e: unknown, s: WebSources): Reply {
  if (e instanceof Refusal) {
    const r = fail(e.status, e.code, e.message);
    // A body refused unread: the rest of it is not waited for, so this connection cannot carry another request.
    return e.status === 413 ? { ...r, headers: { connection: 'close' } } : r;
  }
  let known: ApiFailure | undefined;
  try {
    known = s.classifyError?.(e);
  } catch {
    known = undefined;
  }
  if (known !== undefined) {
    const r = fail(known.status, known.code, known.message);
    return known.status === 503 ? { ...r, headers: { 'retry-after': '1' } } : r;
  }
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { ...fail(500, 'http.internal', 'internal error; quote the request id'), error: { code: 'http.internal', detail } };
}

function fail(status: number, code: ApiErrorCode, message: string): Reply {
  // requestId is filled in by send(): one place sets it for body and header alike.
  return { status, body: { error: { code, message, requestId: '' } } satisfies ApiErrorView, error: { code } };
}

async function route(req: IncomingMessage, s: WebSources): Promise<Reply> {
  const { path, q } = parseTarget(req.url ?? '/');
  const act = /^\/api\/alerts\/([^/]+)\/(acknowledge|assign|resolve)$/.exec(path);
  if (act !== null && s.alertAction !== undefined) {
    if (req.method !== 'POST') return { ...fail(405, 'http.method', 'alert actions are POST'), headers: { allow: 'POST' } };
    return alertActionReply(req, s.alertAction, segment(act[1]!), act[2] as AlertActionName);
  }
  const rt = /^\/api\/(vessels|fleets)\/([^/]+)\/route$/.exec(path);
  if (rt !== null && s.putRoute !== undefined && s.route !== undefined) {
    const of = rt[1] === 'vessels' ? 'vessel' : 'fleet';
    const id = segment(rt[2]!);
    if (req.method === 'PUT') return putRouteReply(req, s.putRoute, of, id);
    if (req.method !== 'GET' && req.method !== 'HEAD') return { ...fail(405, 'http.method', 'a route is read with GET and set with PUT'), headers: { allow: 'GET, HEAD, PUT' } };
    const r = s.route(of, id);
    return r === undefined ? fail(404, 'http.not_found', `no planned route for ${of} ${id}`) : ok(r);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...fail(405, 'http.method', 'only GET and HEAD are served here'), headers: { allow: 'GET, HEAD' } };
  if (path === '/health') {
    const h = s.health();
    return { status: h.status === 'ok' ? 200 : 503, body: h };
  }
  if (path === '/metrics') return { status: 200, body: s.metrics(), type: 'text/plain; version=0.0.4; charset=utf-8' };
  if (path === '/api/vessels') return vesselsReply(s, q);
  const m = /^\/api\/vessels\/([^/]+)(\/track)?$/.exec(path);
  if (m !== null) {
    const id = segment(m[1]!);
    if (m[2] === undefined) {
      const v = s.vessel(id);
      return v === undefined ? fail(404, 'http.not_found', `no vessel ${id} in the live picture`) : ok(v);
    }
    const fromMs = time(q, 'from');
    const toMs = time(q, 'to');
    const maxPoints = count(q, 'maxPoints', 2, s.maxTrackPoints ?? 100_000);
    const t = await s.track(id, { fromMs, toMs, maxPoints });
    return t === undefined ? fail(404, 'http.not_found', `no vessel ${id}`) : ok(t);
  }
  if (path === '/api/grids' && s.grids !== undefined) return { status: 200, body: s.grids(), type: 'application/geo+json; charset=utf-8' };
  if (path === '/api/grid-events' && s.gridEvents !== undefined) {
    const fromMs = time(q, 'from');
    const toMs = time(q, 'to');
    const limit = count(q, 'limit', 1, 9_999_999);
    return ok(await s.gridEvents({ ...opt('vesselId', vesselId(q)), ...opt('gridId', text(q, 'gridId')), ...opt('fromMs', fromMs), ...opt('toMs', toMs), ...opt('limit', limit) }));
  }
  if (path === '/api/fleets' && s.fleets !== undefined) return ok(s.fleets());
  const f = /^\/api\/fleets\/([^/]+)$/.exec(path);
  if (f !== null && s.fleet !== undefined) {
    const id = segment(f[1]!);
    const fleet = s.fleet(id);
    return fleet === undefined ? fail(404, 'http.not_found', `no fleet ${id}`) : ok(fleet);
  }
  if (path === '/api/alerts' && s.alerts !== undefined) {
    const state = text(q, 'state') ?? 'open';
    if (state !== 'open' && state !== 'all') return fail(400, 'http.bad_param', 'state must be open or all');
    return ok(await s.alerts({ state, ...opt('vesselId', vesselId(q)), ...opt('kind', text(q, 'kind')), ...opt('fleetId', text(q, 'fleetId')) }));
  }
  const one = /^\/api\/alerts\/([^/]+)$/.exec(path);
  if (one !== null && s.alert !== undefined) {
    const id = segment(one[1]!);
    const a = await s.alert(id);
    return a === undefined ? fail(404, 'http.not_found', `no alert ${id}`) : ok(a);
  }
  const a = /^\/api\/alerts\/([^/]+)\/history$/.exec(path);
  if (a !== null && s.alertHistory !== undefined) {
    const id = segment(a[1]!);
    const h = await s.alertHistory(id);
    return h === undefined ? fail(404, 'http.not_found', `no alert ${id}`) : ok(h);
  }
  if (path === '/api/picture' && s.picture !== undefined) {
    const atMs = time(q, 'at');
    if (atMs === undefined) return fail(400, 'http.bad_time', 'at is required: an ISO-8601 time or epoch ms');
    return ok(await s.picture({ atMs, ...opt('fleetId', text(q, 'fleetId')), ...opt('gridId', text(q, 'gridId')) }));
  }
  return fail(404, 'http.not_found', 'no such route');
}

/** The lifecycle's refusals as answers; any other code is a body the action cannot use. */
const ACTION_REFUSALS: Readonly<Record<string, { status: number; code: ApiErrorCode }>> = {
  'alert.not_found': { status: 404, code: 'http.not_found' },
  'alert.transition': { status: 409, code: 'http.conflict' },
};

async function alertActionReply(req: IncomingMessage, act: NonNullable<WebSources['alertAction']>, id: string, action: AlertActionName): Promise<Reply> {
  if (!isLoopback(req.socket.remoteAddress)) return fail(403, 'http.forbidden', `alert actions are taken only from the loopback interface until sign-in exists (actor "${LOCAL_ACTOR}")`);
  const body = actionBody(await readBody(req), action);
  const r = await act(id, action, body, LOCAL_ACTOR);
  if (r.ok) return ok(r.value);
  const refusal = ACTION_REFUSALS[r.code] ?? { status: 400, code: 'http.bad_body' };
  return fail(refusal.status, refusal.code, r.detail ?? r.code);
}

async function putRouteReply(req: IncomingMessage, put: NonNullable<WebSources['putRoute']>, of: 'vessel' | 'fleet', id: string): Promise<Reply> {
  if (!isLoopback(req.socket.remoteAddress)) return fail(403, 'http.forbidden', `routes are set only from the loopback interface until sign-in exists (actor "${LOCAL_ACTOR}")`);
  const text = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(400, 'http.bad_json', 'the body is not JSON');
  }
  const r = await put(of, id, body, LOCAL_ACTOR);
  if (r === undefined) return fail(404, 'http.not_found', `no ${of} ${id}`);
  if (r.ok) return ok(r.value);
  return fail(400, r.code.startsWith('route.') ? 'http.bad_route' : 'http.bad_body', `${r.code}${r.detail === undefined ? '' : `: ${r.detail}`}`);
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

/**
 * The request body as text: at most MAX_BODY_BYTES (a longer one is refused as soon as it is
 * known, from Content-Length or while reading, and the connection closed), strictly UTF-8.
 */
async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new Refusal(413, 'http.too_large', `the body may hold at most ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, 'http.too_large', `the body may hold at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new Refusal(400, 'http.bad_json', 'the body is not UTF-8');
  }
}

const ACTION_FIELDS: ReadonlySet<string> = new Set(['note', 'assignee']);
// A NUL or an unpaired surrogate: text PostgreSQL cannot keep (the change would not be recorded as sent).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `{note?, assignee?}`; an empty body is `{}`. `assign` needs an assignee (the lifecycle says so too). */
function actionBody(text: string, action: AlertActionName): AlertActionBody {
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'http.bad_json', 'the body is not JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Refusal(400, 'http.bad_body', 'the body must be a JSON object {note?, assignee?}');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!ACTION_FIELDS.has(k)) throw new Refusal(400, 'http.bad_body', `unknown field ${JSON.stringify(k.slice(0, 40))}; the fields are note and assignee`);
  for (const k of ACTION_FIELDS) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') throw new Refusal(400, 'http.bad_body', `${k} must be a string`);
    if (UNSTORABLE.test(o[k] as string)) throw new Refusal(400, 'http.bad_body', `${k} holds a NUL or an unpaired surrogate`);
  }
  const { note, assignee } = o as { note?: string; assignee?: string };
  if (action === 'assign' && (assignee === undefined || assignee.trim() === '')) throw new Refusal(400, 'http.bad_body', 'assign needs an assignee');
  return { ...opt('note', note), ...opt('assignee', assignee) };
}

function vesselsReply(s: WebSources, q: Query): Reply {
  const limit = count(q, 'limit', 1, VESSEL_PAGE_MAX) ?? VESSEL_PAGE_DEFAULT;
  const after = cursor(q, 'after');
  const bbox = box(q, 'bbox');
  const fleetId = text(q, 'fleetId');
  const gridId = text(q, 'gridId');
  const page = s.vessels({ limit, ...opt('after', after), ...opt('bbox', bbox), ...opt('fleetId', fleetId), ...opt('gridId', gridId) });
  if (page.next === undefined) return ok(page.vessels);
  // The next page's link keeps every parameter but the cursor (RFC 8288, as GitHub's API pages).
  const params = new URLSearchParams();
  for (const [k, v] of q) if (k !== 'after') params.append(k, v);
  params.set('after', String(page.next));
  return { ...ok(page.vessels), headers: { link: `</api/vessels?${params.toString()}>; rel="next"` } };
}

const ok = (body: unknown): Reply => ({ status: 200, body });

type Query = readonly (readonly [string, string])[];

/**
 * Path and query of a request target, strictly decoded: malformed percent-encoding or bytes that
 * are not UTF-8 refuse the request (`http.bad_uri`). The path is left encoded for the route
 * patterns (an id may hold `/` as %2F); `segment` decodes each captured part.
 */
function parseTarget(target: string): { path: string; q: Query } {
  const hash = target.indexOf('#');
  const t = hash < 0 ? target : target.slice(0, hash);
  const qm = t.indexOf('?');
  const path = qm < 0 ? t : t.slice(0, qm);
  const q: [string, string][] = [];
  if (qm >= 0) {
    for (const part of t.slice(qm + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = decode(eq < 0 ? part : part.slice(0, eq), true);
      q.push([k, decode(eq < 0 ? '' : part.slice(eq + 1), true)]);
    }
  }
  decode(path, false); // refuse a malformed path once, whichever route it would reach
  return { path, q };
}

function decode(s: string, form: boolean): string {
  try {
    return decodeURIComponent(form ? s.replace(/\+/g, ' ') : s);
  } catch {
    throw new Refusal(400, 'http.bad_uri', 'malformed percent-encoding (or not UTF-8) in the request target');
  }
}

/** A decoded path segment (an id): no control characters, which no id holds and PostgreSQL's text refuses (NUL). */
function segment(raw: string): string {
  const v = decode(raw, false);
  if (CONTROL.test(v)) throw new Refusal(400, 'http.bad_param', 'the path holds a control character');
  return v;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A query parameter's text: undefined when absent or empty; refused when it holds a control character or repeats. */
function text(q: Query, name: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of q) {
    if (k !== name) continue;
    if (found !== undefined) throw new Refusal(400, 'http.bad_param', `${name} is given twice`);
    found = v;
  }
  if (found === undefined || found === '') return undefined;
  if (CONTROL.test(found)) throw new Refusal(400, 'http.bad_param', `${name} holds a control character`);
  return found;
}

/** The `vesselId` filter: an id as the client names it (an unknown one matches nothing). */
function vesselId(q: Query): VesselId | undefined {
  return text(q, 'vesselId') as VesselId | undefined;
}

/** A whole number in [min, max], or undefined when absent. */
function count(q: Query, name: string, min: number, max: number): number | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d{1,16}$/.test(v) || n < min || n > max) throw new Refusal(400, 'http.bad_param', `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function cursor(q: Query, name: string): number | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new Refusal(400, 'http.bad_param', `${name} must be the cursor of a previous page's next link`);
  return Number(v);
}

/** `minLon,minLat,maxLon,maxLat` in degrees, west ≤ east (no antimeridian crossing), south ≤ north. */
function box(q: Query, name: string): VesselQuery['bbox'] {
  const v = text(q, name);
  if (v === undefined) return undefined;
  const parts = v.split(',');
  const n = parts.map((p) => (/^-?\d{1,3}(\.\d{1,12})?$/.test(p.trim()) ? Number(p) : Number.NaN));
  const [minLon, minLat, maxLon, maxLat] = n as [number, number, number, number];
  const good = parts.length === 4 && n.every(Number.isFinite) && Math.abs(minLon) <= 180 && Math.abs(maxLon) <= 180 && Math.abs(minLat) <= 90 && Math.abs(maxLat) <= 90 && minLon <= maxLon && minLat <= maxLat;
  if (!good) throw new Refusal(400, 'http.bad_param', `${name} must be minLon,minLat,maxLon,maxLat in degrees with min ≤ max`);
  return { minLon, minLat, maxLon, maxLat };
}

/** A time parameter: undefined when absent; refused (`http.bad_time`) unless parseTime reads it. */
function time(q: Query, name: string): number | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  const ms = parseTime(v);
  if (ms === undefined) throw new Refusal(400, 'http.bad_time', `${name} must be an ISO-8601 time (a real date, e.g. 2026-02-28T12:00:00Z) or epoch ms`);
  return ms;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
/** The latest instant a JavaScript Date holds. */
const MAX_MS = 8.64e15;

/**
 * Epoch milliseconds, or strict ISO-8601: `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and a zone
 * (`Z` or ±HH:MM; none means UTC, never the server's zone). Every field is range-checked against
 * the calendar, so 2026-02-30 or 24:00 is refused rather than rolled over as Date.parse does.
 */
export function parseTime(v: string): number | undefined {
  if (/^\d{1,16}$/.test(v)) {
    const n = Number(v);
    return n <= MAX_MS ? n : undefined;
  }
  const m = ISO.exec(v);
  if (m === null) return undefined;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x))) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo!) || h > 23 || mi > 59 || sec > 59) return undefined;
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(-2));
    if (zh > 23 || zm > 59) return undefined;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!); // not Date.UTC: it maps years 0–99 to 1900–1999
  date.setUTCHours(h, mi, sec, frac);
  return date.getTime() - offsetMin * 60_000;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** `{key: value}` when the value is given, else nothing (exactOptionalPropertyTypes-friendly). */
function opt<K extends string, V>(key: K, v: V | null | undefined): { [P in K]?: V } {
  return v === null || v === undefined ? {} : ({ [key]: v } as { [P in K]?: V });
}

/** For the log: control characters escaped, bounded length. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

function send(res: ServerResponse, reply: Reply, requestId: string): void {
  const body = reply.error === undefined ? reply.body : { error: { ...(reply.body as ApiErrorView).error, requestId } };
  const text = typeof body === 'string' && reply.type?.startsWith('text/plain') ? body : JSON.stringify(body);
  res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId, ...reply.headers });
  res.end(text);
}
