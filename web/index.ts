export * from './protocol.js';
export * from './report-view.js';
export * from './server.js';
export * from './views.js';
export * from './push.js';
export * from './export.js';
export { Auth, isLoopbackHost, LOCAL, UserRefusal, type AuthStore, type Principal, type UserView } from './auth.js';
export { hashPassword, passwordProblem, verifyPassword } from './auth-password.js';
export { DEFAULT_AWARENESS_NM, type ScopeSource } from './auth-scope.js';
