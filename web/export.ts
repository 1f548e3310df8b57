/**
 * Tracks as the files analysts' tools open (issue 15 §4): GPX 1.1, KML 2.2 (a LineString for any
 * reader, and a gx:Track so Google Earth keeps each point's time), CSV and GeoJSON (a LineString
 * with `coordTimes`, the convention of togeojson and Mapbox). Text built here, by hand: the tests
 * read it back with an XML parser this code does not use. The evidence pack writes its tracks
 * with these too.
 */
import type { TrackPointView } from './protocol.js';

export type TrackFormat = 'json' | 'gpx' | 'kml' | 'csv' | 'geojson';
export const TRACK_FORMATS: readonly TrackFormat[] = ['json', 'gpx', 'kml', 'csv', 'geojson'];

/** One track file: its content type, a file-name extension and the text. */
export interface TrackFile {
  readonly type: string;
  readonly ext: string;
  readonly text: string;
}

const CONTENT_TYPE: Readonly<Record<Exclude<TrackFormat, 'json'>, string>> = {
  gpx: 'application/gpx+xml; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};

/** A vessel's track in one of the file formats. */
export function trackFile(format: Exclude<TrackFormat, 'json'>, vesselId: string, points: readonly TrackPointView[], name?: string): TrackFile {
  const text =
    format === 'gpx' ? trackGpx(vesselId, points, name) : format === 'kml' ? trackKml(vesselId, points, name) : format === 'csv' ? trackCsv([{ vesselId, points }]) : JSON.stringify(trackGeoJson([{ vesselId, points, ...(name === undefined ? {} : { name }) }]));
  return { type: CONTENT_TYPE[format], ext: format, text };
}

/** XML text and attribute escaping (the five predefined entities). */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180); null is empty. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of CSV (CRLF line ends, RFC 4180), the header first. */
export function csvText(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>): string {
  return csvLines([header]) + csvLines(rows);
}

/**
 * Rows of CSV, each line ended by CRLF: a part of a file whose header another part holds (a long
 * file written a part at a time, `csvText` the whole).
 */
export function csvLines(rows: Iterable<readonly (string | number | null | undefined)[]>): string {
  // Row strings joined once: growing one string with += cost twice the CPU (a rope flattened at
  // the end); a plain loop of += per field was slower than map and join too (app/evidence.bench's rows).
  const lines: string[] = [];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  if (lines.length === 0) return '';
  lines.push('');
  return lines.join('\r\n');
}

export const TRACK_CSV_HEADER = ['vessel_id', 'at', 'lat', 'lon', 'sog_kn', 'cog_deg', 'source'] as const;

/** One or more tracks as CSV, one fix a row. */
export function trackCsv(tracks: readonly { readonly vesselId: string; readonly points: readonly TrackPointView[] }[]): string {
  return csvLines([TRACK_CSV_HEADER]) + tracks.map(trackCsvLines).join('');
}

/** A track's rows of `trackCsv`, without the header. */
export function trackCsvLines(t: { readonly vesselId: string; readonly points: readonly TrackPointView[] }): string {
  return csvLines(t.points.map((p) => [t.vesselId, p.at, p.lat, p.lon, p.sogKn, p.cogDeg, p.source]));
}

/**
 * Tracks as a GeoJSON FeatureCollection: a LineString per vessel of two fixes or more (a Point for
 * one) with `coordTimes`, `sogKn`, `cogDeg` and `source` per position, in the order of the positions.
 */
export function trackGeoJson(tracks: readonly { readonly vesselId: string; readonly points: readonly TrackPointView[]; readonly name?: string; readonly role?: string }[]): unknown {
  const features = tracks
    .filter((t) => t.points.length > 0)
    .map((t) => {
      const coords = t.points.map((p) => [p.lon, p.lat]);
      return {
        type: 'Feature',
        geometry: coords.length === 1 ? { type: 'Point', coordinates: coords[0] } : { type: 'LineString', coordinates: coords },
        properties: {
          vesselId: t.vesselId,
          ...(t.name === undefined ? {} : { name: t.name }),
          ...(t.role === undefined ? {} : { role: t.role }),
          coordTimes: t.points.map((p) => p.at),
          sogKn: t.points.map((p) => p.sogKn),
          cogDeg: t.points.map((p) => p.cogDeg),
          source: t.points.map((p) => p.source),
        },
      };
    });
  return { type: 'FeatureCollection', features };
}

/** GPX 1.1: one track, one segment; speed (kn), course and source in a seagrid extension (GPX 1.1 has none of them). */
export function trackGpx(vesselId: string, points: readonly TrackPointView[], name?: string): string {
  const pts = points.map((p) => {
    const ext = [p.sogKn === null ? '' : `<sg:sogKn>${p.sogKn}</sg:sogKn>`, p.cogDeg === null ? '' : `<sg:cogDeg>${p.cogDeg}</sg:cogDeg>`, `<sg:source>${p.source}</sg:source>`].join('');
    return `      <trkpt lat="${p.lat}" lon="${p.lon}"><time>${xmlEscape(p.at)}</time><extensions>${ext}</extensions></trkpt>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="seagrid" xmlns="http://www.topografix.com/GPX/1/1" xmlns:sg="urn:seagrid:track:1">',
    `  <metadata><name>${xmlEscape(name ?? vesselId)}</name></metadata>`,
    `  <trk><name>${xmlEscape(name ?? vesselId)}</name><desc>vessel ${xmlEscape(vesselId)}</desc>`,
    '    <trkseg>',
    ...pts,
    '    </trkseg>',
    '  </trk>',
    '</gpx>',
    '',
  ].join('\n');
}

/** KML 2.2: the track as a LineString (every position) and as a gx:Track (every position with its time). */
export function trackKml(vesselId: string, points: readonly TrackPointView[], name?: string): string {
  const title = xmlEscape(name ?? vesselId);
  const line = points.map((p) => `${p.lon},${p.lat},0`).join(' ');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">',
    `  <Document><name>${title}</name>`,
    `    <Placemark><name>${title}</name><description>vessel ${xmlEscape(vesselId)}</description>`,
    '      <MultiGeometry>',
    `        <LineString><tessellate>1</tessellate><coordinates>${line}</coordinates></LineString>`,
    '        <gx:Track>',
    ...points.map((p) => `          <when>${xmlEscape(p.at)}</when>`),
    ...points.map((p) => `          <gx:coord>${p.lon} ${p.lat} 0</gx:coord>`),
    '        </gx:Track>',
    '      </MultiGeometry>',
    '    </Placemark>',
    '  </Document>',
    '</kml>',
    '',
  ].join('\n');
}

/** A file name's safe part: ids hold digits and letters; anything else becomes `_`. */
export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
}
