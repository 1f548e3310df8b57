/** `npm run docs`: rewrites the generated sections of the contract docs from the code. */
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_FILES, renderGenerated } from './contracts-doc.js';

for (const file of DOC_FILES) {
  const before = readFileSync(file, 'utf8');
  const after = renderGenerated(before);
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(`${file}: ${after === before ? 'up to date' : 'rewritten'}\n`);
}
