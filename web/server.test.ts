import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertActionBody, AlertFileView, AlertView, ApiErrorView, FleetView } from './protocol.js';
import { ok, reject, type AlertQuery, type GridEventQuery } from '../model/index.js';
import { MAX_BODY_BYTES, parseTime, startWebServer, type ApiErrorEvent, type TrackQuery, type VesselQuery, type WebServer } from './server.js';

/** A store refusal as store/errors.ts makes it (the web layer sees only what classifyError says of it). */
class BusyError extends Error {
  readonly code = 'store.busy';
}

/** Routing and parameter checks over a real socket; the sources are plain functions recording what they were asked. */
describe('web server routes', () => {
  let web: WebServer;
  const asked: { track?: TrackQuery; events?: GridEventQuery; picture?: unknown; vessels?: VesselQuery } = {};
  const errors: ApiErrorEvent[] = [];
  const fleet: FleetView = { fleetId: 'PT-SJM-017', leader: null, members: ['412412345'], located: 1, centroid: { lat: 29.9, lon: 122.5 }, spreadNm: 0, stragglerRadiusNm: 3, outside: [], stale: [], missing: [], cells: [], footprint: { type: 'MultiPolygon', coordinates: [] }, at: null };
  const alert: AlertView = { id: 'a1', kind: 'collision', severity: 'danger', state: 'raised', vesselIds: ['412412345', '413456789'], fleetId: null, raisedAt: '2025-10-12T03:15:00.000Z', updatedAt: '2025-10-12T03:15:00.000Z', assignee: null, details: { cpaNm: 0.1, tcpaMin: 4 }, fleetIds: [], cleared: false, seq: 1, responders: [] };
  const get = async (path: string, method = 'GET'): Promise<{ status: number; type: string | null; body: unknown; headers: Headers }> => {
    const r = await fetch(`http://127.0.0.1:${web.port}${path}`, { method });
    return { status: r.status, type: r.headers.get('content-type'), body: await r.json(), headers: r.headers };
  };
  /** The error shape every route answers with, and its stable code. */
  const refused = async (path: string, status: number, code: string): Promise<ApiErrorView> => {
    const r = await get(path);
    expect({ path, status: r.status }).toEqual({ path, status });
    const body = r.body as ApiErrorView;
    expect(body.error).toMatchObject({ code });
    expect(typeof body.error.message).toBe('string');
    expect(body.error.requestId).toBe(r.headers.get('x-request-id'));
    return body;
  };

  beforeAll(async () => {
    web = await startWebServer('127.0.0.1', 0, {
      health: () => ({ status: 'ok' }),
      metrics: () => '',
      vessels: (q) => {
        asked.vessels = q;
        return { vessels: [], next: q.after === undefined ? 17 : undefined };
      },
      maxTrackPoints: 50_000,
      classifyError: (e) => (e instanceof BusyError ? { status: 503, code: 'http.busy', message: 'busy' } : undefined),
      onError: (e) => errors.push(e),
      vessel: () => undefined,
      track: async (id, q) => {
        asked.track = q;
        return id === '412412345' ? [] : undefined;
      },
      grids: () => ({ type: 'FeatureCollection', features: [] }),
      gridEvents: (q) => {
        asked.events = q;
        return [];
      },
      fleets: () => [fleet],
      fleet: (id) => (id === fleet.fleetId ? fleet : undefined),
      alerts: async (q) => (q.state === 'all' || alert.state !== 'resolved' ? [alert] : []),
      alertHistory: (id) => {
        if (id === 'busy') throw new BusyError('pool exhausted');
        // What a NUL reaching PostgreSQL gave before: its error text must never reach a client.
        if (id === 'pgfail') throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
        return id === 'a1' ? [] : undefined;
      },
      picture: async (q) => {
        asked.picture = q;
        if (q.fleetId === 'boom') throw new Error('store unavailable');
        return { at: new Date(q.atMs).toISOString(), vessels: [] };
      },
    });
  });
  afterAll(async () => web.close());

  it('passes track times and maxPoints through, and refuses bad ones', async () => {
    expect((await get('/api/vessels/412412345/track?from=2025-10-12T00:00:00Z&to=1760300000000&maxPoints=500')).status).toBe(200);
    expect(asked.track).toEqual({ fromMs: Date.parse('2025-10-12T00:00:00Z'), toMs: 1760300000000, maxPoints: 500 });
    expect((await get('/api/vessels/412412345/track?maxPoints=1')).status).toBe(400);
    expect((await get('/api/vessels/412412345/track?from=yesterday')).status).toBe(400);
    expect((await get('/api/vessels/999/track')).status).toBe(404);
  });

  it('serves grids as GeoJSON and grid events with their filters', async () => {
    const g = await get('/api/grids');
    expect(g.type).toMatch(/^application\/geo\+json/);
    expect(g.body).toEqual({ type: 'FeatureCollection', features: [] });
    expect((await get('/api/grid-events?gridId=CG-01&from=1000&limit=50')).status).toBe(200);
    expect(asked.events).toEqual({ gridId: 'CG-01', fromMs: 1000, limit: 50 });
    expect((await get('/api/grid-events?limit=x')).status).toBe(400);
  });

  it('fleets, one fleet, and 404 for an unknown one', async () => {
    expect((await get('/api/fleets')).body).toEqual([fleet]);
    expect((await get('/api/fleets/PT-SJM-017')).body).toEqual(fleet);
    expect((await get('/api/fleets/nope')).status).toBe(404);
  });

  it('alerts by state, history, and a 400 for an unknown state', async () => {
    expect((await get('/api/alerts')).body).toEqual([alert]);
    expect((await get('/api/alerts?state=closed')).status).toBe(400);
    expect((await get('/api/alerts/a1/history')).status).toBe(200);
    expect((await get('/api/alerts/zz/history')).status).toBe(404);
  });

  it('the picture at a moment needs `at`; a failing source answers 500 and the server keeps serving', async () => {
    expect((await get('/api/picture')).status).toBe(400);
    expect((await get('/api/picture?at=2025-10-12T03:15:00Z&fleetId=PT-SJM-017')).status).toBe(200);
    expect(asked.picture).toEqual({ atMs: Date.parse('2025-10-12T03:15:00Z'), fleetId: 'PT-SJM-017' });
    const failed = await refused('/api/picture?at=1&fleetId=boom', 500, 'http.internal');
    expect(JSON.stringify(failed)).not.toContain('store unavailable');
    expect(errors.at(-1)).toMatchObject({ status: 500, code: 'http.internal', requestId: failed.error.requestId, detail: 'Error: store unavailable' });
    expect((await get('/api/fleets')).status).toBe(200);
  });

  it('malformed percent-encoding in the path or the query is a 400 http.bad_uri, not a 500', async () => {
    await refused('/api/vessels/%E0%A4%A', 400, 'http.bad_uri');
    await refused('/api/vessels/41241234%/track', 400, 'http.bad_uri');
    await refused('/api/alerts?vesselId=%zz', 400, 'http.bad_uri');
    await refused('/api/grid-events?gridId=%C0%AF', 400, 'http.bad_uri'); // overlong UTF-8
    await refused('/nowhere%', 400, 'http.bad_uri');
    expect(errors.at(-1)).toMatchObject({ status: 400, code: 'http.bad_uri', path: '/nowhere%' });
  });

  it('a NUL or other control character in an id or a query is a 400 http.bad_param before any source sees it', async () => {
    const before = { ...asked };
    await refused('/api/alerts?state=all&vesselId=41241%002345', 400, 'http.bad_param');
    await refused('/api/grid-events?gridId=CG%0001', 400, 'http.bad_param');
    await refused('/api/alerts/a%001/history', 400, 'http.bad_param');
    await refused('/api/vessels?fleetId=PT%1F', 400, 'http.bad_param');
    expect(asked).toEqual(before);
    // An internal failure that does slip through says only internal and the request id.
    const body = await refused('/api/alerts/pgfail/history', 500, 'http.internal');
    expect(JSON.stringify(body)).not.toMatch(/UTF8|0x00|byte sequence/);
  });

  it('times: strict ISO-8601 with real calendar dates, or epoch ms; anything else is 400 http.bad_time', async () => {
    await refused('/api/vessels/412412345/track?from=2026-02-30', 400, 'http.bad_time');
    await refused('/api/vessels/412412345/track?from=2025-02-29T00:00:00Z', 400, 'http.bad_time');
    await refused('/api/vessels/412412345/track?to=2025-10-12T24:00:00Z', 400, 'http.bad_time');
    await refused('/api/vessels/412412345/track?to=2025-10-12T23:60:00Z', 400, 'http.bad_time');
    await refused('/api/vessels/412412345/track?to=2025-13-01', 400, 'http.bad_time');
    await refused('/api/picture?at=12%20Oct%202025', 400, 'http.bad_time');
    await refused('/api/picture', 400, 'http.bad_time');
    expect((await get('/api/vessels/412412345/track?from=2024-02-29&to=2026-02-28T12:00:00%2B08:00')).status).toBe(200);
    // Expected instants from Python's calendar.timegm, not from the parser under test.
    expect(asked.track).toMatchObject({ fromMs: 1709164800000, toMs: 1772251200000 });
    expect(parseTime('2025-10-12T03:15:00.250Z')).toBe(1760238900250);
    // No zone means UTC, never the server's zone.
    expect(parseTime('2025-10-12T03:15:00.250')).toBe(1760238900250);
    expect(parseTime('1760238900250')).toBe(1760238900250);
  });

  it('counts: maxPoints above the store cap and limits out of range are 400 http.bad_param', async () => {
    await refused('/api/vessels/412412345/track?maxPoints=9999999', 400, 'http.bad_param');
    expect((await get('/api/vessels/412412345/track?maxPoints=50000')).status).toBe(200);
    await refused('/api/grid-events?limit=-1', 400, 'http.bad_param');
  });

  it('a busy store is a 503 http.busy with Retry-After; 404 and 405 share the error shape', async () => {
    await refused('/api/alerts/busy/history', 503, 'http.busy');
    expect((await get('/api/alerts/busy/history')).headers.get('retry-after')).toBe('1');
    await refused('/api/alerts/zz/history', 404, 'http.not_found');
    await refused('/no/such/route', 404, 'http.not_found');
    const post = await get('/api/vessels', 'POST');
    expect(post.status).toBe(405);
    expect(post.body).toMatchObject({ error: { code: 'http.method' } });
  });

  it('/api/vessels: limit (default 1,000, at most 10,000), cursor, bbox, fleet and grid reach the source; the next page is a Link', async () => {
    const first = await get('/api/vessels');
    expect(first.body).toEqual([]);
    expect(asked.vessels).toEqual({ limit: 1000 });
    expect(first.headers.get('link')).toBe('</api/vessels?after=17>; rel="next"');
    const r = await get('/api/vessels?limit=10000&bbox=122,29.5,122.8,30.2&fleetId=PT-SJM-017&gridId=CG-01&after=17');
    expect(asked.vessels).toEqual({ limit: 10000, after: 17, bbox: { minLon: 122, minLat: 29.5, maxLon: 122.8, maxLat: 30.2 }, fleetId: 'PT-SJM-017', gridId: 'CG-01' });
    expect(r.headers.get('link')).toBeNull();
    const second = await get('/api/vessels?limit=5&gridId=CG-01');
    expect(second.headers.get('link')).toBe('</api/vessels?limit=5&gridId=CG-01&after=17>; rel="next"');
    for (const bad of ['limit=0', 'limit=10001', 'limit=1e3', 'after=x', 'after=-1', 'bbox=1,2,3', 'bbox=122,30,121,31', 'bbox=0,91,1,92', 'bbox=a,b,c,d', 'limit=5&limit=6']) {
      await refused(`/api/vessels?${bad}`, 400, 'http.bad_param');
    }
  });
});

