/**
 * The evidence pack's map of the incident, drawn on the server as SVG: the coastline, each vessel's
 * track with its first and last time, the CPA the alert predicted, a 1 nm scale and the window.
 * Plain equirectangular with the longitude scaled by cos(latitude): true shapes at incident scale.
 */
import { xmlEscape } from '../web/index.js';
import { landIn, type Box } from './evidence-land.js';

export interface MapTrack {
  readonly vesselId: string;
  readonly name?: string;
  /** involved: a vessel of the alert; near: came close to one; area: in the area pack. */
  readonly role: 'involved' | 'near' | 'area';
  readonly points: readonly { readonly atMs: number; readonly lat: number; readonly lon: number }[];
}

export interface MapCpa {
  readonly lat: number;
  readonly lon: number;
  readonly cpaNm: number;
  /** When the closest point was predicted to be reached. */
  readonly atMs: number;
}

export interface IncidentMap {
  readonly title: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly tracks: readonly MapTrack[];
  readonly cpa?: MapCpa;
  /** An area pack's box (drawn as a frame), [west, south, east, north]. */
  readonly area?: Box;
}

const WIDTH = 1000;
const INVOLVED = ['#d62728', '#1f77b4', '#9467bd', '#ff7f0e', '#2ca02c', '#8c564b'];
const OTHER = '#7f7f7f';

const hms = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

const LOCATOR_PX = 220;
/** The side panel beside the frame: the locator and the legend. */
const SIDE = 250;
/** Half the locator's height, degrees of latitude: the coast within ~60 nm of the scene. */
const LOCATOR_HALF_DEG = 1;

/** Land polygons as even-odd filled paths in the frame's pixels. */
function landPaths(land: readonly (readonly [number, number][])[][] | null, x: (lon: number) => string, y: (lat: number) => string): string[] {
  return (land ?? []).map((poly) => `<path d="${poly.map((r) => `M${r.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join('L')}Z`).join('')}" fill="#efe9d8" stroke="#8a7f62" stroke-width="0.8" fill-rule="evenodd"/>`);
}

/** The locator atop the side panel: the coast around the scene, the main frame as a red box. */
function locator([w, s, e, n]: Box, k: number): string[] {
  const midLat = (s + n) / 2;
  const midLon = (w + e) / 2;
  const half = Math.max(LOCATOR_HALF_DEG, (n - s) * 2, ((e - w) * k) * 2);
  const [lw, ls, le, ln] = [midLon - half / k, midLat - half, midLon + half / k, midLat + half];
  const px = LOCATOR_PX / (2 * half);
  const ox = WIDTH + 15;
  const oy = 10;
  const x = (lon: number): string => n1(ox + (lon - lw) * k * px);
  const y = (lat: number): string => n1(oy + (ln - lat) * px);
  return [
    '<g id="locator">',
    `<clipPath id="locator-clip"><rect x="${ox}" y="${oy}" width="${LOCATOR_PX}" height="${LOCATOR_PX}"/></clipPath>`,
    `<rect x="${ox}" y="${oy}" width="${LOCATOR_PX}" height="${LOCATOR_PX}" fill="#dbe9f4" stroke="#444"/>`,
    `<g clip-path="url(#locator-clip)">`,
    ...landPaths(landIn([lw, ls, le, ln]), x, y),
    `<rect x="${x(w)}" y="${y(n)}" width="${n1(Math.max(3, (e - w) * k * px))}" height="${n1(Math.max(3, (n - s) * px))}" fill="none" stroke="#d62728" stroke-width="2"/>`,
    '</g>',
    `<text x="${ox + 4}" y="${oy + LOCATOR_PX - 6}" font-size="10">${n1((2 * half * 60))} nm across</text>`,
    '</g>',
  ];
}

/** The legend below the locator: a colour and a line of text each; dot: first fix, cross: last. */
function legend(rows: readonly [string, string][], height: number): string[] {
  const x = WIDTH + 15;
  let y = LOCATOR_PX + 40;
  const out = ['<g id="legend" font-size="11">'];
  for (const [colour, text] of rows) {
    if (y > height - 40) break;
    out.push(`<path d="M${x},${y - 4}h18" stroke="${colour}" stroke-width="3"/><text x="${x + 24}" y="${y}">${xmlEscape(text)}</text>`);
    y += 18;
  }
  out.push(`<text x="${x}" y="${y + 6}">dot: first fix · cross: last fix</text>`, '</g>');
  return out;
}

