import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No Docker engine runs here, so the Dockerfile is checked by reading it: every `COPY` source exists,
 * the build stage copies every folder the TypeScript build compiles, and the runtime image carries
 * data the service reads, not test captures.
 */
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

interface Copy {
  readonly stage: string;
  readonly from: string | undefined;
  readonly sources: readonly string[];
}

function copies(text: string): Copy[] {
  const out: Copy[] = [];
  let stage = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const st = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (st !== null) stage = st[1] ?? '';
    const c = /^COPY\s+(.*)$/i.exec(line);
    if (c === null) continue;
    const words = c[1]!.split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const args = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    out.push({ stage, from, sources: args.slice(0, -1) });
  }
  return out;
}

function bytesUnder(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((sum, name) => sum + bytesUnder(join(p, name)), 0);
}

/** Top-level folders holding TypeScript that `tsc -p tsconfig.build.json` compiles (not tests). */
function compiledFolders(): string[] {
  const skip = new Set(['node_modules', 'dist', 'fixtures', '.git', '.ci', 'data']);
  const hasSource = (dir: string): boolean =>
    readdirSync(dir).some((name) => {
      const p = join(dir, name);
      if (name === 'client') return false; // the browser bundle has its own build
      if (statSync(p).isDirectory()) return hasSource(p);
      return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');
    });
  return readdirSync(ROOT).filter((n) => !skip.has(n) && statSync(join(ROOT, n)).isDirectory() && hasSource(join(ROOT, n)));
}

describe('Dockerfile', () => {
  const all = copies(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const fromContext = all.filter((c) => c.from === undefined);

  it('copies only sources that exist in the repository', () => {
    expect(fromContext.length).toBeGreaterThan(0);
    for (const c of fromContext) for (const s of c.sources) expect(existsSync(join(ROOT, s)), `COPY ${s}`).toBe(true);
  });

  it('the build stage copies every folder the TypeScript build compiles', () => {
    const built = new Set(fromContext.filter((c) => c.stage === 'build').flatMap((c) => c.sources).map((s) => s.replace(/\/$/, '')));
    for (const folder of compiledFolders()) expect(built.has(folder), `COPY ${folder} missing from the build stage`).toBe(true);
  });

  it('the runtime stage ships data the service reads, not test captures', () => {
    const runtime = fromContext.filter((c) => c.stage === 'runtime').flatMap((c) => c.sources);
    expect(runtime).toContain('fixtures/geo');
    expect(runtime).not.toContain('fixtures');
    const data = runtime.filter((s) => s.startsWith('fixtures')).reduce((sum, s) => sum + bytesUnder(join(ROOT, s)), 0);
    expect(data).toBeLessThan(1 << 20);
  });
});
