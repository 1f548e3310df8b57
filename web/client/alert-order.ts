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
