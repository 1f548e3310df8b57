import type { Kin } from './legs.js';
import { NAV } from './legs.js';

/**
 * Reporting intervals of ITU-R M.1371-5 (table 1 for class A, CS class B per IEC 62287-1), the
 * static-data period, and the BeiDou terminal period used by Zhejiang's fishing-vessel monitoring.
 */
export const STATIC_INTERVAL_MS = 360_000;
export const BEIDOU_INTERVAL_MS = 180_000;

export const CLASS_A_MS = {
  anchoredOrMoored: 180_000,
  upTo14Kn: 10_000,
  upTo14KnTurning: 3_333,
  upTo23Kn: 6_000,
  upTo23KnTurning: 2_000,
  over23Kn: 2_000,
} as const;

export const CLASS_B_CS_MS = { moving: 30_000, slow: 180_000 } as const;

/** The interval to the next position report, from the state at this one. */
export function aisIntervalMs(aisClass: 'A' | 'B', kin: Kin): number {
  const sog = kin.sogKn;
  if (aisClass === 'B') return sog > 2 ? CLASS_B_CS_MS.moving : CLASS_B_CS_MS.slow;
  if ((kin.navStatus === NAV.atAnchor || kin.navStatus === NAV.moored) && sog <= 3) return CLASS_A_MS.anchoredOrMoored;
  if (sog > 23) return CLASS_A_MS.over23Kn;
  if (sog > 14) return kin.turning ? CLASS_A_MS.upTo23KnTurning : CLASS_A_MS.upTo23Kn;
  return kin.turning ? CLASS_A_MS.upTo14KnTurning : CLASS_A_MS.upTo14Kn;
}

/**
 * When the next report is due: one interval on, except after the report at start, where a
 * per-vessel phase (0, 1] spreads the fleet's transmissions over the first interval.
 */
export function nextReportMs(t: number, intervalMs: number, firstPhase: number | undefined): number {
  return t + Math.max(1, Math.round((firstPhase ?? 1) * intervalMs));
}
