// Alert rules and their lifecycle: pure (state in → signals out → alert changes).
export * from './rules.js';
export * from './policy.js';
export * from './lifecycle.js';
export * from './cpa.js';
export * from './collision-rule.js';
export * from './route-book.js';
export * from './route-deviation-rule.js';
export * from './signal-lost-rule.js';
export * from './fleet-rule.js';
export * from './zone-rule.js';
export * from './responders.js';
export * from './supervision.js';
export * from './policy-file.js';
