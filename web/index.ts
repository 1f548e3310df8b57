export * from './protocol.js';
export * from './server.js';
export * from './views.js';
export * from './push.js';
