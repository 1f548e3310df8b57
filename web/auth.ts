/**
 * Who is asking (issue 14): users and their sessions, held in memory for every request and kept in
 * the store (loaded at start, re-read every `reloadMs` and before a sign-in, so a user added by
 * `seagrid user add` can sign in to a running service), sign-in with its attempt limits, and the
 * audit trail. With no users at all nothing is enforced: every request is the `local` officer of a
 * loopback-only service (app/serve.ts refuses any other address then).
 *
 * A session token is 32 random bytes (base64url) given once to the client; the store and memory
 * hold only its SHA-256, so a copy of either signs nobody in. Passwords: auth-password.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fleetsProblem, usernameProblem, type AuditEntry, type AuditQuery, type Role, type SessionRecord, type UserRecord } from '../model/index.js';
import { DEFAULT_LIMITS, SignInLimiter, type AttemptLimits } from './auth-limit.js';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from './auth-password.js';
import { isLoopback } from './params.js';

/** What app/serve.ts gives: the store's users, sessions and audit (store/types.ts says how each fails). */
export interface AuthStore {
  users(): Promise<UserRecord[]>;
  putUser(u: UserRecord): Promise<void>;
  deleteUser(username: string): Promise<boolean>;
  sessions(nowMs: number): Promise<SessionRecord[]>;
  putSession(s: SessionRecord): Promise<void>;
  deleteSessions(which: { tokenSha256: string } | { username: string }): Promise<void>;
  appendAudit(e: AuditEntry): Promise<void>;
  audit(q: AuditQuery): Promise<AuditEntry[]>;
}

export interface AuthOptions {
  readonly store: AuthStore;
  readonly nowMs: () => number;
  /** A browser session's life (default 12 h: a watch). */
  readonly cookieMs?: number;
  /** A bearer token's life (default 30 days). */
  readonly bearerMs?: number;
  readonly limits?: AttemptLimits;
  /** How often users and sessions are re-read from the store (default 30 s). */
  readonly reloadMs?: number;
  /** A store failure the service goes on without (an audit line not written, a reload missed): for the log. */
  readonly onError: (what: string, e: unknown) => void;
}

/** Who a request is. `local`: no users exist (loopback only, everything allowed). */
export interface Principal {
  readonly username: string;
  readonly role: Role | 'local';
  /** A fleet leader's fleets; empty otherwise. */
  readonly fleetIds: ReadonlySet<string>;
  /** The session's token hash (sign-out ends it); undefined for `local`. */
  readonly session?: string;
}

export const LOCAL: Principal = { username: 'local', role: 'local', fleetIds: new Set() };

/** The user as the API shows it: never the hash. */
export interface UserView {
  readonly username: string;
  readonly role: Role;
  readonly fleetIds: readonly string[];
  readonly displayName: string | null;
  readonly source: 'file' | 'store';
}

export type SignIn =
  | { readonly ok: true; readonly token: string; readonly user: UserView; readonly expiresAtMs: number; readonly lifeMs: number }
  | { readonly ok: false; readonly why: 'credentials' }
  | { readonly ok: false; readonly why: 'limited'; readonly retryAfterS: number };

/** A user change refused: what to answer. */
export class UserRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface UserChange {
  readonly role?: Role;
  readonly fleetIds?: readonly string[];
  readonly password?: string;
  readonly displayName?: string | null;
}

export class Auth {
  private users = new Map<string, UserRecord>();
  private sessions = new Map<string, SessionRecord>();
  private readonly limiter: SignInLimiter;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reloadedAtMs = Number.NEGATIVE_INFINITY;

  private constructor(private readonly o: AuthOptions) {
    this.limiter = new SignInLimiter(o.limits ?? DEFAULT_LIMITS, o.nowMs);
  }

