/**
 * The live picture after a restart: each vessel's last stored fix within `lookbackMs`, turned back
 * into the position report it came from, for `Pipeline.restore`. Identity comes from the registry
 * (a hull's MMSI or BeiDou card, as the fix's source says), else from the id's own form (9 digits:
 * an MMSI; `bd…`: a card, model/ids.ts). The receipt time is the fix time: the signal-lost rule
 * then counts a vessel's silence from its last fix, across the restart.
 */
import { asMmsi, type BeidouCard, type PositionReport, type VesselRegistry } from '../model/index.js';
import type { Store, StoredPosition } from '../store/index.js';

/** Half an hour: longer than any reporting interval (BeiDou 3 min, AIS at anchor 3 min) with room to spare. */
export const WARM_START_LOOKBACK_MS = 30 * 60_000;
/**
 * The stored fixes of this last span go back through the rules after a warm start (`recentFixes`,
 * Pipeline.reevaluate): longer than any hold of the alert policy (raise ≤ 60 s, clear 60 s).
 */
export const REEVALUATE_MS = 2 * 60_000;
/** …unless there are more than this many (a feed of 1,600 reports/s): then the last fixes alone, as before. */
export const REEVALUATE_MAX_FIXES = 200_000;

export async function lastKnownFixes(store: Store, registry: VesselRegistry, nowMs: number, lookbackMs = WARM_START_LOOKBACK_MS): Promise<PositionReport[]> {
  const out: PositionReport[] = [];
  for (const p of await store.pictureAt(nowMs, { lookbackMs })) {
    const r = reportOf(p, registry);
    if (r !== undefined) out.push(r);
  }
  // Oldest first, as the feed would have brought them.
  return out.sort((a, b) => a.atMs - b.atMs);
}

/**
 * Every stored fix in (fromMs, toMs] as the report it came from, in time order (then receipt), for
 * Pipeline.reevaluate; undefined when there are more than `max`.
 */
export async function recentFixes(store: Store, registry: VesselRegistry, fromMs: number, toMs: number, max = REEVALUATE_MAX_FIXES): Promise<PositionReport[] | undefined> {
  const rows = await store.fixesIn({ fromMs, toMs, limit: max + 1 });
  if (rows.length > max) return undefined;
  const out: PositionReport[] = [];
  for (const p of rows) {
    if (!(p.atMs > fromMs)) continue;
    const r = reportOf(p, registry);
    if (r !== undefined) out.push(p.receivedAtMs === undefined ? r : { ...r, receivedAtMs: p.receivedAtMs });
  }
  return out.sort((a, b) => a.atMs - b.atMs || a.receivedAtMs - b.receivedAtMs);
}

export function reportOf(p: StoredPosition, registry: VesselRegistry): PositionReport | undefined {
  const file = registry.byVesselId(p.vesselId);
  let mmsi = file?.mmsi;
  let card = file?.beidouCard;
  if (file === undefined) {
    if (/^\d{9}$/.test(p.vesselId)) mmsi = asMmsi(Number(p.vesselId));
    else if (p.vesselId.startsWith('bd') && p.vesselId.length > 2) card = p.vesselId.slice(2) as BeidouCard;
  }
  const identity = p.source === 'ais' ? (mmsi === undefined ? undefined : { mmsi }) : card === undefined ? undefined : { beidouCard: card };
  if (identity === undefined) return undefined;
  return {
    source: p.source,
    ...identity,
    atMs: p.atMs,
    receivedAtMs: p.atMs,
    lat: p.lat,
    lon: p.lon,
    ...(p.sogKn === undefined ? {} : { sogKn: p.sogKn }),
    ...(p.cogDeg === undefined ? {} : { cogDeg: p.cogDeg }),
    ...(p.headingDeg === undefined ? {} : { headingDeg: p.headingDeg }),
    ...(p.navStatus === undefined ? {} : { navStatus: p.navStatus }),
    ...(p.receiver === undefined ? {} : { receiver: p.receiver }),
  };
}
