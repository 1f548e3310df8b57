/**
 * Incident evidence packs (issue 15 §2, 海上枫桥 取证难): one zip with what the store holds of an
 * alert, or of an area over a time window — the tracks of every vessel involved and every vessel
 * that came near them (CSV and GeoJSON), the stored fixes as received (source, receiver, receipt
 * time), the alerts with every change, grid events, the vessels' files, an SVG map, and
 * manifest.json with the SHA-256 of every file and of the whole (evidence-manifest.ts).
 */
import { distanceNm, EARTH_RADIUS_M, M_PER_NM, RAD } from '../geo/index.js';
import { breather, isoTime, type AlertChange, type VesselId } from '../model/index.js';
import { MAX_BOX_SPANS, type BoxSpan, type BoxTrack, type EvidenceRecords, type ReceivedFix, type Store } from '../store/index.js';
import { alertFileView, csvLines, csvText, fileSafe, gridEventView, TRACK_CSV_HEADER, trackCsvLines, trackGeoJson, trackView, type TrackPointView } from '../web/index.js';
import { incidentSvg, type MapCpa, type MapTrack } from './evidence-map.js';
import { manifestOf, MANIFEST_NAME, type Manifest } from './evidence-manifest.js';
import { zipWriter } from './evidence-zip.js';

/** A vessel is near when one of its fixes is this close to an involved vessel's fix … */
export const NEAR_NM = 3;
/** … taken at most this long apart. */
export const NEAR_WITHIN_MS = 2 * 60_000;
/** An alert's window: from this long before its raise … */
const BEFORE_MS = 30 * 60_000;
/** … to this long after its last change or predicted CPA, whichever is later. */
const AFTER_MS = 15 * 60_000;
/** The longest window a pack covers (an area pack asking more is refused). */
export const MAX_WINDOW_MS = 6 * 3_600_000;
/** The largest area a pack covers, degrees of latitude and of longitude. */
export const MAX_AREA_DEG = 1;
/** Fixes one pack may hold; more is refused rather than cut (evidence is whole or not given). */
export const MAX_FIXES = 1_000_000;
const MAX_ALERTS = 5_000;
const MAX_GRID_EVENTS = 200_000;
/** How long a pack's building holds the event loop before it hands it back, ms. */
const YIELD_MS = 10;

export type EvidenceSubject =
  | { readonly kind: 'alert'; readonly alertId: string }
  | { readonly kind: 'area'; readonly bbox: { readonly minLon: number; readonly minLat: number; readonly maxLon: number; readonly maxLat: number }; readonly fromMs: number; readonly toMs: number };

export interface EvidenceRequest {
  readonly subject: EvidenceSubject;
  /** Who asked (the manifest's createdBy). */
  readonly actor: string;
  /** Whether the asker may see this vessel's track and file (a fleet leader: his fleets' only). */
  readonly sees?: (vesselId: string) => boolean;
}

export interface EvidencePack {
  readonly filename: string;
  readonly zip: Uint8Array;
  readonly manifest: Manifest;
}

/** Why no pack: the alert is not stored, or the area, window or amount is beyond the bounds. */
export type EvidenceRefusal = { readonly refused: 'not_found' | 'bounds'; readonly detail: string };

export type EvidenceStore = Pick<Store, 'fixesIn' | 'tracksInBoxes' | 'evidenceRecords' | 'alertHistory'>;

/** The refusal of an area pack's bounds, or undefined when it is within them. */
export function areaProblem(s: Extract<EvidenceSubject, { kind: 'area' }>): string | undefined {
  const { bbox, fromMs, toMs } = s;
  if (!(toMs > fromMs)) return 'to must be after from';
  if (toMs - fromMs > MAX_WINDOW_MS) return `the window may be at most ${MAX_WINDOW_MS / 3_600_000} h`;
  if (bbox.maxLat - bbox.minLat > MAX_AREA_DEG || bbox.maxLon - bbox.minLon > MAX_AREA_DEG) return `the area may be at most ${MAX_AREA_DEG}° × ${MAX_AREA_DEG}°`;
  return undefined;
}

type Role = MapTrack['role'];

interface TrackViewOf {
  readonly vesselId: string;
  readonly role: Role;
  readonly points: TrackPointView[];
  readonly name?: string;
}

