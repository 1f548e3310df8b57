/**
 * Full-chain supervision (全链监督): how fast alerts were handled over a chosen period — per grid
 * or per fleet the medians of `GET /api/supervision`, and each alert's own times — in Beijing
 * time. The server computes every figure (one implementation); this page only lays them out, so
 * each cell carries its seconds as `data-seconds` beside the text a person reads.
 */
import type { SupervisionView } from '../protocol.js';
import { dateTimeOf, durationOf, t, tOr, type MessageKey } from './i18n.js';
import { useState } from './ui.js';
import { useApiView } from './use-api-view.js';
import { ApiPage } from './api-page.js';

const PERIODS = { sup_1h: 3_600_000, sup_24h: 86_400_000, sup_7d: 7 * 86_400_000, sup_30d: 30 * 86_400_000 } as const;
type Period = keyof typeof PERIODS;
/** The figures move as alerts are handled: asked again this often while the page is open. */
const REFRESH_MS = 15_000;

const STEPS = [
  ['ack', 'sup_toAck'],
  ['dispatch', 'sup_toDispatch'],
  ['arrival', 'sup_toArrival'],
  ['resolve', 'sup_toResolve'],
] as const satisfies readonly (readonly [string, MessageKey])[];

function StepHeads() {
  return (
    <>
      {STEPS.map(([, k]) => (
        <th>{t(k)}</th>
      ))}
    </>
  );
}

/** The STEPS' cells of one row: seconds to acknowledge, dispatch, arrival, resolve. */
function StepCells(props: { s: readonly [number | null, number | null, number | null, number | null] }) {
  return (
    <>
      {STEPS.map(([step], i) => (
        <Seconds step={step} s={props.s[i]!} />
      ))}
    </>
  );
}

function Seconds(props: { step: string; s: number | null }) {
  return (
    <td data-step={props.step} data-seconds={props.s === null ? '' : String(props.s)}>
      {durationOf(props.s)}
    </td>
  );
}

export function SupervisionPage(props: { base: string; onClose(): void }) {
  const [period, setPeriod] = useState<Period>('sup_24h');
  const [by, setBy] = useState<'grid' | 'fleet'>('grid');
  // The window ends now at each asking: the figures move as alerts are handled.
  const { view, error } = useApiView<SupervisionView>(`${period} ${by}`, () => {
    const to = Date.now();
    const from = new Date(to - PERIODS[period]).toISOString();
    return `${props.base}/api/supervision?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(to).toISOString())}&by=${by}`;
  }, REFRESH_MS);

  return (
    <ApiPage
      testId="supervision"
      title={t('supervision')}
      view={view}
      error={error}
      onClose={props.onClose}
      tools={
        <>
          <select aria-label="period" value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value as Period)}>
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <option value={p}>{t(p)}</option>
            ))}
          </select>
          <select aria-label="by" value={by} onChange={(e) => setBy((e.target as HTMLSelectElement).value as 'grid' | 'fleet')}>
            <option value="grid">{t('sup_byGrid')}</option>
            <option value="fleet">{t('sup_byFleet')}</option>
          </select>
        </>
      }
    >
      {(view) => (
        <div>
          <div class="sup-summary">{t('sup_summary', { from: dateTimeOf(view.from), to: dateTimeOf(view.to), n: view.alerts })}</div>
          {view.alerts === 0 && <div class="empty">{t('sup_none')}</div>}
          {view.rows.length > 0 && (
            <table class="sup-rows">
              <tr>
                <th>{t(view.by === 'grid' ? 'grid' : 'fleet')}</th>
                <th>{t('sup_alerts')}</th>
                <th>{t('sup_acknowledged')}</th>
                <th>{t('sup_dispatched')}</th>
                <th>{t('sup_resolved')}</th>
                <StepHeads />
              </tr>
              {view.rows.map((r) => (
                <tr data-sup-row={r.id}>
                  <td>{r.id}</td>
                  <td>{r.alerts}</td>
                  <td>{r.acknowledged}</td>
                  <td>{r.dispatched}</td>
                  <td>{r.resolved}</td>
                  <StepCells s={[r.medianToAcknowledgeS, r.medianToDispatchS, r.medianToArrivalS, r.medianToResolveS]} />
                </tr>
              ))}
            </table>
          )}
          <div class="dim">{t('sup_medians')}</div>
          {view.perAlert.length > 0 && (
            <div>
              <div class="h-title">{t('sup_perAlert')}</div>
              <table class="sup-alerts">
                <tr>
                  <th>{t('sup_raised')}</th>
                  <th>{t('sup_kind')}</th>
                  <th>{t('sup_where')}</th>
                  <StepHeads />
                </tr>
                {view.perAlert.map((a) => (
                  <tr data-sup-alert={a.alertId} class={`sev-${a.severity}`} title={a.alertId}>
                    <td>{dateTimeOf(a.raisedAt)}</td>
                    <td>{tOr('kind_', a.kind)}</td>
                    {/* Which alert a row is: where it was raised and the fleets it concerned (its id on hover). */}
                    <td>{[...a.gridIds.slice(0, 2), ...a.fleetIds].join(' · ') || '—'}</td>
                    <StepCells s={[a.toAcknowledgeS, a.toDispatchS, a.toArrivalS, a.toResolveS]} />
                  </tr>
                ))}
              </table>
            </div>
          )}
        </div>
      )}
    </ApiPage>
  );
}
