/**
 * Tracers of the end-to-end harness (bench/e2e.ts): AIS reports it publishes itself, so it knows
 * when each left, and finds on the /ws stream.
 *
 * - Tracer vessels report a unique position each (they move east, 30 raw units of 1/10,000 minute a
 *   report), without an NMEA tag block, so the service dates each fix at its receipt: no clock
 *   ahead of or behind the accelerated simulator's.
 * - Collision pairs: two new vessels 1 nm apart heading at each other at 10 kn (CPA 0, TCPA 3 min:
 *   `danger`, raised without a hold by the default policy) in one MQTT message; the alert's
 *   latency runs from that message's publish.
 *
 * Their MMSIs have a serial part below 1000, which the simulator never hands out (sim/identity.ts),
 * and they sit in the open East China Sea at 24–29°N 124–126°E, clear of the simulated fleet.
 */
import { encodePositionA } from '../sim/ais-encode.js';
import { vdmSentences } from '../sim/nmea-out.js';

export const TRACER_TOPIC = 'ais/raw/e2e-tracer';
/** AIS positions are in 1/10,000 minute. */
export const RAW_PER_DEG = 600_000;
/** Tracer i (1–999) is MMSI 412000000 + i: the vessel id the /ws stream names it by. */
export const TRACER_MMSI_BASE = 412_000_000;
const TRACER_ID_PREFIX = '412000';
/** MIDs whose serials 0–999 number the pairs' vessels (2 per pair). */
const PAIR_MIDS = [413, 414, 416, 431, 440, 441, 477, 563];
export const MAX_PAIRS = (PAIR_MIDS.length * 1000) / 2;
const PAIR_SPEED_KN = 10;
const TRACER_STEP_RAW = 30;

/** One `!AIVDM` type 1 line (under way), at raw AIS coordinates. */
export function positionLine(mmsi: number, latRaw: number, lonRaw: number, sogKn: number, cogDeg: number): string {
  return vdmSentences(encodePositionA({ mmsi, navStatus: 0, lat: latRaw / RAW_PER_DEG, lon: lonRaw / RAW_PER_DEG, sogKn, cogDeg, headingDeg: cogDeg }))[0]!;
}

/** Tracer `i`'s `n`-th report: 0.02° apart in latitude, moving east at ~10 kn when one a second. */
export function tracerReport(i: number, n: number): { mmsi: number; lonRaw: number; line: string } {
  const mmsi = TRACER_MMSI_BASE + i;
  const latRaw = Math.round((24.2 + 0.02 * i) * RAW_PER_DEG);
  const lonRaw = Math.round(125 * RAW_PER_DEG) + TRACER_STEP_RAW * n;
  return { mmsi, lonRaw, line: positionLine(mmsi, latRaw, lonRaw, PAIR_SPEED_KN, 90) };
}

/** Pair `k`'s two vessel ids (MMSIs as text) and its one MQTT payload (both reports, CRLF-joined). */
export function pairReport(k: number): { ids: [string, string]; payload: string } {
  if (!(k >= 0 && k < MAX_PAIRS)) throw new RangeError(`pair ${k} is beyond the ${MAX_PAIRS} the harness numbers`);
  const mmsi = (j: number): number => PAIR_MIDS[Math.floor(j / 1000)]! * 1_000_000 + (j % 1000);
  const a = mmsi(2 * k);
  const b = mmsi(2 * k + 1);
  // 800 sites 0.1° apart (≥ 5 nm: beyond each pair's collision screen of the others); reused after 800.
  const site = k % 800;
  const lat = 25.05 + 0.1 * (site % 40);
  const lon = 124.05 + 0.1 * Math.floor(site / 40);
  const oneNmLon = 1 / 60 / Math.cos((lat * Math.PI) / 180);
  const latRaw = Math.round(lat * RAW_PER_DEG);
  const payload = [positionLine(a, latRaw, Math.round(lon * RAW_PER_DEG), PAIR_SPEED_KN, 90), positionLine(b, latRaw, Math.round((lon + oneNmLon) * RAW_PER_DEG), PAIR_SPEED_KN, 270)].join('\r\n');
  return { ids: [String(a), String(b)], payload };
}

/** What the harness needs of one /ws message: tracer vessels' positions and alert changes. */
export interface WsScan {
  readonly tracers: { vesselId: string; lat: number; lon: number }[];
  readonly alerts: { kind: string; vesselIds: string[] }[];
}

const DELTA_HEAD = Buffer.from('{"type":"delta"');
const TRACER_KEY = Buffer.from(`"vesselId":"${TRACER_ID_PREFIX}`);
const ALERTS_KEY = Buffer.from('"alerts":[');
const TRACER_VIEW = /^"vesselId":"(\d+)".*?"lat":(-?[\d.eE+-]+),"lon":(-?[\d.eE+-]+)/;

/**
 * Reads a delta without parsing all of it (20 clients × thousands of vessels a period would cost
 * the harness more than the service): a byte search for tracer ids, and the alert changes, which
 * web/push.ts encodes as the delta's last field. Snapshots and pongs give nothing.
 */
export function scanWsMessage(buf: Buffer): WsScan {
  const out: WsScan = { tracers: [], alerts: [] };
  if (buf.compare(DELTA_HEAD, 0, DELTA_HEAD.length, 0, Math.min(buf.length, DELTA_HEAD.length)) !== 0) return out;
  for (let i = buf.indexOf(TRACER_KEY); i !== -1; i = buf.indexOf(TRACER_KEY, i + TRACER_KEY.length)) {
    const m = TRACER_VIEW.exec(buf.toString('latin1', i, Math.min(buf.length, i + 800)));
    if (m !== null) out.tracers.push({ vesselId: m[1]!, lat: Number(m[2]), lon: Number(m[3]) });
  }
  const j = buf.lastIndexOf(ALERTS_KEY);
  if (j !== -1 && buf[j + ALERTS_KEY.length] !== 0x5d) {
    const changes = JSON.parse(buf.toString('utf8', j + ALERTS_KEY.length - 1, buf.length - 1)) as { alert: { kind: string; vesselIds: string[] } }[];
    for (const c of changes) out.alerts.push({ kind: c.alert.kind, vesselIds: c.alert.vesselIds });
  }
  return out;
}

/** Publish times and the times each client saw them: latency samples, first sighting per client. */
export class LatencyBook {
  private readonly sent = new Map<string, number>();
  private readonly seen = new Set<string>();
  readonly samples: number[] = [];

  published(key: string, atMs: number): void {
    this.sent.set(key, atMs);
  }

  /** A client saw `key` at `atMs`; only its first sighting counts, and only of something published. */
  saw(client: number, key: string, atMs: number): void {
    const t = this.sent.get(key);
    const k = `${client}|${key}`;
    if (t === undefined || this.seen.has(k)) return;
    this.seen.add(k);
    this.samples.push(atMs - t);
  }

  /** Published keys times clients, less the sightings: states never delivered to some client. */
  missing(clients: number): number {
    return this.sent.size * clients - this.seen.size;
  }

  get publishedCount(): number {
    return this.sent.size;
  }
}

/** The tracer key of a position seen on /ws: vessel id and raw longitude (each report's is unique). */
export function tracerKey(vesselId: string, lon: number): string {
  return `${vesselId}|${Math.round(lon * RAW_PER_DEG)}`;
}

/** The pair key of an alert: its two vessel ids, sorted. */
export function pairKey(ids: readonly string[]): string {
  return [...ids].sort().join('|');
}
