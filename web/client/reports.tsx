/**
 * Reports (issue 15 §3): per grid or fleet and per Beijing day, the figures of `GET /api/reports`
 * as two charts and a table, and the same report as CSV. The charts are SVG drawn here: a bar per
 * grid or fleet and a column per day, a few dozen rectangles that need no chart library, no canvas
 * and no second styling system (uPlot draws time-series lines, not labelled bars). The server
 * computes every figure; this page only sums the days of a row for the bars and lays them out.
 */
import type { ReportRowView, ReportView } from '../report-view.js';
import { durationOf, t, tOr, type MessageKey } from './i18n.js';
import { useState } from './ui.js';
import { useApiView } from './use-api-view.js';
import { ApiPage } from './api-page.js';
import './reports.css';

const METRICS = ['vessels', 'hoursAtSea', 'distanceNm', 'moratoriumHours', 'alerts'] as const;
type Metric = (typeof METRICS)[number];
const METRIC_KEY: Readonly<Record<Metric, MessageKey>> = { vessels: 'rep_vessels', hoursAtSea: 'rep_hoursAtSea', distanceNm: 'rep_distanceNm', moratoriumHours: 'rep_moratoriumHours', alerts: 'rep_alerts' };
const SPANS = [1, 7, 30] as const;
/** The most bars the first chart draws (the table lists every row). */
const MAX_BARS = 15;

