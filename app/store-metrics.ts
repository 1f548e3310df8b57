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
  metrics.gauge('seagrid_store_dropped_rows_total', 'rows lost because the spool was full', () => c().droppedRows, 'counter');
  metrics.gauge('seagrid_store_queued_rows', 'rows waiting in memory for their batch', () => h().queuedRows);
  metrics.gauge('seagrid_store_spool_rows', 'rows on disk waiting for the database', () => h().spooledRows);
  metrics.gauge('seagrid_store_spool_bytes', 'bytes of the disk spool', () => h().spooledBytes);
}
