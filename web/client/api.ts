/** The HTTP API as the console calls it (shapes from web/protocol.ts). */
import type { Role } from '../../model/index.js';
import type { AlertActionBody, AlertActionName, AlertFileView, ApiErrorView, DispatchBody, ResolveClearedBody, ResolveClearedView, VesselView } from '../protocol.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

/** Who is signed in (`GET /api/auth/me`); role `local` when the service has no users. */
export interface Me {
  readonly username: string;
  readonly role: Role | 'local';
  readonly fleetIds: readonly string[];
}

export function fetchMe(base: string): Promise<Me> {
  return fetchJson<Me>(`${base}/api/auth/me`);
}

let leaving = false;
/**
 * The session ended (expired, signed out elsewhere, the user removed): to the sign-in page, which
 * brings the browser back here afterwards. Once, however many requests fail together.
 */
function toSignIn(): void {
  if (leaving || location.pathname === '/login') return;
  leaving = true;
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`);
}

async function answer<T>(r: Response): Promise<T> {
  if (r.ok) return (await r.json()) as T;
  if (r.status === 401) toSignIn();
  let code = 'http.internal';
  try {
    code = ((await r.json()) as ApiErrorView).error.code;
  } catch {
    // not the API's error shape (a proxy's page): keep the generic code
  }
  throw new ApiError(r.status, code);
}

export async function fetchJson<T>(url: string): Promise<T> {
  return answer<T>(await fetch(url));
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  return answer<T>(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

/** Every live vessel, following the `Link: rel="next"` pages. */
export async function fetchAllVessels(base: string): Promise<VesselView[]> {
  const out: VesselView[] = [];
  let url: string | null = `${base}/api/vessels?limit=10000`;
  while (url !== null) {
    const r: Response = await fetch(url);
    out.push(...(await answer<VesselView[]>(r)));
    const next = /<([^>]+)>;\s*rel="next"/.exec(r.headers.get('link') ?? '');
    url = next === null ? null : new URL(next[1]!, base).toString();
  }
  return out;
}

export async function alertAction(base: string, id: string, action: AlertActionName, body: AlertActionBody): Promise<AlertFileView> {
  return postJson<AlertFileView>(`${base}/api/alerts/${encodeURIComponent(id)}/${action}`, body);
}

/** Resolves the named alerts whose condition has cleared (each still cleared and the asker's to act on when it is reached). */
export async function resolveCleared(base: string, body: ResolveClearedBody): Promise<ResolveClearedView> {
  return postJson<ResolveClearedView>(`${base}/api/alerts/resolve-cleared`, body);
}

/** Sends vessels to help with an alert (快响指挥; officer only). */
export async function dispatchResponders(base: string, id: string, body: DispatchBody): Promise<AlertFileView> {
  return postJson<AlertFileView>(`${base}/api/alerts/${encodeURIComponent(id)}/dispatch`, body);
}
