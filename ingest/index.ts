export * from './decoder.js';
export * from './embedded-broker.js';
export * from './gpsd-output.js';
export * from './mqtt-source.js';
export * from './nmea/index.js';
export * from './normalize.js';
export * from './registry-file.js';
export * from './replay.js';
