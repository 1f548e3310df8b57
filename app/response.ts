/**
 * Rapid response (快响指挥) in the service: who can help with an alert, from the live picture, the
 * neighbour index and the registry (alerts/responders.ts ranks), and the officer's dispatch through
 * the one alert state machine, recorded and published like every other alert change.
 */
import { rankResponders, type Lifecycle, type ResponderWorld } from '../alerts/index.js';
import type { LivePicture, SeaPicture } from '../geo/index.js';
import type { AlertChange, AlertId, Result, VesselId, VesselRegistry } from '../model/index.js';
import type { Store } from '../store/index.js';
import { alertFileView, type AlertFileView, type DispatchBody, type ResponderView } from '../web/index.js';
import { recordAlertChange, type AlertRecording } from './record.js';

/** Patrol craft of the registry (AIS ship type 51 search and rescue, 55 law enforcement). */
function patrolCraft(registry: VesselRegistry): VesselId[] {
  return registry
    .all()
    .filter((f) => f.shipType === 51 || f.shipType === 55)
    .map((f) => f.vesselId);
}

export function responderWorld(live: LivePicture, sea: SeaPicture, registry: VesselRegistry): ResponderWorld {
  const patrol = patrolCraft(registry);
  return {
    near: (lat, lon, radiusNm, visit) => void sea.neighbours.forEachNear({ lat, lon }, radiusNm, (id) => visit(id)),
    vessel: (id) => {
      const v = live.get(id);
      if (v === undefined) return undefined;
      return {
        lat: v.lat,
        lon: v.lon,
        atMs: v.atMs,
        ...(v.sogKn === undefined ? {} : { sogKn: v.sogKn }),
        ...(v.fleetId === undefined ? {} : { fleetId: v.fleetId }),
        ...(v.shipType === undefined ? {} : { shipType: v.shipType }),
        ...(v.name === undefined ? {} : { name: v.name }),
        beidou: v.beidouCard !== undefined,
      };
    },
    patrolCraft: () => patrol,
  };
}

/** Ranked responders for an open alert; undefined when the alert is not open here. */
export function respondersFor(decider: Lifecycle, world: ResponderWorld, id: AlertId, nowMs: number): ResponderView[] | undefined {
  const a = decider.get(id);
  if (a === undefined) return undefined;
  const enRoute = (a.responders ?? []).filter((r) => r.arrivedAtMs === undefined).map((r) => r.vesselId);
  return rankResponders(a, world, nowMs, { always: enRoute }).map((r) => ({
    vesselId: r.vesselId,
    role: r.role,
    dispatched: enRoute.includes(r.vesselId),
    name: r.name ?? null,
    fleetId: r.fleetId ?? null,
    distanceNm: Math.round(r.distanceNm * 1000) / 1000,
    etaMin: Math.round(r.etaMin * 10) / 10,
    fixAgeS: Math.round(r.fixAgeS),
  }));
}

/** The officer sends vessels; the change is recorded and published, the answer is the alert with its history. */
export async function dispatchAction(decider: Lifecycle, store: Store, recording: AlertRecording, id: AlertId, body: DispatchBody, actor: string, nowMs: number): Promise<Result<AlertFileView>> {
  const r = decider.dispatch(id, actor, body.vesselIds as VesselId[], nowMs, body.note);
  if (!r.ok) return r;
  return { ok: true, value: await answered(store, recording, r.value) };
}

/** Records an officer's change and answers with the alert and its stored history (the change included, even if the store lags). */
export async function answered(store: Store, recording: AlertRecording, change: AlertChange): Promise<AlertFileView> {
  await recordAlertChange(store, change, recording);
  let history: AlertChange[] = [];
  try {
    history = await store.alertHistory(change.alertId);
  } catch {
    // The change is spooled or the reads are busy: the answer still tells what was done.
  }
  if (!history.some((c) => c.seq === change.seq)) history = [...history, change].sort((a, b) => a.seq - b.seq);
  return alertFileView(history[history.length - 1]!.alert, history);
}
