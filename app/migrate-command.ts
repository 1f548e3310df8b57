/**
 * `seagrid migrate`: applies the store's pending migrations and retention policy to DATABASE_URL,
 * then exits. Run by the schema's owner before the service starts (compose.yaml's `migrate`
 * service), so the service itself can connect as a role that only reads and writes rows.
 */
import type { Writable } from 'node:stream';
import { migrateDatabase } from '../store/index.js';
import { loadConfig } from './config.js';

export async function runMigrate(env: Readonly<Record<string, string | undefined>>, stdout: Writable, stderr: Writable): Promise<number> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    stderr.write(`seagrid migrate: configuration problems:\n  ${loaded.problems.join('\n  ')}\n`);
    return 2;
  }
  const url = loaded.config.databaseUrl;
  if (url === undefined) {
    stderr.write('seagrid migrate: DATABASE_URL is not set (the embedded store migrates itself at start)\n');
    return 2;
  }
  const days = loaded.config.positionRetentionDays;
  try {
    const m = await migrateDatabase(url, days > 0 ? { positionsDays: days } : {});
    stdout.write(`${JSON.stringify({ migrated: { applied: m.applied, skipped: m.skipped, timescale: m.timescale } })}\n`);
    return 0;
  } catch (e) {
    stderr.write(`seagrid migrate: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
