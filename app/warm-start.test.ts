import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRegistry, VesselRegistry, type VesselId } from '../model/index.js';
import { reportOf } from './warm-start.js';

function registry(): VesselRegistry {
  const parsed = parseRegistry(readFileSync('fixtures/registry/zhoushan-example.csv', 'utf8'), 'csv');
  if (!parsed.ok) throw new Error(parsed.detail);
  return new VesselRegistry(parsed.value);
}

describe('warm start: a stored fix back to the report it came from', () => {
  const fix = { atMs: 1_760_238_900_000, lat: 30.75, lon: 122.01, sogKn: 7.5, cogDeg: 85 };
  it("takes a registry hull's identity by the fix's source: its MMSI for AIS, its card for BeiDou", () => {
    // fixtures/registry/zhoushan-example.csv: 浙普渔68123 is MMSI 412412345 and card 1234567.
    const reg = registry();
    expect(reportOf({ vesselId: '412412345' as VesselId, source: 'ais', ...fix }, reg)).toMatchObject({ source: 'ais', mmsi: 412412345, atMs: fix.atMs, receivedAtMs: fix.atMs, sogKn: 7.5 });
    const bd = reportOf({ vesselId: '412412345' as VesselId, source: 'beidou', ...fix }, reg);
    expect(bd).toMatchObject({ source: 'beidou', beidouCard: '1234567' });
    expect(bd).not.toHaveProperty('mmsi');
  });
  it('reads an unregistered vessel from its id (9 digits: MMSI; bd…: card), and leaves out what it cannot place', () => {
    const reg = registry();
    expect(reportOf({ vesselId: '004123456' as VesselId, source: 'ais', ...fix }, reg)).toMatchObject({ mmsi: 4_123_456 });
    expect(reportOf({ vesselId: 'bd7654321' as VesselId, source: 'beidou', ...fix }, reg)).toMatchObject({ beidouCard: '7654321' });
    expect(reportOf({ vesselId: 'bd7654321' as VesselId, source: 'ais', ...fix }, reg)).toBeUndefined();
    expect(reportOf({ vesselId: 'ZS-0001' as VesselId, source: 'ais', ...fix }, reg)).toBeUndefined();
  });
});