/**
 * The alert routes over a real socket: filters reach the source, action bodies are read strictly
 * (64 KiB, JSON object of note and assignee), refusals map to 404/409/400 in the one error shape.
 * The source is a small table of alert states (the real state machine is exercised through the
 * service in app/alerts-serve.test.ts).
 */
describe('web server alert routes', () => {
  let web: WebServer;
  const asked: { q?: AlertQuery; act?: [string, string, AlertActionBody, string] } = {};
  const errors: ApiErrorEvent[] = [];
  const file = (id: string, state: AlertView['state']): AlertFileView => ({
    id, kind: 'collision', severity: 'danger', state, vesselIds: ['412412345'], fleetId: null, raisedAt: '2025-10-12T03:15:00.000Z',
    updatedAt: '2025-10-12T03:15:00.000Z', assignee: null, details: {}, fleetIds: [], cleared: false, seq: 1, responders: [], history: [],
  });
  const states = new Map<string, AlertView['state']>([['a1', 'raised'], ['done', 'resolved']]);
  const stock: AlertView[] = Array.from({ length: 1200 }, (_, i) => ({ ...file(`s${i}`, 'raised'), history: undefined }));
  const post = async (path: string, body: string | undefined, headers: Record<string, string> = {}, host = '127.0.0.1', port = web.port): Promise<{ status: number; body: unknown; headers: Headers }> => {
    const r = await fetch(`http://${host}:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body }) });
    return { status: r.status, body: await r.json(), headers: r.headers };
  };
  const refusedWith = async (r: Promise<{ status: number; body: unknown; headers: Headers }>, status: number, code: string): Promise<void> => {
    const got = await r;
    expect({ status: got.status, code: (got.body as ApiErrorView).error?.code }).toEqual({ status, code });
    expect((got.body as ApiErrorView).error.requestId).toBe(got.headers.get('x-request-id'));
  };
  const sources = {
    health: () => ({ status: 'ok' as const }),
    metrics: () => '',
    vessels: () => ({ vessels: [], next: undefined }),
    vessel: () => undefined,
    track: () => undefined,
    onError: (e: ApiErrorEvent) => errors.push(e),
    alerts: (q: AlertQuery) => {
      asked.q = q;
      // Only a query for this kind has alerts (1,200 of them), cut at the limit as the store does.
      return q.kind === 'stock' ? stock.slice(0, q.limit) : [];
    },
    alert: (id: string) => (states.has(id) ? file(id, states.get(id)!) : undefined),
    alertAction: (id: string, action: 'acknowledge' | 'assign' | 'resolve', body: AlertActionBody, actor: string) => {
      asked.act = [id, action, body, actor];
      const st = states.get(id);
      if (st === undefined) return reject('alert.not_found', id);
      if (st === 'resolved') return reject('alert.transition', `${action} on a resolved alert`);
      return ok(file(id, action === 'resolve' ? 'resolved' : action === 'assign' ? 'assigned' : 'acknowledged'));
    },
  };

  beforeAll(async () => {
    web = await startWebServer('127.0.0.1', 0, sources);
  });
  afterAll(async () => web.close());

  it('GET /api/alerts passes state, kind, fleetId and vesselId to the source; GET /api/alerts/{id} is the alert with history', async () => {
    const r = await fetch(`http://127.0.0.1:${web.port}/api/alerts?state=all&kind=collision&fleetId=PT-SJM-017&vesselId=412412345`);
    expect(r.status).toBe(200);
    // One more than the page (500 by default): the answer says whether there were more.
    expect(asked.q).toEqual({ state: 'all', kind: 'collision', fleetId: 'PT-SJM-017', vesselId: '412412345', limit: 501 });
    const one = await fetch(`http://127.0.0.1:${web.port}/api/alerts/a1`);
    expect(await one.json()).toEqual(file('a1', 'raised'));
    expect((await fetch(`http://127.0.0.1:${web.port}/api/alerts/zz`)).status).toBe(404);
  });

  it('GET /api/alerts gives at most `limit` (default 500, 1–5,000) and says X-Truncated: true when there were more', async () => {
    const list = async (q: string): Promise<{ ids: string[]; truncated: string | null }> => {
      const r = await fetch(`http://127.0.0.1:${web.port}/api/alerts?kind=stock${q}`);
      expect(r.status).toBe(200);
      return { ids: ((await r.json()) as AlertView[]).map((a) => a.id), truncated: r.headers.get('x-truncated') };
    };
    const byDefault = await list('');
    expect({ n: byDefault.ids.length, first: byDefault.ids[0], last: byDefault.ids.at(-1), truncated: byDefault.truncated }).toEqual({ n: 500, first: 's0', last: 's499', truncated: 'true' });
    expect(await list('&limit=3')).toEqual({ ids: ['s0', 's1', 's2'], truncated: 'true' });
    const all = await list('&limit=1200');
    expect({ n: all.ids.length, truncated: all.truncated }).toEqual({ n: 1200, truncated: null });
    expect((await list('&limit=5000')).truncated).toBeNull();
    for (const bad of ['0', '5001', '-1', '2.5']) expect((await fetch(`http://127.0.0.1:${web.port}/api/alerts?limit=${bad}`)).status).toBe(400);
  });

  it('an action reaches the source with its body and the actor `local`; an empty body is {}', async () => {
    const r = await post('/api/alerts/a1/assign', JSON.stringify({ assignee: 'team:zs-ctl-03', note: '派船 浙普渔68123' }));
    expect(r.status).toBe(200);
    expect((r.body as AlertFileView).state).toBe('assigned');
    expect(asked.act).toEqual(['a1', 'assign', { assignee: 'team:zs-ctl-03', note: '派船 浙普渔68123' }, 'local']);
    expect((await post('/api/alerts/a1/acknowledge', undefined)).status).toBe(200);
    expect(asked.act).toEqual(['a1', 'acknowledge', {}, 'local']);
  });

  it('unknown alert 404, a transition not allowed 409, in the one error shape', async () => {
    await refusedWith(post('/api/alerts/zz/resolve', '{}'), 404, 'http.not_found');
    await refusedWith(post('/api/alerts/done/resolve', '{}'), 409, 'http.conflict');
    expect(errors.map((e) => [e.status, e.code])).toEqual(expect.arrayContaining([[404, 'http.not_found'], [409, 'http.conflict']]));
  });

  it('malformed JSON 400 http.bad_json; a body that is not {note?, assignee?} 400 http.bad_body, before the source sees it', async () => {
    asked.act = undefined;
    await refusedWith(post('/api/alerts/a1/acknowledge', '{"note": '), 400, 'http.bad_json');
    await refusedWith(post('/api/alerts/a1/acknowledge', '[]'), 400, 'http.bad_body');
    await refusedWith(post('/api/alerts/a1/acknowledge', '{"notes": "typo"}'), 400, 'http.bad_body');
    await refusedWith(post('/api/alerts/a1/acknowledge', '{"note": 5}'), 400, 'http.bad_body');
    await refusedWith(post('/api/alerts/a1/acknowledge', '{"note": "a\\u0000b"}'), 400, 'http.bad_body');
    await refusedWith(post('/api/alerts/a1/acknowledge', '{"note": "\\ud800"}'), 400, 'http.bad_body');
    await refusedWith(post('/api/alerts/a1/assign', '{"assignee": "  "}'), 400, 'http.bad_body');
    await refusedWith(post('/api/alerts/a1/assign', '{}'), 400, 'http.bad_body');
    expect(asked.act).toBeUndefined();
  });

  it('a body over 64 KiB is 413 http.too_large, declared or streamed; exactly 64 KiB is read', async () => {
    const note = (bytes: number): string => JSON.stringify({ note: 'x'.repeat(bytes - 11) }); // {"note":"…"} is 11 bytes around it
    expect(Buffer.byteLength(note(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    expect((await post('/api/alerts/a1/acknowledge', note(MAX_BODY_BYTES))).status).toBe(200);
    await refusedWith(post('/api/alerts/a1/acknowledge', note(MAX_BODY_BYTES + 1)), 413, 'http.too_large');
    // Chunked (no Content-Length): refused while reading.
    const status = await new Promise<number>((resolve, fail) => {
      const req = request({ host: '127.0.0.1', port: web.port, method: 'POST', path: '/api/alerts/a1/acknowledge', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', fail);
      for (let i = 0; i < 5; i++) req.write('x'.repeat(16 * 1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('GET on an action is 405 with Allow: POST; POST elsewhere is 405', async () => {
    const r = await fetch(`http://127.0.0.1:${web.port}/api/alerts/a1/resolve`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    await refusedWith(post('/api/alerts', '{}'), 405, 'http.method');
  });

  it('an action from a non-loopback address is 403 http.forbidden (the actor is `local` until sign-in exists)', async (ctx) => {
    const lan = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
    if (lan === undefined) return ctx.skip();
    const wide = await startWebServer('0.0.0.0', 0, sources);
    try {
      asked.act = undefined;
      await refusedWith(post('/api/alerts/a1/resolve', '{}', {}, lan.address, wide.port), 403, 'http.forbidden');
      expect(asked.act).toBeUndefined();
      expect((await post('/api/alerts/a1/resolve', '{}', {}, '127.0.0.1', wide.port)).status).toBe(200);
    } finally {
      await wide.close();
    }
  });
});

/** The OpenAPI document comes from the routes' own schemas; the map's files are served from the client build. */
describe('web server documents and files', () => {
  let web: WebServer;
  let dir: string;
  const minimal = { health: () => ({ status: 'ok' as const }), metrics: () => '', vessels: () => ({ vessels: [], next: undefined }), vessel: () => undefined, track: () => undefined, alerts: () => [] };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seagrid-client-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>海区</title>');
    writeFileSync(join(dir, 'main.js'), 'console.log(1)');
    web = await startWebServer('127.0.0.1', 0, { ...minimal, clientDir: dir });
  });
  afterAll(async () => {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/api/openapi.json lists the routes with their parameters as the schemas give them', async () => {
    const doc = (await (await fetch(`http://127.0.0.1:${web.port}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/vessels', '/api/vessels/{vesselId}', '/api/vessels/{vesselId}/track', '/api/alerts']));
    const names = (path: string) => doc.paths[path]!.get!.parameters!.map((p) => `${p.in}:${p.name}`).sort();
    expect(names('/api/vessels')).toEqual(['query:after', 'query:bbox', 'query:fleetId', 'query:gridId', 'query:limit']);
    expect(names('/api/vessels/{vesselId}/track')).toEqual(['path:vesselId', 'query:format', 'query:from', 'query:maxPoints', 'query:to']);
    // The 405 routes are not documented as operations.
    expect(Object.keys(doc.paths['/api/vessels']!)).toEqual(['get']);
    const page = await fetch(`http://127.0.0.1:${web.port}/api/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('serves the map at / from the client build; an unknown path is the JSON 404', async () => {
    const index = await fetch(`http://127.0.0.1:${web.port}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('海区');
    expect((await fetch(`http://127.0.0.1:${web.port}/main.js`)).status).toBe(200);
    for (const path of ['/api/nothing', '/nothing.js']) {
      const r = await fetch(`http://127.0.0.1:${web.port}${path}`);
      expect({ path, status: r.status }).toEqual({ path, status: 404 });
      expect(((await r.json()) as ApiErrorView).error.code).toBe('http.not_found');
    }
  });

  it('without a client build, / is the JSON 404', async () => {
    const bare = await startWebServer('127.0.0.1', 0, { ...minimal, clientDir: join(dir, 'missing') });
    try {
      const r = await fetch(`http://127.0.0.1:${bare.port}/`);
      expect(r.status).toBe(404);
      expect(((await r.json()) as ApiErrorView).error.code).toBe('http.not_found');
    } finally {
      await bare.close();
    }
  });
});
