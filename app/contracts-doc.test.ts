import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REJECT_CODES } from '../model/index.js';
import { DOC_FILES, GENERATED_SECTIONS, renderGenerated } from './contracts-doc.js';
import { SETTINGS } from './config.js';

describe('the contract docs say what the code does', () => {
  for (const file of DOC_FILES) {
    it(`${file}: every generated section matches the code (run npm run docs after changing it)`, () => {
      const text = readFileSync(file, 'utf8');
      expect(text).toBe(renderGenerated(text));
    });
  }

  it('docs/CONTRACTS.md carries every generated section; every setting and reject code appears in it', () => {
    const text = readFileSync('docs/CONTRACTS.md', 'utf8');
    for (const name of GENERATED_SECTIONS) expect(text).toContain(`<!-- generated:${name} -->`);
    for (const key of Object.keys(SETTINGS)) expect(text).toContain(`\`${key}\``);
    for (const code of Object.keys(REJECT_CODES)) expect(text).toContain(`\`${code}\``);
  });

  it('a stale section is rewritten and a bad marker is an error', () => {
    const stale = '<!-- generated:topics-in -->\n| old |\n<!-- /generated:topics-in -->';
    expect(renderGenerated(stale)).toContain('`ais/raw/#`');
    expect(renderGenerated(stale)).toContain('`bds/raw/#`');
    expect(() => renderGenerated('<!-- generated:nope -->\n<!-- /generated:nope -->')).toThrow(/unknown generated section/);
  });

  it('no source file cites a CONTRACTS.md outside the repository', () => {
    // Comments cite docs/CONTRACTS.md: the steering copy beside the repository is not the project's.
    const stray: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && e.name !== 'contracts-doc.test.ts' && /(?<!docs\/)CONTRACTS\.md/.test(readFileSync(p, 'utf8'))) stray.push(p);
      }
    };
    walk('.');
    expect(stray).toEqual([]);
  });
});
