#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/app/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('seagrid: not built yet — run `npm run build` (npm install does it for you)\n');
  process.exit(2);
}
await import(entry);
