/**
 * Rapid response (快响指挥) in an open alert: who can help, soonest first, each with a dispatch
 * button; the vessels already sent with their closing distance until they arrive (the server's
 * ranking, asked again every few seconds while the alert is open: one distance function, the
 * server's), and when each arrived.
 */
import type { AlertFileView, AlertView, ResponderView } from '../protocol.js';
import { ApiError, dispatchResponders, fetchJson } from './api.js';
import { dateTimeOf, t, tOr } from './i18n.js';
import type { LivePicture } from './live.js';
import { useEffect, useState } from './ui.js';

const REFRESH_MS = 5_000;
/** Rows offered at once: the soonest are the ones sent; the rest is a scroll away in the API. */
const SHOWN = 6;

/**
 * `offer`: the asker may ask who can help (the list and the closing distances); `send`: he may
 * dispatch (the buttons). Without either he sees who was sent and when they arrived.
 */
export function Responders(props: { alert: AlertView; live: LivePicture; base: string; offer: boolean; send: boolean; onChanged(file: AlertFileView): void }) {
  const a = props.alert;
  const [offered, setOffered] = useState<readonly ResponderView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (a.state === 'resolved' || !props.offer) return undefined;
    let gone = false;
    const load = (): void => {
      fetchJson<ResponderView[]>(`${props.base}/api/alerts/${encodeURIComponent(a.id)}/responders`)
        .then((r) => !gone && setOffered(r))
        .catch(() => undefined);
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      gone = true;
      window.clearInterval(timer);
    };
  }, [a.id, a.state, a.seq, props.offer]);

  const send = async (vesselId: string): Promise<void> => {
    setError(null);
    try {
      props.onChanged(await dispatchResponders(props.base, a.id, { vesselIds: [vesselId] }));
    } catch (e) {
      setError(t('actionFailed', { code: e instanceof ApiError ? e.code : String(e) }));
    }
  };
  const nameOf = (id: string): string => props.live.directory.get(id)?.name ?? id;
  // Offered: not sent yet (one already there or on its way is listed above instead).
  const sentIds = new Set(a.responders.map((r) => r.vesselId));
  const fresh = (offered ?? []).filter((r) => !sentIds.has(r.vesselId));
  const closing = new Map((offered ?? []).filter((r) => r.dispatched).map((r) => [r.vesselId, r]));

  return (
    <div class="responders">
      {a.responders.length > 0 && (
        <div class="sent">
          <div class="h-title">{t('respondersSent')}</div>
          {a.responders.map((r) => (
            <div class="h-row" data-responder={r.vesselId}>
              <span>{nameOf(r.vesselId)}</span>{' '}
              {r.arrivedAt !== null ? (
                <span class="arrived">{t('arrivedAt', { time: dateTimeOf(r.arrivedAt) })}</span>
              ) : (
                <span class="en-route">
                  {closing.has(r.vesselId) ? t('closing', { nm: closing.get(r.vesselId)!.distanceNm.toFixed(2), min: Math.round(closing.get(r.vesselId)!.etaMin) }) : t('enRoute')}
                </span>
              )}
            </div>
          ))}
        </div>
      )}
      {a.state !== 'resolved' && props.offer && (
        <div class="offered">
          <div class="h-title">{t('respondersOffered')}</div>
          {offered === null && <div class="dim">…</div>}
          {offered !== null && fresh.length === 0 && <div class="dim">{t('noResponders')}</div>}
          {fresh
            .slice(0, SHOWN)
            .map((r) => (
              <div class="h-row" data-offered={r.vesselId}>
                <span class={`role role-${r.role}`}>{tOr('role_', r.role)}</span> <span>{r.name ?? r.vesselId}</span>{' '}
                <span class="dim">{t('eta', { nm: r.distanceNm.toFixed(1), min: Math.round(r.etaMin) })}</span>{' '}
                {props.send && (
                  <button class="dispatch" onClick={() => void send(r.vesselId)}>
                    {t('dispatch')}
                  </button>
                )}
              </div>
            ))}
        </div>
      )}
      {error !== null && <div class="error">{error}</div>}
    </div>
  );
}
