import { describe, expect, it } from 'vitest';
import type { FleetId } from './ids.js';
import { VesselRegistry } from './registry.js';
import { parseRegistry } from './registry-file.js';

/** A registry file names each fleet group's leading boat (编组长船); the registry answers who leads a fleet. */
describe('fleet leaders in the registry', () => {
  const csv = [
    '船名,MMSI,编组,编组长船',
    '浙岱渔01001,412000101,ZS-1,是',
    '浙岱渔01002,412000102,ZS-1,否',
    '浙岱渔01003,412000103,ZS-1,',
    '浙岱渔02001,412000201,ZS-2,0',
    '浙岱渔02002,412000202,ZS-2,1',
    '浙岱渔03001,412000301,ZS-3,no',
  ].join('\n');

  it('reads the column (是/否, 1/0, empty: unknown) and names each fleet\'s leader, none where none is marked', () => {
    const r = parseRegistry(csv, 'csv');
    if (!r.ok) throw new Error(JSON.stringify(r));
    const reg = new VesselRegistry(r.value);
    expect(reg.leaderOf('ZS-1' as FleetId)?.vesselId).toBe('412000101');
    expect(reg.leaderOf('ZS-2' as FleetId)?.vesselId).toBe('412000202');
    expect(reg.leaderOf('ZS-3' as FleetId)).toBeUndefined();
    expect(reg.leaderOf('ZS-9' as FleetId)).toBeUndefined();
  });

  it('refuses a value that is not yes or no, naming the field', () => {
    const r = parseRegistry('船名,MMSI,编组,编组长船\n浙岱渔01001,412000101,ZS-1,maybe\n', 'csv');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toContain('fleetLeader');
  });
});
