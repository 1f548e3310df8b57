/**
 * Alert lifecycle as timelines on the pure core ("t=0 raised … t=300 s cleared … resolved by X").
 * The policy here is the test's own, with round numbers, so each expected time is read off the
 * timeline by hand: raise holds info 60 s / warning 20 s / danger 0, clear hold 60 s, re-raise
 * window 10 min, details at most every 30 s and only beyond 0.05 nm CPA (10 % for other numbers).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, type Alert, type AlertChange, type AlertId, type AlertSeverity, type FleetId, type VesselId } from '../model/index.js';
import { alertId, Lifecycle } from './lifecycle.js';
import type { LifecyclePolicy } from './policy.js';
import type { Signal } from './rules.js';

const S = 1000;
const POLICY: LifecyclePolicy = {
  default: {
    raiseHoldMs: { info: 60 * S, warning: 20 * S, danger: 0 },
    clearHoldMs: 60 * S,
    reRaiseWindowMs: 600 * S,
    minUpdateIntervalMs: 30 * S,
    restoreGraceMs: 360 * S,
    detailTolerance: { cpaNm: 0.05 },
    detailRelTolerance: 0.1,
  },
  byKind: { 'route-deviation': { raiseHoldMs: { info: 90 * S, warning: 90 * S, danger: 90 * S } } },
};
const A = '412000001' as VesselId;
const B = '412000002' as VesselId;
const KEY = `collision:${A}|${B}`;

function sig(tS: number, severity: AlertSeverity | undefined, details: Record<string, unknown> = {}, extra: Partial<Signal> = {}): Signal {
  return { kind: 'collision', key: KEY, severity, vesselIds: [A, B], atMs: tS * S, details, ...extra };
}

/** Feeds signals one by one (each its own frame, as the pipeline does), then ticks to `untilS`. */
function run(lc: Lifecycle, signals: readonly Signal[], untilS?: number): AlertChange[] {
  const out: AlertChange[] = [];
  for (const s of signals) out.push(...lc.decide([s]));
  if (untilS !== undefined) out.push(...lc.tick(untilS * S));
  return out;
}

/** [t in s, action, severity, cleared] of each change: the timeline as it reads. */
const timeline = (cs: readonly AlertChange[]): [number, string, string, boolean][] =>
  cs.map((c) => [c.atMs / S, c.action, c.alert.severity, c.alert.cleared === true]);

/** A signal every `stepS` seconds from `fromS` to `toS` inclusive. */
function every(fromS: number, toS: number, stepS: number, severity: AlertSeverity | undefined, details?: (tS: number) => Record<string, unknown>): Signal[] {
  const out: Signal[] = [];
  for (let t = fromS; t <= toS; t += stepS) out.push(sig(t, severity, details?.(t)));
  return out;
}

function must<T>(r: { ok: true; value: T } | { ok: false; code: string }): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}

