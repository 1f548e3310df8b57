export * from './live-picture.js';
export * from './grid-file.js';
export * from './sea-grid.js';
export * from './grid-events.js';
export * from './fishing-zone.js';
export * from './neighbours.js';
export * from './fleet-grid.js';
export * from './sea-picture.js';
