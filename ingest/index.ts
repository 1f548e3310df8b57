export * from './decoder.js';
export * from './gpsd-output.js';
export * from './nmea/index.js';
