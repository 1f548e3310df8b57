/**
 * Open alerts by severity and age, filtered by kind, fleet and grid; acknowledge / assign / resolve
 * with a note; each alert's history. Clicking an alert flies the chart to it.
 */
import { mayDo, type RoleAction } from '../auth-actions.js';
import { ALERT_IDS_MAX, type AlertActionName, type AlertChangeView, type AlertFileView, type AlertView, type VesselFileView } from '../protocol.js';
import { alertAction, ApiError, fetchJson, resolveCleared, type Me } from './api.js';
import { matchesCondition, matchesPair, sortAlerts, withinOneFleet, type ConditionFilter, type PairFilter } from './alert-order.js';
import { ago, currentLang, dateTimeOf, t, tOr, vesselLabel } from './i18n.js';
import type { LivePicture } from './live.js';
import { Responders } from './responders.js';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from './ui.js';

/** More than this many rows is more than anyone reads; the count of the rest is shown. */
const MAX_ROWS = 200;

export interface AlertFilter {
  /** Whose condition is still there, gone, or both. */
  condition: ConditionFilter;
  /** Between members of one fleet (编组内), or not. */
  pair: PairFilter;
  kind: string;
  fleet: string;
  grid: string;
}

/** Where a row is on screen (px from the viewport's top), or undefined when it is not in the list. */
function rowTop(list: HTMLElement | null, id: string): number | undefined {
  return list?.querySelector(`[data-alert-id="${CSS.escape(id)}"]`)?.getBoundingClientRect().top;
}

/**
 * Keeps the row under the pointer (else the open row) where it is on screen while rows are
 * inserted or removed above it during an alert flood: the panel scrolls by what moved it.
 */
function useRowAnchor(open: string | null): { list: { current: HTMLUListElement | null }; hover(id: string | null): void } {
  const list = useRef<HTMLUListElement | null>(null);
  const hovered = useRef<string | null>(null);
  const id = hovered.current ?? open;
  // Read before the update is committed (this render), restored after it (layout effect, before paint).
  const before = id === null ? undefined : rowTop(list.current, id);
  useLayoutEffect(() => {
    if (id === null || before === undefined) return;
    const after = rowTop(list.current, id);
    const scroller = list.current?.closest('.panel');
    if (after !== undefined && scroller !== null && scroller !== undefined && after !== before) scroller.scrollTop += after - before;
  });
  return { list, hover: (x) => (hovered.current = x) };
}

const fleetOf = (live: LivePicture) => (vesselId: string): string | null | undefined => live.directory.get(vesselId)?.fleetId;

function matches(a: AlertView, f: AlertFilter, live: LivePicture): boolean {
  if (!matchesCondition(a, f.condition)) return false;
  if (!matchesPair(a, f.pair, fleetOf(live))) return false;
  if (f.kind !== '' && a.kind !== f.kind) return false;
  if (f.fleet !== '' && !a.fleetIds.some((id) => id.toUpperCase().includes(f.fleet.toUpperCase()))) return false;
  if (f.grid !== '') {
    const g = f.grid.toUpperCase();
    const inGrid = a.vesselIds.some((id) => {
      const v = live.directory.get(id);
      if (v === undefined) return false;
      const gs = v.grids;
      return [...gs.static, ...gs.control, ...gs.patrol, ...gs.zones, gs.fishingZone ?? ''].some((x) => x.toUpperCase().includes(g));
    });
    if (!inGrid) return false;
  }
  return true;
}

/** One line of figures for the alert's kind. */
function summary(a: AlertView): string {
  const d = a.details;
  const num = (k: string, digits: number): string => (typeof d[k] === 'number' ? (d[k] as number).toFixed(digits) : '?');
  if (a.kind === 'collision') return t('cpa', { cpa: num('cpaNm', 2), tcpa: num('tcpaMin', 1) });
  if (a.kind === 'route-deviation') return t('offRoute', { n: num('offNm', 2) });
  if (a.kind === 'fleet-straggler') return t('fromCentroid', { n: num('distanceNm', 2) });
  return '';
}

/**
 * What the signed-in person may do with this alert: his role's actions (auth-actions.ts, the table
 * the server's rules come from), none on an alert a fleet leader only reads (his vessel sent to
 * another fleet's), none before the console knows who he is.
 */
