import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fishingZoneKey, fishingZoneOf, fishingZoneOfKey, fishingZoneRing } from './fishing-zone.js';

/**
 * The official three-digit 渔区 numbers could not be established from public sources (see
 * fishing-zone.ts), so the golden values are the zone names the refdata author wrote by hand into
 * fixtures/geo/zhoushan-fixture-grids.geojson (property `fishingZone` of each control grid, from the
 * 30′ lattice of 29°30′–31°00′N × 121°30′–123°30′E, see fixtures/geo/PROVENANCE.md), and corner
 * values worked out here by hand in degrees and minutes.
 */
describe('渔区 lattice', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/geo/zhoushan-fixture-grids.geojson', import.meta.url), 'utf8')) as {
    features: { properties: { id: string; fishingZone?: string }; geometry: { coordinates: number[][][] } }[];
  };
  const controls = fixture.features.filter((f) => f.properties.fishingZone !== undefined);

  it('names the 30′ zone of each fixture control grid as its author did (12 of 12)', () => {
    expect(controls).toHaveLength(12);
    for (const f of controls) {
      const ring = f.geometry.coordinates[0]!;
      const lon = (Math.min(...ring.map((p) => p[0]!)) + Math.max(...ring.map((p) => p[0]!))) / 2;
      const lat = (Math.min(...ring.map((p) => p[1]!)) + Math.max(...ring.map((p) => p[1]!))) / 2;
      expect(fishingZoneOf(lat, lon)?.zoneId, f.properties.id).toBe(f.properties.fishingZone);
      // The fixture polygon is exactly the zone's square.
      expect(fishingZoneRing(f.properties.fishingZone!)).toEqual(ring);
    }
  });

  it('numbers the 9 sub-zones like a keypad, north row first (centres of 30°00′–30°30′N × 122°00′–122°30′E)', () => {
    // Sub-zone centres: rows at 30°25′, 30°15′, 30°05′N; columns at 122°05′, 122°15′, 122°25′E.
    const rows = [30 + 25 / 60, 30 + 15 / 60, 30 + 5 / 60];
    const cols = [122 + 5 / 60, 122 + 15 / 60, 122 + 25 / 60];
    const got = rows.map((lat) => cols.map((lon) => fishingZoneOf(lat, lon)!.id));
    expect(got).toEqual([
      ['FZ-N3000-E12200-1', 'FZ-N3000-E12200-2', 'FZ-N3000-E12200-3'],
      ['FZ-N3000-E12200-4', 'FZ-N3000-E12200-5', 'FZ-N3000-E12200-6'],
      ['FZ-N3000-E12200-7', 'FZ-N3000-E12200-8', 'FZ-N3000-E12200-9'],
    ]);
  });

  it('puts a point on a line in the zone north / east of it (half-open), also for 10′ lines that decimals cannot hold exactly', () => {
    // On the 30°30′ parallel: the northern zone, its southern row.
    expect(fishingZoneOf(30.5, 122.2)!.id).toBe('FZ-N3030-E12200-8');
    // On the 122°E meridian: the eastern zone, its western column.
    expect(fishingZoneOf(30.2, 122)!.id).toBe('FZ-N3000-E12200-4');
    // The corner 30°30′N 122°00′E is the SW corner of the NE zone, sub-zone 7.
    expect(fishingZoneOf(30.5, 122)!.id).toBe('FZ-N3030-E12200-7');
    // 30°10′N is 30.1666…: the double nearest it is on the line, so it starts the middle row.
    const tenPast = 30 + 10 / 60;
    expect(fishingZoneOf(tenPast, 122.2)!.subZone).toBe(5);
    expect(fishingZoneOf(tenPast - 1e-12, 122.2)!.subZone).toBe(8);
    // 122°20′E the same way: starts the eastern column.
    const twentyPast = 122 + 20 / 60;
    expect(fishingZoneOf(30.2, twentyPast)!.subZone).toBe(6);
    expect(fishingZoneOf(30.2, twentyPast - 1e-12)!.subZone).toBe(5);
    // Just below a 30′ line stays in the southern zone's northern row.
    expect(fishingZoneOf(30.5 - 1e-9, 122.2)!.id).toBe('FZ-N3000-E12200-2');
  });

  it('every 10′ line k/6 (0…270 north, 600…810 east) starts a new row/column exactly at its double', () => {
    for (let k = 1; k < 270; k++) {
      const lat = k / 6;
      const at = fishingZoneKey(lat, 122.01);
      const below = fishingZoneKey(lat - 1e-9, 122.01);
      expect(at - below, `lat ${lat}`).toBe(210); // one row of the lattice: 35° × 6 columns
    }
    for (let k = 601; k < 810; k++) {
      const lon = k / 6;
      expect(fishingZoneKey(30.01, lon) - fishingZoneKey(30.01, lon - 1e-9), `lon ${lon}`).toBe(1);
    }
  });

  it('is undefined outside 0°–45°N × 100°–135°E and for non-finite input', () => {
    expect(fishingZoneOf(45, 122)).toBeUndefined();
    expect(fishingZoneOf(-0.1, 122)).toBeUndefined();
    expect(fishingZoneOf(30, 135)).toBeUndefined();
    expect(fishingZoneOf(30, 99.99)).toBeUndefined();
    expect(fishingZoneOf(Number.NaN, 122)).toBeUndefined();
    expect(fishingZoneOf(0, 100)!.id).toBe('FZ-N0000-E10000-7');
  });

  it('builds each id string once (same object for the same sub-zone)', () => {
    const k = fishingZoneKey(29.9, 122.3);
    expect(fishingZoneOfKey(k)).toBe(fishingZoneOfKey(k));
    expect(fishingZoneOfKey(k)).toMatchObject({ id: 'FZ-N2930-E12200-2', zoneId: 'FZ-N2930-E12200', subZone: 2 });
    expect(fishingZoneOfKey(k).south).toBeCloseTo(29 + 50 / 60, 12);
    expect(fishingZoneOfKey(k).west).toBeCloseTo(122 + 10 / 60, 12);
  });
});
