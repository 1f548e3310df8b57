import { DEFAULT_ALERT_POLICY, type AlertPolicy } from '../alerts/index.js';
import {
  asMmsi,
  vesselIdOfCard,
  vesselIdOfMmsi,
  type BeidouCard,
  type FleetId,
  type LatLon,
  type VesselFile,
} from '../model/index.js';
import type { Dimensions } from './ais-encode.js';
import type { GnssTalker } from './beidou-encode.js';
import { destination, type Polyline } from './flat-earth.js';
import { fenceInsetNm, type Gear } from './fishing-patterns.js';
import {
  ANCHORAGES,
  BERTH_ABEAM_NM,
  COUNTY_REGISTRY,
  FISHING_GROUNDS,
  HOME_PORTS,
  inRing,
  LANES,
  SHORE_RECEIVERS,
  type FishingGround,
  type HomePort,
  type Lane,
} from './geography.js';
import { callsign, Identities, imoNumber, merchantFlag, merchantName, mobileNumber, personName, shippingCompany } from './identity.js';
import { planIncidents, type IncidentPlans } from './incidents.js';
import type { LegSource } from './legs.js';
import { merchantTrack, offsetPath, offsetPathBy, type MerchantPlan } from './merchant.js';
import { forkRng, type Rng } from './rng.js';
import type { AisClass, FleetGroup, Motion, PlannedRoute, Scenario, ScenarioParams, SimVessel } from './types.js';
import { FleetMotion, fleetPath, type FleetPlan, type InitialPhase, type MemberPlan, type UnitSpec } from './voyage.js';
import { fence, workingBoxes, type WorkingBox } from './working-boxes.js';

/**
 * The Zhoushan scenario, built from the seed alone: fishing fleets (编组) with their registry
 * files, merchant traffic on the lanes, and scripted incidents with their expected alert times.
 */
export interface ScenarioOptions {
  /** Fishing vessels. Default 8000. */
  readonly vessels?: number;
  /** Fleet groups of 5–15 vessels. Default 770. */
  readonly fleets?: number;
  /** Merchant ships (class A). Default 200 for 8,000 fishing vessels, scaled with `vessels`, at least 4. */
  readonly merchants?: number;
  readonly seed?: number;
  /** Scenario time zero. Default 2025-10-12T03:15:00Z (the sample feed's time base; the fishing season is open). */
  readonly startMs?: number;
  /** Script the incidents. Default true. */
  readonly incidents?: boolean;
  /** AIS-equipped fishing vessels also report by BeiDou (one hull, two sources). Default true. */
  readonly beidouFromAisVessels?: boolean;
  /** The thresholds the incidents' expected alert times are computed for. Default: the alerts' defaults. */
  readonly alertPolicy?: AlertPolicy;
}

export const DEFAULT_START_MS = Date.UTC(2025, 9, 12, 3, 15, 0);
const MIN_FLEET = 5;
/**
 * Longest column a fleet sails in, nm: its last boat stays within about 1.3 nm of the others'
 * centroid (policy straggler distance 2 nm), and a column gathered behind the spot stays in the box.
 */
const MAX_COLUMN_NM = 2.2;
/**
 * Every fleet transits at one speed and on one lane offset (kept to starboard at sea): fleets on a
 * shared way then follow each other at a constant distance instead of overtaking through each
 * other's columns, and fleets meeting on it pass 2 × TRANSIT_LANE_NM apart.
 */
const TRANSIT_KN = 10;
const TRANSIT_LANE_NM = 0.6;
/** Towing axis: along the boxes' long side (5′ of longitude ≈ 4.3 nm against 3.5 nm of latitude). */
const AXIS_DEG = 90;
/** Distance between the two boats of a pair trawl, nm. */
const PAIR_GAP_NM: readonly [number, number] = [0.15, 0.35];
const MAX_FLEET = 15;

const GEAR_WEIGHTS: readonly (readonly [Gear, number])[] = [
  ['pair-trawl', 0.35],
  ['single-trawl', 0.15],
  ['beam-trawl', 0.12],
  ['gillnet', 0.2],
  ['stow-net', 0.1],
  ['purse-seine', 0.08],
];

/** Hull length range by gear, metres. */
const LENGTH_M: Readonly<Record<Gear, readonly [number, number]>> = {
  'pair-trawl': [32, 45],
  'single-trawl': [28, 42],
  'beam-trawl': [25, 38],
  gillnet: [18, 35],
  'stow-net': [15, 28],
  'purse-seine': [35, 55],
};

