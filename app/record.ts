import type { AlertChange } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { PipelineOutcome } from './pipeline.js';

/** Where an alert change goes besides the store, and who hears of a change the store refused. */
export interface AlertRecording {
  /** The store reported a failure (its own retry and spool already ran): the caller logs it. */
  readonly onError: (e: unknown) => void;
  /** Every change, as it is recorded (MQTT out: app/alerts-out.ts). */
  readonly publish?: (c: AlertChange) => void;
}

/**
 * Hop 8, record: what one frame or tick did goes to the store — every accepted fix and grid event
 * into its batches, each alert change at once (the store's own retry and spool cover an outage;
 * a failure the store reports is the caller's to log) and out to the alert publisher.
 */
export function recordOutcome(store: Store, out: PipelineOutcome, alerts: AlertRecording): void {
  for (const f of out.fixes) store.writePosition(f.vesselId, f.report);
  if (out.gridEvents.length > 0) store.recordGridEvents(out.gridEvents);
  for (const c of out.alertChanges) void recordAlertChange(store, c, alerts);
}

/**
 * One alert change, a rule's or an officer's alike: published at once (a device hears of it
 * without waiting for the database) and written; resolves when the store has it (or spooled it).
 * Never rejects: a failure goes to `onError`.
 */
export function recordAlertChange(store: Store, c: AlertChange, alerts: AlertRecording): Promise<void> {
  alerts.publish?.(c);
  return store.recordAlertChange(c).catch(alerts.onError);
}
