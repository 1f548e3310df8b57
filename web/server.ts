import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HealthView, TrackPointView, VesselFileView, VesselView } from './protocol.js';

/** What the web server reads; the composition root supplies it (no state lives here). */
export interface WebSources {
  health(): HealthView;
  metrics(): string;
  vessels(): readonly VesselView[];
  vessel(vesselId: string): VesselFileView | undefined;
  /** Recent track of a vessel between two epoch-ms times, in time order. */
  track(vesselId: string, fromMs: number | undefined, toMs: number | undefined): readonly TrackPointView[] | undefined;
}

export interface WebServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The HTTP API of CONTRACTS.md on node:http; routes that later issues add plug in here. */
export async function startWebServer(host: string, port: number, sources: WebSources): Promise<WebServer> {
  const server: Server = createServer((req, res) => {
    try {
      route(req, res, sources);
    } catch (e) {
      // A programmer error in one request must not take the service down.
      send(res, 500, { error: 'internal', detail: (e as Error).message });
    }
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

function route(req: IncomingMessage, res: ServerResponse, s: WebSources): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
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
    const from = parseTime(url.searchParams.get('from'));
    const to = parseTime(url.searchParams.get('to'));
    if (from === null || to === null) return send(res, 400, { error: 'from/to must be ISO-8601 times or epoch ms' });
    const t = s.track(id, from, to);
    return t === undefined ? send(res, 404, { error: 'no such vessel', vesselId: id }) : send(res, 200, t);
  }
  send(res, 404, { error: 'not found', path });
}

/** undefined: not given; null: given but not a time. */
function parseTime(v: string | null): number | undefined | null {
  if (v === null || v === '') return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : null;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
