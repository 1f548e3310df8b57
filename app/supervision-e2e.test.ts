/**
 * Full-chain supervision (全链监督) and what each role is offered, in real headless Chromium against
 * the real service with sign-in. The scripted collision of the rapid-response e2e (A at 30°N
 * 122.5°E, B 0.03° east, the BeiDou boat 1.8 nm north) is acknowledged and then dispatched to by the
 * officer over the API. The expected figures come from the alert's own history (seconds from its
 * `raise` to the first person's action and to the first dispatch), and the per-grid medians from
 * every listed alert's history by the test's own median; the page must show exactly the API's
 * figures. An analyst's console offers no action, and a session ended under a signed-in page sends
 * the browser to /login and back. Screenshots in .test-artefacts/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../ingest/adapters.js';
import { encodePositionA, rmcSentence, vdmSentences } from '../sim/index.js';
import { hashPassword, type AlertFileView, type AlertView, type SupervisionView } from '../web/index.js';
import { buildClient, chromiumAvailable, closeMapSuite, launchChromium, signInOnMap } from './chromium-test-support.js';
import { signInBearer, startServe, until, type ServeUnderTest } from './serve-test-support.js';

const A = 412_000_211;
const B = 412_000_212;
const LON = 122.5;
const PASSWORDS = { wang: 'Officer-sup-1123', zhao: 'Analyst-sup-5813', li: 'Leader-sup-2134' } as const;
const ARTEFACTS = path.join(process.cwd(), '.test-artefacts');

function ais(mmsi: number, lon: number, cogDeg: number): string {
  return `${vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat: 30, lon, sogKn: 10, cogDeg, headingDeg: cogDeg, second: 0 })).join('\r\n')}\r\n`;
}

/** Seconds from the raise to the first change that fits, from the history alone; null: none. */
function stepOf(file: AlertFileView, fits: (h: AlertFileView['history'][number]) => boolean): number | null {
  const raised = Date.parse(file.history.find((h) => h.action === 'raise')!.at);
  const first = file.history.find(fits);
  return first === undefined ? null : Math.max(0, (Date.parse(first.at) - raised) / 1000);
}
const PERSON = new Set(['acknowledge', 'assign', 'dispatch', 'resolve']);

