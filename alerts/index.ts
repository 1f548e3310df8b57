// Alert rules and their lifecycle: pure (state in → signals out → alert changes).
export * from './rules.js';
export * from './policy.js';
export * from './lifecycle.js';
