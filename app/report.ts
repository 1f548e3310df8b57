/**
 * Reports per grid, per fleet and per Beijing day (issue 15 §3) in the service: the daily rollup
 * (report-rollup.ts) read from the store, made on first demand for a day not stored yet, and stored
 * once the day is over by SETTLE_MS (late fixes of the spool come in within it); a day still under
 * way is made afresh at each request and not stored. Alerts come from the supervision figures.
 */
import { supervise, type AlertSteps } from '../alerts/index.js';
import type { SeaPicture } from '../geo/index.js';
import type { ReportRollupRow, Store } from '../store/index.js';
import type { ReportRowView, ReportView } from '../web/index.js';
import { beijingDay, dayStartMs, daysFrom, DayRollup, DAY_MS, type Place, type RollupRow } from './report-rollup.js';
import { placedAlertSteps } from './supervision.js';

/** A day is stored this long after its end. */
export const SETTLE_MS = 3_600_000;
/** The rollup reads a day this many minute-windows at a time (memory: one hour of every vessel's minutes). */
const WINDOW_MS = 3_600_000;
const MORATORIUM_KIND = 'seasonal_closure';
/** A day under way is brought up to date at most this often. */
export const FRESH_MS = 60_000;
/** A minute is fed to a day under way once it ended this long ago (its fixes have come in). */
export const LAG_MS = 2 * 60_000;

export interface ReportDeps {
  readonly store: Store;
  readonly sea: SeaPicture;
  /** The vessel's fleet by the registry; '' none. */
  readonly fleetOf: (vesselId: string) => string;
  readonly nowMs: () => number;
}

export interface ReportQuery {
  readonly by: 'grid' | 'fleet';
  readonly day: string;
  readonly days: number;
  /** Only this fleet's vessels and alerts. */
  readonly fleetId?: string;
}

/** Where a point lies, by the sea grids the service runs with. */
export function placeOn(sea: SeaPicture): (lat: number, lon: number, atMs: number) => Place {
  const moratoria = new Set(sea.grids.grids().filter((g) => g.kind === MORATORIUM_KIND).map((g) => g.id));
  return (lat, lon, atMs) => {
    const a = sea.grids.assign(lat, lon, atMs);
    return { grids: [...a.static, ...a.control, ...a.patrol], moratorium: a.zones.some((z) => moratoria.has(z)) };
  };
}

export class Reports {
  /** Settled days being made and stored now. */
  private readonly making = new Map<string, Promise<RollupRow[]>>();
  /** Days under way (today), each fed minute by minute. */
  private readonly today = new Map<string, { readonly rollup: DayRollup; fedUntil: number; madeAt: number; rows: Promise<RollupRow[]> }>();
  private readonly place: (lat: number, lon: number, atMs: number) => Place;

  constructor(private readonly d: ReportDeps) {
    this.place = placeOn(d.sea);
  }

  /** One day's rollup from the store's minute points (not stored). */
  async makeDay(day: string): Promise<{ points: number; rows: RollupRow[] }> {
    const start = dayStartMs(day);
    const r = new DayRollup(this.place, this.d.fleetOf);
    for (let t = start; t < start + DAY_MS; t += WINDOW_MS) for (const track of await this.d.store.minuteTracks(t, t + WINDOW_MS)) r.add(track);
    return { points: r.points, rows: r.finish() };
  }

  /** The rollup rows of the days, each from the store or made now; which days are complete and stored. */
  async rollup(days: readonly string[]): Promise<{ rows: ReportRollupRow[]; states: ReportView['dayStates'] }> {
    const now = this.d.nowMs();
    const have = await this.d.store.reportRollup(days);
    const stored = new Set(have.stored);
    const rows: ReportRollupRow[] = [...have.rows];
    const states: { day: string; complete: boolean; stored: boolean }[] = [];
    for (const day of days) {
      const start = dayStartMs(day);
      const complete = start + DAY_MS <= now;
      if (!stored.has(day) && start < now) {
        const made = await this.once(day, start + DAY_MS + SETTLE_MS <= now);
        rows.push(...made.map((r) => ({ day, ...r })));
      }
      states.push({ day, complete, stored: stored.has(day) });
    }
    return { rows, states };
  }

  /** Makes a settled day once however many requests ask for it at the same time, and stores it; a day under way: `sofar`. */
  private once(day: string, store: boolean): Promise<RollupRow[]> {
    if (!store) return this.sofar(day);
    this.today.delete(day);
    let p = this.making.get(day);
    if (p === undefined) {
      p = (async () => {
        const made = await this.makeDay(day);
        await this.d.store.putReportDay(day, made.points, made.rows.map((r) => ({ day, ...r })));
        return made.rows;
      })().finally(() => this.making.delete(day));
      this.making.set(day, p);
    }
    return p;
  }

