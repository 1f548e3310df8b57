/**
 * The alert list's order and its condition filter, pure (the panel and its test share them).
 *
 * Bridge alert management (IEC 62923-1) lists alerts whose condition is still there before those
 * whose condition has gone: a cleared alert stays open until someone resolves it (issue 12's
 * lifecycle), and in a flood of them the live ones must not sink under the history.
 */
import type { AlertView } from '../protocol.js';

const RANK: Readonly<Record<string, number>> = { danger: 3, warning: 2, info: 1 };

/** Which alerts the list shows by their condition: all, still present, or gone (awaiting resolution). */
export type ConditionFilter = '' | 'active' | 'cleared';

export const isActive = (a: AlertView): boolean => !a.cleared;

/** Which alerts by who they concern: all, those between members of one fleet (编组内), the others. */
export type PairFilter = '' | 'mates' | 'others';

/**
 * Whether every vessel of the alert is of one fleet (pair trawlers, 编组 mates working together):
 * the fleet's leader has it, and the rule raises it at danger only. `fleetOf` from the picture.
 */
export function withinOneFleet(a: AlertView, fleetOf: (vesselId: string) => string | null | undefined): boolean {
  if (a.vesselIds.length < 2) return false;
  const f = fleetOf(a.vesselIds[0]!);
  return f !== null && f !== undefined && a.vesselIds.every((v) => fleetOf(v) === f);
}

export function matchesPair(a: AlertView, f: PairFilter, fleetOf: (vesselId: string) => string | null | undefined): boolean {
  return f === '' || (f === 'mates') === withinOneFleet(a, fleetOf);
}

export function matchesCondition(a: AlertView, f: ConditionFilter): boolean {
  return f === '' || (f === 'active') === isActive(a);
}

/**
 * Condition present first, then severity, then the newest, then the id (one order however the
 * alerts arrive). An alert keeps its place when someone takes it up (its state shows on the row):
 * rows that jump away under an officer's hand are worse than a long list. It moves down when its
 * condition clears — the sea changed, not the officer.
 */
export function sortAlerts(list: AlertView[]): AlertView[] {
  return list.sort(
    (a, b) =>
      Number(isActive(b)) - Number(isActive(a)) ||
      (RANK[b.severity] ?? 0) - (RANK[a.severity] ?? 0) ||
      Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
