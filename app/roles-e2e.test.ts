/**
 * A fleet-group leader on the command map, in real headless Chromium against the real service
 * (the demo, with sign-in): he sees his fleet and the traffic within the awareness radius (6 nm)
 * of it, and nothing else. Expected set by brute force over the officer's full picture: every
 * vessel the leader's page holds is his fleet's or within 6 nm (+0.5 nm for the seconds between
 * the two pictures) of one of its members; his located members are all there; the rest of the
 * 8,000-vessel sea is not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView, VesselView } from '../web/index.js';
import { hashPassword } from '../web/index.js';
import { buildClient, chromiumAvailable, closeMapSuite, launchChromium, signInOnMap, waitForVessels, type MapPageGlobals } from './chromium-test-support.js';
import { startServe, until, type ServeUnderTest } from './serve-test-support.js';

const PASSWORDS = { wang: 'Officer-map-1618', root: 'Admin-map-1414', li: 'Leader-map-1732' } as const;

/** Haversine, nm: the test's own distance. */
function nm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return (2 * 6_371_008.8 * Math.asin(Math.sqrt(h))) / 1852;
}

describe.skipIf(!chromiumAvailable())('needs Debian chromium: a fleet leader on the command map', () => {
  let serve: ServeUnderTest;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-roles-e2e-'));

  beforeAll(async () => {
    buildClient();
    const users = path.join(dir, 'users.csv');
    writeFileSync(users, `username,role,fleets,passwordHash\nwang,officer,,${await hashPassword(PASSWORDS.wang)}\nroot,admin,,${await hashPassword(PASSWORDS.root)}\n`);
    serve = await startServe({ USERS_FILE: users });
    await until(async () => ((await fetch(`${serve.base}/health`)).ok ? true : undefined), 90_000, 'health');
    browser = await launchChromium();
  }, 180_000);
  afterAll(() => closeMapSuite(browser, serve, dir), 60_000);

  const token = async (username: keyof typeof PASSWORDS): Promise<string> => {
    const r = await fetch(`${serve.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORDS[username], session: 'bearer' }) });
    return ((await r.json()) as { token: string }).token;
  };

  it('signed in as a fleet leader he sees his fleet and the traffic within 6 nm of it, not the rest of the sea', async () => {
    const officer = await token('wang');
    const get = async <T>(p: string): Promise<T> => (await (await fetch(`${serve.base}${p}`, { headers: { authorization: `Bearer ${officer}` } })).json()) as T;
    // A fleet at sea with most of its boats placed (the admin makes its leader's account).
    const fleet = await until(async () => {
      const fleets = await get<FleetView[]>('/api/fleets');
      return fleets.find((f) => f.located >= 8 && f.members.length - f.located <= 2);
    }, 90_000, 'a located fleet');
    const made = await fetch(`${serve.base}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('root')}` },
      body: JSON.stringify({ username: 'li', role: 'fleet_leader', fleetIds: [fleet.fleetId], password: PASSWORDS.li }),
    });
    expect(made.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await signInOnMap(page, serve.base, 'li', PASSWORDS.li);
      await waitForVessels(page, 0, 60_000);
      await page.waitForTimeout(3_000); // a few deltas
      const seen = await page.evaluate(() => [...((globalThis as unknown as MapPageGlobals).seagrid?.live.vessels.entries() ?? [])].map(([id, v]) => ({ id, lat: v.lat, lon: v.lon })));
      const all = await get<VesselView[]>('/api/vessels?limit=10000');
      const members = new Set(fleet.members);
      const placedMembers = all.filter((v) => members.has(v.vesselId));

      expect(all.length).toBeGreaterThan(5_000);
      expect(seen.length).toBeLessThan(all.length / 10);
      for (const v of placedMembers) expect(seen.map((s) => s.id)).toContain(v.vesselId);
      const byId = new Map(all.map((v) => [v.vesselId, v]));
      for (const s of seen) {
        if (members.has(s.id)) continue;
        const where = byId.get(s.id) ?? s;
        const nearest = Math.min(...placedMembers.map((m) => nm(where, m)));
        expect(nearest, `${s.id} is ${nearest.toFixed(2)} nm from fleet ${fleet.fleetId}`).toBeLessThan(6.5);
      }
      // And the console says who he is: his fleet's alerts only.
      const alertFleets = await page.evaluate(() => [...((globalThis as unknown as { seagrid?: { live: { alerts: Map<string, { fleetIds: string[] }> } } }).seagrid?.live.alerts.values() ?? [])].map((a) => a.fleetIds));
      for (const f of alertFleets) expect(f).toContain(fleet.fleetId);
      await page.screenshot({ path: path.join(process.cwd(), '.test-artefacts', 'fleet-leader-zh.png') });
    } finally {
      await page.close();
    }
  }, 240_000);
});
