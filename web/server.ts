import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
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

export interface GridEventQuery {
  readonly vesselId?: string;
  readonly gridId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit?: number;
}

/**
 * What the web server reads; the composition root supplies it (no state lives here). Sources a
 * deployment lacks answer 404 rather than inventing data.
 */
export interface WebSources {
  health(): HealthView;
  metrics(): string;
  vessels(): readonly VesselView[];
  vessel(vesselId: string): VesselFileView | undefined;
  /** Track of a vessel between two epoch-ms times, in time order; undefined: unknown vessel. */
  track(vesselId: string, q: TrackQuery): Maybe<readonly TrackPointView[] | undefined>;
  /** GeoJSON FeatureCollection of the static grids (with live occupancy). */
  grids?(): unknown;
  gridEvents?(q: GridEventQuery): Maybe<readonly GridEventView[]>;
  fleets?(): readonly FleetView[];
  fleet?(fleetId: string): FleetView | undefined;
  alerts?(q: { state: 'open' | 'all'; vesselId?: string }): Maybe<readonly AlertView[]>;
  alertHistory?(alertId: string): Maybe<readonly AlertChangeView[] | undefined>;
  /** Last stored fix per vessel at or before a time, optionally one fleet's or one grid's. */
  picture?(q: { atMs: number; fleetId?: string; gridId?: string }): Maybe<PictureView>;
}

export interface WebServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The HTTP API of CONTRACTS.md on node:http; routes that later issues add plug in here. */
export async function startWebServer(host: string, port: number, sources: WebSources): Promise<WebServer> {
  const server: Server = createServer((req, res) => {
    // A programmer error or a store failure in one request must not take the service down.
    route(req, res, sources).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: 'internal', detail: (e as Error).message });
      else res.destroy();
    });
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

async function route(req: IncomingMessage, res: ServerResponse, s: WebSources): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const q = url.searchParams;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
  if (path === '/health') {
    const h = s.health();
    return send(res, h.status === 'ok' ? 200 : 503, h);
  }
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(s.metrics());
    return;
  }
  if (path === '/api/vessels') return send(res, 200, s.vessels());
  const m = /^\/api\/vessels\/([^/]+)(\/track)?$/.exec(path);
  if (m !== null) {
    const id = decodeURIComponent(m[1]!);
    if (m[2] === undefined) {
      const v = s.vessel(id);
      return v === undefined ? send(res, 404, { error: 'no such vessel', vesselId: id }) : send(res, 200, v);
    }
    const from = parseTime(q.get('from'));
    const to = parseTime(q.get('to'));
    const maxPoints = parseCount(q.get('maxPoints'));
    if (from === null || to === null) return send(res, 400, { error: 'from/to must be ISO-8601 times or epoch ms' });
    if (maxPoints === null) return send(res, 400, { error: 'maxPoints must be a whole number ≥ 2' });
    const t = await s.track(id, { fromMs: from, toMs: to, maxPoints });
    return t === undefined ? send(res, 404, { error: 'no such vessel', vesselId: id }) : send(res, 200, t);
  }
  if (path === '/api/grids' && s.grids !== undefined) return send(res, 200, s.grids(), 'application/geo+json; charset=utf-8');
  if (path === '/api/grid-events' && s.gridEvents !== undefined) {
    const from = parseTime(q.get('from'));
    const to = parseTime(q.get('to'));
    const limit = parseCount(q.get('limit'));
    if (from === null || to === null || limit === null) return send(res, 400, { error: 'from/to must be times, limit a whole number' });
    return send(res, 200, await s.gridEvents({ ...opt('vesselId', q.get('vesselId')), ...opt('gridId', q.get('gridId')), ...opt('fromMs', from), ...opt('toMs', to), ...opt('limit', limit) }));
  }
  if (path === '/api/fleets' && s.fleets !== undefined) return send(res, 200, s.fleets());
  const f = /^\/api\/fleets\/([^/]+)$/.exec(path);
  if (f !== null && s.fleet !== undefined) {
    const id = decodeURIComponent(f[1]!);
    const fleet = s.fleet(id);
    return fleet === undefined ? send(res, 404, { error: 'no such fleet', fleetId: id }) : send(res, 200, fleet);
  }
  if (path === '/api/alerts' && s.alerts !== undefined) {
    const state = q.get('state') ?? 'open';
    if (state !== 'open' && state !== 'all') return send(res, 400, { error: 'state must be open or all' });
    return send(res, 200, await s.alerts({ state, ...opt('vesselId', q.get('vesselId')) }));
  }
  const a = /^\/api\/alerts\/([^/]+)\/history$/.exec(path);
  if (a !== null && s.alertHistory !== undefined) {
    const id = decodeURIComponent(a[1]!);
    const h = await s.alertHistory(id);
    return h === undefined ? send(res, 404, { error: 'no such alert', alertId: id }) : send(res, 200, h);
  }
  if (path === '/api/picture' && s.picture !== undefined) {
    const at = parseTime(q.get('at'));
    if (at === null || at === undefined) return send(res, 400, { error: 'at must be an ISO-8601 time or epoch ms' });
    return send(res, 200, await s.picture({ atMs: at, ...opt('fleetId', q.get('fleetId')), ...opt('gridId', q.get('gridId')) }));
  }
  send(res, 404, { error: 'not found', path });
}

/** `{key: value}` when the value is given, else nothing (exactOptionalPropertyTypes-friendly). */
function opt<K extends string, V>(key: K, v: V | null | undefined): { [P in K]?: V } {
  return v === null || v === undefined ? {} : ({ [key]: v } as { [P in K]?: V });
}

/** undefined: not given; null: given but not a whole number ≥ 2. */
function parseCount(v: string | null): number | undefined | null {
  if (v === null || v === '') return undefined;
  return /^\d{1,7}$/.test(v) && Number(v) >= 2 ? Number(v) : null;
}

/** undefined: not given; null: given but not a time. */
function parseTime(v: string | null): number | undefined | null {
  if (v === null || v === '') return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : null;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
}
