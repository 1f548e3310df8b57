/**
 * The command map's frame time in headless Chromium on SwiftShader (no GPU on these machines;
 * issue 13 goal ≤ 33 ms median), as a watch officer meets it: the built client (dist/client) on a
 * plain loopback server with the demo's load — 8,000 vessels over the Zhoushan grounds, 200
 * collision alerts with CPA lines and meeting points, the service's own sea grids, 770 fleet
 * footprints — and `/ws` from the real push hub (web/push.ts) sending the demo's rate of change
 * (about 385 vessel states and 163 alert changes a second, chunked per 250 ms period).
 *
 * Three figures, deltas arriving throughout:
 * - dragging (real mouse input): the interval between the page's animation frames while the officer
 *   drags the chart. A drag moves the last drawn picture (web/client/map.ts `dragTo`), so these are
 *   the frames the officer sees move; the chart itself redraws only for a picture (at most every
 *   5 s) and at the end;
 * - zooming with the wheel (real input, notch after notch): the page's animation frames likewise.
 *   A notch scales the last drawn picture (`wheelTo`); the chart draws the wheel's view when the
 *   wheel rests, has gone a zoom level from the picture, or has held it 600 ms — those frames are
 *   among the ones timed;
 * - a full redraw: the interval between the chart's own frames (deck.gl's onAfterRender) when it
 *   is asked to draw at every animation frame, the view and the data unchanged — what every
 *   picture, every drag's end and every wheel settle costs.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { seededRandom, VesselRegistry } from '../model/index.js';
import { gridCollectionView, inBox, PushHub, WS_PATH, type AlertChangeView, type AlertView, type FleetView, type PushSocket, type VesselView } from '../web/index.js';
import { buildClient, chromiumAvailable, launchChromium, waitForVessels, type MapPageGlobals } from './chromium-test-support.js';
import { readSeaGrids } from './refdata.js';

export const title = 'command map: frame time in headless Chromium (SwiftShader)';

/** bench/types.ts BenchResult's shape (app/ may not import bench/). */
interface Result {
  name: string;
  value: number;
  unit: string;
  notes?: string;
  goal?: { op: '<='; target: number };
}

const VESSELS = 8000;
const ALERTS = 200;
const FLEETS = 770;
/** The demo's rate of change (issue 13's push figures): per second. */
const VESSEL_STATES_PER_S = 385;
const ALERT_CHANGES_PER_S = 163;
const PERIOD_MS = 250;
/** How long the officer drags, and then zooms (ms). */
const DRAG_MS = 8000;
const ZOOM_MS = 6000;
/** Full redraws asked for back to back. */
const FULL_REDRAWS = 40;
/** Browser and server are closed this long after the last round (the runner calls rounds back to back). */
const IDLE_CLOSE_MS = 1500;

interface Sea {
  vessels: Map<string, VesselView>;
  alerts: AlertView[];
  fleets: FleetView[];
}

function sea(): Sea {
  const rnd = seededRandom(13);
  const at = new Date().toISOString();
  const vessels = new Map<string, VesselView>();
  for (let i = 0; i < VESSELS; i++) {
    const cog = Math.floor(rnd() * 360);
    const both = i % 4 !== 0;
    const id = String(412_100_000 + i);
    vessels.set(id, {
      vesselId: id, mmsi: 412_100_000 + i, beidouCard: both ? String(2_000_000 + i) : null, name: `浙岱渔${20000 + i}`, shipType: 30, fleetId: null,
      lat: 28.5 + rnd() * 3, lon: 122.2 + rnd() * 3, sogKn: 8, cogDeg: cog, headingDeg: i % 10 === 0 ? null : cog, at, source: i % 3 === 0 ? 'beidou' : 'ais',
      grids: { static: [], control: [], patrol: [], fishingZone: null, fleet: null, h3: null, zones: [] },
    });
  }
  const list = [...vessels.values()];
  const alerts: AlertView[] = [];
  for (let i = 0; i < ALERTS; i++) {
    const a = list[2 * i]!;
    const b = list[2 * i + 1]!;
    alerts.push({
      id: `collision-bench-${i}`, kind: 'collision', severity: i % 2 === 0 ? 'danger' : 'warning', state: 'raised', vesselIds: [a.vesselId, b.vesselId], fleetId: null, fleetIds: [],
      raisedAt: at, updatedAt: at, assignee: null, cleared: false, seq: 1, responders: [],
      details: { cpaNm: 0.05, tcpaMin: 4, meetingPoint: { lat: (a.lat + b.lat) / 2, lon: (a.lon + b.lon) / 2 } },
    });
  }
  // A hexagon of about 2 nm around every tenth vessel: the demo's fleets hold about ten boats.
  const fleets: FleetView[] = [];
  for (let f = 0; f < FLEETS; f++) {
    const c = list[f * 10]!;
    const ring = Array.from({ length: 7 }, (_, k) => [c.lon + 0.04 * Math.cos((k * Math.PI) / 3), c.lat + 0.035 * Math.sin((k * Math.PI) / 3)]);
    fleets.push({
      fleetId: `ZS-${f}`, leader: list[f * 10]!.vesselId, members: list.slice(f * 10, f * 10 + 10).map((v) => v.vesselId), located: 10, centroid: { lat: c.lat, lon: c.lon }, spreadNm: 1.5,
      outside: [], stragglerRadiusNm: 3, stale: [], missing: [], cells: [], footprint: { type: 'MultiPolygon', coordinates: [[ring]] }, at,
    });
  }
  return { vessels, alerts, fleets };
}

