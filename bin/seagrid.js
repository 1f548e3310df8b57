#!/usr/bin/env node
// Thin launcher: the compiled entry points live in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
const main = dist('app/main.js');
if (!existsSync(main)) {
  process.stderr.write('seagrid: not built yet — run `npm run build` (npm install does it for you)\n');
  process.exit(2);
}
// `seagrid decode` runs from its one-file bundle when the build made it: one read instead of ~45
// module loads, which is a third of a typical decode's start-up.
const decodeBundle = dist('decode.js');
await import(process.argv[2] === 'decode' && existsSync(decodeBundle) ? decodeBundle : main);
