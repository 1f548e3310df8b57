/** The end-to-end harness's figures as a BENCHMARKS.md section: one group of rows per rate step, then the verdict. */
import { GOAL_REPORTS_S, row } from './ingest-load.js';
import type { ReportRow, ReportSection } from './report.js';
import type { StepResult } from './e2e-step.js';
import { quantile } from './stats.js';

export const GOAL_SUSTAINED_S = 300;
export const GOAL_ALERT_P99_MS = 200;

export interface E2eRunInfo {
  readonly command: string;
  readonly vessels: number | undefined;
  readonly wsClients: number;
  readonly tracers: number;
  readonly pairsPerS: number;
  readonly warmupS: number;
}

/** The issue's goal, all of it, on one step. */
export function metGoal(r: StepResult): boolean {
  return r.reportsPerS >= GOAL_REPORTS_S && r.seconds >= GOAL_SUSTAINED_S && r.lost === 0 && quantile(r.alertMs, 0.99) < GOAL_ALERT_P99_MS && r.alertsMissing === 0;
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;

export function e2eSection(results: readonly StepResult[], o: E2eRunInfo, failures: readonly string[] = []): ReportSection {
  const title = 'End to end: simulator → Mosquitto → seagrid (store, alerts, /ws clients) → PostgreSQL, by feed rate';
  const about =
    `\`seagrid simulate --rate R\` (${o.vessels === undefined ? '8,000 fishing vessels in 770 fleets + merchant ships' : `${o.vessels.toLocaleString('en-US')} vessels`}) publishes QoS 1 to Debian Mosquitto (loopback); ` +
    `\`seagrid serve\` (its registry, every alert rule, store on Debian PostgreSQL 15) with ${o.wsClients} \`ws\` clients on /ws reading every message (a process of their own). ` +
    `A fresh broker and database per step; ${o.warmupS} s start burst, then the measured window. ` +
    `Latency from the MQTT publish (the harness's clock) to the /ws message (the clients' clock; one machine): ${o.tracers} tracer vessels report a unique position once a second each (publish → the vessel's delta, every client), ` +
    `and ${o.pairsPerS} pairs a second of new vessels 1 nm apart head-on at 10 kn (danger, no hold) arrive in one message each (publish → the collision alert on every client). ` +
    `Lost = MQTT messages the broker acknowledged (simulator and harness) minus those the service counted. CPU from /proc/PID/stat over the window; memory the peak PSS (/proc/PID/smaps_rollup) sampled each second; PostgreSQL is the postmaster and its backends. ` +
    `Goal (issue 16): ≥ ${GOAL_REPORTS_S.toLocaleString('en-US')} reports/s sustained for ${GOAL_SUSTAINED_S / 60} min, 0 lost, p99 publish→alert < ${GOAL_ALERT_P99_MS} ms, on this machine, simulator and broker included.`;
  const rows: ReportRow[] = [];
  const cmd = o.command;
  for (const r of results) {
    const at = `${r.rate}×`;
    const p = (xs: readonly number[], q: number): number => quantile(xs, q);
    rows.push(
      row(`${at}: distinct position reports, sustained`, r.reportsPerS, 'reports/s', cmd, { op: '>=', target: GOAL_REPORTS_S }, `${r.seconds.toFixed(0)} s window (goal: ${GOAL_SUSTAINED_S} s); copies from several receivers ${r.copiesPerS.toFixed(0)}/s not counted; the feed ended ${r.feedLateS.toFixed(1)} s behind its schedule, ${r.unsent.toLocaleString('en-US')} payloads unsent; the simulator's link reconnected ${r.simReconnects} time(s), ${r.simInFlight.toLocaleString('en-US')} awaiting PUBACK at its stop`),
      row(`${at}: MQTT messages lost`, r.lost, 'messages', cmd, { op: '<=', target: 0 }, `${r.published.toLocaleString('en-US')} acknowledged by the broker, ${r.received.toLocaleString('en-US')} received after ${r.reconnects} reconnect(s); backlog drained ${r.drainS.toFixed(1)} s after the feed`),
      row(`${at}: publish → collision alert on /ws, p99`, p(r.alertMs, 0.99), 'ms', cmd, { op: '<', target: GOAL_ALERT_P99_MS }, `p50 ${p(r.alertMs, 0.5).toFixed(0)} ms, max ${p(r.alertMs, 1).toFixed(0)} ms; ${r.alertMs.length} sightings of ${r.pairs} pairs × ${o.wsClients} clients; ${r.alertsMissing} never seen`),
      row(`${at}: publish → vessel delta on /ws, p99`, p(r.deltaMs, 0.99), 'ms', cmd, undefined, `p50 ${p(r.deltaMs, 0.5).toFixed(0)} ms, max ${p(r.deltaMs, 1).toFixed(0)} ms; ${r.deltaMs.length} sightings of ${r.tracerReports} tracer reports × ${o.wsClients} clients; ${r.tracerMissing} never sent to a client (replaced by a newer state while its socket was full, or after the window)`),
    );
    const names = { seagrid: 'seagrid serve', simulator: 'seagrid simulate', mosquitto: 'mosquitto', postgres: 'PostgreSQL (all processes)', wsClients: `the ${o.wsClients} /ws clients` } as const;
    for (const [k, name] of Object.entries(names) as [keyof typeof names, string][]) {
      const f = r.procs[k];
      rows.push(row(`${at}: CPU ${name}`, f.cpuPct, '% of one core', cmd, undefined, `peak PSS ${mib(f.peakPssBytes)}`));
    }
    rows.push(
      row(`${at}: seagrid event-loop delay, p99 since start`, r.eventLoopP99Ms, 'ms', cmd, undefined, `max ${r.eventLoopMaxMs.toFixed(0)} ms`),
      row(`${at}: fixes spooled to disk by the store`, r.spooledRows, 'rows', cmd, undefined, 'non-zero: PostgreSQL (or the writer) fell behind the feed'),
      row(`${at}: /ws bytes sent`, r.wsBytesPerS / 2 ** 20, 'MiB/s', cmd, undefined, `all clients; ${r.wsClosed} sockets closed; alerts raised (every rule) ${r.alertsPerS.toFixed(1)}/s`),
    );
  }
  const best = results.filter(metGoal).sort((a, b) => b.reportsPerS - a.reportsPerS)[0];
  rows.push(
    row(
      'highest rate meeting the whole goal (sustained ≥ 5 min, 0 lost, p99 alert < 200 ms)',
      best?.reportsPerS ?? 0,
      'reports/s',
      cmd,
      { op: '>=', target: GOAL_REPORTS_S },
      best === undefined ? `no step met it (steps: ${results.map((r) => `${r.rate}× ${r.reportsPerS.toFixed(0)}/s for ${r.seconds.toFixed(0)} s`).join(', ')})` : `${best.rate}×`,
    ),
  );
  return { title, about: failures.length === 0 ? about : `${about} **Steps that failed:** ${failures.join('; ')}.`, rows };
}
