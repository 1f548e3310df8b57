/**
 * Reports (统计报表) in real headless Chromium against the real service: two vessels of fleet F1
 * steam due east along 30.0° and 30.2° N at 0.005° of longitude a minute, one AIS fix a minute
 * (tag-block times) for 31 minutes. The expected figures are worked from that geometry here: each
 * vessel 31 minute points (31 min at sea) and 30 steps of 0.005° along its parallel. The page must
 * show the API's figures, and the CSV link must give the same; screenshots in zh-CN and English
 * in .test-artefacts/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../ingest/adapters.js';
import { encodePositionA, tagBlock, vdmSentences } from '../sim/index.js';
import { hashPassword, type ReportView } from '../web/index.js';
import { buildClient, chromiumAvailable, closeMapSuite, launchChromium, signInOnMap } from './chromium-test-support.js';
import { signInBearer, startServe, until, type ServeUnderTest } from './serve-test-support.js';

const VESSELS = [
  { mmsi: 412_000_301, lat: 30.0 },
  { mmsi: 412_000_302, lat: 30.2 },
];
const STEP_DEG = 0.005;
const POINTS = 31;
const PASSWORD = 'Officer-rep-4471';
const ARTEFACTS = path.join(process.cwd(), '.test-artefacts');
/** The sphere the service measures on (6,371,008.8 m), one degree of a great circle in nm. */
const NM_PER_DEG = (2 * Math.PI * 6_371_008.8) / 360 / 1852;

const beijingDay = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe.skipIf(!chromiumAvailable())('needs Debian chromium: the reports page', () => {
  let serve: ServeUnderTest;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-report-e2e-'));
  let day = '';

  beforeAll(async () => {
    buildClient();
    const users = path.join(dir, 'users.csv');
    writeFileSync(users, `username,role,fleets,passwordHash\nwang,officer,,${await hashPassword(PASSWORD)}\n`);
    const registry = path.join(dir, 'registry.csv');
    writeFileSync(registry, `name,mmsi,beidouCard,fleetId,shipType\n浙岱渔301,${VESSELS[0]!.mmsi},,F1,30\n浙岱渔302,${VESSELS[1]!.mmsi},,F1,30\n`);
    serve = await startServe({ DEMO: '0', USERS_FILE: users, REGISTRY_FILE: registry });
    await until(async () => ((await fetch(`${serve.base}/health`)).ok ? true : undefined), 60_000, 'health');
    browser = await launchChromium();
    // Fixes at :30 of each minute, the last four minutes ago (a day under way takes a minute once it is 2 min old), all in one Beijing day.
    let t0 = Math.floor((Date.now() - (POINTS + 3) * 60_000) / 60_000) * 60_000 + 30_000;
    if (beijingDay(t0) !== beijingDay(t0 + POINTS * 60_000)) t0 -= 40 * 60_000; // never across midnight: then all the day before
    day = beijingDay(t0);
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    for (let i = 0; i < POINTS; i++) {
      const timeS = (t0 + i * 60_000) / 1000;
      const lines = VESSELS.flatMap((v) => vdmSentences(encodePositionA({ mmsi: v.mmsi, navStatus: 0, lat: v.lat, lon: 122.3 + i * STEP_DEG, sogKn: 15.6, cogDeg: 90, headingDeg: 90, second: 30 })).map((s) => `${tagBlock({ source: 'rx-rep', timeS })}${s}`));
      await pub.publish('ais/raw/rx-rep', `${lines.join('\r\n')}\r\n`);
    }
    await pub.close();
  }, 240_000);
  afterAll(() => closeMapSuite(browser, serve, dir), 60_000);

  it('the figures follow from the tracks; the page and its CSV show the API’s (zh-CN, then English)', async () => {
    const token = await signInBearer(serve.base, 'wang', PASSWORD);
    const get = async (p: string): Promise<Response> => fetch(`${serve.base}${p}`, { headers: { authorization: `Bearer ${token}` } });
    // Every fix stored first (the service keeps today's report for a minute once made).
    await until(async () => {
      const n = await Promise.all(VESSELS.map(async (v) => ((await (await get(`/api/vessels/${v.mmsi}/track?from=${day}T00:00:00%2B08:00`)).json()) as unknown[]).length));
      return n.every((k) => k === POINTS) ? true : undefined;
    }, 30_000, 'both tracks stored');
    const report = (await (await get(`/api/reports?day=${day}&by=fleet`)).json()) as ReportView;
    const f1 = report.rows.find((r) => r.id === 'F1')!;
    const distance = VESSELS.reduce((s, v) => s + (POINTS - 1) * STEP_DEG * Math.cos((v.lat * Math.PI) / 180) * NM_PER_DEG, 0);
    expect(f1.vessels).toBe(2);
    expect(f1.hoursAtSea).toBeCloseTo((2 * POINTS) / 60, 9);
    expect(f1.distanceNm).toBeCloseTo(distance, 3);
    expect(f1.moratoriumHours).toBe(0);
    expect(report.dayStates).toEqual([{ day, complete: day !== beijingDay(Date.now()), stored: false }]);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await signInOnMap(page, serve.base, 'wang', PASSWORD);
      await page.locator('button.open-reports').click();
      await page.locator('.reports-page select[aria-label="by"]').selectOption('fleet');
      const row = page.locator(`[data-rep-row="${day}|F1"]`);
      await row.waitFor({ timeout: 20_000 });
      const value = async (m: string): Promise<number> => Number(await row.locator(`td[data-metric="${m}"]`).getAttribute('data-value'));
      expect([await value('vessels'), await value('hoursAtSea'), await value('distanceNm')]).toEqual([f1.vessels, f1.hoursAtSea, f1.distanceNm]);
      expect(Number(await page.locator('[data-chart="bars"] [data-bar="F1"]').getAttribute('data-value'))).toBeCloseTo(f1.hoursAtSea, 9);
      expect(await page.locator('.reports-page').textContent()).toContain('海上时长');
      // The download link gives the same row as CSV.
      const href = (await page.locator('a.rep-csv').getAttribute('href'))!;
      const csv = await page.request.get(new URL(href, serve.base).toString());
      expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
      const line = (await csv.text()).split('\r\n').find((l) => l.startsWith(`${day},F1,`))!;
      expect(line.split(',').slice(2, 5).map(Number)).toEqual([2, Number(f1.hoursAtSea.toFixed(3)), Number(f1.distanceNm.toFixed(3))]);
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTEFACTS, 'reports-zh.png') });
      await page.locator('button.lang').click();
      await page.locator('.reports-page', { hasText: 'Hours at sea' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(ARTEFACTS, 'reports-en.png') });
    } finally {
      await page.close();
    }
  }, 60_000);
});
