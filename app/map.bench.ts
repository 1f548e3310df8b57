/**
 * The command map's frame time with 8,000 vessels in headless Chromium on SwiftShader (no GPU on
 * these machines; issue 13 goal ≤ 33 ms median). The built client (dist/client) is served with a
 * fixed picture — 8,000 vessels spread over the Zhoushan grounds, 200 collision alerts with CPA
 * lines — by a plain loopback server, so the figure is the map's own, not the demo feed's CPU.
 * A frame is one forced deck.gl redraw of every layer (land, vessels, alerts, CPA lines) timed
 * until a 1-pixel readPixels returns, i.e. until the software renderer has finished it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seededRandom } from '../model/index.js';
import type { AlertView, VesselView } from '../web/index.js';
import { buildClient, chromiumAvailable, launchChromium, waitForVessels, type MapPageGlobals } from './chromium-test-support.js';

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
const FRAMES = 40;
/** Browser and server are closed this long after the last round (the runner calls rounds back to back). */
const IDLE_CLOSE_MS = 1500;

function picture(): { vessels: VesselView[]; alerts: AlertView[] } {
  const rnd = seededRandom(13);
  const at = new Date().toISOString();
  const vessels: VesselView[] = [];
  for (let i = 0; i < VESSELS; i++) {
    const lat = 28.5 + rnd() * 3;
    const lon = 122.2 + rnd() * 3;
    const cog = Math.floor(rnd() * 360);
    const both = i % 4 !== 0;
    vessels.push({
      vesselId: String(412_100_000 + i), mmsi: 412_100_000 + i, beidouCard: both ? String(2_000_000 + i) : null, name: `浙岱渔${20000 + i}`, shipType: 30, fleetId: null,
      lat, lon, sogKn: 8, cogDeg: cog, headingDeg: cog, at, source: i % 3 === 0 ? 'beidou' : 'ais',
      grids: { static: [], control: [], patrol: [], fishingZone: null, fleet: null, h3: null, zones: [] },
    });
  }
  const alerts: AlertView[] = [];
  for (let i = 0; i < ALERTS; i++) {
    const a = vessels[2 * i]!;
    const b = vessels[2 * i + 1]!;
    alerts.push({
      id: `collision-bench-${i}`, kind: 'collision', severity: i % 2 === 0 ? 'danger' : 'warning', state: 'raised', vesselIds: [a.vesselId, b.vesselId], fleetId: null, fleetIds: [],
      raisedAt: at, updatedAt: at, assignee: null, cleared: false, seq: 1,
      details: { cpaNm: 0.05, tcpaMin: 4, meetingPoint: { lat: (a.lat + b.lat) / 2, lon: (a.lon + b.lon) / 2 } },
    });
  }
  return { vessels, alerts };
}

interface State {
  readonly server: Server;
  readonly browser: Browser;
  readonly page: Page;
}
let state: State | undefined;
let closeTimer: NodeJS.Timeout | undefined;

async function serve(): Promise<Server> {
  const dir = path.resolve('dist/client');
  const { vessels, alerts } = picture();
  const json = (body: unknown): [string, string] => ['application/json', JSON.stringify(body)];
  const routes: Record<string, [string, string]> = {
    '/api/vessels': json(vessels),
    '/api/alerts': json(alerts),
    '/api/grids': json({ type: 'FeatureCollection', features: [] }),
    '/api/fleets': json([]),
  };
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const api = routes[p];
    if (api !== undefined) {
      res.writeHead(200, { 'content-type': api[0] }).end(api[1]);
      return;
    }
    const file = path.join(dir, p === '/' ? 'index.html' : path.basename(p));
    readFile(file).then(
      (d) => res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(d),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function setup(): Promise<State> {
  buildClient();
  const server = await serve();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await waitForVessels(page, VESSELS - 1, 180_000);
  return { server, browser, page };
}

async function close(): Promise<void> {
  const s = state;
  state = undefined;
  if (s === undefined) return;
  await s.browser.close();
  await new Promise((r) => s.server.close(r));
}

export async function run(): Promise<Result[]> {
  if (!chromiumAvailable()) throw new Error('needs Debian chromium (apt-get install chromium)');
  if (closeTimer !== undefined) clearTimeout(closeTimer);
  state ??= await setup();
  const times = await state.page.evaluate(async (frames) => {
    // The page's DOM, untyped here (no DOM lib in the Node program).
    const g = globalThis as unknown as MapPageGlobals & { document: { querySelector(s: string): { getContext(k: string): WebGL2Like } } };
    interface WebGL2Like {
      readPixels(x: number, y: number, w: number, h: number, f: number, t: number, p: Uint8Array): void;
      RGBA: number;
      UNSIGNED_BYTE: number;
    }
    const gl = g.document.querySelector('.map canvas').getContext('webgl2');
    const px = new Uint8Array(4);
    const out: number[] = [];
    for (let i = 0; i < frames; i++) {
      const t0 = performance.now();
      g.seagrid!.redraw();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 0));
    }
    return out;
  }, FRAMES);
  closeTimer = setTimeout(() => void close(), IDLE_CLOSE_MS);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
  return [
    { name: `frame time, ${VESSELS} vessels + ${ALERTS} collision alerts (median of ${FRAMES} frames)`, value: median, unit: 'ms', goal: { op: '<=', target: 33 }, notes: 'SwiftShader WebGL2, 1600×900 page; redraw until a readPixels returns' },
    { name: `frame time p95 (${FRAMES} frames)`, value: p95, unit: 'ms' },
  ];
}
