export * from './live-picture.js';
