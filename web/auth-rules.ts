/**
 * The role rule of every route, in one table. web/server.ts looks each route up as fastify
 * registers it and refuses to start when one has none, so a new route cannot be left open; what a
 * fleet leader sees of the routes he may use is narrowed further by auth-scope.ts.
 */
import type { Role } from '../model/index.js';
import { rolesFor } from './auth-actions.js';

/** `public`: no sign-in; otherwise the roles that may use it (401 without a session, 403 for another role). */
export type RouteRule = { readonly public: true } | { readonly roles: readonly Role[] };

const PUBLIC: RouteRule = { public: true };
/**
 * Every signed-in role reads the picture (an admin too: he checks the service he manages); the
 * scope (auth-scope.ts) narrows a fleet leader's and a liaison official's to their part.
 */
const READ: RouteRule = { roles: ['officer', 'fleet_leader', 'analyst', 'admin', 'liaison'] };
/** Reads across the whole watch (figures of every grid, the process): not a liaison official's. */
const WATCH: RouteRule = { roles: ['officer', 'fleet_leader', 'analyst', 'admin'] };
/** Writes, by the one table of what each role may do (auth-actions.ts, which the console reads too). */
const may = (action: Parameters<typeof rolesFor>[0]): RouteRule => ({ roles: rolesFor(action) });
const ADMIN: RouteRule = { roles: ['admin'] };
/** Signed in as anyone: a 405 for a method a path does not serve, who-am-I, sign-out. */
export const SIGNED_IN: RouteRule = READ;

const RULES: Readonly<Record<string, RouteRule>> = {
  // Liveness for load balancers and monitors; it names no vessel.
  'GET /health': PUBLIC,
  'GET /metrics': { roles: ['officer', 'analyst', 'admin'] },
  'GET /api/vessels': READ,
  'GET /api/vessels/:vesselId': READ,
  'GET /api/vessels/:vesselId/track': READ,
  'GET /api/grids': READ,
  'GET /api/grid-events': READ,
  'GET /api/fleets': READ,
  'GET /api/fleets/:fleetId': READ,
  'GET /api/alerts': READ,
  'GET /api/alerts/:id': READ,
  'GET /api/alerts/:id/history': READ,
  'POST /api/alerts/:id/acknowledge': may('acknowledge'),
  'POST /api/alerts/:id/assign': may('assign'),
  'POST /api/alerts/:id/resolve': may('resolve'),
  // A flood's cleared alerts in one go: each is resolved as by the route above, scope and audit included.
  'POST /api/alerts/resolve-cleared': may('resolve'),
  // Who can help is the officer's and the leader's question; sending them is the command centre's (快响指挥).
  'GET /api/alerts/:id/responders': may('responders'),
  'POST /api/alerts/:id/dispatch': may('dispatch'),
  'GET /api/vessels/:id/route': READ,
  'GET /api/fleets/:id/route': READ,
  // Planned routes bind the route-deviation rule for everyone: the watch officer sets them.
  'PUT /api/vessels/:id/route': may('route'),
  'PUT /api/fleets/:id/route': may('route'),
  'GET /api/picture': READ,
  // Voyage replay (issue 15): the analyst's and the officer's; a fleet leader his fleets' only (the scope).
  'GET /api/replay': { roles: ['officer', 'analyst', 'fleet_leader'] },
  // Evidence packs (issue 15): the watch and analysts; a fleet leader of his fleets' alerts (the scope), not of an area.
  'GET /api/alerts/:id/evidence': may('evidence'),
  'GET /api/evidence': { roles: ['officer', 'analyst'] },
  // A fleet leader's figures cover his fleets' alerts only (the scope).
  'GET /api/supervision': WATCH,
  // Reports (issue 15): figures of the watch; a fleet leader's cover his fleets only (the scope).
  'GET /api/reports': WATCH,
  'GET /ws': READ,
  'GET /api/openapi.json': READ,
  // The map's files; a browser that is not signed in is sent to /login instead of a 401.
  'GET /*': READ,
  'GET /login': PUBLIC,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': PUBLIC,
  'GET /api/auth/me': PUBLIC,
  'GET /api/users': ADMIN,
  'POST /api/users': ADMIN,
  'PUT /api/users/:username': ADMIN,
  'DELETE /api/users/:username': ADMIN,
  'GET /api/audit': ADMIN,
};

/** Routes @fastify/swagger-ui registers under its prefix (the OpenAPI page and its assets). */
const PREFIXES: readonly (readonly [string, RouteRule])[] = [['/api/docs', READ]];

/** The rule of one method on one route pattern; HEAD is GET's. undefined: none (the server will not start). */
export function ruleFor(method: string, url: string): RouteRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const exact = RULES[`${m} ${url}`];
  if (exact !== undefined) return exact;
  for (const [prefix, rule] of PREFIXES) if (m === 'GET' && (url === prefix || url.startsWith(`${prefix}/`))) return rule;
  return undefined;
}

/** Whether the role passes the rule (`local`: no users exist, everything is allowed). */
export function allows(rule: RouteRule, role: Role | 'local' | undefined): boolean {
  if ('public' in rule) return true;
  return role === 'local' || (role !== undefined && rule.roles.includes(role));
}