function allowed(me: Me | null | undefined, a: AlertView): (action: RoleAction) => boolean {
  if (me == null) return () => false;
  const readOnly = me.role === 'fleet_leader' && !a.fleetIds.some((f) => me.fleetIds.includes(f));
  return (action) => !readOnly && mayDo(me.role, action);
}

/** A fleet leader's vessels sent to this alert (快响指挥: the order goes through him). */
function ownResponders(me: Me | null | undefined, a: AlertView, live: LivePicture): string[] {
  if (me == null || me.fleetIds.length === 0) return [];
  return a.responders.filter((r) => me.fleetIds.includes(live.directory.get(r.vesselId)?.fleetId ?? '')).map((r) => r.vesselId);
}

export function AlertPanel(props: { live: LivePicture; base: string; me?: Me | null; flashIds: ReadonlySet<string>; onFocus(a: AlertView): void }) {
  const { live } = props;
  const [filter, setFilter] = useState<AlertFilter>({ condition: '', pair: '', kind: '', fleet: '', grid: '' });
  const [open, setOpen] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const anchor = useRowAnchor(open);
  // The console re-renders on every vessel delta; the list is rebuilt only when the alerts, the
  // filter, the open row, the language or the 5-second age tick change (same vnode: no diff).
  const tick = Math.floor(Date.now() / 5000);
  const all = useMemo(() => [...live.alerts.values()], [live.alertVersion]);
  const kinds = useMemo(() => [...new Set(all.map((a) => a.kind))].sort(), [all]);
  const activeCount = useMemo(() => all.filter((a) => matchesCondition(a, 'active')).length, [all]);
  const matesCount = useMemo(() => all.filter((a) => withinOneFleet(a, fleetOf(live))).length, [all]);
  // The cleared alerts the officer has listed and may resolve: what "resolve these" sends.
  const clearedIds = useMemo(
    () => (filter.condition === 'cleared' ? all.filter((a) => matches(a, filter, live) && allowed(props.me, a)('resolve')).map((a) => a.id) : []),
    [all, filter, props.me],
  );
  const list = useMemo(() => {
    const now = Math.max(Date.now(), live.newestFixMs);
    const shown = sortAlerts(all.filter((a) => matches(a, filter, live)));
    // The row being worked on stays on screen even past the rows shown.
    const rows = shown.slice(0, MAX_ROWS);
    const held = open === null ? undefined : shown.find((a) => a.id === open);
    if (held !== undefined && !rows.includes(held)) rows.push(held);
    const nameOf = (id: string): string => vesselLabel(live.directory.get(id)?.name, id);
    return (
      <div>
        {shown.length === 0 && <div class="empty">{t('noAlerts')}</div>}
        <ul class="alert-list" ref={anchor.list} onMouseLeave={() => anchor.hover(null)}>
          {rows.map((a) => (
            <li
              key={a.id}
              class={`alert sev-${a.severity} state-${a.state}${props.flashIds.has(a.id) ? ' flash' : ''}${open === a.id ? ' open' : ''}`}
              data-alert-id={a.id}
              data-state={a.state}
              onMouseEnter={() => anchor.hover(a.id)}
            >
              <div
                class="alert-head"
                onClick={() => {
                  props.onFocus(a);
                  setOpen(open === a.id ? null : a.id);
                }}
              >
                <span class={`badge sev-${a.severity}`}>{tOr('sev_', a.severity)}</span>
                <span class="kind">{tOr('kind_', a.kind)}</span>
                <span class="age">{ago(a.raisedAt, now)}</span>
                <div class="who">{a.vesselIds.map(nameOf).join(' ↔ ')}</div>
                <div class="sum">
                  {summary(a)}
                  {a.cleared && <span class="cleared"> · {t('cleared')}</span>}
                </div>
                <div class="state">
                  {tOr('state_', a.state)}
                  {a.assignee !== null && ` → ${a.assignee}`}
                  {a.fleetIds.length > 0 && ` · ${a.fleetIds.join(', ')}`}
                </div>
                {ownResponders(props.me, a, live).length > 0 && <div class="own-dispatch">{t('ownDispatched', { names: ownResponders(props.me, a, live).map(nameOf).join('、') })}</div>}
              </div>
              {open === a.id && <AlertActions alert={a} live={live} base={props.base} may={allowed(props.me, a)} />}
            </li>
          ))}
        </ul>
        {shown.length > MAX_ROWS && <div class="more">{t('more', { n: shown.length - MAX_ROWS })}</div>}
      </div>
    );
  }, [all, filter, open, props.flashIds, props.me, currentLang(), tick]);

  return (
    <div class="alerts">
      <div class="filters">
        <select class="condition" aria-label={t('condLabel')} value={filter.condition} onChange={(e) => setFilter({ ...filter, condition: (e.target as HTMLSelectElement).value as ConditionFilter })}>
          <option value="">{t('condAll', { n: all.length })}</option>
          <option value="active">{t('condActive', { n: activeCount })}</option>
          <option value="cleared">{t('condCleared', { n: all.length - activeCount })}</option>
        </select>
        <select class="pair" aria-label={t('pairLabel')} value={filter.pair} onChange={(e) => setFilter({ ...filter, pair: (e.target as HTMLSelectElement).value as PairFilter })}>
          <option value="">{t('pairAll')}</option>
          <option value="others">{t('pairOthers', { n: all.length - matesCount })}</option>
          <option value="mates">{t('pairMates', { n: matesCount })}</option>
        </select>
        <select aria-label={t('allKinds')} value={filter.kind} onChange={(e) => setFilter({ ...filter, kind: (e.target as HTMLSelectElement).value })}>
          <option value="">{t('allKinds')}</option>
          {kinds.map((k) => (
            <option value={k}>{tOr('kind_', k)}</option>
          ))}
        </select>
        <input placeholder={t('filterFleet')} value={filter.fleet} onInput={(e) => setFilter({ ...filter, fleet: (e.target as HTMLInputElement).value.trim() })} />
        <input placeholder={t('filterGrid')} value={filter.grid} onInput={(e) => setFilter({ ...filter, grid: (e.target as HTMLInputElement).value.trim() })} />
      </div>
      <ResolveCleared ids={clearedIds} base={props.base} said={setSaid} />
      {said !== null && <div class="said">{said}</div>}
      {list}
    </div>
  );
}

