/**
 * A report (GET /api/reports) as CSV: one row per day and grid or fleet. The alert kinds and
 * severities are columns of their own (`alerts_{kind}`, `severity_{severity}`): the ones the
 * service raises always, any other that occurs after them, so a spreadsheet's columns stay put.
 */
import { csvText } from './export.js';
import type { ReportView } from './report-view.js';

const KINDS = ['collision', 'route-deviation', 'fleet-straggler', 'fleet-proximity', 'signal-lost', 'zone'];
const SEVERITIES = ['info', 'warning', 'danger'];

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export function reportCsv(r: ReportView): string {
  const extra = (known: readonly string[], seen: (row: ReportView['rows'][number]) => Record<string, number>): string[] => {
    const all = new Set(known);
    for (const row of r.rows) for (const k of Object.keys(seen(row))) all.add(k);
    return [...known, ...[...all].filter((k) => !known.includes(k)).sort()];
  };
  const kinds = extra(KINDS, (row) => row.alertsByKind);
  const severities = extra(SEVERITIES, (row) => row.alertsBySeverity);
  const header = [
    'day_beijing', r.by === 'grid' ? 'grid_id' : 'fleet_id', 'vessels', 'hours_at_sea', 'distance_nm', 'moratorium_hours', 'alerts',
    ...kinds.map((k) => `alerts_${k}`), ...severities.map((s) => `severity_${s}`),
    'acknowledged', 'dispatched', 'resolved', 'median_to_acknowledge_s', 'median_to_dispatch_s', 'median_to_arrival_s', 'median_to_resolve_s',
  ];
  return csvText(
    header,
    r.rows.map((row) => [
      row.day, row.id, row.vessels, round(row.hoursAtSea, 3), round(row.distanceNm, 3), round(row.moratoriumHours, 3), row.alerts,
      ...kinds.map((k) => row.alertsByKind[k] ?? 0), ...severities.map((s) => row.alertsBySeverity[s] ?? 0),
      row.acknowledged, row.dispatched, row.resolved, row.medianToAcknowledgeS, row.medianToDispatchS, row.medianToArrivalS, row.medianToResolveS,
    ]),
  );
}
