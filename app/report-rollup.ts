/**
 * The daily rollup behind reports (issue 15 §3), pure: one Beijing day of every vessel's 1-minute
 * track points in, one row per (grid, fleet) out. The figures (docs/CONTRACTS.md, Reports):
 * - a vessel's day is its 1-minute track points: the last fix of each minute, at the minute's start
 *   (what TimescaleDB's positions_1m keeps; the store makes the same points without it);
 * - each point covers the time to the next point, capped at GAP_CAP_S (a silence counts 10 min, not
 *   its length), the day's last point one minute: hours at sea are the sum;
 * - distance is the great-circle step from each point to the next, a step implying more than
 *   JUMP_KN dropped as a jump;
 * - each point's cover and step belong to the grids the point is in (static, control, patrol) and
 *   to the whole sea (grid id ''); moratorium time is the cover of points inside a seasonal-closure
 *   zone in force at the point's time;
 * - vessels present: those with at least one point in the grid that day.
 */

import { distanceM } from '../geo/index.js';
import type { MinuteTrack, ReportRollupRow } from '../store/index.js';

export const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
/** A point covers at most this long: a vessel that fell silent is not at sea for all of its silence. */
export const GAP_CAP_S = 600;
/** The day's last point covers its minute. */
export const POINT_S = 60;
/**
 * Minute points are a minute apart in bucket time, but their fixes may be up to two minutes apart
 * in fix time, so a 30 kn patrol craft can look like 60 kn: the limit leaves room for that.
 */
export const JUMP_KN = 60;
const KN_MS = 1852 / 3600;

/** Where a point lies: its grids, and whether a moratorium zone in force holds it. */
export interface Place {
  readonly grids: readonly string[];
  readonly moratorium: boolean;
}

/** One vessel's minute points (the store's), and a rollup row without its day. */
export type MinutePoints = MinuteTrack;
export type RollupRow = Omit<ReportRollupRow, 'day'>;

/** 'YYYY-MM-DD' of a real calendar date, else undefined. */
export function parseDay(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(utc).toISOString().slice(0, 10) === day ? utc : undefined;
}

/** Epoch ms of 00:00 Beijing time (UTC+8, no daylight saving) of the day. */
export function dayStartMs(day: string): number {
  const utc = parseDay(day);
  if (utc === undefined) throw new Error(`not a day: ${day}`);
  return utc - BEIJING_OFFSET_MS;
}

/** The Beijing day holding the moment. */
export function beijingDay(atMs: number): string {
  return new Date(atMs + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** `n` consecutive days from `day`. */
export function daysFrom(day: string, n: number): string[] {
  const start = dayStartMs(day);
  return Array.from({ length: n }, (_, i) => beijingDay(start + i * DAY_MS));
}

interface Sums {
  readonly vessels: Set<string>;
  atSeaS: number;
  distanceM: number;
  moratoriumS: number;
}

interface Pending {
  readonly t: number;
  readonly lat: number;
  readonly lon: number;
  readonly place: Place;
}

/**
 * One day's rollup, fed window by window (the store reads a day an hour at a time): a vessel's last
 * point of one window waits for its next point in a later one.
 */
export class DayRollup {
  private readonly sums = new Map<string, Sums>();
  private readonly last = new Map<string, Pending>();
  points = 0;

  constructor(
    private readonly place: (lat: number, lon: number, atMs: number) => Place,
    private readonly fleetOf: (vesselId: string) => string,
  ) {}

  /** A window's points of one vessel, after its earlier windows. */
  add(track: MinutePoints): void {
    for (let i = 0; i < track.t.length; i++) {
      const t = track.t[i]!;
      const lat = track.lat[i]!;
      const lon = track.lon[i]!;
      const prev = this.last.get(track.vesselId);
      if (prev !== undefined && !(t > prev.t)) continue;
      const place = this.place(lat, lon, t);
      if (prev !== undefined) {
        const dtS = (t - prev.t) / 1000;
        const d = distanceM(prev.lat, prev.lon, lat, lon);
        this.count(track.vesselId, prev.place, Math.min(dtS, GAP_CAP_S), d / dtS > JUMP_KN * KN_MS ? 0 : d);
      }
      this.last.set(track.vesselId, { t, lat, lon, place });
      this.points++;
    }
  }

  /**
   * The rows, by grid then fleet, as if the day ended after the points added so far: the last point
   * of each vessel covers its minute. Leaves the rollup as it was, so later windows may still come.
   */
  finish(): RollupRow[] {
    const sums = new Map([...this.sums].map(([k, s]) => [k, { ...s, vessels: new Set(s.vessels) }]));
    for (const [vesselId, p] of this.last) this.count(vesselId, p.place, POINT_S, 0, sums);
    return [...sums]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, s]) => {
        const [gridId, fleetId] = key.split('\u0000') as [string, string];
        return { gridId, fleetId, vessels: s.vessels.size, atSeaS: s.atSeaS, distanceM: s.distanceM, moratoriumS: s.moratoriumS };
      });
  }

  private count(vesselId: string, place: Place, coverS: number, stepM: number, sums = this.sums): void {
    const fleetId = this.fleetOf(vesselId);
    for (const gridId of ['', ...new Set(place.grids)]) {
      const key = `${gridId}\u0000${fleetId}`;
      let s = sums.get(key);
      if (s === undefined) sums.set(key, (s = { vessels: new Set(), atSeaS: 0, distanceM: 0, moratoriumS: 0 }));
      s.vessels.add(vesselId);
      s.atSeaS += coverS;
      s.distanceM += stepM;
      if (place.moratorium) s.moratoriumS += coverS;
    }
  }
}
