/**
 * Users, sessions and the audit trail (migration 004): a few rows, read at start and now and then,
 * written one at a time. Times go in and out as epoch ms.
 */
import type { AuditEntry, AuditQuery, Role, SessionRecord, UserRecord } from '../model/index.js';
import type { Queryable } from './pg.js';
import { MS, TS } from './reads.js';

interface UserRow {
  username: string;
  role: Role;
  fleet_ids: string[];
  password_hash: string;
  display_name: string | null;
  source: 'file' | 'store';
}

export async function users(q: Queryable): Promise<UserRecord[]> {
  const rows = await q.query<UserRow>('select username, role, fleet_ids, password_hash, display_name, source from users order by username');
  return rows.map((r) => ({ username: r.username, role: r.role, fleetIds: r.fleet_ids, passwordHash: r.password_hash, displayName: r.display_name, source: r.source }));
}

export async function putUser(q: Queryable, u: UserRecord): Promise<void> {
  await q.query(
    `insert into users (username, role, fleet_ids, password_hash, display_name, source) values ($1, $2, $3, $4, $5, $6)
     on conflict (username) do update set role = excluded.role, fleet_ids = excluded.fleet_ids, password_hash = excluded.password_hash,
       display_name = excluded.display_name, source = excluded.source, updated_at = now()`,
    [u.username, u.role, u.fleetIds, u.passwordHash, u.displayName, u.source],
  );
}

/** Its sessions go with it (on delete cascade). */
export async function deleteUser(q: Queryable, username: string): Promise<boolean> {
  return (await q.query('delete from users where username = $1 returning 1', [username])).length > 0;
}

/** Sessions not yet expired at `nowMs`; expired ones are deleted on the way. */
export async function sessions(q: Queryable, nowMs: number): Promise<SessionRecord[]> {
  await q.query(`delete from sessions where expires_at < ${TS('$1')}`, [nowMs]);
  const rows = await q.query<{ token_sha256: string; username: string; kind: 'cookie' | 'bearer'; created: number; expires: number }>(
    `select token_sha256, username, kind, ${MS('created_at')} as created, ${MS('expires_at')} as expires from sessions`,
  );
  return rows.map((r) => ({ tokenSha256: r.token_sha256, username: r.username, kind: r.kind, createdAtMs: r.created, expiresAtMs: r.expires }));
}

export async function putSession(q: Queryable, s: SessionRecord): Promise<void> {
  await q.query(`insert into sessions (token_sha256, username, kind, created_at, expires_at) values ($1, $2, $3, ${TS('$4')}, ${TS('$5')}) on conflict do nothing`, [
    s.tokenSha256,
    s.username,
    s.kind,
    s.createdAtMs,
    s.expiresAtMs,
  ]);
}

/** One session by its token's hash, or every session of a user. */
export async function deleteSessions(q: Queryable, which: { tokenSha256: string } | { username: string }): Promise<void> {
  if ('tokenSha256' in which) await q.query('delete from sessions where token_sha256 = $1', [which.tokenSha256]);
  else await q.query('delete from sessions where username = $1', [which.username]);
}

export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(`insert into audit (at, actor, action, target, address, outcome, detail) values (${TS('$1')}, $2, $3, $4, $5, $6, $7)`, [
    e.atMs,
    e.actor,
    e.action,
    e.target,
    e.address,
    e.outcome,
    e.detail,
  ]);
}

export async function audit(q: Queryable, a: AuditQuery): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown): void => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  if (a.fromMs !== undefined) add((p) => `at >= ${TS(p)}`, a.fromMs);
  if (a.toMs !== undefined) add((p) => `at <= ${TS(p)}`, a.toMs);
  if (a.actor !== undefined) add((p) => `actor = ${p}`, a.actor);
  if (a.action !== undefined) add((p) => `action = ${p}`, a.action);
  params.push(a.limit ?? 1000);
  const rows = await q.query<{ at: number; actor: string; action: string; target: string | null; address: string | null; outcome: 'ok' | 'refused'; detail: string | null }>(
    `select ${MS('at')} as at, actor, action, target, address, outcome, detail from audit
     ${where.length === 0 ? '' : `where ${where.join(' and ')}`} order by at desc, id desc limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ atMs: r.at, actor: r.actor, action: r.action, target: r.target, address: r.address, outcome: r.outcome, detail: r.detail }));
}