function medianOf(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 === 1 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

/** The zh-CN wording of a span, written out here: 秒 under a minute, else 分 and 秒. */
function zhDuration(s: number): string {
  const r = Math.round(s);
  return r < 60 ? `${r} 秒` : `${Math.floor(r / 60)} 分 ${r % 60} 秒`;
}

describe.skipIf(!chromiumAvailable())('needs Debian chromium: the supervision page and role-shaped console', () => {
  let serve: ServeUnderTest;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-supervision-e2e-'));
  let alertId = '';

  const token = (username: keyof typeof PASSWORDS): Promise<string> => signInBearer(serve.base, username, PASSWORDS[username]);

  beforeAll(async () => {
    buildClient();
    const users = path.join(dir, 'users.csv');
    writeFileSync(users, `username,role,fleets,passwordHash\nwang,officer,,${await hashPassword(PASSWORDS.wang)}\nzhao,analyst,,${await hashPassword(PASSWORDS.zhao)}\nli,fleet_leader,F9,${await hashPassword(PASSWORDS.li)}\n`);
    // A's liaison official; the boat is fleet F9's, whose leader is li.
    const registry = path.join(dir, 'registry.csv');
    writeFileSync(registry, `name,mmsi,beidouCard,fleetId,liaison,liaisonPhone,shipType\n浙岱渔211,${A},,,陈海东,0580-3012345,30\n浙岱渔212,${B},,,,,30\n浙普渔98,,3000098,F9,,,30\n`);
    serve = await startServe({ DEMO: '0', USERS_FILE: users, REGISTRY_FILE: registry });
    await until(async () => ((await fetch(`${serve.base}/health`)).ok ? true : undefined), 60_000, 'health');
    browser = await launchChromium();

    // The scripted collision, acknowledged then dispatched to by the officer.
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await pub.publish('beidou/raw/3000098', `${rmcSentence({ talker: 'BD', atMs: t0, lat: 30.03, lon: LON, sogKn: 0, cogDeg: 180 })}\r\n`);
    await pub.publish('ais/raw/rx-sup', ais(A, LON, 90));
    await pub.publish('ais/raw/rx-sup', ais(B, LON + 0.03, 270));
    await pub.close();
    const officer = await token('wang');
    const [ab] = await until(async () => {
      const list = (await (await fetch(`${serve.base}/api/alerts?kind=collision&vesselId=${A}`, { headers: { authorization: `Bearer ${officer}` } })).json()) as AlertView[];
      const x = list.filter((a) => a.vesselIds.includes(String(B)));
      return x.length > 0 ? x : undefined;
    }, 30_000, 'the A–B collision alert');
    alertId = ab!.id;
    await new Promise((r) => setTimeout(r, 1_500)); // a step time of a second or more, not a rounding artefact
    const post = (p: string, body: unknown): Promise<Response> => fetch(`${serve.base}${p}`, { method: 'POST', headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post(`/api/alerts/${alertId}/acknowledge`, { note: '收到' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await post(`/api/alerts/${alertId}/dispatch`, { vesselIds: ['bd3000098'] })).status).toBe(200);
  }, 240_000);
  afterAll(() => closeMapSuite(browser, serve, dir), 60_000);

  it("the API's figures agree with the alerts' histories, and the page shows them (zh-CN, then English)", async () => {
    const officer = await token('wang');
    const get = async <T>(p: string): Promise<T> => (await (await fetch(`${serve.base}${p}`, { headers: { authorization: `Bearer ${officer}` } })).json()) as T;
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const sup = await until(async () => {
      const v = await get<SupervisionView>(`/api/supervision?from=${encodeURIComponent(from)}&by=grid`);
      return v.perAlert.find((a) => a.alertId === alertId)?.toDispatchS != null ? v : undefined;
    }, 20_000, 'the dispatch in the figures');
    // Each listed alert against its own history; the rows' medians by the test's own median over them.
    const expected = new Map<string, { ack: number | null; dispatch: number | null; arrival: number | null; resolve: number | null }>();
    for (const a of sup.perAlert) {
      const file = await get<AlertFileView>(`/api/alerts/${a.alertId}`);
      const e = {
        ack: stepOf(file, (h) => h.actor !== 'system' && PERSON.has(h.action)),
        dispatch: stepOf(file, (h) => h.action === 'dispatch'),
        arrival: stepOf(file, (h) => h.action === 'arrive'),
        resolve: stepOf(file, (h) => h.action === 'resolve'),
      };
      expected.set(a.alertId, e);
      expect({ id: a.alertId, ack: a.toAcknowledgeS, dispatch: a.toDispatchS, arrival: a.toArrivalS, resolve: a.toResolveS }).toEqual({ id: a.alertId, ...e });
    }
    const ours = expected.get(alertId)!;
    expect(ours.ack).toBeGreaterThanOrEqual(1);
    expect(ours.dispatch!).toBeGreaterThan(ours.ack!);
    expect(sup.rows.length).toBeGreaterThan(0);
    for (const row of sup.rows) {
      const inRow = sup.perAlert.filter((a) => a.gridIds.includes(row.id)).map((a) => expected.get(a.alertId)!);
      const m = (k: 'ack' | 'dispatch' | 'arrival' | 'resolve'): number | null => medianOf(inRow.flatMap((e) => (e[k] === null ? [] : [e[k]])));
      expect({ id: row.id, n: row.alerts, ack: row.medianToAcknowledgeS, dispatch: row.medianToDispatchS }).toEqual({ id: row.id, n: inRow.length, ack: m('ack'), dispatch: m('dispatch') });
    }

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await signInOnMap(page, serve.base, 'wang', PASSWORDS.wang);
      await page.locator('button.open-supervision').click();
      const row = page.locator(`[data-sup-alert="${alertId}"]`);
      await row.waitFor({ timeout: 30_000 });
      const cell = async (step: string): Promise<{ s: string | null; text: string }> => {
        const c = row.locator(`td[data-step="${step}"]`);
        return { s: await c.getAttribute('data-seconds'), text: (await c.textContent()) ?? '' };
      };
      expect(await cell('ack')).toEqual({ s: String(ours.ack), text: zhDuration(ours.ack!) });
      expect(await cell('dispatch')).toEqual({ s: String(ours.dispatch), text: zhDuration(ours.dispatch!) });
      expect(await cell('resolve')).toEqual({ s: '', text: '—' });
      for (const r of sup.rows) {
        const c = page.locator(`[data-sup-row="${r.id}"] td[data-step="ack"]`);
        expect({ id: r.id, s: await c.getAttribute('data-seconds') }).toEqual({ id: r.id, s: r.medianToAcknowledgeS === null ? '' : String(r.medianToAcknowledgeS) });
      }
      expect(await page.locator('.supervision-page').textContent()).toContain('北京时间');
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTEFACTS, 'supervision-zh.png') });
      await page.locator('button.lang').click();
      await page.locator('.supervision-page', { hasText: 'Beijing time' }).waitFor({ timeout: 10_000 });
      expect((await cell('dispatch')).text).toBe(zhDuration(ours.dispatch!).replace(' 分 ', ' min ').replace(' 秒', ' s'));
      await page.screenshot({ path: path.join(ARTEFACTS, 'supervision-en.png') });
    } finally {
      await page.close();
    }
  }, 180_000);

  it('an analyst is offered no action on an alert (the officer is); a session ended under his page sends him to /login and back', async () => {
    const open = async (page: Page): Promise<void> => {
      const row = page.locator(`li.alert[data-alert-id="${alertId}"]`);
      await row.waitFor({ timeout: 60_000 });
      await row.locator('.alert-head').dispatchEvent('click');
      await page.locator('.history .h-row', { hasText: '派遣救援' }).waitFor({ timeout: 30_000 });
    };
    const buttons = 'button.ack, button.assign, button.resolve, button.dispatch, input.note';
    const officerPage = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    try {
      await signInOnMap(officerPage, serve.base, 'wang', PASSWORDS.wang);
      await open(officerPage);
      await officerPage.locator('.offered').waitFor({ timeout: 30_000 });
      expect(await officerPage.locator('button.resolve').count()).toBe(1);
      // The liaison official of A (定人联船) with the alert on his vessel.
      await officerPage.locator(`[data-liaison-of="${A}"]`, { hasText: '陈海东' }).waitFor({ timeout: 10_000 });

      await signInOnMap(page, serve.base, 'zhao', PASSWORDS.zhao);
      await open(page);
      await page.locator('[data-responder="bd3000098"]').waitFor({ timeout: 10_000 }); // who was sent: shown
      expect(await page.locator(buttons).count()).toBe(0);
      expect(await page.locator('.offered').count()).toBe(0);
      expect(await page.locator('button.open-supervision').count()).toBe(1);
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTEFACTS, 'analyst-alert-zh.png') });

      // His session ends on the server (as at its expiry): the console's next request is a 401.
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      expect((await fetch(`${serve.base}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/', { timeout: 30_000 });
      await page.fill('#username', 'zhao');
      await page.fill('#password', PASSWORDS.zhao);
      await page.click('#submit');
      await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
      await page.locator(`li.alert[data-alert-id="${alertId}"]`).waitFor({ timeout: 60_000 });
    } finally {
      await officerPage.close();
      await context.close();
    }
  }, 180_000);

  it("fleet F9's leader sees the other alert his boat was sent to, as his vessel dispatched, with no action offered", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await signInOnMap(page, serve.base, 'li', PASSWORDS.li);
      const row = page.locator(`li.alert[data-alert-id="${alertId}"]`);
      await row.waitFor({ timeout: 60_000 });
      await row.locator('.own-dispatch', { hasText: '本编组船 浙普渔98 已派往此警情' }).waitFor({ timeout: 10_000 });
      await row.locator('.alert-head').dispatchEvent('click');
      await page.locator('.history .h-row', { hasText: '派遣救援' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('button.ack, button.assign, button.resolve, button.dispatch, input.note').count()).toBe(0);
      expect(await page.locator('.offered').count()).toBe(0);
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTEFACTS, 'leader-dispatched-zh.png') });
    } finally {
      await page.close();
    }
  }, 180_000);
});
