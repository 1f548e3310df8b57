import { fishingZoneOf } from '../geo/index.js';
import type { LatLon } from '../model/index.js';
import { cosLat } from './flat-earth.js';
import { GATES, HOME_PORTS, type Box, type FishingGround, type GateId, type HomePort, type Lane } from './geography.js';

/**
 * Where each fleet works (编组作业区): its own piece of a fishing ground, on the national 渔区
 * lattice (geo/fishing-zone.ts), and the open water between the pieces it crosses to get there.
 * Real Zhoushan fleets keep to their own sea and clear of each other; a sim whose fleets trawled
 * through each other on shared grounds made thousands of close passes an hour no watch floor sees.
 *
 * - A box is a quarter of a 10′ × 10′ sub-zone (小渔区): 5′ × 5′, about 5 × 4.3 nm.
 * - Every 10′ parallel inside a ground is a transit corridor, 2 × CORRIDOR_HALF_NM wide: the
 *   quarters are cut back from it, so every box lies on a corridor and no fleet crosses another's
 *   box on the way to its own.
 * - Each gate has a trunk meridian (the gate's longitude, or the near edge of the ground east of
 *   it) joining its corridors; no box lies within CORRIDOR_HALF_NM of it.
 * - No box lies within LANE_CLEAR_NM of a merchant lane's corridor.
 *
 * Way to a box: gate → trunk (at the gate's latitude) → along the trunk to the box's corridor →
 * along the corridor to the box → in to the fleet's spot near the box's corridor side. Gate E,
 * which nearly every port uses, is a line of points 4 nm apart, one per port in the order the
 * ports' ways come in, so the ways of different ports do not all cross at one point.
 */

/** Half-width of the transit corridors along the 10′ parallels and the trunks, nm. */
export const CORRIDOR_HALF_NM = 1.5;
/** Clear water between a box and a merchant lane's corridor, nm. */
const LANE_CLEAR_NM = 2;
/** The spot (where the column arrives and gathers) lies this far inside the box from its corridor side, nm. */
const SPOT_INSET_NM = 0.6;

export interface WorkingBox {
  /** The 渔区 sub-zone and quarter: `FZ-N3000-E12300-5/NW`. */
  readonly id: string;
  readonly groundId: string;
  readonly gate: GateId;
  /** The box, already cut back from its corridor and trunk. */
  readonly bounds: Box;
  /** Latitude of the corridor the box opens on (a 10′ parallel). */
  readonly corridorLat: number;
  /** Where the fleet's column arrives and gathers: SPOT_INSET_NM inside the corridor side, mid-box. */
  readonly spot: LatLon;
}

/** Distance between the ports' points of gate E, nm. */
const GATE_E_SPACING_NM = 4;

/**
 * Ports in the order their ways reach gate E, south first, with a free place after Dongji: the
 * order of their ways' ends seen from the gate, except that Gaoting's way (which passes just south
 * of Dongji's offing and the Zhongjieshan islets when it aims lower) is kept north of Dongji's.
 */
const GATE_E_ORDER: readonly (string | undefined)[] = ['PORT-DH', 'PORT-SJM', 'PORT-DJ', undefined, 'PORT-GT', 'PORT-QS', 'PORT-CY', 'PORT-SS'];

/** A port's point of a gate: gate E spread north–south by port, the others as they are. */
export function gatePoint(port: HomePort, gate: GateId): LatLon {
  const g = GATES[gate];
  if (gate !== 'E') return g;
  // Dongji's point is the gate itself; the place after it is left free.
  const rank = GATE_E_ORDER.indexOf(port.id) - 2;
  return { lat: g.lat + (rank * GATE_E_SPACING_NM) / 60, lon: g.lon };
}

/** The trunk meridian of a gate: its longitude, moved east onto the grounds when it lies west of them. */
export function trunkLon(gate: GateId, grounds: readonly FishingGround[]): number {
  const g = GATES[gate];
  const served = grounds.filter((x) => x.gate === gate);
  const covering = served.filter((x) => g.lon >= x.spots.lonMin && g.lon <= x.spots.lonMax);
  if (covering.length > 0) return g.lon;
  return Math.min(...served.map((x) => x.spots.lonMin));
}

