// The second entry of ingest/: MQTT source and publisher, embedded broker, replay pacing and the
// Zhoushan simulator. Kept apart from index.ts because they pull in heavy modules (mqtt.js, aedes,
// the scenario geography) that a decode-only command should not load.
export * from './embedded-broker.js';
export * from './mqtt-source.js';
export * from './replay.js';
export * from './simulate/index.js';
