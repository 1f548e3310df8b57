/**
 * The end-to-end harness's /ws readers, in a process of their own so their reading neither delays
 * the harness's publishes nor hides in its CPU figure: `node e2e-ws-clients.js PORT N`. Each of
 * the N clients reads every message; tracer sightings and alert changes go to the parent over IPC,
 * stamped with the wall clock (performance.timeOrigin + now: the harness stamps its publishes the same way).
 */
import WebSocket from 'ws';
import { WS_PATH } from '../web/protocol.js';
import { scanWsMessage } from './e2e-tracer.js';

/** To the parent: every client has its snapshot; sightings (batched every 50 ms); the totals at the end. */
export type WsClientsEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'seen'; readonly tracers: [client: number, vesselId: string, lon: number, atMs: number][]; readonly alerts: [client: number, kind: string, vesselIds: string[], atMs: number][] }
  | { readonly type: 'totals'; readonly bytes: number; readonly messages: number; readonly closed: number };

const wallNow = (): number => performance.timeOrigin + performance.now();

async function main(port: number, n: number): Promise<void> {
  const send = (e: WsClientsEvent): void => void process.send!(e);
  let bytes = 0;
  let messages = 0;
  let closed = 0;
  let pending: Extract<WsClientsEvent, { type: 'seen' }> = { type: 'seen', tracers: [], alerts: [] };
  const sockets: WebSocket[] = [];
  const snapshots: Promise<void>[] = [];
  for (let c = 0; c < n; c++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, { perMessageDeflate: false });
    sockets.push(ws);
    let first: () => void = () => undefined;
    snapshots.push(new Promise<void>((r) => (first = r)));
    ws.on('message', (data: Buffer) => {
      const at = wallNow();
      bytes += data.length;
      messages++;
      first();
      const s = scanWsMessage(data);
      for (const t of s.tracers) pending.tracers.push([c, t.vesselId, t.lon, at]);
      for (const a of s.alerts) pending.alerts.push([c, a.kind, a.vesselIds, at]);
    });
    ws.on('close', () => closed++);
    ws.on('error', (e) => process.stderr.write(`e2e ws client ${c}: ${e.message}\n`));
  }
  await Promise.all(snapshots);
  send({ type: 'ready' });
  const flush = setInterval(() => {
    if (pending.tracers.length + pending.alerts.length === 0) return;
    send(pending);
    pending = { type: 'seen', tracers: [], alerts: [] };
  }, 50);
  process.on('message', (m: unknown) => {
    if (m !== 'stop') return;
    clearInterval(flush);
    send(pending);
    send({ type: 'totals', bytes, messages, closed });
    for (const ws of sockets) ws.terminate();
    process.disconnect();
  });
}

if (process.send !== undefined) await main(Number(process.argv[2]), Number(process.argv[3]));
