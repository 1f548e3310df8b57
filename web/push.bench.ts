import type { AlertChangeView, VesselView } from './protocol.js';
import { inBox, PushHub, type PushSocket } from './push.js';

/**
 * The push hub on one core with the demo's shape: 8,000 vessels, each reporting every 10 s (200
 * changed vessels per 250 ms period), 10 alert changes a second, 20 clients (one of them zoomed
 * on a quarter of the area). One round is 10 s of feed: 40 periods flushed back to back. The
 * sockets count what they are given (the network's own cost is the kernel's); what is measured is
 * the hub: building views it is handed, folding changes per client, serialising, sending.
 */
export const title = 'push (/ws): snapshot and coalesced deltas';

const VESSELS = 8000;
const CLIENTS = 20;
const PERIODS = 40;
const PERIOD_MS = 250;
const CHANGED_PER_PERIOD = VESSELS / (10_000 / PERIOD_MS);
const ALERTS_PER_PERIOD = 10 / (1000 / PERIOD_MS);

function view(i: number, t: number): VesselView {
  const lat = 29 + ((i * 7919) % 2000) / 1000 + t * 1e-5;
  const lon = 122 + ((i * 104729) % 2000) / 1000;
  return {
    vesselId: String(412_000_000 + i), mmsi: 412_000_000 + i, beidouCard: i % 4 === 0 ? String(1_000_000 + i) : null, name: `浙岱渔${10000 + i}`, shipType: 30,
    fleetId: `ZS-${Math.floor(i / 11)}`, lat, lon, sogKn: 5 + (i % 8), cogDeg: (i * 37) % 360, headingDeg: (i * 37) % 360, at: new Date(1_760_000_000_000 + t * 1000).toISOString(), source: 'ais',
    grids: { static: [`ECS-${i % 15}`], control: [`CG-${i % 12}`], patrol: [], fishingZone: `${600 + (i % 40)}`, fleet: `ZS-${Math.floor(i / 11)}`, h3: '87309a2c8ffffff', zones: [] },
  };
}

function change(n: number): AlertChangeView {
  const alert = { id: `collision-${n % 50}`, kind: 'collision', severity: 'warning', state: 'raised' as const, vesselIds: ['412000001', '412000002'], fleetId: null, raisedAt: '2025-10-12T03:15:00.000Z', updatedAt: '2025-10-12T03:15:00.000Z', assignee: null, details: { cpaNm: 0.4, tcpaMin: 9.5 }, fleetIds: [], cleared: false, seq: n, responders: [] };
  return { alertId: alert.id, seq: n, action: 'update', at: alert.updatedAt, actor: 'system', note: null, alert };
}

/** A quarter of the area the vessels are spread over ([122, 124] × [29, 31]). */
const QUARTER = [122, 29, 123, 30] as const;

/** A socket that always drains at once (the hub counts the bytes it sends). */
const socket = (): PushSocket => ({ bufferedAmount: 0, send: () => undefined, close: () => undefined });

export async function run(): Promise<{ name: string; value: number; unit: string; notes?: string }[]> {
  const vessels = new Map<string, VesselView>();
  for (let i = 0; i < VESSELS; i++) vessels.set(String(412_000_000 + i), view(i, 0));
  const hub = new PushHub({ vessels: (b) => [...vessels.values()].filter((v) => b === null || inBox(v, b)), vessel: (id) => vessels.get(id), openAlerts: () => [] }, { periodMs: 3_600_000 });
  const t0 = performance.now();
  const clients = [hub.connect(socket())];
  const snapshotMs = performance.now() - t0;
  for (let i = 1; i < CLIENTS; i++) clients.push(hub.connect(socket()));
  const snapshotBytes = clients[1]!.bytesSent;
  // Zooming in: its snapshot of the box goes out at the next flush (one a period); the rates below
  // are the steady feed after it.
  const zoomFrom = clients[0]!.bytesSent;
  hub.receive(clients[0]!, JSON.stringify({ type: 'subscribe', bbox: QUARTER }));
  hub.flush();
  const zoomSnapshotBytes = clients[0]!.bytesSent - zoomFrom;
  const before = clients.map((c) => c.bytesSent);
  let next = 0;
  let alerts = 0;
  let ms = 0;
  for (let p = 1; p <= PERIODS; p++) {
    const ids: string[] = [];
    for (let k = 0; k < CHANGED_PER_PERIOD; k++, next = (next + 1) % VESSELS) {
      vessels.set(String(412_000_000 + next), view(next, p));
      ids.push(String(412_000_000 + next));
    }
    const start = performance.now();
    hub.vesselsChanged(ids);
    for (let k = 0; k < ALERTS_PER_PERIOD; k++) hub.alertChanged(change(++alerts));
    hub.flush();
    ms += performance.now() - start;
  }
  for (const c of clients) hub.disconnect(c);
  const feedS = (PERIODS * PERIOD_MS) / 1000;
  const sent = (i: number): number => (clients[i]!.bytesSent - before[i]!) / feedS;
  return [
    { name: `hub time per second of feed, ${CLIENTS} clients`, value: ms / feedS, unit: 'ms/s', notes: `${VESSELS} vessels each every 10 s, 10 alert changes/s; one core` },
    { name: 'bytes per client per second (all vessels)', value: sent(1), unit: 'B/s' },
    { name: 'bytes per client per second (zoomed on a quarter)', value: sent(0), unit: 'B/s', notes: `after its snapshot of the quarter (${(zoomSnapshotBytes / 1e6).toFixed(2)} MB, once per zoom or pan out of the area asked for)` },
    { name: `snapshot of ${VESSELS} vessels`, value: snapshotMs, unit: 'ms', notes: `${(snapshotBytes / 1e6).toFixed(1)} MB of JSON` },
  ];
}
