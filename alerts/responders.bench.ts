import { NeighbourIndex } from '../geo/index.js';
import { benchFleet } from '../geo/neighbours.bench.js';
import { seededRandom, type Alert, type AlertId, type FleetId, type VesselId } from '../model/index.js';
import { rankResponders, type ResponderVessel, type ResponderWorld } from './responders.js';

/**
 * Rapid response: ranking who can help one alert among the neighbour bench's 100,000 vessels
 * (geo/neighbours.bench.ts: 70,000 under way over 27–33°N 121–127°E, 30,000 moored in 30 harbour
 * clusters), through the real neighbour index, 20 nm search radius, 50 patrol craft always offered.
 * Every vessel a fishing vessel in a fleet of ten; each round ranks responders for 500 alerts of two
 * vessels drawn at random (harbour ones included: the densest case) and reports the median and p90.
 */
export const title = "rapid response: responders for one alert among the neighbour bench's 100,000 vessels";

const ALERTS = 500;
const T = Date.parse('2026-07-01T04:00:00Z');

interface State {
  readonly ids: readonly VesselId[];
  readonly world: ResponderWorld;
  readonly rand: () => number;
}

let state: State | undefined;

function setup(): State {
  const fleet = benchFleet();
  const index = new NeighbourIndex({ res: 6 });
  const vessels = new Map<VesselId, ResponderVessel>();
  const patrol: VesselId[] = [];
  fleet.ids.forEach((id, i) => {
    const isPatrol = i % 2_000 === 0;
    const v: ResponderVessel = {
      lat: fleet.lat[i]!,
      lon: fleet.lon[i]!,
      atMs: T - (i % 180) * 1000,
      sogKn: fleet.sogKn[i]!,
      ...(isPatrol ? { shipType: 55 } : { shipType: 30, fleetId: `F${Math.floor(i / 10)}` as FleetId }),
    };
    if (isPatrol) patrol.push(id);
    vessels.set(id, v);
    index.upsert(id, v.lat, v.lon);
  });
  const world: ResponderWorld = {
    near: (lat, lon, radiusNm, visit) => void index.forEachNear({ lat, lon }, radiusNm, (id) => visit(id)),
    vessel: (id) => vessels.get(id),
    patrolCraft: () => patrol,
  };
  return { ids: fleet.ids, world, rand: seededRandom(5) };
}

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string }[]> {
  state ??= setup();
  const s = state;
  const times: number[] = [];
  let offered = 0;
  for (let k = 0; k < ALERTS; k++) {
    const a = s.ids[Math.floor(s.rand() * s.ids.length)]!;
    const b = s.ids[Math.floor(s.rand() * s.ids.length)]!;
    const fleetId = s.world.vessel(a)!.fleetId;
    const alert: Alert = { id: `collision-${k}` as AlertId, kind: 'collision', severity: 'danger', state: 'raised', vesselIds: [a, b], raisedAtMs: T, updatedAtMs: T, details: {}, ...(fleetId === undefined ? {} : { fleetIds: [fleetId] }) };
    const t0 = process.hrtime.bigint();
    offered += rankResponders(alert, s.world, T).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((x, y) => x - y);
  return [
    {
      name: 'responders ranked for one alert (median of 500)',
      value: times[times.length >> 1]!,
      unit: 'ms',
      notes: `p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms; ${(offered / ALERTS).toFixed(1)} offered per alert (top 20)`,
    },
  ];
}
