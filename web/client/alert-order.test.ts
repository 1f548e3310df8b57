import { describe, expect, it } from 'vitest';
import type { AlertView } from '../protocol.js';
import { matchesCondition, sortAlerts } from './alert-order.js';

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
});
