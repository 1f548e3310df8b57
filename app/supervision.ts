/**
 * Full-chain supervision figures (全链监督) in the service: the store's step times of the alerts
 * raised in a window, each placed in the grids its first vessel was in at the raise (the grids in
 * force then), grouped and reduced to medians by alerts/supervision.ts.
 */
import { figuresOf, supervise, type AlertSteps } from '../alerts/index.js';
import type { SeaPicture } from '../geo/index.js';
import type { Store } from '../store/index.js';
import { SUPERVISION_ALERTS_MAX, type SupervisionView } from '../web/index.js';

/** The alerts raised in [fromMs, toMs) that pass `sees`, oldest first, each placed in its grids (reports count them the same way). */
export async function placedAlertSteps(store: Store, sea: SeaPicture, fromMs: number, toMs: number, sees: (fleetIds: readonly string[]) => boolean): Promise<AlertSteps[]> {
  const visible = (await store.alertSteps(fromMs, toMs)).filter((s) => sees(s.fleetIds));
  return visible.map((s) => {
    const m = s.place === null ? undefined : sea.grids.assign(s.place.lat, s.place.lon, s.raisedAtMs);
    return { ...s, gridIds: m === undefined ? [] : [...m.static, ...m.control, ...m.patrol] };
  });
}

export async function supervisionView(store: Store, sea: SeaPicture, q: { fromMs: number; toMs: number; by: 'grid' | 'fleet' }, sees: (fleetIds: readonly string[]) => boolean): Promise<SupervisionView> {
  const steps = await placedAlertSteps(store, sea, q.fromMs, q.toMs, sees);
  const perAlert = steps
    .slice(-SUPERVISION_ALERTS_MAX)
    .reverse()
    .map((s) => ({ alertId: s.alertId, kind: s.kind, severity: s.severity, raisedAt: new Date(s.raisedAtMs).toISOString(), fleetIds: s.fleetIds, gridIds: s.gridIds, ...figuresOf(s) }));
  return { from: new Date(q.fromMs).toISOString(), to: new Date(q.toMs).toISOString(), by: q.by, alerts: steps.length, rows: supervise(steps, q.by), perAlert };
}