describe('Lifecycle: timelines', () => {
  it('t=0 warning … raised at 20 s (hold) … condition gone at 300 s … cleared at 360 s … resolved by officer-7', () => {
    const lc = new Lifecycle(POLICY);
    const cs = run(lc, [...every(0, 290, 10, 'warning', () => ({ cpaNm: 0.3 })), sig(300, undefined)], 400);
    expect(timeline(cs)).toEqual([
      [20, 'raise', 'warning', false],
      [360, 'update', 'warning', true],
    ]);
    const id = cs[0]!.alertId;
    expect(cs.every((c) => c.alertId === id)).toBe(true);
    expect(cs.map((c) => c.seq)).toEqual([1, 2]);
    expect(cs[0]!.alert).toMatchObject({ id, kind: 'collision', key: KEY, state: 'raised', vesselIds: [A, B], raisedAtMs: 20 * S, seq: 1, details: { cpaNm: 0.3 } });
    // Cleared is not closed: it waits for a person.
    expect(lc.get(id)?.state).toBe('raised');
    expect(lc.openCount).toBe(1);
    const r = must(lc.resolve(id, 'officer-7', 420 * S, '两船已避让'));
    expect(r).toMatchObject({ alertId: id, seq: 3, action: 'resolve', atMs: 420 * S, actor: 'officer-7', note: '两船已避让' });
    expect(r.alert).toMatchObject({ state: 'resolved', cleared: true, seq: 3 });
    expect(lc.openCount).toBe(0);
  });

  it('danger raises at once (hold 0)', () => {
    const lc = new Lifecycle(POLICY);
    expect(timeline(run(lc, [sig(0, 'danger')]))).toEqual([[0, 'raise', 'danger', false]]);
  });

  it('a signal flickering at the threshold raises once and never clears while it flickers', () => {
    const lc = new Lifecycle(POLICY);
    // Warning / nothing / warning … every 5 s for five minutes, then gone.
    const flicker: Signal[] = [];
    for (let t = 0; t < 300; t += 5) flicker.push(sig(t, t % 10 === 0 ? 'warning' : undefined));
    const cs = run(lc, [...flicker, sig(300, undefined)], 1000);
    // The 5 s gaps are shorter than the 60 s clear hold: one episode from 0 s, raised when it has
    // lasted 20 s (t=20 holds), cleared 60 s after the last absence began (295 s → 355 s).
    expect(timeline(cs)).toEqual([
      [20, 'raise', 'warning', false],
      [355, 'update', 'warning', true],
    ]);
  });

  it('danger flickering with warning escalates once and stays danger until danger has been gone for the clear hold', () => {
    const lc = new Lifecycle(POLICY);
    const signals: Signal[] = [];
    for (let t = 0; t <= 120; t += 10) signals.push(sig(t, t >= 30 && t % 20 === 10 ? 'danger' : 'warning'));
    const cs = run(lc, signals, 200);
    // warning from 0 → raised at 20; danger at 30 (hold 0) → update; danger last seen 110, absent
    // from 120 → lowered to warning at 180.
    expect(timeline(cs)).toEqual([
      [20, 'raise', 'warning', false],
      [30, 'update', 'danger', false],
      [180, 'update', 'warning', false],
    ]);
  });

  it('one stray signal shorter than the raise hold raises nothing, and is counted', () => {
    const lc = new Lifecycle(POLICY);
    expect(run(lc, [sig(0, 'warning'), sig(5, undefined)], 600)).toEqual([]);
    expect(lc.counters.holdsCancelled).toBe(1);
    expect(lc.openCount).toBe(0);
  });

  it('a hold elapses on the clock of other conditions\' signals, at the time it elapsed, not when it was noticed', () => {
    const lc = new Lifecycle(POLICY);
    lc.decide([sig(0, 'warning')]);
    const other: Signal = { kind: 'collision', key: 'collision:x|y', severity: undefined, vesselIds: [], atMs: 47 * S, details: {} };
    expect(timeline(lc.decide([other]))).toEqual([[20, 'raise', 'warning', false]]);
  });

  it('the same condition back within the re-raise window updates the open alert', () => {
    const lc = new Lifecycle(POLICY);
    const cs = run(lc, [sig(0, 'danger'), sig(10, undefined), sig(300, 'danger')]);
    expect(timeline(cs)).toEqual([
      [0, 'raise', 'danger', false],
      [70, 'update', 'danger', true],
      [300, 'update', 'danger', false],
    ]);
    expect(new Set(cs.map((c) => c.alertId)).size).toBe(1);
    expect(cs.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect('cleared' in cs[2]!.alert).toBe(false);
  });

  it('back after the window: a new alert, the cleared one stays open for its resolve', () => {
    const lc = new Lifecycle(POLICY);
    const cs = run(lc, [sig(0, 'danger'), sig(10, undefined), sig(70 + 601, 'danger')]);
    expect(timeline(cs)).toEqual([
      [0, 'raise', 'danger', false],
      [70, 'update', 'danger', true],
      [671, 'raise', 'danger', false],
    ]);
    expect(cs[2]!.alertId).not.toBe(cs[0]!.alertId);
    expect(lc.openCount).toBe(2);
  });

  it('after a resolve, the condition raised again is a new alert with a new id', () => {
    const lc = new Lifecycle(POLICY);
    const first = run(lc, [sig(0, 'danger'), sig(10, undefined)], 100);
    const id = first[0]!.alertId;
    must(lc.resolve(id, 'officer-7', 100 * S));
    const again = run(lc, [sig(200, 'danger')]);
    expect(timeline(again)).toEqual([[200, 'raise', 'danger', false]]);
    expect(again[0]!.alertId).not.toBe(id);
    expect(again[0]!.seq).toBe(1);
  });

  it('resolved while the condition still holds: no new alert until it clears, unless it escalates', () => {
    const lc = new Lifecycle(POLICY);
    const raised = run(lc, every(0, 30, 10, 'warning'));
    must(lc.resolve(raised[0]!.alertId, 'officer-7', 35 * S));
    expect(run(lc, every(40, 100, 10, 'warning'))).toEqual([]);
    const esc = run(lc, [sig(110, 'danger')]);
    expect(timeline(esc)).toEqual([[110, 'raise', 'danger', false]]);
    expect(esc[0]!.alertId).not.toBe(raised[0]!.alertId);
  });

  it('a resolve only if cleared: refused while the condition holds — also when it came back after clearing — and done once it has gone', () => {
    const lc = new Lifecycle(POLICY);
    // Raised at 20 s, gone at 100 s, cleared at 160 s (the 60 s clear hold), back at 200 s within the re-raise window.
    const cs = run(lc, [...every(0, 90, 10, 'warning'), sig(100, undefined)], 180);
    const id = cs[0]!.alertId;
    expect(lc.get(id)?.cleared).toBe(true);
    run(lc, every(200, 230, 10, 'warning'), 235);
    expect(lc.get(id)?.cleared).toBeFalsy();
    const refused = lc.resolve(id, 'officer-7', 236 * S, undefined, true);
    expect(refused.ok ? 'resolved' : refused.code).toBe('alert.transition');
    expect(lc.get(id)?.state).toBe('raised');
    // Gone again: cleared after the hold, and now the resolve goes through.
    run(lc, [sig(240, undefined)], 310);
    expect(lc.get(id)?.cleared).toBe(true);
    expect(must(lc.resolve(id, 'officer-7', 311 * S, 'cleared', true)).alert).toMatchObject({ state: 'resolved', cleared: true });
  });

  it('route deviation waits for its own kind\'s hold', () => {
    const lc = new Lifecycle(POLICY);
    const dev = (tS: number): Signal => ({ kind: 'route-deviation', key: `route-deviation:${A}`, severity: 'warning', vesselIds: [A], atMs: tS * S, details: { offNm: 1.2 } });
    expect(timeline(run(lc, [dev(0), dev(60), dev(120)]))).toEqual([[90, 'raise', 'warning', false]]);
  });

  it('carries every fleet the signal names; fleetId is the first', () => {
    const lc = new Lifecycle(POLICY);
    const [c] = run(lc, [sig(0, 'danger', {}, { fleetIds: ['F-7', 'F-12'] as FleetId[] })]);
    expect(c!.alert).toMatchObject({ fleetIds: ['F-7', 'F-12'], fleetId: 'F-7' });
  });

  it('a signal older than its condition\'s last one counts as at that time', () => {
    const lc = new Lifecycle(POLICY);
    const cs = run(lc, [sig(100, 'danger'), sig(50, undefined)], 200);
    expect(timeline(cs)).toEqual([
      [100, 'raise', 'danger', false],
      [160, 'update', 'danger', true],
    ]);
    expect(lc.counters.lateSignals).toBe(1);
  });
});

describe('Lifecycle: coalesced detail updates', () => {
  it('CPA creeping by less than its tolerance sends nothing; a move beyond it sends one update, at most every 30 s', () => {
    const lc = new Lifecycle(POLICY);
    // CPA 0.090 nm at t=0, shrinking 0.002 nm every 2 s: 0.05 nm of movement after 50 s.
    const cs = run(lc, every(0, 120, 2, 'danger', (t) => ({ cpaNm: +(0.09 - 0.001 * t).toFixed(3), tcpaMin: 4 })));
    const updates = cs.filter((c) => c.action === 'update');
    // From 0.090: beyond 0.05 at 0.038 (t=52); from 0.038 beyond 0.05 at t=104 (0.038 - 0.052 = -0.014 < -0.012).
    expect(updates.map((c) => [c.atMs / S, c.alert.details['cpaNm']])).toEqual([
      [52, 0.038],
      [104, -0.014],
    ]);
  });

  it('a material move too soon after the last update waits for the interval and then carries the latest details', () => {
    const lc = new Lifecycle(POLICY);
    const cs = run(lc, [sig(0, 'danger', { cpaNm: 0.09 }), sig(10, 'danger', { cpaNm: 0.02 }), sig(15, 'danger', { cpaNm: 0.01 })], 40);
    expect(cs.map((c) => [c.atMs / S, c.action, c.alert.details['cpaNm']])).toEqual([
      [0, 'raise', 0.09],
      [30, 'update', 0.01],
    ]);
    expect(lc.counters.updatesHeldBack).toBe(2);
  });

  it('unlisted numbers use the relative tolerance; other values any change; severity goes at once', () => {
    const lc = new Lifecycle(POLICY);
    const cs = run(lc, [
      sig(0, 'warning', { tcpaMin: 8, side: 'port' }),
      sig(20, 'warning', { tcpaMin: 8, side: 'port' }), // raised here (20 s hold)
      sig(60, 'warning', { tcpaMin: 7.5, side: 'port' }), // 6 %: nothing
      sig(100, 'warning', { tcpaMin: 7.5, side: 'starboard' }), // text changed: update
      sig(140, 'warning', { tcpaMin: 6.5, side: 'starboard' }), // 13 %: update
      sig(145, 'danger', { tcpaMin: 6.4, side: 'starboard' }), // severity: at once
    ]);
    expect(cs.map((c) => [c.atMs / S, c.action, c.alert.severity])).toEqual([
      [20, 'raise', 'warning'],
      [100, 'update', 'warning'],
      [140, 'update', 'warning'],
      [145, 'update', 'danger'],
    ]);
  });
});

describe('Lifecycle: officer actions', () => {
  function raised(): { lc: Lifecycle; id: AlertId } {
    const lc = new Lifecycle(POLICY);
    const [c] = lc.decide([sig(0, 'danger')]);
    return { lc, id: c!.alertId };
  }

  it('raised → acknowledged → assigned (to a grid team, then a person) → resolved, each with actor, time, note and the next seq', () => {
    const { lc, id } = raised();
    const ack = must(lc.acknowledge(id, 'officer-7', 10 * S));
    const team = must(lc.assign(id, 'officer-7', 'team:CG-01', 20 * S, '网格员处置'));
    const person = must(lc.assign(id, 'lead-2', 'officer-9', 30 * S));
    const done = must(lc.resolve(id, 'officer-9', 40 * S, 'resolved on VHF 16'));
    expect([ack, team, person, done].map((c) => [c.seq, c.action, c.actor, c.atMs / S, c.note, c.alert.state, c.alert.assignee])).toEqual([
      [2, 'acknowledge', 'officer-7', 10, undefined, 'acknowledged', undefined],
      [3, 'assign', 'officer-7', 20, '网格员处置', 'assigned', 'team:CG-01'],
      [4, 'assign', 'lead-2', 30, undefined, 'assigned', 'officer-9'],
      [5, 'resolve', 'officer-9', 40, 'resolved on VHF 16', 'resolved', 'officer-9'],
    ]);
    for (const c of [ack, team, person, done]) expect(c.alert.seq).toBe(c.seq);
  });

  it('refuses what the state does not allow, by code, and counts it', () => {
    const { lc, id } = raised();
    must(lc.acknowledge(id, 'officer-7', 10 * S));
    expect(lc.acknowledge(id, 'officer-7', 11 * S)).toMatchObject({ ok: false, code: 'alert.transition' });
    must(lc.resolve(id, 'officer-7', 20 * S));
    expect(lc.resolve(id, 'officer-7', 21 * S)).toMatchObject({ ok: false, code: 'alert.transition' });
    expect(lc.assign(id, 'officer-7', 'officer-9', 22 * S)).toMatchObject({ ok: false, code: 'alert.transition' });
    expect(lc.acknowledge('collision-nope-0' as AlertId, 'officer-7', 23 * S)).toMatchObject({ ok: false, code: 'alert.not_found' });
    expect(lc.acknowledge(id, ' ', 24 * S)).toMatchObject({ ok: false, code: 'alert.invalid' });
    expect(lc.assign(id, 'officer-7', '', 25 * S)).toMatchObject({ ok: false, code: 'alert.invalid' });
    expect(Object.fromEntries(lc.counters.refused)).toEqual({ 'alert.transition': 3, 'alert.not_found': 1, 'alert.invalid': 2 });
  });

  it('a refused action changes nothing: the next change takes the next seq', () => {
    const { lc, id } = raised();
    lc.resolve(id, '', 5 * S);
    expect(must(lc.acknowledge(id, 'officer-7', 6 * S)).seq).toBe(2);
  });

  it('rule updates after an officer\'s change keep the officer\'s state and assignee', () => {
    const { lc, id } = raised();
    must(lc.assign(id, 'officer-7', 'officer-9', 5 * S));
    const [c] = run(lc, [sig(10, undefined)], 100);
    expect(c).toMatchObject({ alertId: id, seq: 3, action: 'update', alert: { state: 'assigned', assignee: 'officer-9', cleared: true } });
  });
});

describe('Lifecycle: many conditions at once', () => {
  /** 60 conditions flickering at random over two hours, each signal at its own second. */
  function noisy(seed: number): Signal[] {
    const rnd = seededRandom(seed);
    const out: Signal[] = [];
    const level: (AlertSeverity | undefined)[] = Array.from({ length: 60 }, () => undefined);
    for (let t = 0; t < 7200; t++) {
      const k = Math.floor(rnd() * 60);
      const r = rnd();
      // Mostly the same as before, sometimes a change: runs long enough to raise, gaps long and short.
      if (r < 0.15) level[k] = (['info', 'warning', 'danger', undefined, undefined] as const)[Math.floor(rnd() * 5)];
      out.push({ kind: k % 4 === 0 ? 'route-deviation' : 'collision', key: `c${k}`, severity: level[k], vesselIds: [`v${k}` as VesselId], atMs: t * S, details: { cpaNm: Math.round(rnd() * 100) / 100 } });
    }
    return out;
  }
  const byAlert = (cs: readonly AlertChange[]): AlertChange[] => [...cs].sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : a.seq - b.seq));

  it('gives the same changes at the same times whether the clock ticks every second, every 7 s, or never', () => {
    const signals = noisy(12);
    const none = run(new Lifecycle(POLICY), signals, 20_000);
    const ticked = (stepS: number): AlertChange[] => {
      const lc = new Lifecycle(POLICY);
      const out: AlertChange[] = [];
      for (const s of signals) {
        if ((s.atMs / S) % stepS === 0) out.push(...lc.tick(s.atMs - 1));
        out.push(...lc.decide([s]));
      }
      out.push(...lc.tick(20_000 * S));
      return out;
    };
    expect(none.length).toBeGreaterThan(100);
    expect(byAlert(ticked(1))).toEqual(byAlert(none));
    expect(byAlert(ticked(7))).toEqual(byAlert(none));
  });

  it('keeps each alert\'s seq contiguous from 1, its changes in time order, and at most one uncleared open alert per condition', () => {
    const cs = run(new Lifecycle(POLICY), noisy(99), 20_000);
    const seqs = new Map<AlertId, number>();
    const lastAt = new Map<AlertId, number>();
    const live = new Map<string, AlertId>(); // condition → its uncleared alert
    for (const c of cs) {
      expect(c.seq).toBe((seqs.get(c.alertId) ?? 0) + 1);
      seqs.set(c.alertId, c.seq);
      expect(c.atMs).toBeGreaterThanOrEqual(lastAt.get(c.alertId) ?? -Infinity);
      lastAt.set(c.alertId, c.atMs);
      const key = c.alert.key!;
      if (c.alert.cleared === true) {
        if (live.get(key) === c.alertId) live.delete(key);
      } else {
        const other = live.get(key);
        expect(other === undefined || other === c.alertId).toBe(true);
        live.set(key, c.alertId);
      }
    }
  });
});

