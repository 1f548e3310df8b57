/**
 * What each role may do, in one table the server's route rules (auth-rules.ts) and the console
 * (web/client: which buttons it shows) both read, so the two cannot disagree. Type-only imports:
 * the client bundles this file.
 */
import type { Role } from '../model/index.js';

/** The writes and write-side questions of the console and API. */
export type RoleAction = 'acknowledge' | 'assign' | 'resolve' | 'responders' | 'dispatch' | 'route' | 'evidence';

const ALL: readonly RoleAction[] = ['acknowledge', 'assign', 'resolve', 'responders', 'dispatch', 'route', 'evidence'];

export const ROLE_ACTIONS: Readonly<Record<Role | 'local', readonly RoleAction[]>> = {
  officer: ALL,
  // His fleets' alerts (the scope narrows them); sending vessels and routes are the command centre's.
  fleet_leader: ['acknowledge', 'assign', 'resolve', 'responders', 'evidence'],
  // An alert's evidence pack (issue 15): a document of what the store holds, audited, not a change.
  analyst: ['evidence'],
  admin: [],
  liaison: [],
  // No users: the loopback watch floor's own officer.
  local: ALL,
};

export function mayDo(role: Role | 'local', action: RoleAction): boolean {
  return ROLE_ACTIONS[role].includes(action);
}

/** The roles that may take an action (a route's rule). */
export function rolesFor(action: RoleAction): Role[] {
  return (Object.keys(ROLE_ACTIONS) as (Role | 'local')[]).filter((r): r is Role => r !== 'local' && mayDo(r, action));
}
