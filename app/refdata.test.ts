import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageGridDir, readRegistry, readSeaGrids } from './refdata.js';

describe('reference data read from files', () => {
  it('finds the shipped grid folder and reads its 12 control and 3 patrol grids (the Zhoushan design)', () => {
    expect(readdirSync(packageGridDir())).toContain('zhoushan-fixture-grids.geojson');
    const grids = readSeaGrids();
    expect(grids.filter((g) => g.layer === 'control')).toHaveLength(12);
    expect(grids.filter((g) => g.layer === 'patrol')).toHaveLength(3);
  });

  it('a grid folder with a missing and a broken file fails start-up with one error naming both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seagrid-grids-'));
    for (const f of readdirSync(packageGridDir())) if (f.endsWith('.geojson')) copyFileSync(join(packageGridDir(), f), join(dir, f));
    writeFileSync(join(dir, 'zhoushan-fixture-grids.geojson'), '{"type": "FeatureCollection", "features": [');
    const missing = join(dir, 'zhoushan-anchorages-lanes.geojson');
    writeFileSync(missing, '');
    expect(() => readSeaGrids(dir)).toThrow(/zhoushan-fixture-grids\.geojson.*zhoushan-anchorages-lanes\.geojson|zhoushan-anchorages-lanes\.geojson.*zhoushan-fixture-grids\.geojson/);
  });

  it('reads the example registry; an unreadable or unknown-format file is a clear error', () => {
    expect(readRegistry('fixtures/registry/zhoushan-example.csv').size).toBeGreaterThan(0);
    expect(readRegistry(undefined).size).toBe(0);
    expect(() => readRegistry('no/such/file.csv')).toThrow(/REGISTRY_FILE no\/such\/file\.csv: .*ENOENT/);
    expect(() => readRegistry('fixtures/registry/zhoushan-example.xlsx')).toThrow(/expected \.csv or \.json/);
  });
});
