import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, FleetView } from './protocol.js';
import { startWebServer, type GridEventQuery, type TrackQuery, type WebServer } from './server.js';

/** Routing and parameter checks over a real socket; the sources are plain functions recording what they were asked. */
describe('web server routes', () => {
  let web: WebServer;
  const asked: { track?: TrackQuery; events?: GridEventQuery; picture?: unknown } = {};
  const fleet: FleetView = { fleetId: 'PT-SJM-017', members: ['412412345'], located: 1, centroid: { lat: 29.9, lon: 122.5 }, spreadNm: 0, stragglerRadiusNm: 3, outside: [], stale: [], missing: [], cells: [], footprint: { type: 'MultiPolygon', coordinates: [] }, at: null };
  const alert: AlertView = { id: 'a1', kind: 'collision', severity: 'danger', state: 'raised', vesselIds: ['412412345', '413456789'], fleetId: null, raisedAt: '2025-10-12T03:15:00.000Z', updatedAt: '2025-10-12T03:15:00.000Z', assignee: null, details: { cpaNm: 0.1, tcpaMin: 4 } };
  const get = async (path: string): Promise<{ status: number; type: string | null; body: unknown }> => {
    const r = await fetch(`http://127.0.0.1:${web.port}${path}`);
    return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
  };

  beforeAll(async () => {
    web = await startWebServer('127.0.0.1', 0, {
      health: () => ({ status: 'ok' }),
      metrics: () => '',
      vessels: () => [],
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
      alertHistory: (id) => (id === 'a1' ? [] : undefined),
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
    const failed = await get('/api/picture?at=1&fleetId=boom');
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ error: 'internal', detail: 'store unavailable' });
    expect((await get('/api/fleets')).status).toBe(200);
  });
});
