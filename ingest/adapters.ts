// The second entry of ingest/: the MQTT source and publisher and the embedded broker. Kept apart
// from index.ts because they pull in mqtt.js and aedes, which a decode-only command should not load.
// (The simulator and replay, which produce feeds, live in sim/.)
export * from './embedded-broker.js';
export * from './mqtt-source.js';
export { TurnBudget } from './turn-budget.js';
export * from './receipt-journal.js';
