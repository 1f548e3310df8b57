import { describe, expect, it } from 'vitest';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { VesselRegistry } from '../model/index.js';
import { gridCollectionView } from '../web/index.js';
import { readSeaGrids } from './refdata.js';

/**
 * `GET /api/grids` says whether each zone applies now (the console no longer judges a moratorium's
 * season itself). Expected dates from the MARA notice of 2023-03-13: between 35°N and 26°30′N the
 * summer moratorium runs from 1 May 12:00 to 16 September 12:00 Beijing time (04:00 UTC).
 */
describe('grids in force, as /api/grids serves them', () => {
  const sea = new SeaPicture(new VesselRegistry([]), SeaGridIndex.build(readSeaGrids()));
  const at = (iso: string) => {
    const fc = gridCollectionView(sea.gridsGeoJson(), (id) => sea.appliesAt(id, Date.parse(iso)));
    return (id: string) => fc.features.find((f) => f.properties.id === id)?.properties.inForceNow;
  };

  it('the East China Sea moratorium is in force from 1 May 12:00 to 16 September 12:00 Beijing time, not outside', () => {
    expect(at('2026-05-01T03:59:00Z')('MOR-35-2630')).toBe(false);
    expect(at('2026-05-01T04:00:00Z')('MOR-35-2630')).toBe(true);
    expect(at('2026-07-15T00:00:00Z')('MOR-35-2630')).toBe(true);
    expect(at('2026-09-16T03:59:00Z')('MOR-35-2630')).toBe(true);
    expect(at('2026-09-16T04:00:00Z')('MOR-35-2630')).toBe(false);
    expect(at('2026-12-01T00:00:00Z')('MOR-35-2630')).toBe(false);
  });

  it('a grid without a season applies at any time', () => {
    const now = at('2026-12-01T00:00:00Z');
    const fc = sea.gridsGeoJson();
    const always = fc.features.filter((f) => f.properties.inForce === null);
    expect(always.length).toBeGreaterThan(10);
    for (const f of always) expect(now(f.properties.id)).toBe(true);
  });
});