const PHASES: readonly (readonly [InitialPhase['phase'], number])[] = [
  ['port', 0.12],
  ['outbound', 0.15],
  ['fishing', 0.58],
  ['gathering', 0.03],
  ['return', 0.12],
];

export function createScenario(options: ScenarioOptions = {}): Scenario {
  const vessels = options.vessels ?? 8000;
  const fleets = options.fleets ?? 770;
  const seed = (options.seed ?? 1) >>> 0;
  const merchants = options.merchants ?? Math.max(4, Math.round((200 * vessels) / 8000));
  const params: ScenarioParams = {
    vessels,
    fleets,
    merchants,
    seed,
    startMs: options.startMs ?? DEFAULT_START_MS,
    incidents: options.incidents ?? true,
    beidouFromAisVessels: options.beidouFromAisVessels ?? true,
  };
  if (!Number.isInteger(fleets) || fleets < 1) throw new RangeError(`fleets must be a positive integer, got ${fleets}`);
  if (!Number.isInteger(vessels) || vessels < MIN_FLEET * fleets || vessels > MAX_FLEET * fleets) {
    throw new RangeError(`${vessels} vessels cannot make ${fleets} fleets of ${MIN_FLEET}-${MAX_FLEET}`);
  }
  if (!Number.isInteger(merchants) || merchants < 0) throw new RangeError(`merchants must be a non-negative integer, got ${merchants}`);
  // The policy is not a parameter of the scenario's motion: each incident's details state the thresholds it used.
  return new Builder(params, options.alertPolicy ?? DEFAULT_ALERT_POLICY).build();
}

/** Mutable while the scenario is put together; frozen into SimVessel at the end. */
type Draft = { -readonly [K in keyof SimVessel]: SimVessel[K] } & { file: { -readonly [K in keyof VesselFile]: VesselFile[K] } };

interface FleetDraft {
  index: number;
  port: HomePort;
  ground: FishingGround;
  box?: WorkingBox;
  gear: Gear;
  size: number;
  fleetId: FleetId;
  name: string;
  /** Units of vessel indices (a pair trawl has two). */
  units: number[][];
  plan?: FleetPlan;
}

class Builder {
  private readonly ids: Identities;
  private readonly drafts: Draft[] = [];
  private readonly fleetDrafts: FleetDraft[] = [];
  private readonly merchantPlans = new Map<number, MerchantPlan>();

  constructor(
    private readonly p: ScenarioParams,
    private readonly policy: AlertPolicy,
  ) {
    this.ids = new Identities(forkRng(p.seed, 'identities'));
  }

  build(): Scenario {
    this.makeFleets();
    this.makeMerchants();
    const incidentPlans = this.p.incidents ? planIncidents(this.incidentContext()) : undefined;
    this.makeFleetPlans(incidentPlans);
    if (incidentPlans !== undefined) this.applyMerchantScripts(incidentPlans);
    const vesselsOut: SimVessel[] = this.drafts.map((d) => Object.freeze({ ...d, file: Object.freeze({ ...d.file }) }));
    const fleetPlans = this.fleetDrafts.map((f) => f.plan!);
    const merchantPlans = new Map(this.merchantPlans);
    const createMotion = (): Motion => makeMotion(vesselsOut.length, fleetPlans, merchantPlans);
    const incidents = incidentPlans === undefined ? [] : incidentPlans.finish(vesselsOut, createMotion);
    return {
      params: this.p,
      startMs: this.p.startMs,
      vessels: vesselsOut,
      registry: vesselsOut.map((v) => v.file),
      fleets: this.fleetDrafts.map((f) => this.fleetGroup(f)),
      routes: this.routes(),
      incidents,
      receivers: SHORE_RECEIVERS,
      createMotion,
    };
  }

  // ---- fishing fleets ----

