/**
 * What a principal may see (issue 14 §3–4), decided on the server for every route and for /ws. A
 * fleet leader sees his fleets' vessels whole and their alerts; any other vessel only while it is
 * within the awareness radius of one of his fleet's live vessels, and then only as position and
 * identity (no file, no fleet, no grids). He also sees, read only, an alert to which one of his
 * vessels is dispatched (its orders go through him). A liaison official (定人联船) sees the vessels
 * the registry names him for and their alerts, read only; any user so named (a fleet leader too)
 * sees those. Every other role sees everything.
 */
import type { AlertView, VesselGridsView, VesselView } from './protocol.js';
import type { Principal } from './auth.js';

/** What the composition root knows that the scope needs. */
export interface ScopeSource {
  /** The fleet of a vessel by id (registry), null: in no fleet. */
  fleetOf(vesselId: string): string | null;
  /** Live positions of these fleets' members now. */
  positionsOf(fleetIds: ReadonlySet<string>): readonly { readonly lat: number; readonly lon: number }[];
  /** Great-circle distance in nautical miles (geo/sphere.ts, the one sphere). */
  distanceNm(lat1: number, lon1: number, lat2: number, lon2: number): number;
  /** Vessels whose registry row names this username as liaison official (`liaisonUser`); absent: none. */
  liaisonVessels?(username: string): ReadonlySet<string>;
}

/** What the scope reads of an alert (supervision figures know only its fleets). */
export type ScopedAlert = Pick<AlertView, 'fleetIds'> & Partial<Pick<AlertView, 'vesselIds' | 'responders'>>;

const NONE: ReadonlySet<string> = new Set();

export const DEFAULT_AWARENESS_NM = 6;

const NO_GRIDS: VesselGridsView = { static: [], control: [], patrol: [], fishingZone: null, fleet: null, h3: null, zones: [] };

export class Scope {
  private liaison: ReadonlySet<string> | undefined;

  constructor(
    readonly principal: Principal,
    private readonly source: ScopeSource | undefined,
    private readonly awarenessNm: number = DEFAULT_AWARENESS_NM,
  ) {}

  /** Sees everything: every role but the fleet leader and the liaison official. */
  get whole(): boolean {
    return this.principal.role !== 'fleet_leader' && this.principal.role !== 'liaison';
  }

  ownsFleet(fleetId: string | null | undefined): boolean {
    return this.whole || (fleetId != null && this.principal.fleetIds.has(fleetId));
  }

  /** The vessels the registry names him liaison official for (read once per scope). */
  private liaisonVessels(): ReadonlySet<string> {
    this.liaison ??= this.source?.liaisonVessels?.(this.principal.username) ?? NONE;
    return this.liaison;
  }

  /** The vessel's file, track, route and grid events are his to read. */
  ownsVessel(vesselId: string): boolean {
    return this.whole || this.ownsFleet(this.source?.fleetOf(vesselId)) || this.liaisonVessels().has(vesselId);
  }

  /** An alert concerning one of his fleets: his to act on (as his role allows). */
  actsOnAlert(a: Pick<AlertView, 'fleetIds'>): boolean {
    return this.whole || a.fleetIds.some((f) => this.principal.fleetIds.has(f));
  }

  /** An alert he may read: his fleets', one on a vessel he is liaison official for, one his fleet's vessels are dispatched to. */
  seesAlert(a: ScopedAlert): boolean {
    if (this.actsOnAlert(a)) return true;
    const liaison = this.liaisonVessels();
    if (liaison.size > 0 && (a.vesselIds ?? []).some((v) => liaison.has(v))) return true;
    return this.principal.fleetIds.size > 0 && (a.responders ?? []).some((r) => this.ownsFleet(this.source?.fleetOf(r.vesselId)));
  }

  /**
   * A function giving what he may see of a live vessel (null: nothing), made once for a page or a
   * push period: the fleet's positions are read once, and a box around them screens the rest.
   */
  vesselViewer(): (v: VesselView) => VesselView | null {
    if (this.whole) return (v) => v;
    const near = this.nearFleet();
    const liaison = this.liaisonVessels();
    return (v) => (this.ownsFleet(v.fleetId) || liaison.has(v.vesselId) ? v : near(v.lat, v.lon) ? awarenessView(v) : null);
  }

  private nearFleet(): (lat: number, lon: number) => boolean {
    const src = this.source;
    const own = src?.positionsOf(this.principal.fleetIds) ?? [];
    if (src === undefined || own.length === 0) return () => false;
    const r = this.awarenessNm;
    // One degree of latitude is 60 nm; of longitude, 60·cos(lat) nm: the box holds every point within r.
    const dLat = r / 60;
    let s = 90, n = -90, w = 180, e = -180, maxAbsLat = 0;
    for (const p of own) {
      s = Math.min(s, p.lat);
      n = Math.max(n, p.lat);
      w = Math.min(w, p.lon);
      e = Math.max(e, p.lon);
      maxAbsLat = Math.max(maxAbsLat, Math.abs(p.lat));
    }
    const dLon = r / (60 * Math.max(Math.cos(((Math.min(89, maxAbsLat + dLat)) * Math.PI) / 180), 1e-6));
    return (lat, lon) => {
      if (lat < s - dLat || lat > n + dLat || lon < w - dLon || lon > e + dLon) return false;
      for (const p of own) if (src.distanceNm(lat, lon, p.lat, p.lon) <= r) return true;
      return false;
    };
  }
}

/** Another fleet's vessel near his: where it is and who it is, without its file. */
export function awarenessView(v: VesselView): VesselView {
  return { ...v, beidouCard: null, fleetId: null, grids: NO_GRIDS };
}
