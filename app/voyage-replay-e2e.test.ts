/**
 * Voyage replay in real headless Chromium against the real service with sign-in (issue 15 Done-when):
 * the simulator's scenario (seed 7, the one of fixtures/scenarios) is fed over MQTT at 30× for the
 * 16 minutes of its scripted collision, then an analyst signs in on the zh-CN page, switches the map
 * to replay, names the two ships and the window, and loads it. Checked against the service's alert
 * and the simulator's ground truth, never against the replay code: the alert's mark sits on the
 * timeline at its raise time (± the slider's step, read from its place on screen), its mark is on
 * the map from that moment and not before, and at the simulator's time of closest approach the two
 * replayed ships are where the simulator had them and as close as its CPA, at the meeting point the
 * alert predicted. Screenshots (zh-CN, English) in .test-artefacts/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceNm } from '../geo/index.js';
import { MqttPublisher } from '../ingest/adapters.js';
import { createScenario, FleetSimulator, type MqttOut } from '../sim/index.js';
import type { AlertView } from '../web/index.js';
import { hashPassword } from '../web/index.js';
import { buildClient, chromiumAvailable, closeMapSuite, launchChromium, signInOnMap } from './chromium-test-support.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

const PASSWORD = 'Analyst-replay-1414';
const ARTEFACTS = path.join(process.cwd(), '.test-artefacts');
const MIN = 60_000;
/** Feed seconds per wall second while publishing. */
const FEED_SPEED = 30;

interface ReplayState {
  tMs: number;
  fromMs: number;
  toMs: number;
  stepMs: number;
  playing: boolean;
  ships: { id: string; lat: number; lon: number }[];
  marks: { alertId: string; state: string; lat: number; lon: number }[];
}
const state = (page: Page): Promise<ReplayState | null> =>
  page.evaluate(() => (globalThis as unknown as { seagridReplay?: { state(): ReplayState | null } }).seagridReplay?.state() ?? null);
const seek = (page: Page, ms: number): Promise<void> => page.evaluate((t) => (globalThis as unknown as { seagridReplay: { seek(t: number): void } }).seagridReplay.seek(t), ms);
/** A datetime-local value in Beijing time. */
const beijing = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);