/** The pack of an alert or an area, as the store holds them now. */
export async function buildEvidencePack(store: EvidenceStore, req: EvidenceRequest, nowMs: number): Promise<EvidencePack | EvidenceRefusal> {
  const sees = req.sees ?? (() => true);
  const roles = new Map<string, Role>();
  let fixes: ReceivedFix[];
  let fromMs: number;
  let toMs: number;
  let cpa: MapCpa | undefined;
  let subject: string;
  let title: string;
  let records: EvidenceRecords | undefined;
  const s = req.subject;
  if (s.kind === 'alert') {
    const history = await store.alertHistory(s.alertId as AlertChange['alertId']);
    const alert = history.at(-1)?.alert;
    if (alert === undefined) return { refused: 'not_found', detail: `no alert ${s.alertId}` };
    cpa = predictedCpa(history);
    fromMs = alert.raisedAtMs - BEFORE_MS;
    toMs = Math.min(fromMs + MAX_WINDOW_MS, Math.max(alert.updatedAtMs, cpa?.atMs ?? 0) + AFTER_MS);
    subject = `alert:${alert.id}`;
    title = `${alert.kind} ${alert.severity} · ${alert.vesselIds.join(' / ')} · alert ${alert.id}`;
    const involvedIds = alert.vesselIds.filter(sees);
    for (const id of involvedIds) roles.set(id, 'involved');
    const involved = await read(store, { fromMs, toMs, vesselIds: involvedIds as VesselId[] });
    if (typeof involved === 'string') return { refused: 'bounds', detail: involved };
    const inBox = await store.tracksInBoxes(spansAround(involved, fromMs, toMs));
    if (inBox.reduce((n, t) => n + t.atMs.length, 0) > MAX_FIXES) return { refused: 'bounds', detail: `more than ${MAX_FIXES.toLocaleString('en')} fixes around the alert's vessels` };
    const nearIds = nearVessels(involved, inBox, roles).filter(sees);
    for (const id of nearIds) roles.set(id, 'near');
    // The near vessels' fixes and everyone's records at once, on two read connections.
    const [near, recs] = await Promise.all([nearIds.length === 0 ? [] : read(store, { fromMs, toMs, vesselIds: nearIds as VesselId[] }), recordsOf(store, [...roles.keys()] as VesselId[], fromMs, toMs)]);
    if (typeof near === 'string') return { refused: 'bounds', detail: near };
    fixes = [...involved, ...near];
    records = recs;
  } else {
    const problem = areaProblem(s);
    if (problem !== undefined) return { refused: 'bounds', detail: problem };
    ({ fromMs, toMs } = s);
    const b = s.bbox;
    subject = `area:${b.minLon},${b.minLat},${b.maxLon},${b.maxLat}`;
    title = `area ${b.minLon},${b.minLat} – ${b.maxLon},${b.maxLat}`;
    const inArea = await read(store, { fromMs, toMs, bbox: b });
    if (typeof inArea === 'string') return { refused: 'bounds', detail: inArea };
    fixes = inArea.filter((f) => sees(f.vesselId));
    for (const f of fixes) roles.set(f.vesselId, 'area');
  }
  const ids = [...roles.keys()] as VesselId[];
  records ??= await recordsOf(store, ids, fromMs, toMs);
  const names = new Map(records.vessels.map((v) => [v.vesselId as string, v.name]));
  const byVessel = groupByVessel(fixes);
  const tracks = ids.map((id) => ({ vesselId: id, role: roles.get(id)!, points: byVessel.get(id) ?? [], ...(names.get(id) ? { name: names.get(id)! } : {}) }));

  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  const zip = zipWriter(nowMs);
  const put = (name: string, text: string): void => {
    const bytes = enc.encode(text);
    files.set(name, bytes);
    zip.add(name, bytes);
  };
  const iso = (ms: number): string => new Date(ms).toISOString();
  put('README.txt', readme(subject, iso(fromMs), iso(toMs)));
  put(
    'subject.json',
    JSON.stringify(
      {
        subject,
        from: iso(fromMs),
        to: iso(toMs),
        createdAt: iso(nowMs),
        createdBy: req.actor,
        ...(s.kind === 'alert' ? { nearNm: NEAR_NM, nearWithinS: NEAR_WITHIN_MS / 1000 } : {}),
        ...(cpa === undefined ? {} : { predictedCpa: { lat: cpa.lat, lon: cpa.lon, cpaNm: cpa.cpaNm, at: iso(cpa.atMs) } }),
        vessels: tracks.map((t) => ({ vesselId: t.vesselId, role: t.role, fixes: t.points.length })),
      },
      null,
      1,
    ),
  );
  // The per-fix files a vessel at a time, handing the event loop back between: written in one go
  // they held it ~600 ms (the service's feed waiting behind a pack), now at most YIELD_MS or so.
  const breathe = breather(YIELD_MS);
  const views: TrackViewOf[] = [];
  for (const t of tracks) {
    views.push({ vesselId: t.vesselId, role: t.role, points: trackView(t.points), ...(t.name === undefined ? {} : { name: t.name }) });
    await breathe();
  }
  // The largest file first: zlib's pool deflates it (~100 ms) while the others are written.
  const received = [csvLines([RECEIVED_HEADER])];
  for (let k = 0; k < tracks.length; k++) {
    received.push(receivedCsvLines(tracks[k]!.points, views[k]!.points));
    await breathe();
  }
  put('fixes-as-received.csv', received.join(''));
  const csv = [csvLines([TRACK_CSV_HEADER])];
  const features: string[] = [];
  for (const v of views) {
    csv.push(trackCsvLines(v));
    // JSON.stringify of the FeatureCollection, a feature at a time.
    for (const f of (trackGeoJson([v]) as { features: unknown[] }).features) features.push(JSON.stringify(f));
    await breathe();
  }
  // The whole files, each its own piece of work: written back to back they held the loop ~200 ms.
  put('tracks.csv', csv.join(''));
  await breathe();
  put('tracks.geojson', `{"type":"FeatureCollection","features":[${features.join(',')}]}`);
  await breathe();
  put('alerts.json', JSON.stringify(records.alerts.map((h) => alertFileView(h[h.length - 1]!.alert, h)), null, 1));
  await breathe();
  put('grid-events.csv', csvText(['vessel_id', 'layer', 'grid_id', 'kind', 'at', 'lat', 'lon'], records.gridEvents.map(gridEventView).map((e) => [e.vesselId, e.layer, e.gridId, e.kind, e.at, e.lat, e.lon])));
  await breathe();
  put('vessels.json', JSON.stringify(records.vessels, null, 1));
  await breathe();
  put('map.svg', incidentSvg({ title, fromMs, toMs, tracks, ...(cpa === undefined ? {} : { cpa }), ...(s.kind === 'area' ? { area: [s.bbox.minLon, s.bbox.minLat, s.bbox.maxLon, s.bbox.maxLat] as const } : {}) }));
  await breathe();
  const manifest = manifestOf(files, { createdAt: iso(nowMs), createdBy: req.actor, subject, from: iso(fromMs), to: iso(toMs) });
  zip.add(MANIFEST_NAME, enc.encode(`${JSON.stringify(manifest, null, 1)}\n`));
  const stamp = iso(nowMs).replace(/[-:]/g, '').slice(0, 15);
  return { filename: `seagrid-evidence-${fileSafe(subject.replace(':', '-'))}-${stamp}Z.zip`, zip: await zip.end(), manifest };
}