interface State {
  readonly server: Server;
  readonly browser: Browser;
  readonly page: Page;
  readonly hub: PushHub;
  readonly feed: NodeJS.Timeout;
}
let state: State | undefined;
let closeTimer: NodeJS.Timeout | undefined;


/** The demo's rate of change, a period's worth at a time: vessels step along their course, alerts are re-judged. */
function feedPeriod(s: Sea, hub: PushHub, period: number): void {
  const list = [...s.vessels.values()];
  const at = new Date().toISOString();
  const ids: string[] = [];
  const n = Math.round((VESSEL_STATES_PER_S * PERIOD_MS) / 1000);
  for (let k = 0; k < n; k++) {
    const v = list[(period * n + k) % list.length]!;
    const rad = ((v.cogDeg ?? 0) * Math.PI) / 180;
    s.vessels.set(v.vesselId, { ...v, lat: v.lat + 0.002 * Math.cos(rad), lon: v.lon + 0.002 * Math.sin(rad), at });
    ids.push(v.vesselId);
  }
  hub.vesselsChanged(ids);
  const m = Math.round((ALERT_CHANGES_PER_S * PERIOD_MS) / 1000);
  for (let k = 0; k < m; k++) {
    const i = (period * m + k) % s.alerts.length;
    const a = s.alerts[i]!;
    const next: AlertView = { ...a, seq: (a.seq ?? 0) + 1, updatedAt: at, details: { ...a.details, cpaNm: 0.05 + 0.01 * (period % 5) } };
    s.alerts[i] = next;
    const change: AlertChangeView = { alertId: next.id, seq: next.seq ?? 0, action: 'update', at, actor: 'system', note: null, alert: next };
    hub.alertChanged(change);
  }
}

async function serve(s: Sea): Promise<{ server: Server; hub: PushHub; feed: NodeJS.Timeout }> {
  const dir = path.resolve('dist/client');
  const json = (body: unknown): string => JSON.stringify(body);
  const grids = new SeaPicture(new VesselRegistry([]), SeaGridIndex.build(readSeaGrids()));
  const routes: Record<string, () => string> = {
    '/api/vessels': () => json([...s.vessels.values()]),
    '/api/alerts': () => json(s.alerts),
    '/api/grids': () => json(gridCollectionView(grids.gridsGeoJson(), (id) => grids.appliesAt(id, Date.now()))),
    '/api/fleets': () => json(s.fleets),
  };
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const api = routes[p];
    if (api !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(api());
      return;
    }
    const file = path.join(dir, p === '/' ? 'index.html' : path.basename(p));
    readFile(file).then(
      (d) => res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(d),
      () => res.writeHead(404).end(),
    );
  });
  const hub = new PushHub({ vessels: (b) => [...s.vessels.values()].filter((v) => b === null || inBox(v, b)), vessel: (id) => s.vessels.get(id), openAlerts: () => s.alerts }, { periodMs: PERIOD_MS });
  const wss = new WebSocketServer({ server, path: WS_PATH, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    const c = hub.connect(ws as unknown as PushSocket);
    ws.on('message', (d, binary) => hub.receive(c, binary ? null : d.toString()));
    ws.on('close', (code) => hub.disconnect(c, code));
  });
  let period = 0;
  const feed = setInterval(() => feedPeriod(s, hub, period++), PERIOD_MS);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, hub, feed };
}

async function setup(): Promise<State> {
  buildClient();
  const { server, hub, feed } = await serve(sea());
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await waitForVessels(page, VESSELS - 1, 180_000);
  return { server, browser, page, hub, feed };
}

async function close(): Promise<void> {
  const s = state;
  state = undefined;
  if (s === undefined) return;
  clearInterval(s.feed);
  s.hub.closeAll();
  await s.browser.close();
  s.server.closeAllConnections();
  await new Promise((r) => s.server.close(r));
}

/** When the chart drew its frames since `fromMs` (page clock). */
function drawnSince(page: Page, fromMs: number): Promise<number[]> {
  return page.evaluate((from) => ((globalThis as unknown as MapPageGlobals).seagrid?.map()?.drawnAt ?? []).filter((t) => t >= from), fromMs);
}
const intervals = (at: readonly number[]): number[] => at.slice(1).map((t, i) => t - at[i]!);
const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** Records the page's animation frames (their timestamps) until `pageFrames` reads them. */
async function recordPageFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { benchFrames?: number[] | undefined; requestAnimationFrame(f: (t: number) => void): number };
    const frames: number[] = [];
    g.benchFrames = frames;
    const tick = (t: number): void => {
      if (g.benchFrames !== frames) return;
      frames.push(t);
      g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame(tick);
  });
}
/** The page's animation frames since `recordPageFrames` (timestamps), and the recording stopped. */
function pageFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { benchFrames?: number[] | undefined };
    const frames = g.benchFrames ?? [];
    g.benchFrames = undefined;
    return frames;
  });
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
};