  /**
   * A day under way, kept as a rollup fed with each minute once it is LAG_MS old (every console
   * opening the page would otherwise read the whole day's minutes again), brought up to date at
   * most every FRESH_MS. A fix that comes later than that for a minute already fed counts only in
   * the stored day, made afresh once the day has settled.
   */
  private sofar(day: string): Promise<RollupRow[]> {
    const now = this.d.nowMs();
    const start = dayStartMs(day);
    let e = this.today.get(day);
    if (e === undefined) this.today.set(day, (e = { rollup: new DayRollup(this.place, this.d.fleetOf), fedUntil: start, madeAt: -Infinity, rows: Promise.resolve([]) }));
    if (now - e.madeAt < FRESH_MS) return e.rows;
    const entry = e;
    entry.madeAt = now;
    const until = Math.min(start + DAY_MS, Math.floor((now - LAG_MS) / 60_000) * 60_000);
    const before = entry.rows;
    entry.rows = (async () => {
      await before.catch(() => undefined); // windows go in in order
      while (entry.fedUntil < until) {
        const to = Math.min(entry.fedUntil + WINDOW_MS, until);
        for (const track of await this.d.store.minuteTracks(entry.fedUntil, to)) entry.rollup.add(track);
        entry.fedUntil = to;
      }
      return entry.rollup.finish();
    })();
    entry.rows.catch(() => (entry.madeAt = -Infinity)); // asked again at the next request
    return entry.rows;
  }

  /**
   * The report: `seesFleet` is the asker's scope (a fleet leader: his fleets), applied to the
   * rollup's fleets and to the fleets an alert concerns.
   */
  async view(q: ReportQuery, seesFleet: (fleetId: string) => boolean): Promise<ReportView> {
    const days = daysFrom(q.day, q.days);
    const keep = (fleetId: string): boolean => seesFleet(fleetId) && (q.fleetId === undefined || fleetId === q.fleetId);
    const { rows, states } = await this.rollup(days);
    const start = dayStartMs(q.day);
    const steps = await placedAlertSteps(this.d.store, this.d.sea, start, start + q.days * DAY_MS, (fleetIds) => fleetIds.some(keep) || (fleetIds.length === 0 && q.fleetId === undefined && seesFleet('')));
    return { by: q.by, day: q.day, days: q.days, timeZone: 'Asia/Shanghai', fleetId: q.fleetId ?? null, dayStates: states, rows: reportRows(q.by, rows.filter((r) => keep(r.fleetId)), steps, keep) };
  }
}

type Sums = { vessels: number; atSeaS: number; distanceM: number; moratoriumS: number };

/** Rollup rows (already in scope) and alerts joined into the report's rows, by day then id. */
export function reportRows(by: 'grid' | 'fleet', rollup: readonly ReportRollupRow[], steps: readonly AlertSteps[], keepFleet: (fleetId: string) => boolean): ReportRowView[] {
  const sums = new Map<string, Sums>();
  for (const r of rollup) {
    // By grid: every grid but the whole sea (''), fleets summed; by fleet: the whole sea's rows, vessels in no fleet left out.
    const id = by === 'grid' ? r.gridId : r.gridId === '' ? r.fleetId : '';
    if (id === '') continue;
    const key = `${r.day}\u0000${id}`;
    const s = sums.get(key) ?? { vessels: 0, atSeaS: 0, distanceM: 0, moratoriumS: 0 };
    sums.set(key, { vessels: s.vessels + r.vessels, atSeaS: s.atSeaS + r.atSeaS, distanceM: s.distanceM + r.distanceM, moratoriumS: s.moratoriumS + r.moratoriumS });
  }
  const alertsByDay = new Map<string, AlertSteps[]>();
  for (const s of steps) {
    const day = beijingDay(s.raisedAtMs);
    alertsByDay.set(day, [...(alertsByDay.get(day) ?? []), s]);
  }
  const out = new Map<string, ReportRowView>();
  for (const [key, s] of sums) {
    const [day, id] = key.split('\u0000') as [string, string];
    out.set(key, { ...EMPTY, day, id, vessels: s.vessels, hoursAtSea: s.atSeaS / 3600, distanceNm: s.distanceM / 1852, moratoriumHours: s.moratoriumS / 3600 });
  }
  for (const [day, daySteps] of alertsByDay) {
    for (const row of supervise(daySteps, by)) {
      if (by === 'fleet' && !keepFleet(row.id)) continue;
      const key = `${day}\u0000${row.id}`;
      const mine = daySteps.filter((s) => (by === 'grid' ? s.gridIds : s.fleetIds).includes(row.id));
      out.set(key, { ...(out.get(key) ?? { ...EMPTY, day, id: row.id }), ...row, day, alertsByKind: countBy(mine, (s) => s.kind), alertsBySeverity: countBy(mine, (s) => s.severity) });
    }
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

const EMPTY: Omit<ReportRowView, 'day' | 'id'> = {
  vessels: 0, hoursAtSea: 0, distanceNm: 0, moratoriumHours: 0, alerts: 0, alertsByKind: {}, alertsBySeverity: {},
  acknowledged: 0, dispatched: 0, resolved: 0, medianToAcknowledgeS: null, medianToDispatchS: null, medianToArrivalS: null, medianToResolveS: null,
};

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}
