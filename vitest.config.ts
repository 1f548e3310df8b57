import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,model,ingest,geo,alerts,store,web,sim,bench}/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    // Golden and fuzz suites read megabytes of captures; keep them off the default 5 s limit.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
