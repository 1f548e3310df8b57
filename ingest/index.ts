// The decode core: framing, AIS/BeiDou decoding, normalisation, topics, gpsd output.
// IO adapters and the simulator are in ./adapters.ts, so `seagrid decode` loads none of them.
export * from './decoder.js';
export * from './gpsd-output.js';
export * from './nmea/index.js';
export * from './normalize.js';
export * from './topics.js';
export type { RawFrame } from './mqtt-source.js';
export * from './fix-topic.js';