  private makeFleets(): void {
    const rng = forkRng(this.p.seed, 'fleets');
    const portWeights = HOME_PORTS.map((port) => [port, port.weight] as const);
    const groundWeights = FISHING_GROUNDS.map((g) => [g, g.weight] as const);
    const counters = new Map<string, number>();
    for (let i = 0; i < this.p.fleets; i++) {
      const port = rng.weighted(portWeights);
      const n = (counters.get(port.id) ?? 0) + 1;
      counters.set(port.id, n);
      const num = String(n).padStart(3, '0');
      this.fleetDrafts.push({
        index: i,
        port,
        ground: rng.weighted(groundWeights),
        gear: rng.weighted(GEAR_WEIGHTS),
        size: 0,
        fleetId: `${port.id.slice(5)}-${num}` as FleetId,
        name: `${port.shortZh}第${num}编组`,
        units: [],
      });
    }
    this.sizeFleets(rng);
    const liaisons = this.liaisonPool(forkRng(this.p.seed, 'liaisons'));
    const idRng = forkRng(this.p.seed, 'fishing-vessels');
    for (const f of this.fleetDrafts) {
      const liaison = idRng.pick(liaisons.get(f.port.county)!);
      const pairs = f.gear === 'pair-trawl';
      for (let k = 0; k < f.size; k += pairs ? 2 : 1) {
        const unit = pairs ? this.pairOfVessels(f, idRng, liaison) : [this.fishingVessel(f, idRng, liaison, undefined)];
        f.units.push(unit.map((d) => d.index));
      }
      // The leader is the best-equipped boat: class A if any, else class B; its unit sails first.
      const rank = (i: number): number => ({ A: 0, B: 1, none: 2 })[this.drafts[i]!.aisClass];
      f.units.sort((a, b) => Math.min(...a.map(rank)) - Math.min(...b.map(rank)));
      const first = f.units[0]!;
      first.sort((a, b) => rank(a) - rank(b));
    }
  }

  /** 5–15 per fleet (even for pair trawl), summing to the vessel count. */
  private sizeFleets(rng: Rng): void {
    const fs = this.fleetDrafts;
    for (const f of fs) f.size = f.gear === 'pair-trawl' ? 2 * rng.int(3, 7) : rng.int(MIN_FLEET, MAX_FLEET);
    let diff = this.p.vessels - fs.reduce((s, f) => s + f.size, 0);
    // An odd remainder needs a fleet that is not pair trawling.
    if (diff % 2 !== 0 && fs.every((f) => f.gear === 'pair-trawl')) fs[fs.length - 1]!.gear = 'single-trawl';
    let guard = 0;
    while (diff !== 0) {
      if (++guard > 1_000_000) throw new Error('could not size the fleets');
      const f = fs[rng.int(0, fs.length - 1)]!;
      const step = f.gear === 'pair-trawl' ? 2 : 1;
      if (Math.abs(diff) < step) continue;
      if (diff > 0 && f.size + step <= MAX_FLEET) {
        f.size += step;
        diff -= step;
      } else if (diff < 0 && f.size - step >= (step === 2 ? 6 : MIN_FLEET)) {
        f.size -= step;
        diff += step;
      }
    }
  }

  private liaisonPool(rng: Rng): Map<string, { name: string; phone: string }[]> {
    const pool = new Map<string, { name: string; phone: string }[]>();
    for (const county of Object.keys(COUNTY_REGISTRY)) {
      const n = Math.max(2, Math.ceil(this.fleetDrafts.filter((f) => f.port.county === county).length / 3));
      pool.set(
        county,
        Array.from({ length: n }, () => ({ name: personName(rng), phone: mobileNumber(rng) })),
      );
    }
    return pool;
  }

  private pairOfVessels(f: FleetDraft, rng: Rng, liaison: { name: string; phone: string }): Draft[] {
    const reg = COUNTY_REGISTRY[f.port.county];
    const serial = this.ids.registrySerial(reg.zh, true);
    const owner = rng.chance(0.7) ? { name: personName(rng), phone: mobileNumber(rng) } : undefined;
    return [this.fishingVessel(f, rng, liaison, serial, owner), this.fishingVessel(f, rng, liaison, serial + 1, owner)];
  }

