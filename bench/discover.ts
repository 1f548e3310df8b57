import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest directory above `from` whose package.json names seagrid. */
export function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'seagrid') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no seagrid package.json above ${from}`);
  }
}

/** Every compiled `*.bench.js` under `dir`, sorted, so sections appear in a stable order. */
export function findBenchFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.bench.js')) found.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.sort();
}
