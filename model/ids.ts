/** Branded identifiers: a plain number or string that the type system will not confuse with another kind. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** ITU MMSI, 9 digits for ships (fewer for base stations, e.g. 003669702 → 3669702). */
export type Mmsi = Brand<number, 'Mmsi'>;
/** The MMSI (as 9-digit text) when the vessel has one, else `bd{cardId}` (docs/CONTRACTS.md). */
export type VesselId = Brand<string, 'VesselId'>;
/** BeiDou user-card number bound to a vessel in the registry. */
export type BeidouCard = Brand<string, 'BeidouCard'>;
export type H3Cell = Brand<string, 'H3Cell'>;
export type AlertId = Brand<string, 'AlertId'>;
export type FleetId = Brand<string, 'FleetId'>;

export function asMmsi(n: number): Mmsi {
  return n as Mmsi;
}

export function vesselIdOfMmsi(mmsi: Mmsi): VesselId {
  return String(mmsi).padStart(9, '0') as VesselId;
}

export function vesselIdOfCard(card: BeidouCard): VesselId {
  return `bd${card}` as VesselId;
}
