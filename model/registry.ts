import type { BeidouCard, FleetId, Mmsi, VesselId } from './ids.js';
import { vesselIdOfCard, vesselIdOfMmsi } from './ids.js';
import type { VesselFile } from './vessel.js';

/**
 * BeiDou card text as used in ids and topics: letters and digits, at most 32. A `bd` prefix in
 * front of digits (`beidou/raw/bd1234567`, tag `s:bd1234567`) is the vesselId spelling of the
 * card, not part of it, and is dropped so both spellings name one card.
 */
export function parseBeidouCard(text: string): BeidouCard | undefined {
  const t = text.trim();
  const card = /^bd\d+$/i.test(t) ? t.slice(2) : t;
  return /^[0-9A-Za-z]{1,32}$/.test(card) ? (card as BeidouCard) : undefined;
}

/** The identity rule of docs/CONTRACTS.md: the MMSI as 9 digits when there is one, else `bd{card}`. */
export function vesselIdFor(mmsi: Mmsi | undefined, card: BeidouCard | undefined): VesselId | undefined {
  if (mmsi !== undefined) return vesselIdOfMmsi(mmsi);
  if (card !== undefined) return vesselIdOfCard(card);
  return undefined;
}

/**
 * The vessel registry (一船一档) as pure lookups: which hull an MMSI or a BeiDou card is bound to,
 * and which hulls form each fleet group. Immutable; a changed registry is a new instance.
 */
export class VesselRegistry {
  private readonly files: readonly VesselFile[];
  private readonly mmsiIndex = new Map<number, VesselFile>();
  private readonly cardIndex = new Map<string, VesselFile>();
  private readonly idIndex = new Map<string, VesselFile>();
  private readonly fleetIndex = new Map<string, VesselFile[]>();

  /** Throws on duplicate MMSI, card or vesselId: parse and validate files first (`registry-file.ts`). */
  constructor(files: readonly VesselFile[]) {
    this.files = [...files];
    for (const f of this.files) {
      addUnique(this.idIndex, f.vesselId, f, 'vesselId');
      if (f.mmsi !== undefined) addUnique(this.mmsiIndex, f.mmsi, f, 'MMSI');
      if (f.beidouCard !== undefined) addUnique(this.cardIndex, f.beidouCard, f, 'BeiDou card');
      if (f.fleetId !== undefined) {
        const members = this.fleetIndex.get(f.fleetId);
        if (members === undefined) this.fleetIndex.set(f.fleetId, [f]);
        else members.push(f);
      }
    }
  }

  static empty(): VesselRegistry {
    return new VesselRegistry([]);
  }

  get size(): number {
    return this.files.length;
  }

  all(): readonly VesselFile[] {
    return this.files;
  }

  byMmsi(mmsi: Mmsi): VesselFile | undefined {
    return this.mmsiIndex.get(mmsi);
  }

  byCard(card: BeidouCard): VesselFile | undefined {
    return this.cardIndex.get(card);
  }

  byVesselId(vesselId: VesselId): VesselFile | undefined {
    return this.idIndex.get(vesselId);
  }

  /** Members of a fleet group in registry order; empty for an unknown fleet. */
  fleet(fleetId: FleetId): readonly VesselFile[] {
    return this.fleetIndex.get(fleetId) ?? [];
  }

  /** The member marked as the fleet group's leader (the first, should a file mark two); undefined when none is. */
  leaderOf(fleetId: FleetId): VesselFile | undefined {
    return this.fleet(fleetId).find((f) => f.fleetLeader === true);
  }

  fleetIds(): FleetId[] {
    return [...this.fleetIndex.keys()] as FleetId[];
  }

  /**
   * The vesselId a report belongs to: the hull its MMSI or card is bound to (MMSI first), else
   * the identity rule applied to whichever it carries.
   */
  vesselIdOf(mmsi: Mmsi | undefined, card: BeidouCard | undefined): VesselId | undefined {
    const f = (mmsi === undefined ? undefined : this.mmsiIndex.get(mmsi)) ?? (card === undefined ? undefined : this.cardIndex.get(card));
    return f?.vesselId ?? vesselIdFor(mmsi, card);
  }
}

function addUnique<K>(index: Map<K, VesselFile>, key: K, f: VesselFile, what: string): void {
  const seen = index.get(key);
  if (seen !== undefined) throw new Error(`registry: ${what} ${String(key)} of ${f.vesselId} already belongs to ${seen.vesselId}`);
  index.set(key, f);
}
