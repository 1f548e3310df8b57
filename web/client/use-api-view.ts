/**
 * A page's view read from the API while the page is open: null until it arrives (and again each
 * time `key` changes: another period, grouping or span), the error's stable code when it fails,
 * asked again every `refreshMs` if given. A reply that comes after the page moved on is dropped.
 */
import { ApiError, fetchJson } from './api.js';
import { useEffect, useState } from './ui.js';

export function useApiView<T>(key: string, urlOf: () => string, refreshMs?: number): { view: T | null; error: string | null } {
  const [view, setView] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let gone = false;
    const load = (): void => {
      fetchJson<T>(urlOf())
        .then((v) => {
          if (gone) return;
          setView(v);
          setError(null);
        })
        .catch((e: unknown) => !gone && setError(e instanceof ApiError ? e.code : String(e)));
    };
    setView(null);
    load();
    const timer = refreshMs === undefined ? undefined : window.setInterval(load, refreshMs);
    return () => {
      gone = true;
      window.clearInterval(timer);
    };
  }, [key]);
  return { view, error };
}