  private fishingVessel(
    f: FleetDraft,
    rng: Rng,
    liaison: { name: string; phone: string },
    serial: number | undefined,
    owner?: { name: string; phone: string },
  ): Draft {
    const reg = COUNTY_REGISTRY[f.port.county];
    const number = String(serial ?? this.ids.registrySerial(reg.zh)).padStart(5, '0');
    const aisClass = rng.weighted<AisClass>([
      ['A', 0.15],
      ['B', 0.6],
      ['none', 0.25],
    ]);
    const mmsi = aisClass === 'none' ? undefined : this.ids.mmsi(rng.chance(0.5) ? '412' : '413');
    const card = this.ids.beidouCard();
    const [lo, hi] = LENGTH_M[f.gear];
    const lengthM = Math.round(rng.range(lo, hi) * 10) / 10;
    const beamM = Math.round(lengthM * rng.range(0.17, 0.21) * 10) / 10;
    const own = owner ?? { name: personName(rng), phone: mobileNumber(rng) };
    const vesselId = mmsi !== undefined ? vesselIdOfMmsi(asMmsi(mmsi)) : vesselIdOfCard(card as BeidouCard);
    const registryNo = `${reg.zh}${number}`;
    const d: Draft = {
      index: this.drafts.length,
      vesselId,
      kind: 'fishing',
      aisClass,
      mmsi,
      beidouCard: card,
      beidouReports: aisClass === 'none' || this.p.beidouFromAisVessels,
      beidouTalker: rng.weighted<GnssTalker>([
        ['BD', 0.5],
        ['GN', 0.35],
        ['GB', 0.15],
      ]),
      beidouGga: rng.chance(0.3),
      aisName: `${reg.ascii}${number}`,
      callsign: rng.chance(0.5) ? callsign(rng, 'B') : undefined,
      shipType: 30,
      dimensions: dimensions(lengthM, beamM, 0.65),
      draughtM: aisClass === 'A' && rng.chance(0.5) ? Math.round(rng.range(2.5, 4.5) * 10) / 10 : undefined,
      headingSensor: aisClass === 'A' ? rng.chance(0.8) : rng.chance(0.3),
      rotSensor: aisClass === 'A' && rng.chance(0.3),
      headingBiasDeg: rng.range(-4, 4),
      accuracy: false,
      reportPhase: phases(rng),
      fleetId: f.fleetId,
      gear: f.gear,
      file: {
        vesselId,
        name: registryNo,
        registryNo,
        mmsi: mmsi === undefined ? undefined : asMmsi(mmsi),
        beidouCard: card as BeidouCard,
        fleetId: f.fleetId,
        gear: f.gear,
        lengthM,
        homePort: f.port.nameZh,
        owner: own.name,
        ownerPhone: own.phone,
        liaison: liaison.name,
        liaisonPhone: liaison.phone,
        shipType: 30,
      },
    };
    this.drafts.push(stripUndefined(d));
    return d;
  }

  /**
   * Each fleet its own working box: a free one in the ground it drew, else in the nearest ground
   * through the same gate that has one, else anywhere (a ground holds only so many fleets).
   */
  private assignBoxes(): void {
    const rng = forkRng(this.p.seed, 'boxes');
    const free = new Map<string, WorkingBox[]>(FISHING_GROUNDS.map((g) => [g.id, []]));
    for (const b of workingBoxes(FISHING_GROUNDS, LANES)) free.get(b.groundId)!.push(b);
    const centre = (g: FishingGround): { lat: number; lon: number } => ({ lat: (g.spots.latMin + g.spots.latMax) / 2, lon: (g.spots.lonMin + g.spots.lonMax) / 2 });
    for (const f of this.fleetDrafts) {
      const c = centre(f.ground);
      const order = [...FISHING_GROUNDS].sort((a, b) => {
        const rank = (g: FishingGround): number => (g === f.ground ? 0 : g.gate === f.ground.gate ? 1 : 2);
        const d = (g: FishingGround): number => Math.hypot(centre(g).lat - c.lat, centre(g).lon - c.lon);
        return rank(a) - rank(b) || d(a) - d(b);
      });
      const ground = order.find((g) => free.get(g.id)!.length > 0);
      if (ground === undefined) throw new RangeError(`no working box left for fleet ${f.fleetId}: too many fleets for the grounds`);
      const list = free.get(ground.id)!;
      f.ground = ground;
      f.box = list.splice(rng.int(0, list.length - 1), 1)[0]!;
    }
  }

