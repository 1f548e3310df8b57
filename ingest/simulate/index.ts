export * from './scenario.js';
export * from './simulator.js';
export type * from './types.js';
