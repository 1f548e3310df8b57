export * from './checksum.js';
export * from './frame.js';
export * from './tag-block.js';
export type * from './types.js';
