/**
 * A dispatch reaches the leader of the responder's fleet, and an alert its liaison official, on
 * the real service (REGISTRY_FILE, USERS_FILE) behind a real Debian Mosquitto (issue 14 §4):
 * the leader's /ws gets the dispatch change of an alert that is not his fleet's, his device on
 * `dispatch/v1/{fleetId}/#` gets the order naming his vessel, and no other fleet's topic gets one;
 * the liaison official of A gets the alerts on A and nothing else. The scene is the rapid-response
 * e2e's: A at 30°N 122.5°E and B 0.03° east on a collision course; C and D the same 0.3° north
 * (18 nm, another pair); the BeiDou boat 3000099 (fleet F9) 1.8 nm north of A.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher, MqttSource, type RawFrame } from '../ingest/adapters.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import { postgresAvailable } from '../store/pg-test-support.js';
import { encodePositionA, rmcSentence, vdmSentences } from '../sim/index.js';
import { hashPassword, type AlertView, type VesselView, type WsServerMessage } from '../web/index.js';
import { connectWs } from '../web/ws-test-support.js';
import { signInBearer, startServe, until, type ServeUnderTest } from './serve-test-support.js';

const [A, B, C, D] = [412_000_201, 412_000_202, 412_000_301, 412_000_302];
const LON = 122.5;
const PASSWORDS = { wang: 'Officer-out-3141', li: 'Leader-out-2718', chen: 'Liaison-out-1618' } as const;

function ais(mmsi: number, lat: number, lon: number, cogDeg: number): string {
  return `${vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat, lon, sogKn: 10, cogDeg, headingDeg: cogDeg, second: 0 })).join('\r\n')}\r\n`;
}

describe.skipIf(!mosquittoAvailable() || !postgresAvailable())('needs Debian mosquitto and postgresql: dispatch to the responder fleet leader, alerts to the liaison official', () => {
  let broker: Mosquitto;
  let serve: ServeUnderTest;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-dispatch-out-'));

  beforeAll(async () => {
    broker = await startMosquitto();
    const registry = path.join(dir, 'registry.csv');
    writeFileSync(
      registry,
      [
        'name,mmsi,beidouCard,fleetId,liaison,liaisonUser,shipType',
        `浙岱渔201,${A},,,陈海东,chen,30`,
        `浙岱渔202,${B},,,,,30`,
        `浙岱渔301,${C},,,,,30`,
        `浙岱渔302,${D},,,,,30`,
        '浙普渔99,,3000099,F9,,,30',
      ].join('\n'),
    );
    const users = path.join(dir, 'users.csv');
    writeFileSync(users, `username,role,fleets,passwordHash\nwang,officer,,${await hashPassword(PASSWORDS.wang)}\nli,fleet_leader,F9,${await hashPassword(PASSWORDS.li)}\nchen,liaison,,${await hashPassword(PASSWORDS.chen)}\n`);
    serve = await startServe({ MQTT_URL: broker.url, DEMO: '0', REGISTRY_FILE: registry, USERS_FILE: users, ALERTS_TOPIC_PREFIX: 'zs/' });
    await until(async () => ((await fetch(`${serve.base}/health`)).ok ? true : undefined), 60_000, 'health');
  }, 180_000);
  afterAll(async () => {
    await serve?.stop();
    serve?.dispose();
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const token = (username: keyof typeof PASSWORDS): Promise<string> => signInBearer(serve.base, username, PASSWORDS[username]);

  it('the officer sends fleet F9’s boat to the A–B collision: its leader gets it over /ws and on dispatch/v1/F9; the liaison of A gets the alerts on A only', async () => {
    const [officer, leader, liaison] = [await token('wang'), await token('li'), await token('chen')];
    const get = async <T>(who: string, p: string): Promise<T> => (await (await fetch(`${serve.base}${p}`, { headers: { authorization: `Bearer ${who}` } })).json()) as T;
    const orders: RawFrame[] = [];
    const device = new MqttSource({ url: broker.url, clientId: 'leader-device-f9', topics: ['zs/dispatch/v1/#'], qos: 1, onFrame: (f) => orders.push(f) });
    await device.start();
    const port = Number(new URL(serve.base).port);
    const leaderWs = await connectWs(port, { authorization: `Bearer ${leader}` });
    const liaisonWs = await connectWs(port, { authorization: `Bearer ${liaison}` });
    try {
      const pub = await MqttPublisher.connect(broker.url);
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      await pub.publish('beidou/raw/3000099', `${rmcSentence({ talker: 'BD', atMs: t0, lat: 30.03, lon: LON, sogKn: 0, cogDeg: 180 })}\r\n`);
      await pub.publish('ais/raw/rx-out', ais(A, 30, LON, 90));
      await pub.publish('ais/raw/rx-out', ais(B, 30, LON + 0.03, 270));
      await pub.publish('ais/raw/rx-out', ais(C, 30.3, LON, 90));
      await pub.publish('ais/raw/rx-out', ais(D, 30.3, LON + 0.03, 270));
      await pub.close();
      const pair = (list: AlertView[], x: number, y: number): AlertView | undefined => list.find((a) => a.kind === 'collision' && a.vesselIds.includes(String(x)) && a.vesselIds.includes(String(y)));
      const [ab, cd] = await until(async () => {
        const all = await get<AlertView[]>(officer, '/api/alerts');
        const [p, q] = [pair(all, A, B), pair(all, C, D)];
        return p !== undefined && q !== undefined ? [p, q] : undefined;
      }, 30_000, 'the A–B and C–D collision alerts');

      // The liaison official of A: every alert he gets is on A, the A–B one among them; C–D is not his.
      const his = await get<AlertView[]>(liaison, '/api/alerts');
      expect(his.map((a) => a.id)).toContain(ab!.id);
      for (const a of his) expect(a.vesselIds).toContain(String(A));
      expect((await fetch(`${serve.base}/api/alerts/${cd!.id}`, { headers: { authorization: `Bearer ${liaison}` } })).status).toBe(404);
      expect((await get<VesselView[]>(liaison, '/api/vessels')).map((v) => v.vesselId)).toEqual([String(A)]);
      const file = await get<{ liaison: string | null }>(liaison, `/api/vessels/${A}`);
      expect(file.liaison).toBe('陈海东');
      const seen = new Set<string>();
      await until(async () => {
        for (const m of liaisonWs.messages) for (const a of m.type === 'snapshot' ? m.alerts : m.type === 'delta' ? m.alerts.map((c) => c.alert) : []) seen.add(a.id);
        return seen.has(ab!.id) ? true : undefined;
      }, 15_000, 'the A–B alert on the liaison official’s /ws');
      expect(seen.has(cd!.id)).toBe(false);

      // Not F9's alert: the leader does not see it before the dispatch.
      expect((await get<AlertView[]>(leader, '/api/alerts')).map((a) => a.id)).not.toContain(ab!.id);
      const sent = await fetch(`${serve.base}/api/alerts/${ab!.id}/dispatch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ vesselIds: ['bd3000099'], note: '就近救援' }),
      });
      expect(sent.status).toBe(200);

      const d = await leaderWs.next((m: WsServerMessage) => m.type === 'delta' && m.alerts.some((c) => c.alertId === ab!.id && c.action === 'dispatch'), 15_000);
      const change = (d as Extract<WsServerMessage, { type: 'delta' }>).alerts.find((c) => c.alertId === ab!.id)!;
      expect({ actor: change.actor, responders: change.alert.responders.map((r) => r.vesselId) }).toEqual({ actor: 'wang', responders: ['bd3000099'] });
      expect((await get<AlertView[]>(leader, '/api/alerts')).map((a) => a.id)).toContain(ab!.id);
      expect((await fetch(`${serve.base}/api/alerts/${ab!.id}/resolve`, { method: 'POST', headers: { authorization: `Bearer ${leader}` } })).status).toBe(403);

      await until(async () => (orders.length > 0 ? true : undefined), 15_000, 'the dispatch order on MQTT');
      await new Promise((r) => setTimeout(r, 500)); // anything else would have come by now
      expect(orders.map((f) => f.topic)).toEqual([`zs/dispatch/v1/F9/${ab!.id}`]);
      expect(JSON.parse(orders[0]!.payload.toString())).toMatchObject({ alertId: ab!.id, by: 'wang', note: '就近救援', fleetId: 'F9', vesselIds: ['bd3000099'], alert: { id: ab!.id } });
    } finally {
      await leaderWs.close();
      await liaisonWs.close();
      await device.stop();
    }
  }, 120_000);
});
