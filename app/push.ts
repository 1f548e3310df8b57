import type { LivePicture, SeaPicture } from '../geo/index.js';
import type { Lifecycle as AlertLifecycle } from '../alerts/index.js';
import { alertView, vesselView, type PushFeed, type PushHub } from '../web/index.js';
import type { MetricsRegistry } from './metrics.js';

/** The push's view of the service: the live picture located in the sea grids, and the open alerts in memory. */
export function pushFeed(live: LivePicture, sea: SeaPicture, alerts: AlertLifecycle): PushFeed {
  return {
    vessels: (bbox) => {
      const out = [];
      for (const v of live.all()) {
        if (bbox !== null && (v.lon < bbox[0] || v.lon > bbox[2] || v.lat < bbox[1] || v.lat > bbox[3])) continue;
        out.push(vesselView(v, sea.membership(v.vesselId)));
      }
      return out;
    },
    vessel: (id) => {
      const v = live.get(id);
      return v === undefined ? undefined : vesselView(v, sea.membership(v.vesselId));
    },
    openAlerts: () => [...alerts.openAlerts()].map(alertView),
  };
}

/** `/ws` on /metrics: connections, messages and bytes out, and what was dropped or closed for slow or bad clients. */
export function exposePushMetrics(metrics: MetricsRegistry, push: PushHub): void {
  const c = push.counters;
  metrics.gauge('seagrid_ws_connections', 'WebSocket clients connected now', () => push.connections);
  metrics.gauge('seagrid_ws_connections_total', 'WebSocket clients accepted since start', () => c.accepted, 'counter');
  metrics.gauge('seagrid_ws_messages_sent_total', 'WebSocket messages sent, by type (snapshot, delta, pong)', () => [...c.sent].map(([type, n]) => [{ type }, n]), 'counter');
  metrics.gauge('seagrid_ws_sent_bytes_total', 'WebSocket bytes sent (message payloads)', () => c.bytesSent, 'counter');
  metrics.gauge('seagrid_ws_messages_received_total', 'WebSocket messages received from clients', () => c.received, 'counter');
  metrics.gauge('seagrid_ws_closed_total', 'WebSocket clients closed by the server, by close code (1001 stop, 1003 binary, 1007 not UTF-8, 1008 malformed, 1009 too big, 4001 resync)', () => [...c.closed].map(([code, n]) => [{ code: String(code) }, n]), 'counter');
  metrics.gauge('seagrid_ws_vessel_updates_dropped_total', 'vessel states a slow client was never sent because a newer one replaced them', () => c.superseded, 'counter');
  metrics.gauge('seagrid_ws_held_total', 'delta periods a client was skipped because its socket held more than the bound', () => c.held, 'counter');
}
