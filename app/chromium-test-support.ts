/**
 * Test-only: Debian's headless Chromium driven by playwright-core, with WebGL on SwiftShader (no
 * GPU on these machines), and the built map client. Suites use
 * `describe.skipIf(!chromiumAvailable())('needs Debian chromium: …')` so a machine without it
 * reports them skipped by name. Runtime code never imports this file.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ServeUnderTest } from './serve-test-support.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Headless Chromium with WebGL2 through SwiftShader (no GPU on these machines), the page composited
 * through it too, as a console's GPU would: the frame's GPU work stays off the page's main thread.
 * (Compositing in software instead halves the GPU process's work per frame, ~50 → ~17 ms of CPU
 * with nothing drawn, but reads every WebGL frame back on the main thread, which then waits for it:
 * an acknowledgement took over a second to reach a second console.)
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--use-angle=swiftshader', '--use-gl=angle', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-dev-shm-usage'],
  });
}

/** Builds the client from the sources (`npm run build:client`): `npm test` does not run the build, and the test must see the code it tests. */
export function buildClient(): void {
  execFileSync('npm', ['run', '--silent', 'build:client'], { stdio: 'pipe' });
}

/**
 * What the map page exposes as `window.seagrid` (web/client/main.tsx), as the tests read it: the
 * Node test program has no DOM types, so page functions reach the page through this shape.
 */
export interface MapPageGlobals {
  seagrid?: {
    live: { vessels: Map<string, { lon: number; lat: number }> };
    map(): { vessels: number; focused: readonly string[]; view: { longitude: number; latitude: number; zoom: number }; drawnAt: readonly number[]; project(lon: number, lat: number): [number, number] | null } | undefined;
    redraw(): void;
  };
}

/** Vessels the page holds and the number the chart draws (0 before the chart exists). */
export function mapState(page: Page): Promise<{ held: number; drawn: number }> {
  return page.evaluate(() => {
    const g = (globalThis as unknown as MapPageGlobals).seagrid;
    return { held: g?.live.vessels.size ?? 0, drawn: g?.map()?.vessels ?? 0 };
  });
}

/** Waits until the page's chart draws more than `n` vessels. */
export async function waitForVessels(page: Page, n: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction((min) => ((globalThis as unknown as MapPageGlobals).seagrid?.map()?.vessels ?? 0) > min, n, { timeout: timeoutMs });
}

/** Waits until the chart's view has not moved for `stillMs` (a fly-to ends on the browser's frames, which a loaded machine slows). */
export async function waitForStillView(page: Page, stillMs: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  while (Date.now() < end) {
    const v = await page.evaluate(() => JSON.stringify((globalThis as unknown as MapPageGlobals).seagrid?.map()?.view ?? null));
    if (v !== last) {
      last = v;
      since = Date.now();
    } else if (Date.now() - since >= stillMs) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the map view still moving after ${timeoutMs} ms`);
}

/** Where the chart draws a vessel now, in CSS pixels from the map's corner. */
export function vesselOnScreen(page: Page, vesselId: string): Promise<[number, number] | null> {
  return page.evaluate((id) => {
    const g = (globalThis as unknown as MapPageGlobals).seagrid!;
    const v = g.live.vessels.get(id);
    return v === undefined ? null : (g.map()?.project(v.lon, v.lat) ?? null);
  }, vesselId);
}

/**
 * Pixels of a PNG that lie within `tolerance` (per channel) of any of `colours` ([r, g, b]),
 * decoded by the page's own image decoder: what was really painted, not what the app says it drew.
 */
export async function countColours(page: Page, png: Buffer, colours: readonly (readonly [number, number, number])[], tolerance: number): Promise<number> {
  return page.evaluate(
    async ({ b64, colours, tolerance }) => {
      // The page's DOM, untyped here (no DOM lib in the Node test program).
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { Image, document } = globalThis as any;
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d: Uint8ClampedArray = g.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (colours.some((c) => Math.abs(d[i]! - c[0]!) <= tolerance && Math.abs(d[i + 1]! - c[1]!) <= tolerance && Math.abs(d[i + 2]! - c[2]!) <= tolerance)) n++;
      return n;
    },
    { b64: png.toString('base64'), colours: colours.map((c) => [...c]), tolerance },
  );
}

/** `rgb(r, g, b)` / `rgba(r, g, b, a)` as CSS computes it → [r, g, b]. */
export function parseCssRgb(text: string): [number, number, number] {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(text);
  if (m === null) throw new Error(`not an rgb colour: ${text}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Opens the map unsigned, is sent to /login, signs in there and waits to be back on the map. */
export async function signInOnMap(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#submit');
  await page.waitForURL((u) => u.pathname === '/');
}

/** A signed-in map suite's teardown: the browser, then the service, then its temp dir. */
export async function closeMapSuite(browser: Browser | undefined, serve: ServeUnderTest | undefined, dir: string): Promise<void> {
  await browser?.close();
  await serve?.stop();
  serve?.dispose();
  rmSync(dir, { recursive: true, force: true });
}