/**
 * An alert flood's way out: the cleared alerts listed, resolved with one note (each still gets its
 * own history entry and audit line), ALERT_IDS_MAX a request. Two steps, so one click never
 * resolves hundreds. `said` lives in the panel: the row goes when nothing cleared is left.
 */
function ResolveCleared(props: { ids: readonly string[]; base: string; said(text: string | null): void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const go = async (): Promise<void> => {
    setBusy(true);
    let resolved = 0;
    let skipped = 0;
    try {
      for (let k = 0; k < props.ids.length; k += ALERT_IDS_MAX) {
        const r = await resolveCleared(props.base, { ids: props.ids.slice(k, k + ALERT_IDS_MAX), ...(note !== '' ? { note } : {}) });
        resolved += r.resolved.length;
        skipped += r.skipped;
      }
      props.said(t('resolvedCleared', { n: resolved, skipped }));
      setAsking(false);
      setNote('');
    } catch (e) {
      props.said(t('actionFailed', { code: e instanceof ApiError ? e.code : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  if (props.ids.length === 0) return null;
  return (
    <div class="resolve-cleared">
      {!asking && (
        <button class="resolve" onClick={() => (setAsking(true), props.said(null))}>
          {t('resolveClearedAsk', { n: props.ids.length })}
        </button>
      )}
      {asking && (
        <div class="buttons">
          <input class="note" maxLength={2000} placeholder={t('note')} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          <button class="resolve confirm" disabled={busy} onClick={() => void go()}>
            {t('resolveClearedConfirm', { n: props.ids.length })}
          </button>
          <button disabled={busy} onClick={() => setAsking(false)}>{t('cancel')}</button>
        </div>
      )}
    </div>
  );
}

/** The liaison official (定人联船) of each of the alert's vessels whose file the asker may read. */
function Liaisons(props: { alert: AlertView; base: string; nameOf(id: string): string }) {
  const [files, setFiles] = useState<readonly VesselFileView[]>([]);
  useEffect(() => {
    let gone = false;
    // Another fleet's vessel is a 404 to a fleet leader: left out.
    void Promise.all(props.alert.vesselIds.map((id) => fetchJson<VesselFileView>(`${props.base}/api/vessels/${encodeURIComponent(id)}`).catch(() => null))).then((fs) => {
      if (!gone) setFiles(fs.filter((f): f is VesselFileView => f !== null && f.liaison !== null));
    });
    return () => {
      gone = true;
    };
  }, [props.alert.id]);
  if (files.length === 0) return null;
  return (
    <div class="liaisons">
      {files.map((f) => (
        <div class="liaison" data-liaison-of={f.vesselId}>
          {t('liaisonOf', { vessel: props.nameOf(f.vesselId), name: f.liaison!, phone: f.liaisonPhone ?? '' })}
        </div>
      ))}
    </div>
  );
}

function AlertActions(props: { alert: AlertView; live: LivePicture; base: string; may(action: RoleAction): boolean }) {
  const a = props.alert;
  const may = props.may;
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<readonly AlertChangeView[]>([]);
  useEffect(() => {
    let gone = false;
    let timer: number | undefined;
    // The push can bring a change before the store has written it: ask again until the history has it.
    const load = (tries: number): void => {
      fetchJson<AlertFileView>(`${props.base}/api/alerts/${encodeURIComponent(a.id)}`)
        .then((f) => {
          if (gone) return;
          setHistory(f.history);
          if ((f.history.at(-1)?.seq ?? 0) < (a.seq ?? 0) && tries > 0) timer = window.setTimeout(() => load(tries - 1), 500);
        })
        .catch(() => undefined);
    };
    load(10);
    return () => {
      gone = true;
      window.clearTimeout(timer);
    };
  }, [a.id, a.seq]);

  const act = async (action: AlertActionName): Promise<void> => {
    setError(null);
    try {
      const body = { ...(note !== '' ? { note } : {}), ...(action === 'assign' ? { assignee } : {}) };
      const file = await alertAction(props.base, a.id, action, body);
      setHistory(file.history);
      setNote('');
      props.live.applyAlert(file);
    } catch (e) {
      setError(t('actionFailed', { code: e instanceof ApiError ? e.code : String(e) }));
    }
  };

  const nameOf = (id: string): string => vesselLabel(props.live.directory.get(id)?.name, id);
  const acts = may('acknowledge') || may('assign') || may('resolve');
  return (
    <div class="actions">
      <Liaisons alert={a} base={props.base} nameOf={nameOf} />
      {acts && <input class="note" placeholder={t('note')} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />}
      {acts && (
        <div class="buttons">
          {may('acknowledge') && (
            <button class="ack" disabled={a.state !== 'raised'} onClick={() => void act('acknowledge')}>
              {t('acknowledge')}
            </button>
          )}
          {may('assign') && <input class="assignee" placeholder={t('assignee')} value={assignee} onInput={(e) => setAssignee((e.target as HTMLInputElement).value)} />}
          {may('assign') && (
            <button class="assign" disabled={assignee.trim() === ''} onClick={() => void act('assign')}>
              {t('assign')}
            </button>
          )}
          {may('resolve') && (
            <button class="resolve" onClick={() => void act('resolve')}>
              {t('resolve')}
            </button>
          )}
        </div>
      )}
      {error !== null && <div class="error">{error}</div>}
      <Responders
        alert={a}
        live={props.live}
        base={props.base}
        offer={may('responders')}
        send={may('dispatch')}
        onChanged={(file) => {
          setHistory(file.history);
          props.live.applyAlert(file);
        }}
      />
      {may('evidence') && (
        <a class="evidence" href={`${props.base}/api/alerts/${encodeURIComponent(a.id)}/evidence`} download>
          {t('evidencePack')}
        </a>
      )}
      <div class="history">
        <div class="h-title">{t('history')}</div>
        {history.map((c) => (
          <div class="h-row">
            <span>{dateTimeOf(c.at)}</span> <span>{tOr('act_', c.action)}</span> <span class="dim">{t('actor')} {c.actor}</span>
            {c.note !== null && <div class="h-note">“{c.note}”</div>}
          </div>
        ))}
      </div>
    </div>
  );
}