export async function run(): Promise<Result[]> {
  if (!chromiumAvailable()) throw new Error('needs Debian chromium (apt-get install chromium)');
  if (closeTimer !== undefined) clearTimeout(closeTimer);
  state ??= await setup();
  const { page } = state;
  const box = (await page.locator('.map .chart').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Drag: the pointer circles 150 px around the centre, button held, as fast as input is taken.
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const dragFrom = await pageNow(page);
  await recordPageFrames(page);
  let t0 = Date.now();
  let moves = 0;
  for (; Date.now() - t0 < DRAG_MS; moves++) await page.mouse.move(cx + 150 * Math.sin(moves / 15), cy + 150 * Math.cos(moves / 15) - 150);
  const drag = intervals(await pageFrames(page));
  const drawnInDrag = (await drawnSince(page, dragFrom)).length;
  await page.mouse.up();
  // Zoom in and out about the centre, a wheel notch at a time, as fast as input is taken.
  await page.mouse.move(cx, cy);
  const zoomFrom = await pageNow(page);
  await recordPageFrames(page);
  t0 = Date.now();
  let notches = 0;
  // Whole cycles (10 in, 10 out): every round starts from the same view (the page is reused).
  for (; Date.now() - t0 < ZOOM_MS || notches % 20 !== 0; notches++) await page.mouse.wheel(0, Math.floor(notches / 10) % 2 === 0 ? -100 : 100);
  const zoom = intervals(await pageFrames(page));
  const drawnInZoom = (await drawnSince(page, zoomFrom)).length;
  // The full redraw: the chart asked to draw at every animation frame, nothing changed but time.
  await page.waitForTimeout(500);
  const fullFrom = await pageNow(page);
  await page.evaluate(
    (n) =>
      new Promise<void>((done) => {
        const g = globalThis as unknown as MapPageGlobals & { requestAnimationFrame(f: () => void): number };
        let left = n;
        const tick = (): void => {
          if (left-- === 0) return done();
          g.seagrid?.redraw();
          g.requestAnimationFrame(tick);
        };
        tick();
      }),
    FULL_REDRAWS,
  );
  const full = intervals(await drawnSince(page, fullFrom));
  closeTimer = setTimeout(() => void close(), IDLE_CLOSE_MS);
  const deltas = `/ws deltas at ${VESSEL_STATES_PER_S} vessels + ${ALERT_CHANGES_PER_S} alert changes a second`;
  const over = (xs: readonly number[]): number => xs.filter((x) => x > 33).length;
  return [
    {
      name: `page frame interval while dragging (the picture moved, not redrawn), ${VESSELS} vessels + ${ALERTS} collision alerts + live deltas (median)`,
      value: quantile(drag, 0.5),
      unit: 'ms',
      goal: { op: '<=', target: 33 },
      notes: `SwiftShader WebGL2 and compositing, 1600×900 page; ${drag.length} page frames for ${moves} pointer moves, ${over(drag)} over 33 ms, longest ${Math.max(...drag).toFixed(1)} ms; the chart drawn ${drawnInDrag} times in them (pictures, every 5 s at most). Before 74275be this row timed the chart's own frames, each a full redraw: that cost is the full-redraw row's; ${deltas}`,
    },
    { name: 'page frame interval while dragging (p95)', value: quantile(drag, 0.95), unit: 'ms' },
    {
      name: `page frame interval while zooming with the wheel (the picture scaled, drawn anew as the wheel settles), ${VESSELS} vessels + ${ALERTS} collision alerts + live deltas (median)`,
      value: quantile(zoom, 0.5),
      unit: 'ms',
      goal: { op: '<=', target: 33 },
      notes: `${zoom.length} page frames for ${notches} wheel notches (whole cycles of 10 in and 10 out, 0.55 zoom levels a notch), ${over(zoom)} over 33 ms, longest ${Math.max(...zoom).toFixed(1)} ms; the chart drawn ${drawnInZoom} times in them (a settle at each zoom level from the picture, and pictures). Before this row timed page frames it timed the chart's own, every notch a full redraw (54.7 ms at e2c3c0d): that cost is the full-redraw row's; ${deltas}`,
    },
    { name: 'page frame interval while zooming with the wheel (p95)', value: quantile(zoom, 0.95), unit: 'ms' },
    {
      name: `full redraw: the chart's own frame, every layer drawn, ${VESSELS} vessels + ${ALERTS} collision alerts (median)`,
      value: quantile(full, 0.5),
      unit: 'ms',
      goal: { op: '<=', target: 33 },
      notes: `the interval between the chart's frames (deck.gl's onAfterRender) over the ${full.length + 1} frames drawn while one was asked for at every animation frame (${FULL_REDRAWS} asked), the view unchanged: what each picture (at most every second, every 5 s while dragging), each drag's end and each wheel settle costs; p95 ${quantile(full, 0.95).toFixed(1)} ms; ${deltas}`,
    },
  ];
}
