/**
 * Track exports (issue 15 "Done when"): GPX and KML read back by fast-xml-parser — an XML parser
 * the writer does not use — hold every point with its time, in order; CSV and GeoJSON the same.
 * Served by the track route with their content types and a file name.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackPointView } from './protocol.js';
import { startWebServer, type WebServer } from './server.js';
import { trackCsv, trackGeoJson, trackGpx, trackKml } from './export.js';

/**
 * 120 fixes a vessel might send: times a second apart to the millisecond, positions on both sides
 * of the equator and of the antimeridian's neighbourhood, null speeds and courses now and then.
 */
const T0 = Date.UTC(2026, 11, 3, 1, 2, 3, 456);
const POINTS: TrackPointView[] = Array.from({ length: 120 }, (_, i) => ({
  at: new Date(T0 + i * 1_001).toISOString(),
  lat: -0.5 + i * 0.0123456789,
  lon: 179.9 - i * 0.000987654321,
  sogKn: i % 7 === 0 ? null : 3 + i / 10,
  cogDeg: i % 11 === 0 ? null : (i * 13) % 360,
  source: i % 3 === 0 ? 'beidou' : 'ais',
}));
const NAME = '浙岱渔 <03125> & "sons"';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['trkpt', 'when', 'gx:coord'].includes(name) });

describe('track files read back by an independent XML parser', () => {
  it('GPX 1.1: valid XML, every point with its lat, lon and time, in order; the name escaped', () => {
    const text = trackGpx('412000001', POINTS, NAME);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = parser.parse(text) as { gpx: { '@version': string; '@xmlns': string; trk: { name: string; trkseg: { trkpt: { '@lat': string; '@lon': string; time: string; extensions: Record<string, string> }[] } } } };
    expect(doc.gpx['@version']).toBe('1.1');
    expect(doc.gpx['@xmlns']).toBe('http://www.topografix.com/GPX/1/1');
    expect(doc.gpx.trk.name).toBe(NAME);
    const pts = doc.gpx.trk.trkseg.trkpt;
    expect(pts.length).toBe(POINTS.length);
    pts.forEach((p, i) => {
      expect(Number(p['@lat'])).toBe(POINTS[i]!.lat);
      expect(Number(p['@lon'])).toBe(POINTS[i]!.lon);
      expect(p.time).toBe(POINTS[i]!.at);
      expect(p.extensions['sg:source']).toBe(POINTS[i]!.source);
      expect(p.extensions['sg:sogKn'] === undefined ? null : Number(p.extensions['sg:sogKn'])).toBe(POINTS[i]!.sogKn);
    });
  });

  it('KML 2.2: the LineString and the gx:Track each hold every point (the track with its time)', () => {
    const text = trackKml('412000001', POINTS, NAME);
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = parser.parse(text) as { kml: { Document: { Placemark: { name: string; MultiGeometry: { LineString: { coordinates: string }; 'gx:Track': { when: string[]; 'gx:coord': string[] } } } } } };
    const pm = doc.kml.Document.Placemark;
    expect(pm.name).toBe(NAME);
    const line = pm.MultiGeometry.LineString.coordinates.trim().split(/\s+/).map((c) => c.split(',').map(Number));
    expect(line.length).toBe(POINTS.length);
    line.forEach(([lon, lat], i) => expect([lon, lat]).toEqual([POINTS[i]!.lon, POINTS[i]!.lat]));
    const track = pm.MultiGeometry['gx:Track'];
    expect(track.when).toEqual(POINTS.map((p) => p.at));
    expect(track['gx:coord'].map((c) => c.split(' ').map(Number).slice(0, 2))).toEqual(POINTS.map((p) => [p.lon, p.lat]));
  });

  it('CSV: a header and one row per point; GeoJSON: a LineString with coordTimes', () => {
    const rows = trackCsv([{ vesselId: '412000001', points: POINTS }]).trimEnd().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['vessel_id', 'at', 'lat', 'lon', 'sog_kn', 'cog_deg', 'source']);
    expect(rows.slice(1)).toEqual(POINTS.map((p) => ['412000001', p.at, String(p.lat), String(p.lon), p.sogKn === null ? '' : String(p.sogKn), p.cogDeg === null ? '' : String(p.cogDeg), p.source]));
    const fc = JSON.parse(JSON.stringify(trackGeoJson([{ vesselId: '412000001', points: POINTS }]))) as { features: { geometry: { type: string; coordinates: number[][] }; properties: { coordTimes: string[] } }[] };
    expect(fc.features[0]!.geometry.type).toBe('LineString');
    expect(fc.features[0]!.geometry.coordinates).toEqual(POINTS.map((p) => [p.lon, p.lat]));
    expect(fc.features[0]!.properties.coordTimes).toEqual(POINTS.map((p) => p.at));
  });
});

describe('GET /api/vessels/{id}/track?format=', () => {
  let web: WebServer;
  beforeAll(async () => {
    web = await startWebServer('127.0.0.1', 0, {
      health: () => ({ status: 'ok' as const }),
      metrics: () => '',
      vessels: () => ({ vessels: [], next: undefined }),
      vessel: () => undefined,
      track: (id) => (id === '412000001' ? POINTS : undefined),
    });
  });
  afterAll(async () => web?.close());
  const get = (q: string): Promise<Response> => fetch(`http://127.0.0.1:${web.port}/api/vessels/412000001/track${q}`);

  it('answers each format with its content type and a file name; JSON stays the default', async () => {
    const want: Record<string, string> = { gpx: 'application/gpx+xml', kml: 'application/vnd.google-earth.kml+xml', csv: 'text/csv', geojson: 'application/geo+json' };
    for (const [format, type] of Object.entries(want)) {
      const r = await get(`?format=${format}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(r.headers.get('content-disposition')).toBe(`attachment; filename="412000001-track.${format}"`);
      const text = await r.text();
      if (format === 'gpx') expect((parser.parse(text) as { gpx: { trk: { trkseg: { trkpt: unknown[] } } } }).gpx.trk.trkseg.trkpt.length).toBe(POINTS.length);
      if (format === 'kml') expect((parser.parse(text) as { kml: { Document: { Placemark: { MultiGeometry: { 'gx:Track': { when: unknown[] } } } } } }).kml.Document.Placemark.MultiGeometry['gx:Track'].when.length).toBe(POINTS.length);
      if (format === 'csv') expect(text.trimEnd().split('\r\n').length).toBe(POINTS.length + 1);
    }
    const json = await get('');
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual(POINTS);
    expect(await (await get('?format=json')).json()).toEqual(POINTS);
  });

  it('an unknown format is 400 http.bad_param; an unknown vessel 404 in any format', async () => {
    const bad = await get('?format=shp');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('http.bad_param');
    const missing = await fetch(`http://127.0.0.1:${web.port}/api/vessels/999/track?format=gpx`);
    expect(missing.status).toBe(404);
  });
});