/** The SVG text of the map. */
export function incidentSvg(m: IncidentMap): string {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const take = (lat: number, lon: number): void => {
    w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
  };
  for (const t of m.tracks) for (const p of t.points) take(p.lat, p.lon);
  if (m.cpa !== undefined) take(m.cpa.lat, m.cpa.lon);
  if (m.area !== undefined) take(m.area[1], m.area[0]), take(m.area[3], m.area[2]);
  if (!Number.isFinite(w)) (w = 122), (e = 122.1), (s = 30), (n = 30.1);
  // At least 2 nm across, and a 10 % margin.
  const midLat = (s + n) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  const minSpan = 2 / 60;
  const padLat = Math.max((n - s) * 0.1, (minSpan - (n - s)) / 2, 0.002);
  const padLon = Math.max((e - w) * 0.1, (minSpan / k - (e - w)) / 2, 0.002 / k);
  (w -= padLon), (e += padLon), (s -= padLat), (n += padLat);
  const scale = WIDTH / ((e - w) * k);
  const height = Math.max(LOCATOR_PX + 260, Math.min(1400, Math.round((n - s) * scale)));
  const x = (lon: number): string => n1((lon - w) * k * scale);
  const y = (lat: number): string => n1((n - lat) * scale);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + SIDE}" height="${height}" viewBox="0 0 ${WIDTH + SIDE} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<title>${xmlEscape(m.title)}</title>`);
  out.push(`<rect width="${WIDTH}" height="${height}" fill="#dbe9f4"/>`);
  const land = landIn([w, s, e, n]);
  out.push(...landPaths(land, x, y));
  if (m.area !== undefined) out.push(`<rect x="${x(m.area[0])}" y="${y(m.area[3])}" width="${n1((m.area[2] - m.area[0]) * k * scale)}" height="${n1((m.area[3] - m.area[1]) * scale)}" fill="none" stroke="#444" stroke-dasharray="6 4"/>`);
  // Others first, the alert's own vessels on top.
  const order = [...m.tracks].sort((a, b) => Number(a.role === 'involved') - Number(b.role === 'involved'));
  let involved = 0;
  const legendRows: [string, string][] = [];
  let others = 0;
  for (const t of order) {
    if (t.points.length === 0) continue;
    const colour = t.role === 'involved' ? INVOLVED[involved++ % INVOLVED.length]! : OTHER;
    if (t.role === 'involved') legendRows.push([colour, t.name === undefined || t.name === '' ? t.vesselId : `${t.name} (${t.vesselId})`]);
    else others++;
    const width = t.role === 'involved' ? 2.5 : 1.2;
    const pts = t.points.map((p) => `${x(p.lon)},${y(p.lat)}`).join(' ');
    const label = xmlEscape(t.name === undefined || t.name === '' ? t.vesselId : `${t.name} (${t.vesselId})`);
    out.push(`<g id="track-${xmlEscape(t.vesselId)}"><title>${label}</title>`);
    out.push(`<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round"/>`);
    const first = t.points[0]!;
    const last = t.points[t.points.length - 1]!;
    out.push(`<circle cx="${x(first.lon)}" cy="${y(first.lat)}" r="3" fill="${colour}"/>`);
    out.push(`<path d="M${x(last.lon)},${y(last.lat)}m-4,-4l8,8m0,-8l-8,8" stroke="${colour}" stroke-width="2"/>`);
    if (t.role === 'involved') {
      out.push(`<text x="${x(first.lon)}" y="${y(first.lat)}" dx="6" dy="-6" fill="${colour}">${label} ${hms(first.atMs)}</text>`);
      out.push(`<text x="${x(last.lon)}" y="${y(last.lat)}" dx="6" dy="14" fill="${colour}">${hms(last.atMs)}</text>`);
    }
    out.push('</g>');
  }
  if (m.cpa !== undefined) {
    const c = m.cpa;
    out.push(`<g id="cpa"><circle cx="${x(c.lon)}" cy="${y(c.lat)}" r="7" fill="none" stroke="#000" stroke-width="2"/>`);
    out.push(`<text x="${x(c.lon)}" y="${y(c.lat)}" dx="10" dy="4" font-weight="bold">CPA ${c.cpaNm.toFixed(3)} nm at ${hms(c.atMs)} UTC</text></g>`);
  }
  // Scale: 1 nm, and the window.
  const nmPx = (1 / 60) * scale;
  out.push(`<g id="scale"><path d="M20,${height - 20}h${n1(nmPx)}" stroke="#000" stroke-width="3"/><text x="20" y="${height - 28}">1 nm</text></g>`);
  if (others > 0) legendRows.push([OTHER, `${others} other vessel${others === 1 ? '' : 's'} (${m.tracks.some((t) => t.role === 'near') ? 'came near' : 'in the area'})`]);
  if (m.cpa !== undefined) legendRows.push(['#000', `CPA ${m.cpa.cpaNm.toFixed(3)} nm at ${hms(m.cpa.atMs)} UTC (predicted)`]);
  out.push(`<rect x="${WIDTH}" width="${SIDE}" height="${height}" fill="#fff"/>`, ...locator([w, s, e, n], k), ...legend(legendRows, height));
  out.push(`<text x="20" y="24" font-size="16" font-weight="bold">${xmlEscape(m.title)}</text>`);
  out.push(`<text x="20" y="44">${new Date(m.fromMs).toISOString()} – ${new Date(m.toMs).toISOString()}${land === null ? ' · coastline not available here' : ''}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
