import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keeps ARCHITECTURE.md's boundaries true by reading import specifiers:
 * which folder may import which, cross-folder imports only through `<folder>/index.ts`,
 * each third-party library in its one home file.
 */
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const FOLDERS = ['app', 'model', 'ingest', 'geo', 'alerts', 'store', 'web', 'sim', 'bench'] as const;
type Folder = (typeof FOLDERS)[number];

const MAY_IMPORT: Record<Folder, readonly Folder[]> = {
  model: [],
  ingest: ['model'],
  geo: ['model'],
  alerts: ['model', 'geo'],
  store: ['model'],
  web: ['model'],
  // Feeds for seagrid: publishes through ingest's MQTT home, takes its thresholds from the alert policy.
  sim: ['model', 'geo', 'ingest', 'alerts'],
  app: ['model', 'ingest', 'geo', 'alerts', 'store', 'web', 'sim'],
  bench: ['model', 'ingest', 'geo', 'alerts', 'store', 'web', 'sim', 'app'],
};

/** Third-party packages and the one runtime file allowed to import each (tests and benches excepted). */
const HOME_FILE: Record<string, string> = {
  mqtt: 'ingest/mqtt-source.ts',
  aedes: 'ingest/embedded-broker.ts',
  'h3-js': 'geo/cells.ts',
  pg: 'store/pg.ts',
  'pg-copy-streams': 'store/pg.ts',
  ws: 'web/server.ts',
  // fastify and its plugins (the @fastify scope): the one web server module.
  fastify: 'web/server.ts',
  '@fastify': 'web/server.ts',
  typebox: 'web/schemas.ts',
  'prom-client': 'app/metrics.ts',
  pino: 'app/logger.ts',
  denque: 'model/fifo.ts',
  // Evidence packs (issue 15): the zip, and the coastline of their server-drawn map.
  fflate: 'app/evidence-zip.ts',
  'topojson-client': 'app/evidence-land.ts',
  lineclip: 'app/evidence-land.ts',
};

/**
 * A folder's entry points: `index.ts`, and `adapters.ts` where a folder keeps its IO adapters and
 * heavy modules apart so a light command (`seagrid decode`) does not load them.
 */
const ENTRIES: readonly string[] = ['index.js', 'adapters.js'];

/** Folders whose runtime code stays pure: no Node built-ins (no IO, no clock). */
const PURE: readonly Folder[] = ['model', 'alerts', 'sim'];

/** Tests, benchmarks and fixture generators (`*.gen.ts`, run by hand with tsx): not runtime code. */
const TOOLING = /\.(test|bench|gen)\.ts$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'client') continue;
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

const files = FOLDERS.flatMap((f) => {
  try {
    return sourceFiles(join(ROOT, f));
  } catch {
    return [];
  }
});

describe('architecture boundaries', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('every import respects the folder table, index.ts entry points and library home files', () => {
    const problems: string[] = [];
    for (const file of files) {
      const rel = relative(ROOT, file).split(sep).join('/');
      const folder = rel.split('/')[0] as Folder;
      const isTestOrBench = TOOLING.test(rel) || folder === 'bench' || rel.endsWith('test-support.ts');
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/');
          const targetFolder = target.split('/')[0] as Folder;
          if (targetFolder === folder) continue;
          if (!MAY_IMPORT[folder].includes(targetFolder)) problems.push(`${rel}: ${folder} may not import ${targetFolder} (${spec})`);
          else if (!ENTRIES.includes(target.slice(targetFolder.length + 1)) && !isTestOrBench)
            problems.push(`${rel}: cross-folder import must go through ${targetFolder}/index.ts (${spec})`);
          continue;
        }
        if (spec.startsWith('node:')) {
          if (PURE.includes(folder) && !isTestOrBench) problems.push(`${rel}: pure folder imports ${spec}`);
          continue;
        }
        if (isTestOrBench) continue;
        const pkg = spec.startsWith('@') ? spec.split('/')[0]! : spec.split('/')[0]!;
        const home = HOME_FILE[pkg] ?? (spec.startsWith('@deck.gl') || spec.startsWith('@luma.gl') ? 'web/client' : undefined);
        if (home === undefined) problems.push(`${rel}: third-party ${spec} has no home file in the architecture table`);
        else if (!rel.startsWith(home)) problems.push(`${rel}: ${spec} may only be imported by ${home}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('sim/ (feeds for seagrid) is imported only by app/ and bench/, tests included: nothing in the service depends on it', () => {
    const importers = new Set<string>();
    for (const file of files) {
      const rel = relative(ROOT, file).split(sep).join('/');
      const folder = rel.split('/')[0]!;
      if (folder === 'sim') continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        if (relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/').startsWith('sim/')) importers.add(folder);
      }
    }
    expect(importers.size).toBeGreaterThan(0);
    expect([...importers].filter((f) => f !== 'app' && f !== 'bench')).toEqual([]);
  });

  it('every runtime dependency in package.json is imported by runtime code (test-only libraries are devDependencies)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const used = new Set<string>();
    for (const file of files) {
      const rel = relative(ROOT, file).split(sep).join('/');
      if (TOOLING.test(rel) || rel.startsWith('bench/') || rel.endsWith('test-support.ts')) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const parts = spec.split('/');
        used.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
      }
    }
    const unused = Object.keys(pkg.dependencies ?? {}).filter((d) => !used.has(d));
    expect(unused).toEqual([]);
  });
});
