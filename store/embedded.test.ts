import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedAvailable, hydrateSymlinks, startEmbeddedPostgres } from './embedded.js';

const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'seagrid-emb-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('embedded postgres binaries', () => {
  it('restores the shared-library symlinks a skipped postinstall leaves out, relative, once', () => {
    const pkg = temp();
    mkdirSync(path.join(pkg, 'native', 'lib'), { recursive: true });
    writeFileSync(path.join(pkg, 'native', 'lib', 'libicuuc.so.60.2'), 'elf');
    writeFileSync(
      path.join(pkg, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so.60' },
        { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so' },
      ]),
    );
    expect(hydrateSymlinks(undefined, pkg)).toBe(2);
    expect(readlinkSync(path.join(pkg, 'native', 'lib', 'libicuuc.so.60'))).toBe('libicuuc.so.60.2');
    expect(readFileSync(path.join(pkg, 'native', 'lib', 'libicuuc.so'), 'utf8')).toBe('elf');
    expect(hydrateSymlinks(undefined, pkg)).toBe(0);
  });

  it.skipIf(!embeddedAvailable())('initialises a cluster once and reuses it on the next start', async () => {
    const dir = temp();
    const first = await startEmbeddedPostgres(dir);
    expect(first.initialised).toBe(true);
    const pid = first.pid();
    expect(pid).toBeGreaterThan(0);
    await first.stop();
    const second = await startEmbeddedPostgres(dir);
    try {
      expect(second.initialised).toBe(false);
      expect(second.initMs).toBe(0);
      expect(second.url).toMatch(/^postgres:\/\/seagrid:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
      console.log(`embedded postgres: first start ${Math.round(first.initMs)} ms initdb + ${Math.round(first.startMs)} ms start; second start ${Math.round(second.startMs)} ms`);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