describe('Lifecycle: ids', () => {
  it('are {kind}-{FNV-1a of the key, base 36}-{raise time, base 36}', () => {
    // FNV-1a 32-bit reference values (Fowler/Noll/Vo test suite): "" → 0x811c9dc5, "foobar" → 0xbf9cf968.
    expect(alertId('collision', 'foobar', 1_700_000_000_000)).toBe(`collision-${(0xbf9cf968).toString(36)}-${(1_700_000_000_000).toString(36)}`);
    expect(alertId('zone', '', 0)).toBe(`zone-${(0x811c9dc5).toString(36)}-0`);
  });

  it('a replay of the same signals gives the same ids and changes', () => {
    const signals = [...every(0, 40, 10, 'warning'), sig(50, undefined), ...every(500, 520, 10, 'danger')];
    expect(run(new Lifecycle(POLICY), signals, 1000)).toEqual(run(new Lifecycle(POLICY), signals, 1000));
  });
});

describe('Lifecycle.restore', () => {
  /** What the store holds for each open alert: its latest change's alert (store.alerts reads the same). */
  function held(changes: readonly AlertChange[]): Alert[] {
    const last = new Map<AlertId, Alert>();
    for (const c of changes) last.set(c.alertId, c.alert);
    return [...last.values()].filter((a) => a.state !== 'resolved');
  }

  it('continues an open alert: the same id, the next seq, no second raise', () => {
    const before = new Lifecycle(POLICY);
    const cs = run(before, every(0, 30, 10, 'danger', () => ({ cpaNm: 0.08 })));
    const ack = must(before.acknowledge(cs[0]!.alertId, 'officer-7', 35 * S));
    const after = Lifecycle.restore(held([...cs, ack]), POLICY);
    expect(after.openCount).toBe(1);
    const next = run(after, [...every(40, 100, 10, 'danger', () => ({ cpaNm: 0.08 })), sig(110, undefined)], 200);
    expect(timeline(next)).toEqual([[170, 'update', 'danger', true]]);
    expect(next[0]).toMatchObject({ alertId: cs[0]!.alertId, seq: 3, alert: { state: 'acknowledged' } });
  });

  it('rerunning the fixes stored before a kill (Pipeline.reevaluate): a restored alert keeps its figures and escalates; after the rerun its figures move on', () => {
    const figures = (t: number): Record<string, unknown> => ({ cpaNm: +(0.09 - 0.0005 * t).toFixed(4), tcpaMin: 4 - t / 60 });
    const before = new Lifecycle(POLICY);
    const cs = run(before, every(0, 120, 10, 'danger', figures));
    const last = cs[cs.length - 1]!;
    const after = Lifecycle.restore(held(cs), POLICY);
    // Fix time from 2 min before the last stored change, as Pipeline.reevaluate reruns it.
    const again = after.rerun(() => run(after, every(last.atMs / S - 120, last.atMs / S, 10, 'danger', figures), last.atMs / S));
    expect(again).toEqual([]);
    // Past the rerun, figures move on as before the restart.
    const next = run(after, [sig(last.atMs / S + 40, 'danger', { cpaNm: 0.01, tcpaMin: 1 })]);
    expect(next.map((c) => [c.alertId, c.action, c.alert.details])).toEqual([[last.alertId, 'update', { cpaNm: 0.01, tcpaMin: 1 }]]);

    // A restored warning whose condition reached danger in the rerun is escalated, its figures as stored.
    const w = run(new Lifecycle(POLICY), every(0, 60, 10, 'warning', () => ({ cpaNm: 0.3 })));
    const restored = Lifecycle.restore(held(w), POLICY);
    const up = restored.rerun(() => run(restored, every(40, 70, 10, 'danger', () => ({ cpaNm: 0.05 })), 70));
    expect(up.map((c) => [c.action, c.alert.severity, c.alert.details])).toEqual([['update', 'danger', { cpaNm: 0.3 }]]);
  });

  it('an open alert no signal confirms after the restart is cleared once the grace has passed', () => {
    const before = new Lifecycle(POLICY);
    const cs = run(before, [sig(0, 'danger')]);
    const after = Lifecycle.restore(held(cs), POLICY);
    expect(after.tick(1000 * S)).toEqual([]); // first clock after the restart: grace starts
    expect(after.tick(1359 * S)).toEqual([]);
    expect(timeline(after.tick(1360 * S))).toEqual([[1360, 'update', 'danger', true]]);
  });

  it('a cleared open alert comes back on its condition within the window, and takes actions as before', () => {
    const before = new Lifecycle(POLICY);
    const cs = run(before, [sig(0, 'danger'), sig(10, undefined)], 100);
    const after = Lifecycle.restore(held(cs), POLICY);
    const back = run(after, [sig(200, 'danger')]);
    expect(back.map((c) => [c.alertId, c.seq, c.action, c.alert.cleared === true])).toEqual([[cs[0]!.alertId, 3, 'update', false]]);
    expect(must(after.resolve(cs[0]!.alertId, 'officer-7', 300 * S)).seq).toBe(4);
  });

  it('a resolved alert whose condition held: its signals after the restart raise nothing, as without it; cleared and back, a new alert', () => {
    const lastOf = (changes: readonly AlertChange[]): Alert[] => [...new Map(changes.map((c) => [c.alertId, c.alert] as const)).values()];
    // t=0 danger raised; t=30 resolved by officer-7 while it holds.
    const before = new Lifecycle(POLICY);
    const cs = run(before, every(0, 30, 10, 'danger', () => ({ cpaNm: 0.08 })));
    const resolved = must(before.resolve(cs[0]!.alertId, 'officer-7', 30 * S));
    const stored = lastOf([...cs, resolved]);
    // Without the restart: the condition goes on to t=100, nothing new; it clears at 110 (hold 60 s: gone at 170), returns at 300: a new alert.
    const tail = [...every(40, 100, 10, 'danger', () => ({ cpaNm: 0.08 })), sig(110, undefined), sig(300, 'danger')];
    const live = run(before, tail, 400);
    expect(timeline(live)).toEqual([[300, 'raise', 'danger', false]]);
    // Restarted after t=30 with the resolved alert remembered: the same.
    const after = Lifecycle.restore(held([...cs, resolved]), POLICY, stored);
    const again = run(after, tail, 400);
    expect(timeline(again)).toEqual(timeline(live));
    expect(again[0]!.alertId).not.toBe(cs[0]!.alertId);
    // Forgotten (as before this change): the condition raised a new alert at its next signal.
    const forgot = run(Lifecycle.restore(held([...cs, resolved]), POLICY), tail, 400);
    expect(timeline(forgot)[0]).toEqual([40, 'raise', 'danger', false]);
  });

  it('refuses an alert without its seq (not read from the store): a programmer error', () => {
    const before = new Lifecycle(POLICY);
    const [c] = run(before, [sig(0, 'danger')]);
    const { seq: _seq, ...noSeq } = c!.alert;
    expect(() => Lifecycle.restore([noSeq], POLICY)).toThrow(/seq/);
  });
});

