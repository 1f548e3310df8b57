import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the docs/CONTRACTS.md defaults on an empty environment', () => {
    const r = loadConfig({});
    expect(r).toEqual({
      ok: true,
      config: {
        httpHost: '127.0.0.1',
        httpPort: 8080,
        mqttUrl: undefined,
        mqttPort: 1883,
        databaseUrl: undefined,
        dataDir: './data',
        demo: true,
        logLevel: 'info',
        topicPrefix: '',
        alertsTopicPrefix: '',
        mqttClientId: 'seagrid-ingest',
        registryFile: undefined,
        routesFile: undefined,
        maxFixAheadMs: 600_000,
        maxFixAgeMs: Number.POSITIVE_INFINITY,
        positionRetentionDays: 400,
        spoolMaxBytes: 1024 * 1024 * 1024,
        receiptJournalBytes: 256 * 1024 * 1024,
        seaGridRes: 7,
        gridsDir: undefined,
        vesselLimit: 200_000,
        vesselForgetAfterMs: 24 * 3_600_000,
        mqttStartTimeoutMs: 30_000,
        usersFile: undefined,
        awarenessNm: 6,
        sessionMs: 12 * 3_600_000,
        tokenMs: 30 * 86_400_000,
        cluster: undefined,
        clusterSea: { minLat: 18, minLon: 108, maxLat: 41, maxLon: 128 },
      },
    });
  });

  it('turns the demo off by default when an external broker is set, and lets DEMO override', () => {
    const ext = loadConfig({ MQTT_URL: 'mqtt://127.0.0.1:1884' });
    expect(ext.ok && ext.config.demo).toBe(false);
    const forced = loadConfig({ MQTT_URL: 'mqtt://127.0.0.1:1884', DEMO: '1' });
    expect(forced.ok && forced.config.demo).toBe(true);
    const off = loadConfig({ DEMO: '0' });
    expect(off.ok && off.config.demo).toBe(false);
  });

  it('reads the store and grid settings, and refuses values out of range', () => {
    const r = loadConfig({ POSITION_RETENTION_DAYS: '0', SPOOL_MAX_MB: '2', SEA_GRID_RES: '8', GRIDS_DIR: '/srv/grids' });
    expect(r.ok && r.config).toMatchObject({ positionRetentionDays: 0, spoolMaxBytes: 2 * 1024 * 1024, seaGridRes: 8, gridsDir: '/srv/grids' });
    const bad = loadConfig({ SEA_GRID_RES: '12', SPOOL_MAX_MB: '-1', POSITION_RETENTION_DAYS: 'x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.split('=')[0]).sort()).toEqual(['POSITION_RETENTION_DAYS', 'SEA_GRID_RES', 'SPOOL_MAX_MB']);
  });

  it('publishes alerts under MQTT_TOPIC_PREFIX unless ALERTS_TOPIC_PREFIX says otherwise', () => {
    const same = loadConfig({ MQTT_TOPIC_PREFIX: 'zs/' });
    expect(same.ok && same.config.alertsTopicPrefix).toBe('zs/');
    const own = loadConfig({ MQTT_TOPIC_PREFIX: 'zs/', ALERTS_TOPIC_PREFIX: 'out/' });
    expect(own.ok && own.config.alertsTopicPrefix).toBe('out/');
  });

  it('reads the live picture room: VESSEL_LIMIT, VESSEL_FORGET_AFTER_H (0 keeps every vessel)', () => {
    const r = loadConfig({ VESSEL_LIMIT: '5000', VESSEL_FORGET_AFTER_H: '6' });
    expect(r.ok && r.config).toMatchObject({ vesselLimit: 5000, vesselForgetAfterMs: 6 * 3_600_000 });
    const never = loadConfig({ VESSEL_FORGET_AFTER_H: '0' });
    expect(never.ok && never.config.vesselForgetAfterMs).toBe(Number.POSITIVE_INFINITY);
    const bad = loadConfig({ VESSEL_LIMIT: '-1', VESSEL_FORGET_AFTER_H: '1.5h' });
    if (!bad.ok) expect(bad.problems.map((p) => p.split('=')[0]).sort()).toEqual(['VESSEL_FORGET_AFTER_H', 'VESSEL_LIMIT']);
    expect(bad.ok).toBe(false);
  });

  it('reads MAX_FIX_AGE_H (0: no age limit, only the year-2000 floor)', () => {
    const r = loadConfig({ MAX_FIX_AGE_H: '48' });
    expect(r.ok && r.config.maxFixAgeMs).toBe(48 * 3_600_000);
    const bad = loadConfig({ MAX_FIX_AGE_H: '-2' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.split('=')[0])).toEqual(['MAX_FIX_AGE_H']);
  });

  it('CLUSTER needs a shared broker and database; CLUSTER_SEA is a box min < max', () => {
    const alone = loadConfig({ CLUSTER: 'east' });
    expect(alone.ok).toBe(false);
    if (!alone.ok) expect(alone.problems.join('\n')).toMatch(/CLUSTER: needs MQTT_URL/);
    const ok = loadConfig({ CLUSTER: 'east', MQTT_URL: 'mqtt://broker:1883', DATABASE_URL: 'postgres://u@db/seagrid', CLUSTER_SEA: '27, 120, 33, 126' });
    expect(ok.ok && ok.config.cluster).toBe('east');
    expect(ok.ok && ok.config.clusterSea).toEqual({ minLat: 27, minLon: 120, maxLat: 33, maxLon: 126 });
    for (const bad of ['33,120,27,126', '27,120,33', 'a,b,c,d', '27,120,33,200']) expect(loadConfig({ CLUSTER_SEA: bad }).ok, bad).toBe(false);
  });

  it('reports every problem at once', () => {
    const r = loadConfig({ HTTP_PORT: '80a', MQTT_PORT: '70000', MQTT_URL: 'http://x', DEMO: 'yes', LOG_LEVEL: 'loud' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(5);
      expect(r.problems.join('\n')).toMatch(/HTTP_PORT.*MQTT_PORT|MQTT_URL/s);
    }
  });
});