/** Every box of every ground, in a fixed order (ground by ground, south-west first). */
export function workingBoxes(grounds: readonly FishingGround[], lanes: readonly Lane[]): WorkingBox[] {
  const out: WorkingBox[] = [];
  for (const ground of grounds) {
    const trunk = trunkLon(ground.gate, grounds);
    const s = ground.spots;
    // Whole 10′ sub-zones inside the ground's open water (k/6° are the 10′ lines).
    for (let r = Math.ceil(s.latMin * 6 - 1e-9); (r + 1) / 6 <= s.latMax + 1e-9; r++) {
      for (let c = Math.ceil(s.lonMin * 6 - 1e-9); (c + 1) / 6 <= s.lonMax + 1e-9; c++) {
        for (const north of [false, true]) {
          for (const east of [false, true]) {
            const lat0 = r / 6 + (north ? 1 / 12 : 0);
            const lon0 = c / 6 + (east ? 1 / 12 : 0);
            const mid = lat0 + 1 / 24;
            const cut = CORRIDOR_HALF_NM / 60;
            const bounds: Box = {
              latMin: north ? lat0 : lat0 + cut,
              latMax: north ? lat0 + 1 / 12 - cut : lat0 + 1 / 12,
              lonMin: lon0,
              lonMax: lon0 + 1 / 12,
            };
            const trunkHalf = CORRIDOR_HALF_NM / (60 * cosLat(mid));
            if (bounds.lonMin < trunk + trunkHalf && bounds.lonMax > trunk - trunkHalf) continue;
            if (nearLane(bounds, lanes)) continue;
            const corridorLat = north ? (r + 1) / 6 : r / 6;
            const spotLat = north ? bounds.latMax - SPOT_INSET_NM / 60 : bounds.latMin + SPOT_INSET_NM / 60;
            const spot = { lat: spotLat, lon: (bounds.lonMin + bounds.lonMax) / 2 };
            const zone = fishingZoneOf(mid, spot.lon)!;
            out.push({ id: `${zone.id}/${north ? 'N' : 'S'}${east ? 'E' : 'W'}`, groundId: ground.id, gate: ground.gate, bounds, corridorLat, spot });
          }
        }
      }
    }
  }
  return out;
}

/** The way from the box's gate (`g`: the port's point of it) to the box's spot: trunk, corridor, spot (the gate itself not included). */
export function wayInFromGate(box: WorkingBox, g: LatLon, grounds: readonly FishingGround[]): LatLon[] {
  const trunk = trunkLon(box.gate, grounds);
  const points: LatLon[] = [];
  const add = (p: LatLon): void => {
    const last = points[points.length - 1] ?? g;
    if (Math.abs(last.lat - p.lat) > 1e-9 || Math.abs(last.lon - p.lon) > 1e-9) points.push(p);
  };
  add({ lat: g.lat, lon: trunk });
  add({ lat: box.corridorLat, lon: trunk });
  add({ lat: box.corridorLat, lon: box.spot.lon });
  add(box.spot);
  return points;
}

/** Whether a box comes within LANE_CLEAR_NM of a lane's corridor (any of its segments). */
function nearLane(b: Box, lanes: readonly Lane[]): boolean {
  const c = { lat: (b.latMin + b.latMax) / 2, lon: (b.lonMin + b.lonMax) / 2 };
  const k = 60 * cosLat(c.lat);
  const halfDiag = Math.hypot((b.latMax - b.latMin) * 30, ((b.lonMax - b.lonMin) * k) / 2);
  for (const lane of lanes) {
    for (let i = 1; i < lane.points.length; i++) {
      const a = lane.points[i - 1]!;
      const z = lane.points[i]!;
      const px = (c.lon - a.lon) * k;
      const py = (c.lat - a.lat) * 60;
      const vx = (z.lon - a.lon) * k;
      const vy = (z.lat - a.lat) * 60;
      const f = Math.max(0, Math.min(1, (px * vx + py * vy) / (vx * vx + vy * vy)));
      if (Math.hypot(px - f * vx, py - f * vy) < halfDiag + lane.corridorHalfWidthNm + LANE_CLEAR_NM) return true;
    }
  }
  return false;
}

/** The box shrunk by `insetNm` on every side. */
export function fence(b: Box, insetNm: number): Box {
  const dLat = insetNm / 60;
  const dLon = insetNm / (60 * cosLat((b.latMin + b.latMax) / 2));
  return { latMin: b.latMin + dLat, latMax: b.latMax - dLat, lonMin: b.lonMin + dLon, lonMax: b.lonMax - dLon };
}

/** The point moved into the box (nearest point of it). */
export function clampInto(b: Box, p: LatLon): LatLon {
  return { lat: Math.min(b.latMax, Math.max(b.latMin, p.lat)), lon: Math.min(b.lonMax, Math.max(b.lonMin, p.lon)) };
}
