import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from './server.js';

/** The OpenAPI document describes answers, not only requests: each route's success shape and the one error shape. */
describe('/api/openapi.json responses', () => {
  let web: WebServer;
  beforeAll(async () => {
    web = await startWebServer('127.0.0.1', 0, {
      health: () => ({ status: 'ok' }),
      metrics: () => '',
      vessels: () => ({ vessels: [], next: undefined }),
      maxTrackPoints: 1000,
      vessel: () => undefined,
      track: async () => undefined,
      grids: () => ({ type: 'FeatureCollection', features: [] }),
      fleets: () => [],
      fleet: () => undefined,
    });
  });
  afterAll(async () => {
    await web.close();
  });

  it('documents the 200 answer of the vessel, grid and fleet routes and the error answer of every /api route', async () => {
    type Op = { responses?: Record<string, { content?: Record<string, { schema?: { type?: string; properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } } }> }> };
    const doc = (await (await fetch(`http://127.0.0.1:${web.port}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Op>> };
    const ok = (path: string) => Object.values(doc.paths[path]!.get!.responses!['200']!.content!)[0]!.schema!;
    expect(ok('/api/vessels').type).toBe('array');
    expect(Object.keys(ok('/api/vessels').items!.properties!)).toEqual(expect.arrayContaining(['vesselId', 'mmsi', 'beidouCard', 'lat', 'lon', 'at', 'source', 'grids']));
    expect(Object.keys(ok('/api/vessels/{vesselId}').properties!)).toEqual(expect.arrayContaining(['owner', 'liaison', 'registryNo', 'fleetLeader']));
    expect(Object.keys(ok('/api/fleets').items!.properties!)).toEqual(expect.arrayContaining(['fleetId', 'leader', 'members', 'stale', 'missing', 'outside']));
    expect(ok('/api/grids').properties).toHaveProperty('features');
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const op of Object.values(ops)) {
        const err = Object.values(op.responses?.['4XX']?.content ?? op.responses?.['4xx']?.content ?? {})[0]?.schema;
        expect(err?.properties, `${path} documents its error answer`).toHaveProperty('error');
      }
    }
  });
});