  private makeFleetPlans(incidents: IncidentPlans | undefined): void {
    this.assignBoxes();
    const rng = forkRng(this.p.seed, 'voyages');
    for (const f of this.fleetDrafts) {
      const box = f.box!;
      const spot = box.spot;
      const { outPath, retPath } = fleetLanes(fleetPath(f.port, box, FISHING_GROUNDS), f.port, forkRng(this.p.seed, `lanes:${f.index}`));
      const speedKn = TRANSIT_KN;
      const units: UnitSpec[] = [];
      const members: MemberPlan[] = [];
      const straggler = incidents?.straggler?.fleetIndex === f.index ? incidents.straggler : undefined;
      if (straggler !== undefined) {
        // The straggler sails last in column: its unit goes to the end.
        const u = f.units.findIndex((unit) => unit.includes(straggler.vesselIndex));
        f.units.push(...f.units.splice(u, 1));
      }
      let along = 0;
      f.units.forEach((unit, u) => {
        const gap = unit.length === 2 ? rng.range(PAIR_GAP_NM[0], PAIR_GAP_NM[1]) : 0;
        const within = fence(box.bounds, fenceInsetNm(f.gear, gap));
        units.push({ origin: { lat: rng.range(within.latMin, within.latMax), lon: rng.range(within.lonMin, within.lonMax) }, pairGapNm: gap });
        if (u > 0) along += rng.range(0.25, 0.4);
        unit.forEach((vesselIndex, j) => {
          if (j > 0) along += gap;
          members.push({ vesselIndex, unit: u, side: unit.length === 2 ? (j === 0 ? -gap / 2 : gap / 2) : 0, alongNm: along });
        });
      });
      // A fleet keeps together: a column longer than MAX_COLUMN_NM closes up (its end boats sat
      // beyond the straggler distance of the others' centroid, raising 脱编 for a fleet in good order).
      if (along > MAX_COLUMN_NM) {
        const k = MAX_COLUMN_NM / along;
        members.forEach((m, i) => (members[i] = { ...m, alongNm: m.alongNm * k }));
        along = MAX_COLUMN_NM;
      }
      const offingNm = outPath.at[f.port.exit.length - 1]!;
      let initial: InitialPhase;
      const phase = rng.weighted(PHASES);
      switch (phase) {
        case 'port':
          initial = { phase, departInMs: rng.range(0, 12) * 3_600_000 };
          break;
        case 'outbound':
          initial = { phase, centreNm: rng.range(0.03, 0.97) * (outPath.lengthNm + along) };
          break;
        default:
          initial = { phase, fraction: rng.next() };
      }
      if (straggler !== undefined) initial = { phase: 'outbound', centreNm: offingNm + 4 + along };
      f.plan = {
        fleetIndex: f.index,
        seed: forkRng(this.p.seed, `fleet:${f.index}`).int(0, 0xffffffff),
        port: f.port,
        ground: f.ground,
        box: box.bounds,
        spot,
        gear: f.gear,
        outPath,
        retPath,
        speedKn,
        axisDeg: AXIS_DEG,
        currentDeg: rng.range(0, 360),
        members,
        units,
        alongMaxNm: along,
        initial,
        startMs: this.p.startMs,
        ...(straggler === undefined ? {} : { straggler: { ...straggler.script, driftDeg: rng.range(0, 360) } }),
      };
    }
  }

  // ---- merchant traffic ----

