export * from './live-picture.js';
export { distanceM, distanceNm, EARTH_RADIUS_M, initialBearingDeg, M_PER_NM } from './sphere.js';
export * from './grid-file.js';
export * from './sea-grid.js';
export * from './grid-events.js';
export * from './fishing-zone.js';
export * from './neighbours.js';
export * from './fleet-grid.js';
export * from './sea-picture.js';