/** The alerts, grid events and files of these vessels over the window. */
function recordsOf(store: EvidenceStore, ids: readonly VesselId[], fromMs: number, toMs: number): Promise<EvidenceRecords> {
  return ids.length === 0 ? Promise.resolve({ alerts: [], gridEvents: [], vessels: [] }) : store.evidenceRecords(ids, fromMs, toMs, MAX_ALERTS, MAX_GRID_EVENTS);
}

/** Fixes of a query, or the refusal when there are more than a pack may hold. */
async function read(store: EvidenceStore, q: Omit<Parameters<EvidenceStore['fixesIn']>[0], 'limit'>): Promise<ReceivedFix[] | string> {
  const rows = await store.fixesIn({ ...q, limit: MAX_FIXES + 1 });
  return rows.length > MAX_FIXES ? `more than ${MAX_FIXES.toLocaleString('en')} fixes: ask for a smaller area or window` : rows;
}

/**
 * The collision figures the alert last gave: where and when the rule predicted the closest point,
 * from the latest change carrying them (a cleared alert's last change may not).
 */
export function predictedCpa(history: readonly AlertChange[]): MapCpa | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const d = history[i]!.alert.details as { cpaNm?: unknown; tcpaMin?: unknown; meetingPoint?: { lat?: unknown; lon?: unknown } };
    const mp = d.meetingPoint;
    if (typeof d.cpaNm === 'number' && typeof d.tcpaMin === 'number' && typeof mp?.lat === 'number' && typeof mp.lon === 'number') {
      // tcpaMin counts from the change that computed the figures: a later change (a level, a clear)
      // carries them unchanged, so go back to the first change holding these very figures.
      const same = JSON.stringify(d);
      let j = i;
      while (j > 0 && JSON.stringify(history[j - 1]!.alert.details) === same) j--;
      return { lat: mp.lat, lon: mp.lon, cpaNm: d.cpaNm, atMs: history[j]!.atMs + d.tcpaMin * 60_000 };
    }
  }
  return undefined;
}

