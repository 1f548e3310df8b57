/**
 * One schema for every setting: key, default, unit, description. `loadConfig(env)` is pure and
 * reports every problem at once, so an operator fixes a bad deployment in one pass.
 */

type Kind = 'string' | 'port' | 'url' | 'bool' | 'level';

interface Setting<K extends Kind> {
  readonly kind: K;
  readonly default: string | undefined;
  readonly unit?: string;
  readonly description: string;
}

export const SETTINGS = {
  HTTP_HOST: { kind: 'string', default: '127.0.0.1', description: 'address the web server binds' },
  HTTP_PORT: { kind: 'port', default: '8080', unit: 'TCP port', description: 'web server port (map, API, /ws)' },
  MQTT_URL: {
    kind: 'url',
    default: undefined,
    description: 'external broker (mqtt://, mqtts://, ws://); unset: an embedded broker on MQTT_PORT',
  },
  MQTT_PORT: { kind: 'port', default: '1883', unit: 'TCP port', description: 'embedded broker port (loopback only)' },
  DATABASE_URL: {
    kind: 'url',
    default: undefined,
    description: 'PostgreSQL >= 14 (TimescaleDB used when present); unset: embedded Postgres in DATA_DIR',
  },
  DATA_DIR: { kind: 'string', default: './data', unit: 'path', description: 'embedded store and spools' },
  DEMO: {
    kind: 'bool',
    default: undefined,
    description: 'run the built-in Zhoushan simulator; default 1 when MQTT_URL is unset, else 0',
  },
  LOG_LEVEL: { kind: 'level', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace' },
  MQTT_TOPIC_PREFIX: { kind: 'string', default: '', description: 'prefix before ais/raw/# and beidou/raw/#' },
  ALERTS_TOPIC_PREFIX: {
    kind: 'string',
    default: undefined,
    description: 'prefix before alerts/v1/{fleetId|none}/{kind}/{alertId} (alert changes out, QoS 1, retained while open); unset: MQTT_TOPIC_PREFIX',
  },
  MQTT_CLIENT_ID: {
    kind: 'string',
    default: 'seagrid-ingest',
    description: 'fixed client id of the persistent QoS 1 session (one per instance)',
  },
  MQTT_START_TIMEOUT_S: {
    kind: 'string',
    default: '30',
    unit: 's',
    description: 'seagrid serve exits (code 1) when the broker has not accepted its subscriptions within this long of start',
  },
  MAX_FIX_AHEAD_S: {
    kind: 'string',
    default: '600',
    unit: 's',
    description: 'a fix time this far past its receipt is refused (a wrong clock); 0 turns the check off (accelerated simulation)',
  },
  MAX_FIX_AGE_H: {
    kind: 'string',
    default: '0',
    unit: 'h',
    description: 'a fix time this far before its receipt is a receiver clock fault: receipt time (AIS) or the receipt day (GNSS) is used, counted; 0: only times before 2000 are (replays keep their own times)',
  },
  REGISTRY_FILE: {
    kind: 'string',
    default: undefined,
    unit: 'path',
    description: 'vessel registry (一船一档), CSV or JSON; the demo brings its own',
  },
  POSITION_RETENTION_DAYS: {
    kind: 'string',
    default: '400',
    unit: 'days',
    description: 'TimescaleDB retention of raw positions (older chunks dropped); 0 keeps everything, else more than 3. Ignored without TimescaleDB',
  },
  SPOOL_MAX_MB: {
    kind: 'string',
    default: '1024',
    unit: 'MiB',
    description: 'disk spool for position and grid-event writes while the database is down; rows beyond it are counted as dropped (alert changes have 64 MiB of their own)',
  },
  RECEIPT_JOURNAL_MB: {
    kind: 'string',
    default: '256',
    unit: 'MiB',
    description: 'receipt journal in DATA_DIR/receipts: each MQTT frame is written there before its QoS 1 acknowledgement and replayed at start if the store may not have it (kill -9); beyond the bound frames are acknowledged unjournaled and counted; 0 turns it off',
  },
  VESSEL_LIMIT: {
    kind: 'string',
    default: '200000',
    unit: 'vessels',
    description: 'unregistered vessels held in the live picture (about 4 KB each with their in-memory track); beyond it the least recently heard is forgotten (registry hulls never count)',
  },
  VESSEL_FORGET_AFTER_H: {
    kind: 'string',
    default: '24',
    unit: 'h',
    description: 'a vessel not heard for this long leaves the live picture (its stored track stays); 0 keeps every vessel',
  },
  ROUTES_FILE: {
    kind: 'string',
    default: undefined,
    unit: 'path',
    description: 'planned routes (GeoJSON LineStrings with a corridor half-width, per vessel or fleet; fixtures/routes/ shows the format) the route-deviation rule holds vessels to; unset: none',
  },
  ALERT_POLICY_FILE: {
    kind: 'string',
    default: undefined,
    unit: 'path',
    description:
      'the alert thresholds that differ from issue 12\'s defaults (JSON: collision levels, collisionOverrides per grid/zone/渔区 or AIS ship types, straggler, signal-lost, zone and lifecycle numbers; fixtures/alert-policy.example.json shows every part); a bad file stops the start naming the field; unset: the defaults',
  },
  SEA_GRID_RES: { kind: 'string', default: '7', unit: 'H3 resolution', description: 'H3 resolution of the static sea-grid index (7 ≈ 1.3 km edges)' },
  GRIDS_DIR: {
    kind: 'string',
    default: undefined,
    unit: 'path',
    description: 'folder holding the four sea-grid GeoJSON files under the names of fixtures/geo; unset: the Zhoushan grids shipped there',
  },
  USERS_FILE: {
    kind: 'string',
    default: undefined,
    unit: 'path',
    description: 'users who sign in (CSV or JSON: username, role officer|fleet_leader|analyst|admin|liaison, fleets, passwordHash from `seagrid user hash`), kept in the store at each start and owned by the file; unset: only users added with `seagrid user add` or the API. No users at all: no sign-in, loopback only',
  },
  AWARENESS_NM: { kind: 'string', default: '6', unit: 'nm', description: "a fleet leader sees other fleets' vessels (position and identity only) within this distance of his fleet's vessels" },
  SESSION_HOURS: { kind: 'string', default: '12', unit: 'h', description: 'a browser sign-in (session cookie) expires after this long' },
  TOKEN_DAYS: { kind: 'string', default: '30', unit: 'days', description: 'a bearer token (scripts, devices) expires after this long' },
  CLUSTER: {
    kind: 'string',
    default: undefined,
    description: 'cluster name: this instance is one of several sharing the feed (MQTT 5 shared subscription, partitions leased in PostgreSQL; ARCHITECTURE.md "More than one machine"); needs MQTT_URL and DATABASE_URL, MQTT_CLIENT_ID unique per instance. Unset: a single instance',
  },
  CLUSTER_SEA: {
    kind: 'string',
    default: '18,108,41,128',
    unit: 'minLat,minLon,maxLat,maxLon',
    description: 'with CLUSTER: the sea the partitions (H3 res-3 cells) cover; fixes outside reach no instance',
  },
} as const satisfies Record<string, Setting<Kind>>;

export interface Config {
  readonly httpHost: string;
  readonly httpPort: number;
  readonly mqttUrl: string | undefined;
  readonly mqttPort: number;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly logLevel: LogLevel;
  readonly topicPrefix: string;
  /** Before `alerts/v1/…` of the alerts published out. */
  readonly alertsTopicPrefix: string;
  readonly mqttClientId: string;
  readonly mqttStartTimeoutMs: number;
  readonly registryFile: string | undefined;
  readonly routesFile: string | undefined;
  readonly alertPolicyFile: string | undefined;
  /** Infinity when the check is off. */
  readonly maxFixAheadMs: number;
  /** Infinity when the check is off. */
  readonly maxFixAgeMs: number;
  /** 0: keep everything. */
  readonly positionRetentionDays: number;
  readonly spoolMaxBytes: number;
  /** 0: no receipt journal. */
  readonly receiptJournalBytes: number;
  readonly seaGridRes: number;
  readonly gridsDir: string | undefined;
  readonly vesselLimit: number;
  /** Infinity when vessels are never forgotten. */
  readonly vesselForgetAfterMs: number;
  readonly usersFile: string | undefined;
  readonly awarenessNm: number;
  readonly sessionMs: number;
  readonly tokenMs: number;
  /** Set: one instance of a cluster (app/cluster.ts). */
  readonly cluster: string | undefined;
  readonly clusterSea: { readonly minLat: number; readonly minLon: number; readonly maxLat: number; readonly maxLon: number };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function loadConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const problems: string[] = [];
  const raw = (key: keyof typeof SETTINGS): string | undefined => {
    const v = env[key];
    return v === undefined || v === '' ? SETTINGS[key].default : v;
  };
  const port = (key: keyof typeof SETTINGS): number => {
    const v = raw(key) ?? '';
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
      problems.push(`${key}=${JSON.stringify(v)}: expected a TCP port 1–65535`);
      return 0;
    }
    return n;
  };
  const url = (key: keyof typeof SETTINGS, schemes: readonly string[]): string | undefined => {
    const v = raw(key);
    if (v === undefined) return undefined;
    let scheme = '';
    try {
      scheme = new URL(v).protocol.replace(/:$/, '');
    } catch {
      problems.push(`${key}: not a URL`);
      return undefined;
    }
    if (!schemes.includes(scheme)) problems.push(`${key}: scheme ${scheme}: expected one of ${schemes.join(', ')}`);
    return v;
  };
  const mqttUrl = url('MQTT_URL', ['mqtt', 'mqtts', 'ws', 'wss', 'tcp']);
  const demoRaw = raw('DEMO');
  let demo = mqttUrl === undefined;
  if (demoRaw !== undefined) {
    if (demoRaw === '1' || demoRaw === 'true') demo = true;
    else if (demoRaw === '0' || demoRaw === 'false') demo = false;
    else problems.push(`DEMO=${JSON.stringify(demoRaw)}: expected 1 or 0`);
  }
  const aheadRaw = raw('MAX_FIX_AHEAD_S') ?? '600';
  const ahead = Number(aheadRaw);
  if (!/^\d+(\.\d+)?$/.test(aheadRaw)) problems.push(`MAX_FIX_AHEAD_S=${JSON.stringify(aheadRaw)}: expected seconds ≥ 0`);
  const int = (key: keyof typeof SETTINGS, min: number, max: number): number => {
    const v = raw(key) ?? '';
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push(`${key}=${JSON.stringify(v)}: expected a whole number ${min}–${max}`);
      return min;
    }
    return n;
  };
  const level = raw('LOG_LEVEL') ?? 'info';
  if (!LEVELS.includes(level)) problems.push(`LOG_LEVEL=${JSON.stringify(level)}: expected one of ${LEVELS.join(', ')}`);
  const retention = int('POSITION_RETENTION_DAYS', 0, 100_000);
  // TimescaleDB's continuous aggregate refreshes the last 3 days: a shorter retention would drop raw rows it still reads.
  if (retention > 0 && retention <= 3) problems.push(`POSITION_RETENTION_DAYS=${retention}: expected 0 (keep) or more than 3 days`);
  const forgetH = int('VESSEL_FORGET_AFTER_H', 0, 100_000);
  const fixAgeH = int('MAX_FIX_AGE_H', 0, 1_000_000);
  const awarenessRaw = raw('AWARENESS_NM') ?? '6';
  const awarenessNm = Number(awarenessRaw);
  if (!/^\d+(\.\d+)?$/.test(awarenessRaw) || awarenessNm > 100) problems.push(`AWARENESS_NM=${JSON.stringify(awarenessRaw)}: expected nautical miles 0–100`);
  const clusterName = raw('CLUSTER');
  const seaRaw = raw('CLUSTER_SEA') ?? '18,108,41,128';
  const sea = seaRaw.split(',').map((x) => Number(x.trim()));
  const [minLat, minLon, maxLat, maxLon] = sea as [number, number, number, number];
  if (sea.length !== 4 || sea.some((x) => !Number.isFinite(x)) || !(minLat < maxLat && minLon < maxLon && minLat >= -90 && maxLat <= 90 && minLon >= -180 && maxLon <= 180)) {
    problems.push(`CLUSTER_SEA=${JSON.stringify(seaRaw)}: expected minLat,minLon,maxLat,maxLon in degrees, min < max`);
  }
  if (clusterName !== undefined && (mqttUrl === undefined || raw('DATABASE_URL') === undefined)) problems.push('CLUSTER: needs MQTT_URL (a broker the instances share) and DATABASE_URL (one database for all)');
  const config: Config = {
    httpHost: raw('HTTP_HOST') ?? '127.0.0.1',
    httpPort: port('HTTP_PORT'),
    mqttUrl,
    mqttPort: port('MQTT_PORT'),
    databaseUrl: url('DATABASE_URL', ['postgres', 'postgresql']),
    dataDir: raw('DATA_DIR') ?? './data',
    demo,
    logLevel: level as LogLevel,
    topicPrefix: raw('MQTT_TOPIC_PREFIX') ?? '',
    alertsTopicPrefix: raw('ALERTS_TOPIC_PREFIX') ?? raw('MQTT_TOPIC_PREFIX') ?? '',
    mqttClientId: raw('MQTT_CLIENT_ID') ?? 'seagrid-ingest',
    mqttStartTimeoutMs: int('MQTT_START_TIMEOUT_S', 1, 86_400) * 1000,
    registryFile: raw('REGISTRY_FILE'),
    routesFile: raw('ROUTES_FILE'),
    alertPolicyFile: raw('ALERT_POLICY_FILE'),
    maxFixAheadMs: ahead === 0 ? Number.POSITIVE_INFINITY : ahead * 1000,
    maxFixAgeMs: fixAgeH === 0 ? Number.POSITIVE_INFINITY : fixAgeH * 3_600_000,
    positionRetentionDays: retention,
    spoolMaxBytes: int('SPOOL_MAX_MB', 1, 1_000_000) * 1024 * 1024,
    receiptJournalBytes: int('RECEIPT_JOURNAL_MB', 0, 1_000_000) * 1024 * 1024,
    // 5–9: coarser cells leave too many boundary tests, finer ones too many cells for 15 grounds.
    seaGridRes: int('SEA_GRID_RES', 5, 9),
    gridsDir: raw('GRIDS_DIR'),
    vesselLimit: int('VESSEL_LIMIT', 0, 100_000_000),
    vesselForgetAfterMs: forgetH === 0 ? Number.POSITIVE_INFINITY : forgetH * 3_600_000,
    usersFile: raw('USERS_FILE'),
    awarenessNm,
    sessionMs: int('SESSION_HOURS', 1, 24 * 366) * 3_600_000,
    tokenMs: int('TOKEN_DAYS', 1, 3660) * 86_400_000,
    cluster: clusterName,
    clusterSea: { minLat, minLon, maxLat, maxLon },
  };
  return problems.length === 0 ? { ok: true, config } : { ok: false, problems };
}

/** The settings table for `seagrid --help` and the README. */
export function describeSettings(): string {
  return Object.entries(SETTINGS)
    .map(([key, s]) => {
      const unit = 'unit' in s ? ` [${s.unit}]` : '';
      const def = s.default === undefined ? 'unset' : s.default;
      return `  ${key.padEnd(23)} default ${def}${unit}: ${s.description}`;
    })
    .join('\n');
}
