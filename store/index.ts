/**
 * store/: PostgreSQL (TimescaleDB when present) through `pg`, an embedded server by default.
 * Positions and grid events are batched, alert changes written at once, everything spooled to
 * disk while the database is unreachable and replayed on recovery, with no loss and no duplicates.
 */
export { openStore } from './store.js';
export { PartitionLease, type LeaseOptions } from './lease.js';
export { migrateDatabase, MigrationPrivilegeError, type MigrationResult } from './migrate.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { MAX_TRACK_POINTS, type StoredAlertSteps } from './reads.js';
export { replayFloat, type BoxVessel, type ReplayQuery, type ReplayTrack, type StoredReplay } from './replay-reads.js';
export type { MinuteTrack, ReportRollupRow } from './report-reads.js';
export type { BoxSpan, BoxTrack, EvidenceRecords, FixesQuery, ReceivedFix } from './evidence-reads.js';
export { MAX_BOX_SPANS } from './evidence-reads.js';
export type {
  DropReason,
  PictureOptions,
  Store,
  StoreCounters,
  StoreHealth,
  StoreLog,
  StoreOptions,
  StoredPosition,
  TrackOptions,
} from './types.js';
