export * from './types.js';
export * from './decode.js';
export * from './gpsd-json.js';
export * from './type24.js';
