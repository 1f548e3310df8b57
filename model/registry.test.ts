import { describe, expect, it } from 'vitest';
import { asMmsi, type BeidouCard, type FleetId, type VesselFile, type VesselId } from './index.js';
import { parseBeidouCard, VesselRegistry, vesselIdFor } from './registry.js';

const file = (f: Omit<Partial<VesselFile>, 'vesselId'> & { vesselId: string }): VesselFile => ({ name: f.vesselId, ...f }) as VesselFile;
const card = (s: string): BeidouCard => s as BeidouCard;

describe('VesselRegistry', () => {
  const reg = new VesselRegistry([
    file({ vesselId: '412412345', mmsi: asMmsi(412412345), beidouCard: card('1234567'), fleetId: 'PT-1' as FleetId }),
    file({ vesselId: 'bd2000001', beidouCard: card('2000001'), fleetId: 'PT-1' as FleetId }),
    file({ vesselId: '413456789', mmsi: asMmsi(413456789) }),
  ]);

  it('looks hulls up by MMSI, card and vesselId', () => {
    expect(reg.byMmsi(asMmsi(412412345))?.vesselId).toBe('412412345');
    expect(reg.byCard(card('1234567'))?.vesselId).toBe('412412345');
    expect(reg.byCard(card('2000001'))?.vesselId).toBe('bd2000001');
    expect(reg.byVesselId('413456789' as VesselId)?.mmsi).toBe(413456789);
    expect(reg.byMmsi(asMmsi(999999999))).toBeUndefined();
    expect(reg.size).toBe(3);
  });

  it('indexes fleets', () => {
    expect(reg.fleet('PT-1' as FleetId).map((f) => f.vesselId)).toEqual(['412412345', 'bd2000001']);
    expect(reg.fleet('none' as FleetId)).toEqual([]);
    expect(reg.fleetIds()).toEqual(['PT-1']);
  });

  it('resolves a report identity to its hull, else by the rule', () => {
    expect(reg.vesselIdOf(undefined, card('1234567'))).toBe('412412345');
    expect(reg.vesselIdOf(asMmsi(3669702), undefined)).toBe('003669702');
    expect(reg.vesselIdOf(undefined, card('77'))).toBe('bd77');
    expect(reg.vesselIdOf(undefined, undefined)).toBeUndefined();
  });

  it('refuses two hulls with one identity (a programmer error: validate files first)', () => {
    expect(() => new VesselRegistry([file({ vesselId: 'bd1', beidouCard: card('1') }), file({ vesselId: 'bd1x', beidouCard: card('1') })])).toThrow(/BeiDou card 1/);
  });
});

describe('identity helpers', () => {
  it('vesselIdFor: MMSI first, else bd{card}', () => {
    expect(vesselIdFor(asMmsi(412412345), card('1'))).toBe('412412345');
    expect(vesselIdFor(undefined, card('1'))).toBe('bd1');
  });

  it('parseBeidouCard drops the bd spelling prefix and refuses junk', () => {
    expect(parseBeidouCard(' bd1234567 ')).toBe('1234567');
    expect(parseBeidouCard('BD0012')).toBe('0012');
    expect(parseBeidouCard('bdX1')).toBe('bdX1');
    expect(parseBeidouCard('12 34')).toBeUndefined();
    expect(parseBeidouCard('')).toBeUndefined();
    expect(parseBeidouCard('../x')).toBeUndefined();
  });
});
