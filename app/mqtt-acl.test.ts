/**
 * The generated acl_file on a real Debian Mosquitto (2.0) with a password_file made by
 * `mosquitto_passwd`: alerts and dispatch orders published by the service's account through
 * AlertsOut; a fleet leader's client subscribed to everything receives only his fleets' topics,
 * an officer every one, a liaison official and an anonymous client none. The expected topics are
 * written out by hand from docs/CONTRACTS.md.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher, MqttSource, type RawFrame } from '../ingest/adapters.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import type { Alert, AlertChange, AlertId, FleetId, UserRecord, VesselId } from '../model/index.js';
import { AlertsOut } from './alerts-out.js';
import { mosquittoAcl } from './mqtt-acl.js';

const PASSWD = '/usr/bin/mosquitto_passwd';
const passwdAvailable = (): boolean => {
  try {
    accessSync(PASSWD, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const user = (username: string, role: UserRecord['role'], fleetIds: string[] = []): UserRecord => ({ username, role, fleetIds, passwordHash: HASH, displayName: null, source: 'store' });
const USERS = [user('wang', 'officer'), user('li', 'fleet_leader', ['PT-1', 'F/2']), user('zhou', 'fleet_leader', ['PT-3']), user('chen', 'liaison'), user('zhao', 'analyst')];
const PW = 'broker-pass-1';

const T0 = Date.UTC(2026, 11, 3, 8);
function change(id: string, fleetIds: string[], action: 'raise' | 'dispatch' = 'raise', responders: string[] = []): AlertChange {
  const alert: Alert = {
    id: id as AlertId,
    kind: 'collision',
    severity: 'danger',
    state: action === 'raise' ? 'raised' : 'acknowledged',
    vesselIds: ['412000001', '412000002'] as VesselId[],
    ...(fleetIds.length === 0 ? {} : { fleetId: fleetIds[0] as FleetId, fleetIds: fleetIds as FleetId[] }),
    raisedAtMs: T0,
    updatedAtMs: T0 + 1,
    details: {},
    seq: action === 'raise' ? 1 : 2,
    ...(responders.length === 0 ? {} : { responders: responders.map((v) => ({ vesselId: v as VesselId, dispatchedAtMs: T0 + 1, by: 'wang' })) }),
  };
  return { alertId: alert.id, seq: alert.seq!, action, atMs: action === 'raise' ? T0 : T0 + 1, actor: action === 'raise' ? 'system' : 'wang', alert };
}

describe.skipIf(!mosquittoAvailable() || !passwdAvailable())('needs Debian mosquitto: the generated acl_file per fleet leader', () => {
  let broker: Mosquitto;
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-acl-'));

  beforeAll(async () => {
    const acl = mosquittoAcl(USERS, { alertsPrefix: 'zs/', feedPrefix: '', service: 'seagrid' });
    expect(acl.skipped).toEqual([]);
    writeFileSync(path.join(dir, 'acl'), acl.text);
    const passwd = path.join(dir, 'passwd');
    execFileSync(PASSWD, ['-c', '-b', passwd, 'seagrid', PW]);
    for (const u of USERS) execFileSync(PASSWD, ['-b', passwd, u.username, PW]);
    broker = await startMosquitto({ extraConfig: [`password_file ${passwd}`, `acl_file ${path.join(dir, 'acl')}`] });
  }, 60_000);
  afterAll(async () => {
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = (who: string | null): string => (who === null ? broker.url : broker.url.replace('mqtt://', `mqtt://${who}:${PW}@`));

  it("each person's client, subscribed to every alert and order, receives what the acl_file grants him and nothing else", async () => {
    const got = new Map<string, RawFrame[]>();
    const subs: MqttSource[] = [];
    for (const who of ['wang', 'li', 'zhou', 'chen', 'zhao', null]) {
      const frames: RawFrame[] = [];
      got.set(who ?? 'anonymous', frames);
      const s = new MqttSource({ url: url(who), clientId: `acl-${who ?? 'anon'}`, topics: ['zs/alerts/v1/#', 'zs/dispatch/v1/#'], qos: 1, onFrame: (f) => frames.push(f) });
      await s.start();
      subs.push(s);
    }
    const pub = await MqttPublisher.connect(url('seagrid'));
    try {
      const fleets: Record<string, string> = { V1: 'PT-1', V3: 'PT-3' };
      const out = new AlertsOut('zs/', (e) => {
        throw e;
      }, pub, 1_000, (v) => fleets[v]);
      out.publish(change('a1', ['PT-1']));
      out.publish(change('a2', ['F/2', 'PT-3']));
      out.publish(change('a3', []));
      // PT-3's boat sent to a1: the order goes to PT-3's topic, not to PT-1's.
      out.publish(change('a1', ['PT-1'], 'dispatch', ['V3']));
      await pub.flush();
      await new Promise((r) => setTimeout(r, 700));
      expect(out.counters.failed).toBe(0);
    } finally {
      await pub.close();
      for (const s of subs) await s.stop();
    }
    const topics = (who: string): string[] => [...new Set(got.get(who)!.map((f) => f.topic))].sort();
    const all = ['zs/alerts/v1/F%2F2/collision/a2', 'zs/alerts/v1/PT-1/collision/a1', 'zs/alerts/v1/PT-3/collision/a2', 'zs/alerts/v1/none/collision/a3', 'zs/dispatch/v1/PT-3/a1'];
    expect(topics('wang')).toEqual(all);
    expect(topics('zhao')).toEqual(all);
    expect(topics('li')).toEqual(['zs/alerts/v1/F%2F2/collision/a2', 'zs/alerts/v1/PT-1/collision/a1']);
    expect(topics('zhou')).toEqual(['zs/alerts/v1/PT-3/collision/a2', 'zs/dispatch/v1/PT-3/a1']);
    expect(topics('chen')).toEqual([]);
    expect(topics('anonymous')).toEqual([]);
  }, 60_000);

  it('a fleet leader cannot publish on the alert topics (only the service writes them)', async () => {
    const spoof = await MqttPublisher.connect(url('li'));
    const frames: RawFrame[] = [];
    const officer = new MqttSource({ url: url('wang'), clientId: 'acl-officer-2', topics: ['zs/alerts/v1/#'], qos: 1, onFrame: (f) => frames.push(f) });
    await officer.start();
    try {
      // Mosquitto 2.0 acknowledges a denied QoS 1 publish and drops it.
      await spoof.publish('zs/alerts/v1/PT-1/collision/fake', '{"forged":true}', 1, false).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 700));
      expect(frames.filter((f) => f.topic.endsWith('/fake'))).toEqual([]);
    } finally {
      await officer.stop();
      await spoof.close();
    }
  }, 30_000);
});