  private makeMerchants(): void {
    const rng = forkRng(this.p.seed, 'merchants');
    const laneWeights = LANES.map((l) => [l, l.weight] as const);
    for (let i = 0; i < this.p.merchants; i++) {
      const flag = merchantFlag(rng);
      const mmsi = this.ids.mmsi(flag.mid);
      const tanker = rng.chance(0.35);
      const lengthM = Math.round(tanker ? rng.range(100, 250) : rng.range(90, 300));
      const beamM = Math.min(60, Math.round(lengthM / rng.range(6, 7.5)));
      const name = merchantName(rng, flag.chinese);
      const lane = rng.weighted(laneWeights);
      const direction: 1 | -1 = rng.chance(0.5) ? 1 : -1;
      const vesselId = vesselIdOfMmsi(asMmsi(mmsi));
      const shipType = tanker ? 80 : 70;
      const etaDay = new Date(this.p.startMs + rng.range(6, 96) * 3_600_000);
      const d: Draft = {
        index: this.drafts.length,
        vesselId,
        kind: 'merchant',
        aisClass: 'A',
        mmsi,
        beidouReports: false,
        beidouTalker: 'GN',
        beidouGga: false,
        aisName: name,
        callsign: callsign(rng, flag.callsignPrefix),
        imo: imoNumber(rng),
        shipType,
        dimensions: dimensions(lengthM, beamM, 0.82),
        draughtM: Math.round(rng.range(6, 14.5) * 10) / 10,
        destination: direction > 0 ? lane.inboundDestination : lane.outboundDestination,
        eta: { month: etaDay.getUTCMonth() + 1, day: etaDay.getUTCDate(), hour: etaDay.getUTCHours(), minute: etaDay.getUTCMinutes() },
        headingSensor: true,
        rotSensor: rng.chance(0.8),
        headingBiasDeg: rng.range(-2, 2),
        accuracy: rng.chance(0.7),
        reportPhase: phases(rng),
        file: {
          vesselId,
          name,
          mmsi: asMmsi(mmsi),
          gear: 'cargo',
          lengthM,
          owner: shippingCompany(rng, flag.chinese, name),
          shipType,
        },
      };
      this.drafts.push(stripUndefined(d));
      const speedKn = rng.chance(0.05) ? rng.range(23.5, 25) : rng.range(11, 19);
      if (rng.chance(0.1)) {
        const anch = rng.pick(ANCHORAGES);
        this.merchantPlans.set(d.index, {
          mode: 'anchored',
          vesselIndex: d.index,
          at: pointInRing(anch.ring, rng),
          headingDeg: rng.range(0, 360),
          swingDeg: rng.range(10, 40),
        });
      } else {
        const inboundOffsetNm = rng.range(lane.inboundOffsetNm[0], lane.inboundOffsetNm[1]);
        const outboundOffsetNm = rng.range(lane.outboundOffsetNm[0], lane.outboundOffsetNm[1]);
        this.merchantPlans.set(d.index, {
          mode: 'lane',
          vesselIndex: d.index,
          seed: rng.int(0, 0xffffffff),
          lane,
          inboundOffsetNm,
          outboundOffsetNm,
          speedKn,
          s0Nm: rng.range(0, offsetPath(lane.points, direction > 0 ? inboundOffsetNm : outboundOffsetNm).lengthNm),
          direction,
          startMs: this.p.startMs,
        });
      }
    }
  }

  private applyMerchantScripts(plans: IncidentPlans): void {
    for (const [index, change] of plans.merchants) {
      const old = this.merchantPlans.get(index);
      if (old === undefined) throw new Error(`merchant ${index} has no plan`);
      const lane = change.lane;
      const d = this.drafts[index]!;
      d.destination = change.direction > 0 ? lane.inboundDestination : lane.outboundDestination;
      this.merchantPlans.set(index, {
        mode: 'lane',
        vesselIndex: index,
        seed: old.mode === 'lane' ? old.seed : index,
        lane,
        inboundOffsetNm: 0,
        outboundOffsetNm: 0,
        speedKn: change.speedKn,
        s0Nm: change.s0Nm,
        direction: change.direction,
        startMs: this.p.startMs,
        ...(change.deviation === undefined ? {} : { deviation: change.deviation }),
      });
    }
    for (const [index, silence] of plans.silences) this.drafts[index]!.silence = silence;
  }

  private incidentContext(): Parameters<typeof planIncidents>[0] {
    return {
      seed: this.p.seed,
      policy: this.policy,
      startMs: this.p.startMs,
      vessels: this.drafts,
      fleets: this.fleetDrafts.map((f) => ({ index: f.index, gear: f.gear, units: f.units })),
      merchantIndices: this.drafts.filter((d) => d.kind === 'merchant').map((d) => d.index),
    };
  }

  private fleetGroup(f: FleetDraft): FleetGroup {
    const plan = f.plan!;
    const ordered = [...plan.members].sort((a, b) => a.alongNm - b.alongNm).map((m) => this.drafts[m.vesselIndex]!.vesselId);
    return {
      fleetId: f.fleetId,
      name: f.name,
      leaderVesselId: ordered[0]!,
      members: ordered,
      homePort: f.port.nameZh,
      homePortId: f.port.id,
      ground: f.ground.id,
      groundName: f.ground.nameZh,
      gear: f.gear,
      spot: plan.spot,
      speedKn: plan.speedKn,
      wayOut: plan.outPath.points,
      wayHome: plan.retPath.points,
      pairs: f.units.filter((u) => u.length === 2).map((u) => [this.drafts[u[0]!]!.vesselId, this.drafts[u[1]!]!.vesselId] as const),
    };
  }