/** The near-vessel search reads the window in slices this long, each in its own box. */
const SLICE_MS = 10 * 60_000;

/**
 * Where a near vessel's fixes can be: for each slice of the window, the box around the involved
 * fixes taken within NEAR_WITHIN_MS of it, widened by NEAR_NM (a degree of latitude is over 59.9
 * nm on geo/sphere.ts's sphere, so nm/60 is room enough; longitude at the box's highest latitude).
 * Slices with no involved fix near them are left out. One box over the whole window held the
 * involved vessels' entire tracks: on app/evidence.bench's scene, 150,000 fixes for the search to
 * sift where the slices hold a fraction.
 */
function spansAround(involved: readonly ReceivedFix[], fromMs: number, toMs: number): BoxSpan[] {
  const pts = [...involved].sort((a, b) => a.atMs - b.atMs);
  const spans: BoxSpan[] = [];
  const dLat = NEAR_NM / 60;
  let lo = 0;
  for (let s = fromMs; s <= toMs && spans.length < MAX_BOX_SPANS; s += SLICE_MS) {
    // The last slice takes the rest should the window hold more than MAX_BOX_SPANS of them.
    const e = spans.length === MAX_BOX_SPANS - 1 ? toMs : Math.min(toMs, s + SLICE_MS);
    while (lo < pts.length && pts[lo]!.atMs < s - NEAR_WITHIN_MS) lo++;
    let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
    for (let i = lo; i < pts.length && pts[i]!.atMs <= e + NEAR_WITHIN_MS; i++) {
      const p = pts[i]!;
      minLat = Math.min(minLat, p.lat); maxLat = Math.max(maxLat, p.lat); minLon = Math.min(minLon, p.lon); maxLon = Math.max(maxLon, p.lon);
    }
    if (minLat > maxLat) continue;
    const dLon = dLat / Math.max(0.01, Math.cos((Math.min(90, Math.max(Math.abs(minLat), Math.abs(maxLat)) + dLat) * Math.PI) / 180));
    spans.push({ fromMs: s, toMs: e, bbox: { minLat: minLat - dLat, maxLat: maxLat + dLat, minLon: minLon - dLon, maxLon: maxLon + dLon } });
    if (e === toMs) break;
  }
  return spans;
}

/** Vessels (not already counted) with a fix within NEAR_NM of an involved vessel's fix taken within NEAR_WITHIN_MS. */
function nearVessels(involved: readonly ReceivedFix[], candidates: readonly BoxTrack[], known: ReadonlyMap<string, Role>): string[] {
  const tracks = [...groupByVessel(involved).values()].map((t) => ({
    atMs: Float64Array.from(t, (f) => f.atMs),
    lat: Float64Array.from(t, (f) => f.lat),
    lon: Float64Array.from(t, (f) => f.lon),
    cosLat: Float64Array.from(t, (f) => Math.cos(f.lat * RAD)),
  }));
  const near: string[] = [];
  for (const c of candidates) {
    if (known.has(c.vesselId)) continue;
    if (tracks.some((t) => comesNear(c, t))) near.push(c.vesselId);
  }
  return near;
}

