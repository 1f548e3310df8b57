import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore } from './index.js';
import { postgresAvailable, startPostgres, type Postgres } from './pg-test-support.js';
import { describeStoreContract } from './contract-test-support.js';

describe.skipIf(!postgresAvailable())('needs Debian postgresql: store contract against a throwaway PostgreSQL cluster', () => {
  let pg: Postgres;
  const shared = mkdtempSync(path.join(tmpdir(), 'seagrid-pgstore-'));
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.dispose();
    rmSync(shared, { recursive: true, force: true });
  }, 60_000);

  describeStoreContract('Debian PostgreSQL', {
    open: (dataDir, tuning) => openStore({ databaseUrl: pg.url, dataDir: dataDir ?? shared, retryMs: 200, ...tuning }),
    outage: { stop: () => pg.stop(), start: () => pg.restart() },
  });
});
