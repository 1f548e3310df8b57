/**
 * People who sign in (issue 14): their role, the fleets a fleet leader answers for, and the audit
 * trail of what they did. Passwords exist here only as scrypt hashes (web/auth-password.ts makes
 * and checks them); `USERS_FILE` (CSV or JSON, like the registry) is parsed here with every problem
 * reported at once.
 */
import { parseCsv } from './registry-csv.js';

/**
 * officer: everything operational, every action. fleet_leader: his fleets' vessels and alerts
 * (and other traffic near them, without its file). analyst: reads everything, writes nothing.
 * admin: users and the audit trail, and reads like an analyst. liaison (定人联船): the vessels the
 * registry names him liaison official for (its `liaisonUser` column) and their alerts, read only.
 */
export const ROLES = ['officer', 'fleet_leader', 'analyst', 'admin', 'liaison'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  /** 1–64 characters: letters, digits, `.`, `_`, `-`, `@`. */
  readonly username: string;
  readonly role: Role;
  /** A fleet leader's fleets (at least one); empty for the other roles. */
  readonly fleetIds: readonly string[];
  /** `scrypt$N$r$p$salt$hash` (base64): never the password itself. */
  readonly passwordHash: string;
  readonly displayName: string | null;
  /** `file`: from USERS_FILE, which owns it (changed there, not through the API). */
  readonly source: 'file' | 'store';
}

/** One line of the audit trail (`GET /api/audit`). */
export interface AuditEntry {
  readonly atMs: number;
  /** Who: a username, `local` (no users), or the name tried in a failed sign-in. */
  readonly actor: string;
  /** `sign-in`, `sign-out`, `user.add`, `user.change`, `user.delete`, `alert.acknowledge`, `route.set` … */
  readonly action: string;
  /** What it was done to: an alert id, a username, `vessel:{id}` … */
  readonly target: string | null;
  /** The client address. */
  readonly address: string | null;
  readonly outcome: 'ok' | 'refused';
  /** Why a refusal, or a note; never a password. */
  readonly detail: string | null;
}

export interface AuditQuery {
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly actor?: string;
  readonly action?: string;
  /** Newest first, at most this many (default 1,000). */
  readonly limit?: number;
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;
/** The shape web/auth-password.ts writes; its parameters are checked again when it is used. */
const HASH = /^scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/=]{16,}\$[A-Za-z0-9+/=]{32,}$/;

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Why a username cannot be used, or undefined. */
export function usernameProblem(v: string): string | undefined {
  return USERNAME.test(v) ? undefined : 'must be 1–64 letters, digits or . _ - @';
}

/** Why a role and fleet list do not go together, or undefined. */
export function fleetsProblem(role: Role, fleetIds: readonly string[]): string | undefined {
  if (role === 'fleet_leader' && fleetIds.length === 0) return 'a fleet_leader needs at least one fleet';
  if (role !== 'fleet_leader' && fleetIds.length > 0) return `only a fleet_leader has fleets (this is ${role})`;
  if (fleetIds.some((f) => f === '' || f.length > 64)) return 'a fleet id is empty or longer than 64 characters';
  return undefined;
}

export function isPasswordHash(v: string): boolean {
  return HASH.test(v);
}

const FILE_FIELDS = ['username', 'role', 'fleets', 'passwordHash', 'displayName'] as const;
type FileField = (typeof FILE_FIELDS)[number];

