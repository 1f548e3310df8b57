export * from './codes.js';
export * from './ids.js';
export * from './position.js';
export * from './registry.js';
export * from './result.js';
export * from './vessel.js';
export * from './alert.js';
export * from './grid.js';