  /** Each lane is the planned route of the ships on it. */
  private routes(): PlannedRoute[] {
    return LANES.map((lane: Lane) => ({
      routeId: lane.id,
      name: lane.nameZh,
      vesselIds: [...this.merchantPlans.values()]
        .filter((m) => m.mode === 'lane' && m.lane.id === lane.id)
        .map((m) => this.drafts[m.vesselIndex]!.vesselId),
      points: lane.points,
      corridorHalfWidthNm: lane.corridorHalfWidthNm,
    }));
  }
}

function makeMotion(count: number, fleetPlans: readonly FleetPlan[], merchantPlans: ReadonlyMap<number, MerchantPlan>): Motion {
  const tracks: (LegSource | undefined)[] = new Array<LegSource | undefined>(count).fill(undefined);
  for (const plan of fleetPlans) {
    const fleet = new FleetMotion(plan);
    for (const m of plan.members) tracks[m.vesselIndex] = fleet.track(m);
  }
  for (const [index, plan] of merchantPlans) tracks[index] = merchantTrack(plan);
  return {
    trackOf(index: number): LegSource {
      const t = tracks[index];
      if (t === undefined) throw new RangeError(`no vessel ${index}`);
      return t;
    },
  };
}

/**
 * A fleet's own tracks out and home along its way (exit channel, offing, gates, trunk, corridor,
 * spot): its own berth in the port's berth row, BERTH_ABEAM_NM abeam of the exit's first leg (a
 * berth on the fairway itself was passed at 0 nm by every fleet bound further in or out); each
 * direction on the centre line of the exit channel (offsets of even 0.02 nm put boats on the
 * 250 m land mask there), then from the offing on kept to starboard, TRANSIT_LANE_NM off the centre
 * line, so fleets going out pass fleets coming home 2 × TRANSIT_LANE_NM apart — meeting again at
 * the fleet's own spot.
 */
function fleetLanes(way: Polyline, port: HomePort, rng: Rng): { outPath: Polyline; retPath: Polyline } {
  const row = port.berthRow;
  const fairway = { lat: 0, lon: 0, courseDeg: 0 };
  way.pointAt(rng.range(row.from, row.to) * way.at[1]!, fairway);
  const berth = destination(fairway, fairway.courseDeg + 90 * row.side, BERTH_ABEAM_NM);
  const points = [berth, { lat: fairway.lat, lon: fairway.lon }, ...way.points.slice(1)];
  // Berth and fairway are shared water (no offset), the exit channel has the port's lanes (or
  // none), and the fleet's own spot is its own: the lanes meet there.
  const out: number[] = [];
  const back: number[] = [];
  points.forEach((_, i) => {
    const exitIndex = i - 1;
    const [o, b] = i === 0 || i === points.length - 1 ? [0, 0] : exitIndex < port.exit.length ? (port.channelLanes?.[exitIndex] ?? [0, 0]) : [TRANSIT_LANE_NM, -TRANSIT_LANE_NM];
    out.push(o);
    // The way home runs the points backwards: its starboard is the way out's port side.
    back.push(-b);
  });
  return { outPath: offsetPathBy(points, out), retPath: offsetPathBy([...points].reverse(), back.reverse()) };
}

function phases(rng: Rng): readonly [number, number, number] {
  // (0, 1]: never 0, so the second report is never at the start time.
  return [1 - rng.next(), 1 - rng.next(), 1 - rng.next()];
}

/** AIS dimensions (to bow, stern, port, starboard) for an antenna on the centre line, `bowShare` of the length from the bow. */
function dimensions(lengthM: number, beamM: number, bowShare: number): Dimensions {
  const toBowM = Math.round(lengthM * bowShare);
  const toPortM = Math.round(beamM / 2);
  return { toBowM, toSternM: Math.round(lengthM) - toBowM, toPortM, toStarboardM: Math.round(beamM) - toPortM };
}

function pointInRing(ring: readonly LatLon[], rng: Rng): LatLon {
  const lats = ring.map((q) => q.lat);
  const lons = ring.map((q) => q.lon);
  for (;;) {
    const lat = rng.range(Math.min(...lats), Math.max(...lats));
    const lon = rng.range(Math.min(...lons), Math.max(...lons));
    if (inRing(ring, lat, lon)) return { lat, lon };
  }
}

/** Optional fields are left out rather than set to undefined, so registry JSON stays clean. */
function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  const file = (o as { file?: object }).file;
  if (file !== undefined) for (const k of Object.keys(file) as (keyof typeof file)[]) if (file[k] === undefined) delete file[k];
  return o;
}

