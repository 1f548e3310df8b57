import { describe, expect, it } from 'vitest';
import type { ReplayAlertView, ReplayTrackView, ReplayView } from '../protocol.js';
import { positionAt, ReplayClock, replayStepMs, stepAt, timelineMarks } from './replay-model.js';

const T = Date.UTC(2026, 0, 10, 2, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();
/** East along 30°N for 10 min (0.1° of longitude), then north for 10 min (0.1° of latitude). */
const track: ReplayTrackView = { vesselId: 'v', name: null, fleetId: null, fixes: 3, t: [T, T + 600_000, T + 1_200_000], lat: [30, 30, 30.1], lon: [122, 122.1, 122.1], sogKn: [null, null, null], cogDeg: [90, 0, 0] };
const alert: ReplayAlertView = {
  alert: { id: 'A1' } as ReplayAlertView['alert'],
  history: [
    { seq: 1, action: 'raise', at: iso(T + 60_000), actor: 'system', state: 'raised', severity: 'warning', cleared: false },
    { seq: 2, action: 'update', at: iso(T + 120_000), actor: 'system', state: 'raised', severity: 'danger', cleared: false },
    { seq: 3, action: 'acknowledge', at: iso(T + 300_000), actor: 'wang', state: 'acknowledged', severity: 'danger', cleared: false },
  ],
};

describe('replay model', () => {
  it('places a vessel linearly in time between kept fixes, nowhere outside them', () => {
    expect(positionAt(track, T + 300_000)).toMatchObject({ lat: 30, lon: 122.05 });
    expect(positionAt(track, T + 300_000)!.cogDeg).toBeCloseTo(90, 9);
    const p = positionAt(track, T + 900_000)!;
    expect(p.lat).toBeCloseTo(30.05, 12);
    expect(p.lon).toBeCloseTo(122.1, 12);
    expect(p.cogDeg).toBeCloseTo(0, 9);
    expect(positionAt(track, T + 1_200_000)).toMatchObject({ lat: 30.1, lon: 122.1 });
    expect(positionAt(track, T - 1)).toBeNull();
    expect(positionAt(track, T + 1_200_001)).toBeNull();
  });

  it("an alert is as its last change at the moment: nothing before its raise", () => {
    expect(stepAt(alert, T + 59_999)).toBeNull();
    expect(stepAt(alert, T + 60_000)!.severity).toBe('warning');
    expect(stepAt(alert, T + 200_000)!.severity).toBe('danger');
    expect(stepAt(alert, T + 400_000)!.state).toBe('acknowledged');
  });

  it('the timeline holds raises, changes (a rule update when it changed the severity) and crossings, in time order, inside the window', () => {
    const r: ReplayView = {
      from: iso(T), to: iso(T + 240_000), toleranceM: 10, vessels: [], vesselsCut: 0, alerts: [alert], gridEventsCut: false,
      gridEvents: [{ vesselId: 'v', layer: 'static', gridId: 'G1', kind: 'enter', at: iso(T + 30_000), lat: 30, lon: 122 }],
    };
    expect(timelineMarks(r).map((m) => [m.kind, m.atMs - T])).toEqual([['grid', 30_000], ['alert', 60_000], ['alert-change', 120_000]]);
    // An update that changes nothing shown is not a mark.
    const same = { ...alert, history: [alert.history[0]!, { ...alert.history[1]!, severity: 'warning' }] };
    expect(timelineMarks({ ...r, alerts: [same] }).map((m) => m.kind)).toEqual(['grid', 'alert']);
  });

  it('the clock runs at its speed, seeks within the window and stops at the end', () => {
    const c = new ReplayClock(T, T + 3_600_000);
    c.speed = 3600;
    c.play(1000);
    c.tick(1500);
    expect(c.tMs).toBe(T + 1_800_000);
    c.tick(2500);
    expect(c.tMs).toBe(T + 3_600_000);
    expect(c.playing).toBe(false);
    c.seek(T - 5);
    expect(c.tMs).toBe(T);
    expect(replayStepMs(T, T + 3_600_000)).toBe(4000);
    expect(replayStepMs(T, T + 600_000)).toBe(1000);
  });
});
