import type { Store } from '../store/index.js';
import type { PipelineOutcome } from './pipeline.js';

/**
 * Hop 8, record: what one frame or tick did goes to the store — every accepted fix and grid event
 * into its batches, each alert change at once (the store's own retry and spool cover an outage;
 * a failure the store reports is the caller's to log).
 */
export function recordOutcome(store: Store, out: PipelineOutcome, onAlertError: (e: unknown) => void): void {
  for (const f of out.fixes) store.writePosition(f.vesselId, f.report);
  if (out.gridEvents.length > 0) store.recordGridEvents(out.gridEvents);
  for (const c of out.alertChanges) store.recordAlertChange(c).catch(onAlertError);
}
