import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageGridDir, readAlertPolicy, readRegistry, readSeaGrids } from './refdata.js';

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

describe('ALERT_POLICY_FILE: the grids an override may name', () => {
  const grids = readSeaGrids();
  const withGrid = (gridId: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'seagrid-policy-')), 'policy.json');
    writeFileSync(file, JSON.stringify({ collisionOverrides: [{ gridId, dangerOnly: true }] }));
    return file;
  };
  it('a grid of the service, a 渔区 zone or sub-zone on the lattice: accepted', () => {
    for (const id of ['ANCH-XZM-N', 'CG-07', 'FZ-N3000-E12200', 'FZ-N3030-E12230-5', 'FZ-N3030-E12230-9']) expect(readAlertPolicy(withGrid(id), grids).collisionOverrides[0]!.gridId).toBe(id);
  });
  it('anything else is refused, naming it: an unknown grid, a 渔区 off the 30′ lattice, a sub-zone 0, outside the lattice', () => {
    for (const id of ['ANCH-NOWHERE', 'FZ-N3045-E12130', 'FZ-N3030-E12215', 'FZ-N3030-E12230-0', 'FZ-N5000-E12200']) expect(() => readAlertPolicy(withGrid(id), grids)).toThrow(`policy.override: collisionOverrides[0].gridId: "${id}" is no known grid`);
  });
  it('no file: the defaults', () => {
    expect(readAlertPolicy(undefined, grids).collisionOverrides).toEqual([]);
  });
});