/** Today in Beijing as YYYY-MM-DD. */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The first day of a span ending today (Beijing). */
function spanStart(days: number): string {
  return new Date(Date.parse(`${beijingToday()}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

/** Counts whole; hours to 0.01 h (36 s), distances to 0.1 nm. */
const fmt = (v: number, m: Metric): string => (m === 'vessels' || m === 'alerts' ? String(Math.round(v)) : v.toFixed(m === 'distanceNm' ? 1 : 2));

/** Horizontal bars, largest first; each carries its value as data-value. */
function Bars(props: { items: readonly (readonly [string, number])[]; metric: Metric }) {
  const max = Math.max(1e-9, ...props.items.map(([, v]) => v));
  const rowH = 18;
  const w = 520;
  const labelW = 110;
  return (
    <svg class="rep-chart" data-chart="bars" width={w} height={props.items.length * rowH + 4} role="img" aria-label={t(METRIC_KEY[props.metric])}>
      {props.items.map(([id, v], i) => (
        <g data-bar={id} data-value={String(v)}>
          <text x={labelW - 6} y={i * rowH + 13} text-anchor="end">{id}</text>
          <rect x={labelW} y={i * rowH + 3} width={Math.max(1, ((w - labelW - 60) * v) / max)} height={rowH - 6} />
          <text x={labelW + ((w - labelW - 60) * v) / max + 4} y={i * rowH + 13}>{fmt(v, props.metric)}</text>
        </g>
      ))}
    </svg>
  );
}

/** One column per day (the sum over the rows of that day), the day's month-day under it. */
function Days(props: { items: readonly (readonly [string, number])[]; metric: Metric }) {
  const max = Math.max(1e-9, ...props.items.map(([, v]) => v));
  const h = 120;
  const colW = Math.max(8, Math.min(40, Math.floor(520 / Math.max(1, props.items.length))));
  return (
    <svg class="rep-chart" data-chart="days" width={props.items.length * colW + 8} height={h + 34} role="img" aria-label={t('rep_byDay')}>
      {props.items.map(([day, v], i) => {
        const bh = (h * v) / max;
        return (
          <g data-day={day} data-value={String(v)}>
            <rect x={i * colW + 4} y={h - bh + 14} width={colW - 3} height={Math.max(bh, 0.5)} />
            {props.items.length <= 10 && <text x={i * colW + 4 + (colW - 3) / 2} y={h - bh + 11} text-anchor="middle">{fmt(v, props.metric)}</text>}
            {(props.items.length <= 10 || i % 5 === 0) && <text x={i * colW + 4} y={h + 28}>{day.slice(5)}</text>}
          </g>
        );
      })}
    </svg>
  );
}

function sumBy(rows: readonly ReportRowView[], key: (r: ReportRowView) => string, metric: Metric): [string, number][] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r[metric]);
  return [...m];
}

export function ReportsPage(props: { base: string; onClose(): void }) {
  const [days, setDays] = useState<number>(7);
  const [by, setBy] = useState<'grid' | 'fleet'>('grid');
  const [metric, setMetric] = useState<Metric>('hoursAtSea');
  const query = `day=${spanStart(days)}&days=${days}&by=${by}`;
  const { view, error } = useApiView<ReportView>(query, () => `${props.base}/api/reports?${query}`);

  const bars = view === null ? [] : sumBy(view.rows, (r) => r.id, metric).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_BARS);
  const perDay = view === null ? [] : view.dayStates.map((d): [string, number] => [d.day, view.rows.filter((r) => r.day === d.day).reduce((s, r) => s + r[metric], 0)]);

  return (
    <ApiPage
      testId="reports"
      class="reports-page"
      title={t('reports')}
      view={view}
      error={error}
      onClose={props.onClose}
      tools={
        <>
          <select aria-label="days" value={String(days)} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
            {SPANS.map((n) => (
              <option value={String(n)}>{t('rep_days', { n })}</option>
            ))}
          </select>
          <select aria-label="by" value={by} onChange={(e) => setBy((e.target as HTMLSelectElement).value as 'grid' | 'fleet')}>
            <option value="grid">{t('sup_byGrid')}</option>
            <option value="fleet">{t('sup_byFleet')}</option>
          </select>
          <select aria-label="metric" value={metric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value as Metric)}>
            {METRICS.map((m) => (
              <option value={m}>{t(METRIC_KEY[m])}</option>
            ))}
          </select>
          <a class="rep-csv" href={`${props.base}/api/reports?${query}&format=csv`} download>
            {t('rep_csv')}
          </a>
        </>
      }
    >
      {(view) => (
        <div>
          <div class="sup-summary">{t('rep_summary', { from: view.day, to: view.dayStates.at(-1)?.day ?? view.day, n: view.rows.length })}</div>
          {view.rows.length === 0 && <div class="empty">{t('rep_none')}</div>}
          {view.rows.length > 0 && (
            <div class="rep-charts">
              <div>
                <div class="h-title">{t(METRIC_KEY[metric])} · {t(by === 'grid' ? 'grid' : 'fleet')}</div>
                <Bars items={bars} metric={metric} />
              </div>
              <div>
                <div class="h-title">{t(METRIC_KEY[metric])} · {t('rep_byDay')}</div>
                <Days items={perDay} metric={metric} />
              </div>
            </div>
          )}
          {view.rows.length > 0 && (
            <table class="rep-rows">
              <tr>
                <th>{t('rep_day')}</th>
                <th>{t(view.by === 'grid' ? 'grid' : 'fleet')}</th>
                {METRICS.map((m) => (
                  <th class="num">{t(METRIC_KEY[m])}</th>
                ))}
                <th>{t('rep_kinds')}</th>
                <th>{t('sup_toAck')}</th>
                <th>{t('sup_toResolve')}</th>
              </tr>
              {view.rows.map((r) => (
                <tr data-rep-row={`${r.day}|${r.id}`}>
                  <td>{r.day}</td>
                  <td>{r.id}</td>
                  {METRICS.map((m) => (
                    <td data-metric={m} data-value={String(r[m])}>{fmt(r[m], m)}</td>
                  ))}
                  <td>{Object.entries(r.alertsByKind).map(([k, n]) => `${tOr('kind_', k)} ${n}`).join('，') || t('none')}</td>
                  <td>{durationOf(r.medianToAcknowledgeS)}</td>
                  <td>{durationOf(r.medianToResolveS)}</td>
                </tr>
              ))}
            </table>
          )}
          <div class="dim">{t('rep_note')}</div>
        </div>
      )}
    </ApiPage>
  );
}
