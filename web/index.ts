export * from './protocol.js';
export * from './server.js';
