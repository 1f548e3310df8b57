/**
 * The sign-in and user routes (docs/CONTRACTS.md "Sign-in"), without the framework: web/server.ts
 * registers each with its schema and role rule (auth-rules.ts) and hands the handler the request's
 * principal. Refusals are `Refusal`s, answered in the one error shape.
 */
import { isRole, ROLES, type AuditQuery, type Role } from '../model/index.js';
import { UserRefusal, type Auth, type Principal, type UserChange } from './auth.js';
import { LOGIN_PAGE } from './login/page.js';
import { count, given, opt, Refusal, time } from './params.js';

/** The browser session's cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export const SESSION_COOKIE = 'seagrid_session';

export interface AuthRequest {
  readonly principal: Principal | undefined;
  readonly address: string;
  /** Over TLS: the cookie is marked Secure. */
  readonly secure: boolean;
  readonly body: unknown;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
}

export interface AuthAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface AuthRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  readonly body?: object;
  readonly params?: object;
  readonly querystring?: object;
  handle(r: AuthRequest): Promise<AuthAnswer>;
}

/** The token a request carries: `Authorization: Bearer …` first, else the session cookie. */
export function tokenOf(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{1,200})\s*$/i.exec(auth);
    return m === null ? '' : m[1]; // a malformed header is a bad credential, not none
  }
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function cookie(value: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

const str = (maxLength: number, description: string): object => ({ type: 'string', minLength: 1, maxLength, description });
const ROLE = { type: 'string', enum: [...ROLES], description: ROLES.join(', ') };
const FLEETS = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 1000, description: "a fleet leader's fleet ids" };
const USERNAME_PARAMS = { type: 'object', properties: { username: str(64, 'a username') }, required: ['username'] };

const LOGIN_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: str(64, 'a username'), password: str(1024, 'the password'), session: { type: 'string', enum: ['cookie', 'bearer'], description: 'cookie (default) or bearer' } },
};
const NEW_USER = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'role', 'password'],
  properties: { username: str(64, 'a username'), role: ROLE, fleetIds: FLEETS, password: str(1024, 'the password (at least 8 characters)'), displayName: { type: ['string', 'null'], maxLength: 64 } },
};
const USER_CHANGE = {
  type: 'object',
  additionalProperties: false,
  properties: { role: ROLE, fleetIds: FLEETS, password: str(1024, 'the new password (at least 8 characters)'), displayName: { type: ['string', 'null'], maxLength: 64 } },
};
const AUDIT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { from: { type: 'string' }, to: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string', pattern: '^[0-9]*$' } },
};

export function authRoutes(auth: Auth | undefined): AuthRoute[] {
  const signedIn = (r: AuthRequest): Principal => {
    if (r.principal === undefined) throw new Refusal(401, 'http.unauthorized', 'sign in first');
    return r.principal;
  };
  const need = (): Auth => {
    if (auth === undefined) throw new Refusal(404, 'http.not_found', 'this service has no users');
    return auth;
  };
  const userRefusal = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof UserRefusal) throw new Refusal(e.status, e.status === 404 ? 'http.not_found' : e.status === 409 ? 'http.conflict' : 'http.bad_body', e.message);
      throw e;
    }
  };
  return [
    {
      method: 'GET',
      url: '/login',
      summary: 'the sign-in page (zh-CN)',
      handle: async () => ({ status: 200, type: 'text/html; charset=utf-8', body: LOGIN_PAGE }),
    },
    {
      method: 'POST',
      url: '/api/auth/login',
      summary: 'sign in: a session cookie (browsers) or a bearer token (scripts), both expiring',
      body: LOGIN_BODY,
      handle: async (r) => {
        const a = need();
        const b = r.body as { username: string; password: string; session?: 'cookie' | 'bearer' };
        const kind = b.session ?? 'cookie';
        const s = await a.signIn(b.username, b.password, kind, r.address);
        if (!s.ok && s.why === 'limited') throw new Refusal(429, 'http.too_many', `too many failed sign-ins; retry in ${s.retryAfterS} s`, { 'retry-after': String(s.retryAfterS) });
        if (!s.ok) throw new Refusal(401, 'http.unauthorized', 'wrong username or password');
        const body = { ...s.user, expiresAt: new Date(s.expiresAtMs).toISOString(), ...(kind === 'bearer' ? { token: s.token } : {}) };
        const headers: Record<string, string> = kind === 'cookie' ? { 'set-cookie': cookie(s.token, Math.floor(s.lifeMs / 1000), r.secure) } : {};
        return { status: 200, body, headers };
      },
    },
    {
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'sign out: the session (cookie or token) ends',
      handle: async (r) => {
        if (auth !== undefined && r.principal !== undefined) await auth.signOut(r.principal, r.address);
        return { status: 204, headers: { 'set-cookie': cookie('', 0, r.secure) } };
      },
    },
    {
      method: 'GET',
      url: '/api/auth/me',
      summary: 'who is signed in: username, role, fleetIds; `local` when the service has no users',
      handle: async (r) => {
        const p = signedIn(r);
        return { status: 200, body: { username: p.username, role: p.role, fleetIds: [...p.fleetIds], signInRequired: auth?.enforced ?? false } };
      },
    },
    {
      method: 'GET',
      url: '/api/users',
      summary: 'every user (admin)',
      handle: async () => ({ status: 200, body: need().listUsers() }),
    },
    {
      method: 'POST',
      url: '/api/users',
      summary: 'add a user (admin); 409 when the username is taken',
      body: NEW_USER,
      handle: async (r) => {
        const b = r.body as { username: string; role: Role; fleetIds?: string[]; password: string; displayName?: string | null };
        const u = await userRefusal(() => need().addUser(signedIn(r), r.address, b));
        return { status: 201, body: u };
      },
    },
    {
      method: 'PUT',
      url: '/api/users/:username',
      summary: "change a user's role, fleets, password or name (admin); a new password or role ends the user's sessions",
      params: USERNAME_PARAMS,
      body: USER_CHANGE,
      handle: async (r) => {
        const b = (r.body ?? {}) as UserChange;
        if (b.role !== undefined && !isRole(b.role)) throw new Refusal(400, 'http.bad_body', `role must be one of ${ROLES.join(', ')}`);
        const u = await userRefusal(() => need().changeUser(signedIn(r), r.address, r.params.username!, b));
        return { status: 200, body: u };
      },
    },
    {
      method: 'DELETE',
      url: '/api/users/:username',
      summary: 'remove a user and end its sessions (admin); the last admin stays',
      params: USERNAME_PARAMS,
      handle: async (r) => {
        await userRefusal(() => need().deleteUser(signedIn(r), r.address, r.params.username!));
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      url: '/api/audit',
      summary: 'the audit trail, newest first (admin): sign-ins and their failures, sign-outs, user changes, alert actions, routes set',
      querystring: AUDIT_QUERY,
      handle: async (r) => {
        const q = r.query;
        const aq: AuditQuery = {
          ...opt('fromMs', time(q.from, 'from')),
          ...opt('toMs', time(q.to, 'to')),
          ...opt('actor', given(q.actor)),
          ...opt('action', given(q.action)),
          ...opt('limit', count(q.limit, 'limit', 1, 100_000)),
        };
        const rows = await need().readAudit(aq);
        return { status: 200, body: rows.map(({ atMs, ...e }) => ({ at: new Date(atMs).toISOString(), ...e })) };
      },
    },
  ];
}
