/**
 * The role rule of every route, in one table. web/server.ts looks each route up as fastify
 * registers it and refuses to start when one has none, so a new route cannot be left open; what a
 * fleet leader sees of the routes he may use is narrowed further by auth-scope.ts.
 */
import type { Role } from '../model/index.js';

/** `public`: no sign-in; otherwise the roles that may use it (401 without a session, 403 for another role). */
export type RouteRule = { readonly public: true } | { readonly roles: readonly Role[] };

const PUBLIC: RouteRule = { public: true };
/** Every signed-in role reads the picture; an admin too (he checks the service he manages). */
const READ: RouteRule = { roles: ['officer', 'fleet_leader', 'analyst', 'admin'] };
/** Alert actions: the officer on any alert, a fleet leader on his fleets' (the scope hides the rest). */
const ACT: RouteRule = { roles: ['officer', 'fleet_leader'] };
const OFFICER: RouteRule = { roles: ['officer'] };
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
  'POST /api/alerts/:id/acknowledge': ACT,
  'POST /api/alerts/:id/assign': ACT,
  'POST /api/alerts/:id/resolve': ACT,
  // Who can help is the officer's and the leader's question; sending them is the command centre's (快响指挥).
  'GET /api/alerts/:id/responders': ACT,
  'POST /api/alerts/:id/dispatch': OFFICER,
  'GET /api/vessels/:id/route': READ,
  'GET /api/fleets/:id/route': READ,
  // Planned routes bind the route-deviation rule for everyone: the watch officer sets them.
  'PUT /api/vessels/:id/route': OFFICER,
  'PUT /api/fleets/:id/route': OFFICER,
  'GET /api/picture': READ,
  // A fleet leader's figures cover his fleets' alerts only (the scope).
  'GET /api/supervision': READ,
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
