/**
 * Rapid response (快响指挥): who can reach an alert's scene soonest. The scene is where the
 * alert's vessels are now (the live picture); candidates come from the neighbour index around
 * each of them, plus every patrol craft whatever its distance (they are few and they are the ones
 * sent first). Ranked by estimated time to reach the nearest of the alert's vessels.
 *
 * What it decides:
 * - roles: `patrol` (registry ship type 51 search-and-rescue or 55 law enforcement), `fleet-mate`
 *   (a member of a fleet the alert concerns: mutual aid, 抢险互助), `nearby` (any other fishing
 *   vessel: ship type 30, a fleet member or a BeiDou boat). Merchant ships and others are not offered.
 * - ETA = great-circle distance ÷ speed, the speed being the vessel's SOG or, if slower, what it
 *   can make when it gets under way (patrol craft 18 kn, fishing vessels 7 kn: the cruising speeds
 *   of Zhoushan's patrol boats and trawlers) — a vessel at rest now is not infinitely far.
 * - a vessel not heard for `maxFixAgeMs` is not offered (nobody knows where it is); nor are the
 *   alert's own vessels.
 * Pure: the world (index, live picture, registry) comes in as functions; no IO, no clock.
 */
import { distanceNm } from '../geo/index.js';
import type { Alert, FleetId, VesselId } from '../model/index.js';

export type ResponderRole = 'patrol' | 'fleet-mate' | 'nearby';

export interface ResponderOption {
  readonly vesselId: VesselId;
  readonly role: ResponderRole;
  readonly name?: string;
  readonly fleetId?: FleetId;
  /** To the nearest of the alert's vessels, from the responder's last fix. */
  readonly distanceNm: number;
  readonly etaMin: number;
  /** Age of the responder's last fix at `nowMs`. */
  readonly fixAgeS: number;
}

/** What the ranking needs to know of one vessel. */
export interface ResponderVessel {
  readonly lat: number;
  readonly lon: number;
  readonly atMs: number;
  readonly sogKn?: number;
  readonly fleetId?: FleetId;
  readonly shipType?: number;
  readonly beidou?: boolean;
  readonly name?: string;
}

export interface ResponderWorld {
  /** Every vessel within `radiusNm` of the point (the neighbour index). */
  near(lat: number, lon: number, radiusNm: number, visit: (vesselId: VesselId) => void): void;
  vessel(vesselId: VesselId): ResponderVessel | undefined;
  /** Patrol craft of the registry, offered whatever their distance. */
  patrolCraft(): Iterable<VesselId>;
}

export interface ResponderOptions {
  readonly radiusNm?: number;
  readonly limit?: number;
  readonly maxFixAgeMs?: number;
  /** Vessels always in the answer whatever their distance or rank (those already sent: their closing distance). */
  readonly always?: readonly VesselId[];
}

const PATROL_TYPES = new Set([51, 55]);
const PATROL_KN = 18;
const FISHING_KN = 7;

export function roleOf(v: ResponderVessel, alertFleets: readonly FleetId[]): ResponderRole | undefined {
  if (v.shipType !== undefined && PATROL_TYPES.has(v.shipType)) return 'patrol';
  if (v.fleetId !== undefined && alertFleets.includes(v.fleetId)) return 'fleet-mate';
  if (v.shipType === 30 || v.fleetId !== undefined || v.beidou === true) return 'nearby';
  return undefined;
}

/** No fishing vessel makes more; a faster SOG is a bad fix, and the widening search relies on the bound. */
const MAX_TRANSIT_KN = 30;

/** Knots at which the vessel can be counted on to close the scene. */
export function transitKn(role: ResponderRole, sogKn: number | undefined): number {
  return Math.min(MAX_TRANSIT_KN, Math.max(sogKn ?? 0, role === 'patrol' ? PATROL_KN : FISHING_KN));
}

/** Ranked responders, soonest first; empty when none of the alert's vessels has a position. */
export function rankResponders(alert: Alert, world: ResponderWorld, nowMs: number, o: ResponderOptions = {}): ResponderOption[] {
  const radiusNm = o.radiusNm ?? 20;
  const maxAgeMs = o.maxFixAgeMs ?? 30 * 60_000;
  const scene = alert.vesselIds.flatMap((id) => {
    const v = world.vessel(id);
    return v === undefined ? [] : [v];
  });
  if (scene.length === 0) return [];
  const fleets = alert.fleetIds ?? (alert.fleetId === undefined ? [] : [alert.fleetId]);
  const seen = new Set<VesselId>(alert.vesselIds);
  const out: ResponderOption[] = [];
  const consider = (id: VesselId): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const v = world.vessel(id);
    if (v === undefined || nowMs - v.atMs > maxAgeMs) return;
    const role = roleOf(v, fleets);
    if (role === undefined) return;
    let d = Infinity;
    for (const s of scene) d = Math.min(d, distanceNm(v.lat, v.lon, s.lat, s.lon));
    out.push({
      vesselId: id,
      role,
      ...(v.name === undefined ? {} : { name: v.name }),
      ...(v.fleetId === undefined ? {} : { fleetId: v.fleetId }),
      distanceNm: d,
      etaMin: (d / transitKn(role, v.sogKn)) * 60,
      fixAgeS: Math.max(0, (nowMs - v.atMs) / 1000),
    });
  };
  const limit = o.limit ?? 20;
  const byEta = (a: ResponderOption, b: ResponderOption): number => a.etaMin - b.etaMin || a.distanceNm - b.distanceNm || (a.vesselId < b.vesselId ? -1 : 1);
  for (const id of world.patrolCraft()) consider(id);
  for (const id of o.always ?? []) consider(id);
  // Widening search: a vessel beyond r needs at least r ÷ MAX_TRANSIT_KN to arrive, so once `limit`
  // are found sooner than that, nobody farther can enter the list (a harbour's thousand boats
  // within 2 nm are ranked without visiting the next thousand).
  for (let r = Math.min(2, radiusNm); ; r = Math.min(radiusNm, 2 * r)) {
    for (const s of scene) world.near(s.lat, s.lon, r, consider);
    if (r >= radiusNm) break;
    if (out.length >= limit && out.sort(byEta)[limit - 1]!.etaMin <= (r / MAX_TRANSIT_KN) * 60) break;
  }
  out.sort(byEta);
  const kept = new Set(o.always);
  return out.filter((r, i) => i < limit || kept.has(r.vesselId));
}
