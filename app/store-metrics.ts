import type { Store } from '../store/index.js';
import type { MetricsRegistry } from './metrics.js';

/** The store's counters and state on /metrics: a spool that grows is the first sign of a database outage. */
export function exposeStoreMetrics(store: Store, metrics: MetricsRegistry): void {
  const c = () => store.counters();
  const h = () => store.health();
  metrics.gauge('seagrid_store_connected', '1 while the database answers', () => (h().connected ? 1 : 0));
  metrics.gauge('seagrid_store_rows_written_total', 'rows in committed write statements', () => c().rowsWritten, 'counter');
  metrics.gauge('seagrid_store_batches_written_total', 'committed write statements', () => c().batchesWritten, 'counter');
  metrics.gauge('seagrid_store_insert_fallback_batches_total', 'COPY batches rewritten by the idempotent INSERT (a key already stored)', () => c().insertFallbackBatches, 'counter');
  metrics.gauge('seagrid_store_write_errors_total', 'failed write statements (their rows were spooled)', () => c().writeErrors, 'counter');
  metrics.gauge('seagrid_store_spooled_rows_total', 'rows that went to the disk spool', () => c().spooledRows, 'counter');
  metrics.gauge('seagrid_store_replayed_rows_total', 'rows written from the spool after recovery', () => c().replayedRows, 'counter');
  metrics.gauge(
    'seagrid_store_dropped_rows_total',
    'rows not stored, by reason: a store.* code for the row\'s own content (model/codes.ts), database_error, spool_full, spool_unreadable, closed',
    () => Object.entries(c().droppedByReason).map(([reason, n]) => [{ reason }, n] as [Record<string, string>, number]),
    'counter',
  );
  metrics.gauge('seagrid_store_cleaned_receivers_total', 'fixes stored with their receiver id cleaned (NUL, lone surrogates → U+FFFD: store.receiver_text)', () => c().cleanedReceivers, 'counter');
  metrics.gauge('seagrid_store_reads_busy_total', 'reads refused as busy: no read connection free in time, or too many waiting (503 at the web edge)', () => c().readsBusy, 'counter');
  metrics.gauge('seagrid_store_reads_waiting', 'reads waiting for a read connection', () => h().readsWaiting);
  metrics.gauge('seagrid_store_queued_rows', 'rows waiting in memory for their batch', () => h().queuedRows);
  metrics.gauge('seagrid_store_spool_rows', 'rows on disk waiting for the database', () => h().spooledRows);
  metrics.gauge('seagrid_store_spool_bytes', 'bytes of the disk spool', () => h().spooledBytes);
}