/** Users of USERS_FILE, or every problem of the file (each naming its row and field). */
export function parseUsersFile(text: string, format: 'csv' | 'json'): { ok: true; users: UserRecord[] } | { ok: false; problems: string[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problems: string[] = [];
  const rows = format === 'csv' ? csvRows(body, problems) : jsonRows(body, problems);
  const users: UserRecord[] = [];
  const seen = new Map<string, string>();
  for (const { where, values } of rows) {
    const u = userOf(where, values, problems);
    if (u === undefined) continue;
    const before = seen.get(u.username);
    if (before !== undefined) problems.push(`${where}, username: ${JSON.stringify(u.username)} already in ${before}`);
    seen.set(u.username, where);
    users.push(u);
  }
  if (rows.length === 0 && problems.length === 0) problems.push('no users in the file (leave USERS_FILE unset for none)');
  return problems.length === 0 ? { ok: true, users } : { ok: false, problems };
}

type Values = ReadonlyMap<FileField, string | readonly string[]>;

function userOf(where: string, values: Values, problems: string[]): UserRecord | undefined {
  const n = problems.length;
  const text = (f: FileField): string | undefined => {
    const v = values.get(f);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      problems.push(`${where}, ${f}: expected text`);
      return undefined;
    }
    return v;
  };
  const username = text('username');
  if (username === undefined) problems.push(`${where}, username: missing`);
  else if (usernameProblem(username) !== undefined) problems.push(`${where}, username: ${JSON.stringify(username)} ${usernameProblem(username)}`);
  const role = text('role');
  if (role === undefined) problems.push(`${where}, role: missing (one of ${ROLES.join(', ')})`);
  else if (!isRole(role)) problems.push(`${where}, role: ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`);
  const hash = text('passwordHash');
  if (hash === undefined) problems.push(`${where}, passwordHash: missing (\`seagrid user hash\` prints one; the file never holds a password)`);
  else if (!isPasswordHash(hash)) problems.push(`${where}, passwordHash: not a seagrid scrypt hash (\`seagrid user hash\` prints one)`);
  const rawFleets = values.get('fleets');
  const fleetIds = rawFleets === undefined ? [] : typeof rawFleets === 'string' ? rawFleets.split(/[;|]/).map((f) => f.trim()).filter((f) => f !== '') : [...rawFleets];
  if (isRole(role)) {
    const p = fleetsProblem(role, fleetIds);
    if (p !== undefined) problems.push(`${where}, fleets: ${p}`);
  }
  if (problems.length > n) return undefined;
  return { username: username!, role: role as Role, fleetIds, passwordHash: hash!, displayName: text('displayName') ?? null, source: 'file' };
}

const byHeader = (h: string): FileField | undefined => {
  const k = h.trim().toLowerCase().replace(/[\s_-]/g, '');
  return FILE_FIELDS.find((f) => f.toLowerCase() === k) ?? (k === 'fleetids' || k === 'fleet' ? 'fleets' : k === 'name' ? 'displayName' : undefined);
};

function csvRows(text: string, problems: string[]): { where: string; values: Values }[] {
  const parsed = parseCsv(text);
  for (const p of parsed.problems) problems.push(`line ${p.line}: ${p.message}`);
  const [header, ...records] = parsed.records;
  if (header === undefined) return [];
  const columns = header.fields.map((name, i) => {
    const f = byHeader(name);
    if (f === undefined) problems.push(`row 1 (header), column ${i + 1}: unknown column ${JSON.stringify(name)}; known: ${FILE_FIELDS.join(', ')}`);
    return f;
  });
  return records.map((rec, i) => {
    const where = `row ${i + 2}`;
    if (rec.fields.length !== columns.length) problems.push(`${where}: ${rec.fields.length} fields, the header has ${columns.length}`);
    const values = new Map<FileField, string>();
    rec.fields.forEach((raw, j) => {
      const f = columns[j];
      if (f !== undefined && raw.trim() !== '') values.set(f, raw.trim());
    });
    return { where, values };
  });
}

function jsonRows(text: string, problems: string[]): { where: string; values: Values }[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.push(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
  const list = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null && Array.isArray((doc as { users?: unknown }).users) ? ((doc as { users: unknown[] }).users) : undefined;
  if (list === undefined) {
    problems.push('expected an array of users or {"users": [...]}');
    return [];
  }
  const rows: { where: string; values: Values }[] = [];
  list.forEach((item, i) => {
    const where = `users[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${where}: expected an object`);
      return;
    }
    const values = new Map<FileField, string | readonly string[]>();
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      const f = byHeader(k);
      if (f === undefined) {
        problems.push(`${where}: unknown field ${JSON.stringify(k)}; known: ${FILE_FIELDS.join(', ')}`);
        continue;
      }
      if (v === null) continue;
      if (f === 'fleets' && Array.isArray(v) && v.every((x) => typeof x === 'string')) values.set(f, v as string[]);
      else if (typeof v === 'string') values.set(f, v.trim());
      else problems.push(`${where}, ${f}: expected ${f === 'fleets' ? 'an array of fleet ids' : 'text'}`);
    }
    rows.push({ where, values });
  });
  return rows;
}

/** A signed-in session as stored: the token's SHA-256 only, so a copy of the table signs nobody in. */
export interface SessionRecord {
  readonly tokenSha256: string;
  readonly username: string;
  /** `cookie`: a browser's; `bearer`: a script's or device's (`Authorization: Bearer`). */
  readonly kind: 'cookie' | 'bearer';
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}