  /** Loads users and sessions (a store failure here fails the start: whether to enforce sign-in must be known). */
  static async open(o: AuthOptions): Promise<Auth> {
    const a = new Auth(o);
    await a.reload();
    a.timer = setInterval(() => void a.reload().catch((e) => o.onError('users reload', e)), o.reloadMs ?? 30_000);
    a.timer.unref?.();
    return a;
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** Sign-in is required once any user exists. */
  get enforced(): boolean {
    return this.users.size > 0;
  }

  get userCount(): number {
    return this.users.size;
  }

  async reload(): Promise<void> {
    this.reloadedAtMs = this.o.nowMs();
    const [users, sessions] = await Promise.all([this.o.store.users(), this.o.store.sessions(this.o.nowMs())]);
    this.users = new Map(users.map((u) => [u.username, u]));
    // Sessions made while the store could not take them stay until they expire.
    const kept = [...this.sessions.values()].filter((s) => !sessions.some((t) => t.tokenSha256 === s.tokenSha256) && this.users.has(s.username) && s.createdAtMs > this.o.nowMs() - (this.o.reloadMs ?? 30_000) * 2);
    this.sessions = new Map([...sessions, ...kept].map((s) => [s.tokenSha256, s]));
  }

  /**
   * The principal of a request's credentials: a bearer token (`Authorization: Bearer …`) or the
   * session cookie. undefined: none given, or not a live session (expired, signed out, forged).
   */
  principal(token: string | undefined): Principal | undefined {
    if (token === undefined) return undefined;
    const hash = sha256(token);
    const s = this.sessions.get(hash);
    if (s === undefined) return undefined;
    if (s.expiresAtMs <= this.o.nowMs()) {
      this.sessions.delete(hash);
      return undefined;
    }
    const u = this.users.get(s.username);
    if (u === undefined) return undefined;
    return { username: u.username, role: u.role, fleetIds: new Set(u.fleetIds), session: hash };
  }

  async signIn(username: string, password: string, kind: 'cookie' | 'bearer', address: string): Promise<SignIn> {
    const retryAfterS = this.limiter.retryAfterS(username, address);
    if (retryAfterS > 0) {
      this.audit({ actor: username, action: 'sign-in', target: null, address, outcome: 'refused', detail: 'too many failed attempts' });
      return { ok: false, why: 'limited', retryAfterS };
    }
    // A user added or changed from the command line signs in without a restart (at most one
    // re-read a second, however many attempts come: a flood of them must not become one of queries).
    if (this.o.nowMs() - this.reloadedAtMs >= 1_000) await this.reload().catch((e) => this.o.onError('users reload', e));
    const u = this.users.get(username);
    // The same scrypt work whether or not the user exists.
    const good = await verifyPassword(password, u?.passwordHash ?? DUMMY_HASH);
    if (u === undefined || !good) {
      this.limiter.failed(username, address);
      this.audit({ actor: username, action: 'sign-in', target: null, address, outcome: 'refused', detail: u === undefined ? 'no such user' : 'wrong password' });
      return { ok: false, why: 'credentials' };
    }
    this.limiter.succeeded(username);
    const token = randomBytes(32).toString('base64url');
    const now = this.o.nowMs();
    const lifeMs = kind === 'cookie' ? (this.o.cookieMs ?? 12 * 3_600_000) : (this.o.bearerMs ?? 30 * 86_400_000);
    const s: SessionRecord = { tokenSha256: sha256(token), username, kind, createdAtMs: now, expiresAtMs: now + lifeMs };
    this.sessions.set(s.tokenSha256, s);
    await this.o.store.putSession(s).catch((e) => this.o.onError('session not stored (it lasts until a restart)', e));
    this.audit({ actor: username, action: 'sign-in', target: kind, address, outcome: 'ok', detail: null });
    return { ok: true, token, user: userView(u), expiresAtMs: s.expiresAtMs, lifeMs };
  }

  async signOut(p: Principal, address: string): Promise<void> {
    if (p.session === undefined) return;
    this.sessions.delete(p.session);
    await this.o.store.deleteSessions({ tokenSha256: p.session }).catch((e) => this.o.onError('sign-out not stored', e));
    this.audit({ actor: p.username, action: 'sign-out', target: null, address, outcome: 'ok', detail: null });
  }

  listUsers(): UserView[] {
    return [...this.users.values()].sort((a, b) => a.username.localeCompare(b.username)).map(userView);
  }

  /** A new user (`store` source); a UserRefusal says why not. */
  async addUser(by: Principal, address: string, u: { username: string; role: Role; fleetIds?: readonly string[]; password: string; displayName?: string | null }): Promise<UserView> {
    const nameProblem = usernameProblem(u.username);
    if (nameProblem !== undefined) throw new UserRefusal(400, `username ${nameProblem}`);
    const fleetIds = u.fleetIds ?? [];
    checkUser(u.role, fleetIds, u.password);
    await this.reload();
    if (this.users.has(u.username)) throw new UserRefusal(409, `user ${u.username} exists`);
    const rec: UserRecord = { username: u.username, role: u.role, fleetIds, passwordHash: await hashPassword(u.password), displayName: u.displayName ?? null, source: 'store' };
    await this.o.store.putUser(rec);
    this.users.set(rec.username, rec);
    this.audit({ actor: by.username, action: 'user.add', target: rec.username, address, outcome: 'ok', detail: `role ${rec.role}${fleetIds.length > 0 ? ` fleets ${fleetIds.join(',')}` : ''}` });
    return userView(rec);
  }

  /** Role, fleets, password or name of a user; a new password or role ends the user's sessions. */
  async changeUser(by: Principal, address: string, username: string, c: UserChange): Promise<UserView> {
    await this.reload();
    const u = this.users.get(username);
    if (u === undefined) throw new UserRefusal(404, `no user ${username}`);
    if (u.source === 'file') throw new UserRefusal(409, `user ${username} comes from USERS_FILE: change it there`);
    const role = c.role ?? u.role;
    const fleetIds = c.fleetIds ?? (c.role !== undefined && c.role !== 'fleet_leader' ? [] : u.fleetIds);
    checkUser(role, fleetIds, c.password);
    if (u.role === 'admin' && role !== 'admin' && this.admins() === 1) throw new UserRefusal(409, `${username} is the last admin`);
    const rec: UserRecord = { ...u, role, fleetIds, displayName: c.displayName === undefined ? u.displayName : c.displayName, passwordHash: c.password === undefined ? u.passwordHash : await hashPassword(c.password) };
    await this.o.store.putUser(rec);
    this.users.set(username, rec);
    if (c.password !== undefined || role !== u.role) await this.endSessions(username);
    const what = [c.role !== undefined ? `role ${role}` : '', c.fleetIds !== undefined ? `fleets ${fleetIds.join(',')}` : '', c.password !== undefined ? 'password' : '', c.displayName !== undefined ? 'name' : ''].filter((s) => s !== '');
    this.audit({ actor: by.username, action: 'user.change', target: username, address, outcome: 'ok', detail: what.join('; ') });
    return userView(rec);
  }

  async deleteUser(by: Principal, address: string, username: string): Promise<void> {
    await this.reload();
    const u = this.users.get(username);
    if (u === undefined) throw new UserRefusal(404, `no user ${username}`);
    if (u.source === 'file') throw new UserRefusal(409, `user ${username} comes from USERS_FILE: remove it there`);
    if (u.role === 'admin' && this.admins() === 1) throw new UserRefusal(409, `${username} is the last admin`);
    await this.o.store.deleteUser(username);
    this.users.delete(username);
    await this.endSessions(username);
    this.audit({ actor: by.username, action: 'user.delete', target: username, address, outcome: 'ok', detail: null });
  }

  /** One audit line, written in the background; one the store cannot take is logged instead (never lost silently). */
  audit(e: Omit<AuditEntry, 'atMs'>): void {
    const entry: AuditEntry = { atMs: this.o.nowMs(), ...e };
    void this.o.store.appendAudit(entry).catch((err) => this.o.onError(`audit line not stored: ${JSON.stringify(entry)}`, err));
  }

  readAudit(q: AuditQuery): Promise<AuditEntry[]> {
    return this.o.store.audit(q);
  }

  private admins(): number {
    let n = 0;
    for (const u of this.users.values()) if (u.role === 'admin') n++;
    return n;
  }

  private async endSessions(username: string): Promise<void> {
    for (const [k, s] of this.sessions) if (s.username === username) this.sessions.delete(k);
    await this.o.store.deleteSessions({ username }).catch((e) => this.o.onError('sessions not ended in the store', e));
  }
}

export function userView(u: UserRecord): UserView {
  return { username: u.username, role: u.role, fleetIds: u.fleetIds, displayName: u.displayName, source: u.source };
}

function checkUser(role: Role, fleetIds: readonly string[], password: string | undefined): void {
  const f = fleetsProblem(role, fleetIds);
  if (f !== undefined) throw new UserRefusal(400, f);
  const p = password === undefined ? undefined : passwordProblem(password);
  if (p !== undefined) throw new UserRefusal(400, p);
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Whether a bind address (HTTP_HOST) serves this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host) || isLoopback(host.replace(/^\[|\]$/g, ''));
}
