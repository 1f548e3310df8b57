import { describe, expect, it } from 'vitest';
import type { AlertView } from '../protocol.js';
import { matchesCondition, matchesPair, sortAlerts, withinOneFleet } from './alert-order.js';

const alert = (id: string, severity: string, raisedMin: number, cleared: boolean): AlertView => ({
  id,
  kind: 'collision',
  severity,
  state: 'raised',
  vesselIds: ['V1', 'V2'],
  fleetId: null,
  raisedAt: new Date(Date.UTC(2026, 11, 4, 8, raisedMin)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 11, 4, 8, raisedMin)).toISOString(),
  assignee: null,
  details: {},
  fleetIds: [],
  cleared,
  seq: 1,
  responders: [],
});

describe('alert list order', () => {
  // A flood as the demo makes one: many cleared dangers, newer than the live warning.
  const list = [
    alert('old-danger-gone', 'danger', 1, true),
    alert('live-warning', 'warning', 2, false),
    alert('new-danger-gone', 'danger', 9, true),
    alert('live-danger-old', 'danger', 3, false),
    alert('live-danger-new', 'danger', 8, false),
    alert('warning-gone', 'warning', 7, true),
  ];

  it('lists every alert whose condition is still there before any whose condition has gone; then severity, then newest', () => {
    expect(sortAlerts([...list]).map((a) => a.id)).toEqual(['live-danger-new', 'live-danger-old', 'live-warning', 'new-danger-gone', 'old-danger-gone', 'warning-gone']);
  });

  it('one order whatever order the alerts arrive in', () => {
    expect(sortAlerts([...list].reverse())).toEqual(sortAlerts([...list]));
  });

  it('filters by condition: all, still there, gone', () => {
    expect(list.filter((a) => matchesCondition(a, '')).length).toBe(6);
    expect(list.filter((a) => matchesCondition(a, 'active')).map((a) => a.id)).toEqual(['live-warning', 'live-danger-old', 'live-danger-new']);
    expect(list.filter((a) => matchesCondition(a, 'cleared')).map((a) => a.id)).toEqual(['old-danger-gone', 'new-danger-gone', 'warning-gone']);
  });

  it('tells alerts between members of one fleet from the others (a vessel of no fleet, or of another, makes it an encounter between strangers)', () => {
    const fleetOf = (v: string): string | null => ({ M1: 'F1', M2: 'F1', M3: 'F1', O1: 'F2', N1: null } as Record<string, string | null>)[v] ?? null;
    const pair = (id: string, vesselIds: string[]): AlertView => ({ ...alert(id, 'danger', 1, false), vesselIds });
    const mates = pair('mates', ['M1', 'M2']);
    const fleets = pair('two-fleets', ['M1', 'O1']);
    const stranger = pair('no-fleet', ['M3', 'N1']);
    const alone = pair('one-vessel', ['M1']);
    const unknown = pair('unknown', ['X1', 'X2']);
    expect([mates, fleets, stranger, alone, unknown].map((a) => withinOneFleet(a, fleetOf))).toEqual([true, false, false, false, false]);
    expect([mates, fleets, stranger].filter((a) => matchesPair(a, 'others', fleetOf)).map((a) => a.id)).toEqual(['two-fleets', 'no-fleet']);
    expect([mates, fleets, stranger].filter((a) => matchesPair(a, 'mates', fleetOf)).map((a) => a.id)).toEqual(['mates']);
    expect([mates, fleets, stranger].filter((a) => matchesPair(a, '', fleetOf)).length).toBe(3);
  });
});