describe('Lifecycle.hasHoldingAlert', () => {
  it('agrees with a scan of the open alerts through raises, clears, re-raises, restores and resolves', () => {
    const rand = seededRandom(12);
    const vessels = Array.from({ length: 12 }, (_, i) => String(412000100 + i) as VesselId);
    let lc = new Lifecycle(POLICY);
    const scan = (v: VesselId): boolean => [...lc.openAlerts()].some((a) => a.cleared !== true && a.vesselIds.includes(v));
    let checked = 0;
    for (let step = 0; step < 3000; step++) {
      const tS = step * 5;
      const a = vessels[Math.floor(rand() * vessels.length)]!;
      const b = vessels[Math.floor(rand() * vessels.length)]!;
      const r = rand();
      if (r < 0.6 && a !== b) {
        const severity: AlertSeverity | undefined = rand() < 0.3 ? undefined : rand() < 0.5 ? 'warning' : 'danger';
        lc.decide([{ kind: 'collision', key: `collision:${a < b ? a : b}|${a < b ? b : a}`, severity, vesselIds: [a, b], atMs: tS * S, details: {} }]);
      } else if (r < 0.8) {
        lc.tick(tS * S);
      } else if (r < 0.95) {
        const open = [...lc.openAlerts()];
        if (open.length > 0) lc.resolve(open[Math.floor(rand() * open.length)]!.id, 'officer-1', tS * S);
      } else {
        lc = Lifecycle.restore([...lc.openAlerts()], POLICY);
      }
      for (const v of vessels) {
        expect(lc.hasHoldingAlert(v), `step ${step}, vessel ${v}`).toBe(scan(v));
        if (scan(v)) checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000); // the walk did hold alerts, not only empty states
  });
});
