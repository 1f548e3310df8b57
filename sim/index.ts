/**
 * Feeds *for* seagrid: the Zhoushan fleet simulator (scenario with registry, fleets and scripted
 * incidents; motion; AIS/BeiDou NMEA output as MQTT-ready payloads) and the pacing of `seagrid
 * replay`. Pure: no clock, no IO — the caller advances sim time and publishes (through ingest's
 * `MqttPublisher`, the one home of the mqtt library). Only app/ and bench/ import this folder.
 */
export { createScenario, DEFAULT_START_MS, type ScenarioOptions } from './scenario.js';
export { FleetSimulator, type MqttOut, type SimulatedReport, type SimulatorCounters, type SimulatorOptions } from './simulator.js';
export type { AisClass, FleetGroup, IncidentKind, PlannedRoute, Scenario, ScenarioParams, ScriptedIncident, SimVessel } from './types.js';
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
export { alertDueAtMs, INCIDENT_ALERT_KIND } from './incidents.js';
export { newKin, type Kin } from './legs.js';
export { FISHING_GROUNDS, HOME_PORTS, LANES, SHORE_RECEIVERS } from './geography.js';
export { scenarioFixture, SMALL_FIXTURE, type FixtureSpec } from './export-fixture.js';
export { ReplayBatcher, replayCapture, type ReplayBatch, type ReplayCounts, type ReplayOptions, type ReplayPacing } from './replay.js';
export { harbourOffsets, sampleTruth, trueEncounters, trueMinDistanceNm, type TrueEncounter, type TruthOptions, type TruthSamples } from './truth.js';
