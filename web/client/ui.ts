/**
 * The home of Preact (the UI library): components import hooks and `render` from here, and JSX
 * compiles to preact/jsx-runtime (tsconfig/esbuild jsxImportSource).
 */
export { render, type ComponentChildren } from 'preact';
export { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useEffect, useState } from 'preact/hooks';
import { onLangChange } from './i18n.js';

/** Re-renders the component when `subscribe`'s source says it changed. */
export function useSubscription(subscribe: (f: () => void) => () => void): number {
  const [version, setVersion] = useState(0);
  useEffect(() => subscribe(() => setVersion((n) => n + 1)), [subscribe]);
  return version;
}

/** Re-renders on a language switch. */
export function useLang(): number {
  return useSubscription(onLangChange);
}

/** Re-renders every `ms` (clocks, "3 min ago"). */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(id);
  }, [ms]);
  return n;
}
