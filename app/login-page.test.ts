/**
 * The zh-CN sign-in page in a real browser: the map sends an unsigned browser there, a wrong
 * password is said in Chinese, the right one sets an HttpOnly cookie (no script reads it) and goes
 * back to where the browser was sent from, whose requests then carry the session.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { Auth, hashPassword, startWebServer, type WebServer } from '../web/index.js';
import { chromiumAvailable, launchChromium } from './chromium-test-support.js';

describe.skipIf(!chromiumAvailable() || !postgresAvailable())('needs Debian chromium and postgresql: the sign-in page', () => {
  let pg: Postgres;
  let store: Store;
  let auth: Auth;
  let web: WebServer;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-login-'));

  beforeAll(async () => {
    pg = await startPostgres();
    store = await openStore({ databaseUrl: pg.url, dataDir: dir });
    await store.putUser({ username: 'li', role: 'fleet_leader', fleetIds: ['F1'], passwordHash: await hashPassword('Leader-page-3141'), displayName: null, source: 'store' });
    auth = await Auth.open({ store, nowMs: Date.now, onError: () => undefined });
    const clientDir = path.join(dir, 'client');
    mkdirSync(clientDir);
    // A stand-in for the map: who it is signed in as, from the API (the cookie goes with fetch).
    writeFileSync(
      path.join(clientDir, 'index.html'),
      `<!doctype html><title>map</title><p id="who">?</p><script>fetch('/api/auth/me').then(r => r.json()).then(m => { document.getElementById('who').textContent = m.username + ' ' + m.role + ' ' + m.fleetIds.join(','); });</script>`,
    );
    web = await startWebServer('127.0.0.1', 0, { auth, clientDir, health: () => ({ status: 'ok' }) as never, metrics: () => '', vessels: () => ({ vessels: [], next: undefined }), vessel: () => undefined, track: async () => undefined });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    auth?.close();
    await store?.close();
    await pg?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('unsigned → /login; a wrong password says so in Chinese; the right one returns to the map signed in, the cookie out of scripts’ reach', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${web.port}/index.html`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.fill('#username', 'li');
      await page.fill('#password', 'not-the-password');
      await page.click('#submit');
      await page.waitForSelector('#error:not(:empty)');
      expect(await page.textContent('#error')).toBe('用户名或密码错误');
      await page.fill('#password', 'Leader-page-3141');
      await page.click('#submit');
      await page.waitForURL(/\/index\.html$/);
      await page.waitForFunction("document.getElementById('who').textContent !== '?'");
      expect(await page.textContent('#who')).toBe('li fleet_leader F1');
      expect(await page.evaluate('document.cookie')).toBe('');
      const [c] = await page.context().cookies();
      expect({ name: c?.name, httpOnly: c?.httpOnly, sameSite: c?.sameSite }).toEqual({ name: 'seagrid_session', httpOnly: true, sameSite: 'Strict' });
    } finally {
      await page.close();
    }
  }, 60_000);
});
