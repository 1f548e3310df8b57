/**
 * The Zhoushan fleet simulator: scenario (registry, fleets, incidents), motion, and AIS/BeiDou
 * NMEA output as MQTT-ready payloads. Pure: no clock, no IO — the caller advances sim time and
 * publishes.
 */
export { createScenario, DEFAULT_START_MS, type ScenarioOptions } from './scenario.js';
export { FleetSimulator, type MqttOut, type SimulatedReport, type SimulatorCounters, type SimulatorOptions } from './simulator.js';
export type { AisClass, FleetGroup, IncidentKind, PlannedRoute, Scenario, ScenarioParams, ScriptedIncident, SimVessel } from './types.js';
export { ASSUMED as INCIDENT_THRESHOLDS, crossTrackNm } from './incidents.js';
export {
  encodePositionA,
  encodePositionB,
  encodeStaticPartA,
  encodeStaticPartB,
  encodeStaticVoyage,
  type ArmouredPayload,
  type PositionAFields,
  type PositionBFields,
  type StaticPartBFields,
  type StaticVoyageFields,
} from './ais-encode.js';
export { tagBlock, vdmSentences, type TagFields, type VdmOptions } from './nmea-out.js';
export { ggaSentence, rmcSentence, type GnssFixOut, type GnssTalker } from './beidou-encode.js';
export { aisIntervalMs, BEIDOU_INTERVAL_MS, STATIC_INTERVAL_MS } from './reporting.js';
export { FISHING_GROUNDS, HOME_PORTS, LANES, SHORE_RECEIVERS } from './geography.js';
export { scenarioFixture, SMALL_FIXTURE, type FixtureSpec } from './export-fixture.js';
