/**
 * The receipt journal in `seagrid serve` (ingest/receipt-journal.ts): frames journaled before their
 * acknowledgement, an earlier run's journal replayed through the pipeline at start (after the warm
 * start, before the subscription), and a checkpoint every second that deletes what the store holds.
 */
import path from 'node:path';
import { ReceiptJournal, type RawFrame } from '../ingest/adapters.js';
import type { Store } from '../store/index.js';
import type { MetricsRegistry } from './metrics.js';

/** How often the journal is cut and what the store holds deleted: the journal holds about this long of feed. */
const CHECKPOINT_MS = 1_000;

export interface Receipts {
  /** The source's frame handler: journal, then hand on. */
  readonly onFrame: (f: RawFrame) => void;
  /** Frames of an earlier run handed on at start. */
  readonly replayed: number;
  readonly journal: ReceiptJournal;
  stop(): Promise<void>;
}

/**
 * Opens the journal in `${dataDir}/receipts`, hands an earlier run's frames to `handle` (the warm
 * start done: positions already stored come back as copies the store's keys ignore, alerts open in
 * the store are matched by their condition), waits until the store holds them, and starts the
 * checkpoints. `maxBytes` 0: no journal (frames go straight to `handle`).
 */
export function startReceipts(dataDir: string, maxBytes: number, store: Store, handle: (f: RawFrame) => void, metrics: MetricsRegistry): Receipts | undefined {
  if (maxBytes <= 0) return undefined;
  const journal = new ReceiptJournal({ dir: path.join(dataDir, 'receipts'), maxBytes });
  let replayed = 0;
  for (const f of journal.replay()) {
    handle(f);
    replayed++;
  }
  const stored = (): Promise<void> => store.flush();
  // Not awaited: a long store spool left by the earlier run must not hold the start (flush replays it).
  const checkpoint = (): void => void journal.checkpoint(stored).catch(() => undefined);
  checkpoint();
  const timer = setInterval(checkpoint, CHECKPOINT_MS);
  const s = () => journal.state();
  metrics.gauge('seagrid_receipt_journal_bytes', 'bytes of received MQTT frames journaled and not yet known stored', () => s().bytes);
  metrics.gauge('seagrid_receipt_journal_frames_total', 'MQTT frames journaled before their acknowledgement', () => s().appended, 'counter');
  metrics.gauge('seagrid_receipt_journal_unjournaled_total', 'MQTT frames acknowledged without a journal record (its bound reached or the disk refused): a kill -9 could lose them', () => s().unjournaled, 'counter');
  metrics.gauge('seagrid_receipt_journal_replayed_total', 'frames of an earlier run replayed through the pipeline at start', () => s().replayed, 'counter');
  metrics.gauge('seagrid_receipt_journal_torn_total', 'journal records cut short by a crash, skipped at replay', () => s().torn, 'counter');
  return {
    onFrame: (f) => {
      journal.append(f);
      handle(f);
    },
    replayed,
    journal,
    /** Call after the source stopped, before the store closes: a clean stop leaves nothing to replay. */
    async stop() {
      clearInterval(timer);
      await journal.checkpoint(stored).catch(() => undefined);
      await journal.close();
    },
  };
}
