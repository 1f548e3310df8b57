export { GnssDecoder } from './decoder.js';
export type { GnssContext, GnssDecoderOptions, GnssFix } from './types.js';
