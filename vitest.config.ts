import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,model,ingest,geo,alerts,store,web,sim,bench}/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    // Golden and fuzz suites read megabytes of captures; keep them off the default 5 s limit.
    testTimeout: 120_000,
    // vitest's default (CPUs − 1) runs one file at a time on a 2-core machine, and most of the long
    // files wait on a server, a browser or a fault's outage: two at a time overlap those waits.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 120_000,
    // The default's counts, then the skipped suites and tests by name.
    reporters: ['default', './vitest.skipped-reporter.ts'],
  },
});
