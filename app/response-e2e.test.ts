/**
 * Rapid response (快响指挥) in real headless Chromium against the real service with sign-in: an
 * officer signs in on the zh-CN page, opens the alert of a scripted collision, sends the BeiDou boat
 * the console offers, and watches its arrival recorded in the alert's history as the boat's fixes
 * come within 0.5 nm of the scene. The scene by hand: A at 30°N 122.5°E, B 0.03° east (collision
 * course, danger), the boat 0.03° north of A (1.80 nm), closing 0.005° (0.3 nm) a fix, so its 5th
 * fix (0.30 nm) is the arrival. Screenshot in .test-artefacts/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../ingest/adapters.js';
import { encodePositionA, rmcSentence, vdmSentences } from '../sim/index.js';
import type { AlertFileView, AlertView } from '../web/index.js';
import { hashPassword } from '../web/index.js';
import { buildClient, chromiumAvailable, closeMapSuite, launchChromium, signInOnMap } from './chromium-test-support.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

const A = 412_000_201;
const B = 412_000_202;
const LON = 122.5;
const PASSWORD = 'Officer-map-2718';
const ARTEFACTS = path.join(process.cwd(), '.test-artefacts');

function ais(mmsi: number, lon: number, cogDeg: number): string {
  return `${vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat: 30, lon, sogKn: 10, cogDeg, headingDeg: cogDeg, second: 0 })).join('\r\n')}\r\n`;
}

describe.skipIf(!chromiumAvailable())('needs Debian chromium: rapid response on the command map', () => {
  let serve: ServeUnderTest;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-response-e2e-'));

  beforeAll(async () => {
    buildClient();
    const users = path.join(dir, 'users.csv');
    writeFileSync(users, `username,role,fleets,passwordHash\nwang,officer,,${await hashPassword(PASSWORD)}\n`);
    serve = await startServe({ DEMO: '0', USERS_FILE: users });
    await until(async () => ((await fetch(`${serve.base}/health`)).ok ? true : undefined), 60_000, 'health');
    browser = await launchChromium();
  }, 180_000);
  afterAll(() => closeMapSuite(browser, serve, dir), 60_000);

  it('an officer signs in, sends the offered boat to a scripted collision, and sees its arrival recorded in the history', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await signInOnMap(page, serve.base, 'wang', PASSWORD);

      const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 120_000;
      const boat = (k: number): string => `${rmcSentence({ talker: 'BD', atMs: t0 + k * 10_000, lat: 30.03 - 0.005 * k, lon: LON, sogKn: k === 0 ? 0 : 6, cogDeg: 180 })}\r\n`;
      await pub.publish('beidou/raw/3000099', boat(0));
      await pub.publish('ais/raw/rx-e2e', ais(A, LON, 90));
      await pub.publish('ais/raw/rx-e2e', ais(B, LON + 0.03, 270));

      // The A–B alert (the boat heading for A may raise its own): found by the API, opened by its id.
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const [alert] = await until(async () => {
        const list = (await (await fetch(`${serve.base}/api/alerts?kind=collision&vesselId=${A}`, { headers: { cookie } })).json()) as AlertView[];
        const ab = list.filter((a) => a.vesselIds.includes(String(B)));
        return ab.length > 0 ? ab : undefined;
      }, 30_000, 'the A–B collision alert');
      const row = page.locator(`li.alert[data-alert-id="${alert!.id}"]`);
      await row.waitFor({ timeout: 60_000 });
      await row.locator('.alert-head').dispatchEvent('click');
      const offered = page.locator('[data-offered="bd3000099"]');
      await offered.waitFor({ timeout: 30_000 });
      await offered.locator('button.dispatch').click();
      await page.locator('[data-responder="bd3000099"]').waitFor({ timeout: 30_000 });

      for (let k = 1; k <= 7; k++) await pub.publish('beidou/raw/3000099', boat(k));
      await pub.close();
      await page.locator('[data-responder="bd3000099"] .arrived').waitFor({ timeout: 30_000 });
      await page.locator('.history .h-row', { hasText: '救援到场' }).waitFor({ timeout: 10_000 });
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTEFACTS, 'response-arrived-zh.png') });
      expect(await page.locator('[data-offered="bd3000099"]').count()).toBe(0); // sent: no longer offered

      // The same from the API the console reads: dispatched by the signed-in officer, arrived at the 5th fix.
      const file = (await (await fetch(`${serve.base}/api/alerts/${alert!.id}`, { headers: { cookie } })).json()) as AlertFileView;
      expect(file.responders).toEqual([expect.objectContaining({ vesselId: 'bd3000099', by: 'wang', arrivedAt: new Date(t0 + 50_000).toISOString() })]);
      expect(file.history.filter((h) => h.action !== 'update').map((h) => [h.action, h.actor])).toEqual([
        ['raise', 'system'],
        ['dispatch', 'wang'],
        ['arrive', 'system'],
      ]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