describe.skipIf(!chromiumAvailable())('needs Debian chromium: voyage replay of the scripted collision', () => {
  let serve: ServeUnderTest;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-replay-e2e-'));
  const scenario = createScenario({ seed: 7, vessels: 40, fleets: 5, merchants: 6 });
  const sim = new FleetSimulator(scenario, {});
  // The scenario ends 18 min ago: all of it is stored history by the time it is replayed.
  const startMs = Math.floor(Date.now() / 1000) * 1000 - 34 * MIN;
  const endMs = startMs + 16 * MIN;
  const batches: MqttOut[] = sim.start(startMs);
  for (let t = startMs + 1000; t <= endMs; t += 1000) batches.push(...sim.advance(t));
  batches.push(...sim.flush());
  const collision = sim.incidents().find((i) => i.kind === 'collision-course')!;
  const [A, B] = collision.vesselIds;
  const cpaAtMs = collision.details['cpaAtMs'] as number;
  const cpaNm = collision.details['cpaNm'] as number;

  /** Where the simulator had a vessel at sim time `atMs` (its tracks run in scenario time). */
  function truth(id: string, atMs: number): { lat: number; lon: number } {
    const motion = scenario.createMotion();
    const v = scenario.vessels.find((x) => x.vesselId === id)!;
    const kin = { lat: 0, lon: 0, sogKn: 0, cogDeg: 0 } as unknown as Parameters<ReturnType<typeof motion.trackOf>['evaluate']>[2];
    motion.trackOf(v.index).evaluate(atMs - (startMs - scenario.startMs), 0, kin);
    return { lat: kin.lat, lon: kin.lon };
  }

  beforeAll(async () => {
    buildClient();
    const users = path.join(dir, 'users.csv');
    writeFileSync(users, `username,role,fleets,passwordHash\nzhao,analyst,,${await hashPassword(PASSWORD)}\n`);
    serve = await startServe({ DEMO: '0', USERS_FILE: users });
    await until(async () => ((await fetch(`${serve.base}/health`)).ok ? true : undefined), 60_000, 'health');
    // The feed at FEED_SPEED×: each second's reports, then the wall time that second takes.
    const pub = await MqttPublisher.connect(`mqtt://127.0.0.1:${serve.mqttPort}`);
    const wall0 = Date.now();
    for (const b of batches) {
      const due = wall0 + (b.atMs - startMs) / FEED_SPEED;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      await pub.publish(b.topic, b.payload);
    }
    await pub.close();
    browser = await launchChromium();
  }, 240_000);
  afterAll(() => closeMapSuite(browser, serve, dir), 60_000);

  it('an analyst replays the collision: the alert on the timeline and the map when it fired, the tracks meeting where the CPA said', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await signInOnMap(page, serve.base, 'zhao', PASSWORD);
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      // The service's A–B alert, once its fixes and the alert are stored.
      const alert = await until(async () => {
        const list = (await (await fetch(`${serve.base}/api/alerts?state=all&kind=collision&vesselId=${A}`, { headers: { cookie } })).json()) as AlertView[];
        return list.find((a) => a.vesselIds.includes(B!));
      }, 60_000, 'the A–B collision alert');
      const raisedMs = Date.parse(alert.raisedAt);

      await page.click('button.mode');
      await page.locator('.replay-panel').waitFor({ timeout: 10_000 });
      await page.fill('.rp-value', `${A},${B}`);
      await page.fill('.rp-from', beijing(startMs));
      await page.fill('.rp-to', beijing(endMs));
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.click('.rp-load');
      await page.locator('.rp-summary, .replay-panel .error').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.replay-panel .error').count(), await page.locator('.replay-panel').innerText()).toBe(0);
      expect(await page.locator('.rp-summary').getAttribute('data-vessels')).toBe('2');
      expect(pageErrors).toEqual([]);
      const s0 = (await state(page))!;
      expect([s0.fromMs, s0.toMs]).toEqual([startMs, endMs]);
      const step = s0.stepMs;

      // On the timeline: the raise's mark, at its time by its data and by where it is drawn.
      const mark = page.locator(`.tl-mark.tl-alert[data-alert-id="${alert.id}"]`);
      expect(Math.abs(Number(await mark.getAttribute('data-at')) - raisedMs)).toBeLessThanOrEqual(step);
      const line = (await page.locator('.tl-marks').boundingBox())!;
      const box = (await mark.boundingBox())!;
      const drawnMs = startMs + ((box.x + box.width / 2 - line.x) / line.width) * (endMs - startMs);
      const msPerPx = (endMs - startMs) / line.width;
      expect(Math.abs(drawnMs - raisedMs)).toBeLessThanOrEqual(step + 2 * msPerPx);

      // On the map: not a step before it fired, there from the moment it fired.
      await seek(page, raisedMs - step);
      expect((await state(page))!.marks.map((m) => m.alertId)).not.toContain(alert.id);
      await seek(page, raisedMs);
      expect((await state(page))!.marks.map((m) => m.alertId)).toContain(alert.id);

      // At the simulator's closest approach: each ship where the simulator had it, the two as close as its CPA, at the predicted meeting point.
      await seek(page, cpaAtMs);
      const at = (await state(page))!;
      const ship = (id: string) => at.ships.find((v) => v.id === id)!;
      for (const id of [A!, B!]) expect(distanceNm(ship(id).lat, ship(id).lon, truth(id, cpaAtMs).lat, truth(id, cpaAtMs).lon)).toBeLessThan(0.02);
      const apart = distanceNm(ship(A!).lat, ship(A!).lon, ship(B!).lat, ship(B!).lon);
      expect(Math.abs(apart - cpaNm)).toBeLessThan(0.03);
      const meet = alert.details['meetingPoint'] as { lat: number; lon: number };
      const mid = { lat: (ship(A!).lat + ship(B!).lat) / 2, lon: (ship(A!).lon + ship(B!).lon) / 2 };
      const offMeet = distanceNm(mid.lat, mid.lon, meet.lat, meet.lon);
      expect(offMeet).toBeLessThan(0.1);
      // eslint-disable-next-line no-console
      console.log(`replay e2e: raised ${alert.raisedAt} (step ${step} ms); at CPA ${new Date(cpaAtMs).toISOString()} ships ${apart.toFixed(4)} nm apart (sim CPA ${cpaNm} nm), ${offMeet.toFixed(3)} nm from the predicted meeting point`);

      await page.waitForTimeout(1500);
      mkdirSync(ARTEFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTEFACTS, 'replay-collision-zh.png') });
      await page.click('button.lang');
      await page.locator('.replay-panel .h-title', { hasText: 'Voyage replay' }).first().waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(ARTEFACTS, 'replay-collision-en.png') });

      // Play: the clock runs (at 60× by default) and the button says pause.
      await seek(page, startMs);
      await page.click('.rb-play');
      await page.waitForFunction((t0) => ((globalThis as unknown as { seagridReplay: { state(): { tMs: number } } }).seagridReplay.state().tMs ?? 0) > t0 + 10_000, startMs, { timeout: 30_000 });
      expect((await state(page))!.playing).toBe(true);
    } finally {
      await page.close();
    }
  }, 300_000);
});
