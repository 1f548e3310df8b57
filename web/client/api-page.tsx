/**
 * The frame of a page over the chart that shows one API view (reports, supervision): its head —
 * title, the page's own controls, close — and its body: the error's code when the read failed, "…"
 * until the view arrives, then the page's content for it.
 */
import { t } from './i18n.js';
import type { ComponentChildren } from './ui.js';

export function ApiPage<V>(props: {
  testId: string;
  /** Classes beside `supervision-page` (the frame's style). */
  class?: string;
  title: string;
  /** The page's controls, between the title and the close button. */
  tools: ComponentChildren;
  view: V | null;
  error: string | null;
  onClose(): void;
  children: (view: V) => ComponentChildren;
}) {
  const { view, error } = props;
  return (
    <div class={props.class === undefined ? 'supervision-page' : `supervision-page ${props.class}`} data-testid={props.testId}>
      <div class="vf-head">
        <span class="vf-title">{props.title}</span>
        {props.tools}
        <button class="close" onClick={props.onClose} aria-label={t('close')}>
          ×
        </button>
      </div>
      <div class="vf-body">
        {error !== null && <div class="error">{t('actionFailed', { code: error })}</div>}
        {view === null && error === null && <div class="dim">…</div>}
        {view !== null && props.children(view)}
      </div>
    </div>
  );
}
