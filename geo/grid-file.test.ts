import { describe, expect, it } from 'vitest';
import { isRejectCode } from '../model/index.js';
import { fixtureSeaGrids } from './test-support.js';
import { inForceAt, noTrawlZone, parseGridFile, type GridDef, type GridFileProblem } from './grid-file.js';
import { polygonContains, preparePolygon } from './geometry.js';

const square = [
  [122, 30],
  [122.5, 30],
  [122.5, 30.5],
  [122, 30.5],
  [122, 30],
];

function feature(props: Record<string, unknown>, geometry: unknown = { type: 'Polygon', coordinates: [square] }): unknown {
  return { type: 'Feature', properties: { kind: 'control_grid', name_zh: '网格', ...props }, geometry };
}

function problems(doc: unknown): GridFileProblem[] {
  const r = parseGridFile(doc, { file: 'test.geojson' });
  if (r.ok) throw new Error('expected problems');
  // Each code is one of the one catalogue's (model/codes.ts), as every rejection's is.
  for (const p of r.problems) expect(isRejectCode(p.code), p.code).toBe(true);
  return [...r.problems];
}

function fc(...features: unknown[]): unknown {
  return { type: 'FeatureCollection', features };
}

describe('parseGridFile rejects bad files with the feature and the reason', () => {
  it('not JSON, not a FeatureCollection', () => {
    expect(problems('{"type": "FeatureCollection", ')).toMatchObject([{ code: 'grid.json', file: 'test.geojson' }]);
    expect(problems({ type: 'Feature' })).toMatchObject([{ code: 'grid.not_collection' }]);
    expect(problems({ type: 'FeatureCollection', features: {} })).toMatchObject([{ code: 'grid.not_collection' }]);
  });

  it('lists every bad feature at once, each with its index, id and reason', () => {
    const ps = problems(
      fc(
        feature({ id: 'A' }),
        feature({}), // 1: no id
        feature({ id: 'A' }), // 2: duplicate
        feature({ id: 'B', kind: 'fishing_spot' }), // 3: unknown kind
        feature({ id: 'C' }, { type: 'Point', coordinates: [122, 30] }), // 4: not an area
        feature({ id: 'D' }, { type: 'Polygon', coordinates: [square.slice(0, 4)] }), // 5: unclosed
        feature({ id: 'E' }, { type: 'Polygon', coordinates: [[[122, 30], [122.5, 30], [122, 30]]] }), // 6: 3 positions
        feature({ id: 'F' }, { type: 'Polygon', coordinates: [[[122, 30], [182, 30], [122, 31], [122, 30]]] }), // 7: lon 182
        feature({ id: 'G', name_zh: '' }), // 8: no Chinese name
        'not a feature', // 9
      ),
    );
    const brief = ps.map((p) => [p.featureIndex, p.featureId, p.code]);
    expect(brief).toEqual([
      [1, undefined, 'grid.id_missing'],
      [2, 'A', 'grid.id_duplicate'],
      [3, 'B', 'grid.kind_unknown'],
      [4, 'C', 'grid.geometry_type'],
      [5, 'D', 'grid.ring_unclosed'],
      [6, 'E', 'grid.ring_short'],
      [7, 'F', 'grid.coord_range'],
      [8, 'G', 'grid.name_missing'],
      [9, undefined, 'grid.feature'],
    ]);
    expect(ps[4]!.reason).toMatch(/polygon 0 ring 0 ends at \[122, 30\.5\], not at its first position \[122, 30\]/);
    expect(ps[6]!.reason).toMatch(/\[182,30\]/);
  });

  it('a line kind must be a LineString and an area kind must not be', () => {
    const ps = problems(
      fc(
        feature({ id: 'L1', kind: 'no_trawl_line' }), // polygon for a line kind
        feature({ id: 'L2', kind: 'route' }, { type: 'LineString', coordinates: [[122, 30]] }), // 1 position
        feature({ id: 'A1', kind: 'anchorage' }, { type: 'LineString', coordinates: [[122, 30], [123, 30]] }),
      ),
    );
    expect(ps.map((p) => [p.featureId, p.code])).toEqual([
      ['L1', 'grid.geometry_type'],
      ['L2', 'grid.ring_short'],
      ['A1', 'grid.geometry_type'],
    ]);
  });

  it('bad dates: impossible day, one of start/end alone, end equal to start, a rolled-over ISO date, mixed forms', () => {
    const ps = problems(
      fc(
        feature({ id: 'M1', kind: 'seasonal_closure', start: '02-30T12:00+08:00', end: '09-16T12:00+08:00' }),
        feature({ id: 'M2', kind: 'seasonal_closure', start: '05-01T12:00+08:00' }),
        feature({ id: 'M3', kind: 'seasonal_closure', start: '05-01T12:00+08:00', end: '05-01T12:00+08:00' }),
        feature({ id: 'M4', kind: 'seasonal_closure', start: '2025-02-30T12:00+08:00', end: '2025-09-16T12:00+08:00' }),
        feature({ id: 'M5', kind: 'seasonal_closure', start: '05-01T12:00+08:00', end: '2025-09-16T12:00+08:00' }),
        feature({ id: 'M6', kind: 'seasonal_closure', start: '05-01T24:00+08:00', end: '09-16T12:00+08:00' }),
        feature({ id: 'M7', kind: 'seasonal_closure', start: '2025-09-16T12:00+08:00', end: '2025-05-01T12:00+08:00' }),
      ),
    );
    expect(ps.map((p) => [p.featureId, p.code])).toEqual([
      ['M1', 'grid.date'],
      ['M2', 'grid.date'],
      ['M3', 'grid.date'],
      ['M4', 'grid.date'],
      ['M5', 'grid.date'],
      ['M6', 'grid.date'],
      ['M7', 'grid.date'],
    ]);
    expect(ps[0]!.reason).toMatch(/02-30T12:00\+08:00 is not a real month-day/);
  });

  it('reads good features: layer, kind, names, holes, MultiPolygon, dates, approximate', () => {
    const hole = [
      [122.1, 30.1],
      [122.1, 30.2],
      [122.2, 30.2],
      [122.2, 30.1],
      [122.1, 30.1],
    ];
    const r = parseGridFile(
      fc(
        feature({ id: 'P', name_en: 'P grid', confidence: 'approximate' }, { type: 'Polygon', coordinates: [square, hole] }),
        feature({ id: 'Q', kind: 'seasonal_closure' , start: '12-01T00:00+08:00', end: '02-01T00:00+08:00' }, { type: 'MultiPolygon', coordinates: [[square], [square.map(([x, y]) => [x! + 1, y!])]] }),
      ),
      { file: 'ok.geojson' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [p, q] = r.grids as [GridDef, GridDef];
    expect(p).toMatchObject({ id: 'P', layer: 'control', kind: 'control_grid', nameZh: '网格', nameEn: 'P grid', approximate: true, source: 'ok.geojson' });
    expect(q).toMatchObject({ id: 'Q', layer: 'zone', approximate: false, inForce: { recurrence: 'yearly', start: '12-01T00:00+08:00' } });
    if (p.shape.type !== 'area' || q.shape.type !== 'area') throw new Error('areas expected');
    expect(polygonContains(preparePolygon(p.shape.polygons[0]!), 122.15, 30.15)).toBe(false); // in the hole
    expect(polygonContains(preparePolygon(p.shape.polygons[0]!), 122.05, 30.15)).toBe(true);
    expect(q.shape.polygons).toHaveLength(2);
    // A period that wraps past New Year, Beijing time.
    expect(inForceAt(q.inForce, Date.parse('2025-12-31T12:00:00Z'))).toBe(true);
    expect(inForceAt(q.inForce, Date.parse('2026-01-31T15:59:59.999Z'))).toBe(true);
    expect(inForceAt(q.inForce, Date.parse('2026-01-31T16:00:00Z'))).toBe(false);
    expect(inForceAt(q.inForce, Date.parse('2025-11-30T15:59:59.999Z'))).toBe(false);
    expect(inForceAt(q.inForce, Date.parse('2025-11-30T16:00:00Z'))).toBe(true);
  });
});

describe('loadSeaGrids (fixtures/geo)', () => {
  const r = fixtureSeaGrids();
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const byId = new Map(r.grids.map((g) => [g.id, g]));

  it('loads the 15 static grids, 12 control, 3 patrol, the zones and the two lines', () => {
    const count = (layer: string): number => r.grids.filter((g) => g.layer === layer && g.shape.type === 'area').length;
    expect(count('static')).toBe(15);
    expect(count('control')).toBe(12);
    expect(count('patrol')).toBe(3);
    // Zhoushan ground, 3 moratorium bands, 2 agreement zones, 2 anchorages, the derived no-trawl zone.
    expect(r.grids.filter((g) => g.layer === 'zone' && g.shape.type === 'area').map((g) => g.id).sort()).toEqual(
      ['ANCH-XZM-N', 'ANCH-XZM-S', 'CN-TRAWL-ZONE', 'CNJP-PMZ', 'CNKR-PMZ', 'FG-ZHOUSHAN', 'MOR-2630-12', 'MOR-35-2630', 'MOR-N35'].sort(),
    );
    expect(r.grids.filter((g) => g.shape.type === 'line').map((g) => g.id)).toEqual(['CN-TRAWL-LINE', 'LANE-XZM-BEILUN']);
  });

  it('keeps the approximate flag: the Zhoushan ground bounds are published, the others mostly not', () => {
    expect(byId.get('SG-03')!.approximate).toBe(false);
    expect(r.grids.filter((g) => g.layer === 'static' && g.approximate)).toHaveLength(14);
    expect(byId.get('CN-TRAWL-ZONE')!.approximate).toBe(true);
  });

  it('the moratorium bands carry yearly Beijing-time dates', () => {
    expect(byId.get('MOR-35-2630')!.inForce).toMatchObject({ recurrence: 'yearly', startAt: { month: 5, day: 1, hour: 12, minute: 0, offsetMin: 480 }, endAt: { month: 9, day: 16 } });
  });

  it('the no-trawl zone lies west of the line: Zhoushan inshore is in, the open sea east of the line is out', () => {
    const zone = noTrawlZone(byId.get('CN-TRAWL-LINE')!)!;
    if (zone.shape.type !== 'area') throw new Error('area expected');
    const p = preparePolygon(zone.shape.polygons[0]!);
    expect(polygonContains(p, 122.2, 30.0)).toBe(true); // Zhoushan islands, inshore
    expect(polygonContains(p, 124.0, 30.0)).toBe(false); // east of the line (123.4°E at 30.7°N, 122.75°E at 29°N)
    expect(polygonContains(p, 120.5, 35.0)).toBe(true); // off Rizhao: the line is at ≈120.75°E on 35°N
    expect(polygonContains(p, 121.0, 35.0)).toBe(false); // just east of it
    expect(polygonContains(p, 121.0, 38.0)).toBe(false); // north of the line's northern end: not covered
  });
});