/** Nautical miles per degree of latitude (of arc along a great circle), geo/sphere.ts's sphere. */
const NM_PER_DEG = (EARTH_RADIUS_M * RAD) / M_PER_NM;
/** Headroom on the cheap bounds below: far beyond their rounding (≪ 1e-6 at a few miles). */
const NEAR_DEG = (NEAR_NM * 1.01) / NM_PER_DEG;

/**
 * Whether a candidate's fix lies within NEAR_NM of one of the track's fixes taken within
 * NEAR_WITHIN_MS (both in time order). Most pairs are told apart by a lower bound of their
 * distance with no trigonometry — the latitude difference (a great circle is no shorter than its
 * meridian arc) and the longitude difference at the smaller cosine of the two latitudes
 * (haversine: hav d ≥ cos φ1 cos φ2 hav Δλ) — and only the rest by the haversine distance: this
 * search was ~40 % of a pack's node CPU (a one-hour incident, ~5 M pairs; node --cpu-prof).
 */
function comesNear(c: BoxTrack, t: { readonly atMs: Float64Array; readonly lat: Float64Array; readonly lon: Float64Array; readonly cosLat: Float64Array }): boolean {
  let lo = 0;
  for (let k = 0; k < c.atMs.length; k++) {
    const at = c.atMs[k]!;
    const lat = c.lat[k]!;
    const lon = c.lon[k]!;
    const cosLat = Math.cos(lat * RAD);
    // The window of the track's fixes moves forward with the candidate's time.
    while (lo < t.atMs.length && t.atMs[lo]! < at - NEAR_WITHIN_MS) lo++;
    for (let i = lo; i < t.atMs.length && t.atMs[i]! <= at + NEAR_WITHIN_MS; i++) {
      if (Math.abs(t.lat[i]! - lat) > NEAR_DEG) continue;
      if (Math.abs(t.lon[i]! - lon) * Math.min(cosLat, t.cosLat[i]!) > NEAR_DEG) continue;
      if (distanceNm(lat, lon, t.lat[i]!, t.lon[i]!) <= NEAR_NM) return true;
    }
  }
  return false;
}

function groupByVessel(fixes: readonly ReceivedFix[]): Map<string, ReceivedFix[]> {
  const out = new Map<string, ReceivedFix[]>();
  for (const f of fixes) (out.get(f.vesselId) ?? out.set(f.vesselId, []).get(f.vesselId)!).push(f);
  for (const list of out.values()) list.sort((a, b) => a.atMs - b.atMs || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return out;
}

const RECEIVED_HEADER = ['vessel_id', 'at', 'source', 'lat', 'lon', 'sog_kn', 'cog_deg', 'heading_deg', 'rot_deg_min', 'nav_status', 'mmsi', 'beidou_card', 'receiver', 'received_at'];

/** A vessel's fixes with every stored column, as the store holds them, in time order (each fix's time text is its track view's: formatted once). */
function receivedCsvLines(pts: readonly ReceivedFix[], views: readonly { readonly at: string }[]): string {
  return csvLines(pts.map((f, i) => [f.vesselId, views[i]!.at, f.source, f.lat, f.lon, f.sogKn, f.cogDeg, f.headingDeg, f.rotDegMin, f.navStatus, f.mmsi, f.beidouCard, f.receiver, f.receivedAtMs === undefined ? undefined : isoTime(f.receivedAtMs)]));
}


function readme(subject: string, from: string, to: string): string {
  return `seagrid evidence pack — ${subject}, ${from} to ${to}

tracks.csv, tracks.geojson   every vessel's fixes in the window (role in subject.json: involved, near, area)
fixes-as-received.csv        the stored fixes with every column: source, receiver, receipt time
alerts.json                  the alerts concerning these vessels in the window, each with every change by seq
grid-events.csv              their grid entries and exits in the window
vessels.json                 their registry files
map.svg                      the incident drawn: coastline, tracks (dot: first fix, cross: last), predicted CPA
manifest.json                SHA-256 of every file and packSha256, the SHA-256 of the sha256sum listing of them

Check it: seagrid verify-pack FILE (or unzip, then compare sha256sum * with the manifest).
Times are UTC (ISO-8601); positions WGS 84 degrees; speeds knots; courses degrees true.
`;
}
