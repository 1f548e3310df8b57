import type { LatLon } from '../model/index.js';

/**
 * The simulator's map: home ports with their way out to sea, the fishing grounds, merchant lanes,
 * anchorages and shore AIS receivers. Port places, ground bounds, the Xiazhimen route and the
 * anchorages are the values of fixtures/geo (see its PROVENANCE.md); berths, exit waypoints,
 * gates, the other lanes and the island cores were placed for the simulator and checked offline
 * against a 250 m land mask (fixtures/scenarios/README.md says how). Fixture use only.
 */

export type County = 'putuo' | 'dinghai' | 'daishan' | 'shengsi';
/** Open-sea points every voyage passes, so no straight leg cuts through the archipelago. */
export type GateId = 'E' | 'N' | 'S';

export interface HomePort {
  readonly id: string;
  /** name_zh in zhoushan-places.csv. */
  readonly nameZh: string;
  /** Used in fleet names: 沈家门第012编组. */
  readonly shortZh: string;
  readonly county: County;
  /** The csv point (often on land: the town, not the water). */
  readonly place: LatLon;
  /** Where the fleet moors: water near the place. First point of `exit`. */
  readonly exit: readonly LatLon[];
  /** Gates reachable in a straight line from the last exit point. */
  readonly gates: readonly GateId[];
  /**
   * The berth row: fleets moor BERTH_ABEAM_NM abeam of the exit's first leg (side +1: starboard
   * going out), between these fractions of it — water checked against the 250 m land mask — so
   * boats using the fairway pass moored ones beyond the danger CPA instead of through them.
   */
  readonly berthRow: { readonly side: 1 | -1; readonly from: number; readonly to: number };
  /**
   * Where the outbound and the inbound lane run at each exit point, nm abeam (+ starboard going
   * out), where the channel is wide enough to keep them apart (checked against the 250 m land
   * mask); absent: both on the centre line (a narrow channel).
   */
  readonly channelLanes?: readonly (readonly [out: number, back: number])[];
  /** Share of the fleets based here. */
  readonly weight: number;
}

/** Registry prefix (船号) and its pinyin for the AIS name, by county. */
export const COUNTY_REGISTRY: Readonly<Record<County, { readonly zh: string; readonly ascii: string; readonly nameZh: string }>> = {
  putuo: { zh: '浙普渔', ascii: 'ZHEPUYU', nameZh: '普陀区' },
  dinghai: { zh: '浙定渔', ascii: 'ZHEDINGYU', nameZh: '定海区' },
  daishan: { zh: '浙岱渔', ascii: 'ZHEDAIYU', nameZh: '岱山县' },
  shengsi: { zh: '浙嵊渔', ascii: 'ZHESHENGYU', nameZh: '嵊泗县' },
};

const p = (lat: number, lon: number): LatLon => ({ lat, lon });

/** The Xiazhimen → Luotou → Beilun route of zhoushan-anchorages-lanes.geojson, sea end first. */
export const XIAZHIMEN_ROUTE: readonly LatLon[] = [
  p(29.745, 122.62),
  p(29.76, 122.45),
  p(29.768, 122.34),
  p(29.771, 122.3),
  p(29.782, 122.27),
  p(29.792, 122.255),
  p(29.805, 122.215),
  p(29.845, 122.17),
  p(29.9, 122.16),
  p(29.928, 122.12),
  p(29.924, 122.05),
  p(29.924, 122.0),
];
/** corridorHalfWidth_m of that route. */
export const XIAZHIMEN_HALF_WIDTH_NM = 350 / 1852;

export const HOME_PORTS: readonly HomePort[] = [
  {
    id: 'PORT-SJM',
    nameZh: '沈家门渔港',
    shortZh: '沈家门',
    county: 'putuo',
    place: p(29.9454, 122.295),
    // Out of the west end of the harbour, round Lujiazhi, then east between Zhujiajian and Putuoshan.
    // The fleets berth in the outer harbour north of Lujiazhi, not in the winding inner harbour west
    // of it: 300 fleets meeting head-on round its bends at 0 nm could not be seen 3 min ahead by any CPA.
    exit: [p(29.9623, 122.37), p(29.9622, 122.43), p(29.9621, 122.444), p(29.962, 122.458), p(29.962, 122.55)],
    // The inbound lane runs 0.7 nm north of the outbound one, closing to 0.4 nm between the two
    // islets at 122.444°E; the berth row lies south of the outbound lane.
    channelLanes: [[0, -0.7], [0, -0.7], [0, -0.3], [0.1, -0.7], [0.1, -0.7]],
    gates: ['E', 'S'],
    berthRow: { side: 1, from: 0.05, to: 0.6 },
    weight: 0.4,
  },
  {
    id: 'PORT-DH',
    nameZh: '定海港',
    shortZh: '定海',
    county: 'dinghai',
    place: p(30.0, 122.1),
    // South to the Luotou route, then out through Xiazhimen along it.
    exit: [p(29.996, 122.1), p(29.961, 122.103), ...XIAZHIMEN_ROUTE.slice(0, 10).reverse()],
    gates: ['E', 'S'],
    berthRow: { side: 1, from: 0.1, to: 0.9 },
    weight: 0.1,
  },
  {
    id: 'PORT-GT',
    nameZh: '岱山高亭',
    shortZh: '岱山',
    county: 'daishan',
    place: p(30.245, 122.2),
    exit: [p(30.239, 122.196), p(30.224, 122.205), p(30.218, 122.211), p(30.224, 122.46), p(30.236, 122.475), p(30.26, 122.6)],
    // Not S: the lanes of that way would pass within 0.4 nm of the Zhongjieshan islets near 30.19°N 122.63°E.
    gates: ['E', 'N'],
    berthRow: { side: 1, from: 0.1, to: 0.9 },
    weight: 0.15,
  },
  {
    id: 'PORT-QS',
    nameZh: '衢山',
    shortZh: '衢山',
    county: 'daishan',
    place: p(30.45, 122.35),
    exit: [p(30.462, 122.35), p(30.471, 122.356), p(30.48, 122.371), p(30.5, 122.7)],
    channelLanes: [[0, 0], [0, 0], [0.05, -0.7], [0.75, -0.75]],
    gates: ['E', 'N', 'S'],
    berthRow: { side: -1, from: 0.3, to: 0.9 },
    weight: 0.08,
  },
  {
    id: 'PORT-CY',
    nameZh: '嵊泗菜园',
    shortZh: '嵊泗',
    county: 'shengsi',
    place: p(30.725, 122.455),
    exit: [p(30.727, 122.463), p(30.735, 122.5), p(30.75, 122.65), p(30.76, 122.95)],
    gates: ['E', 'N', 'S'],
    berthRow: { side: 1, from: 0.15, to: 0.9 },
    weight: 0.1,
  },
  {
    id: 'PORT-SS',
    nameZh: '嵊山渔港',
    shortZh: '嵊山',
    county: 'shengsi',
    place: p(30.718, 122.815),
    exit: [p(30.714, 122.815), p(30.7, 122.83), p(30.7, 123.0)],
    gates: ['E', 'N', 'S'],
    berthRow: { side: 1, from: 0.05, to: 0.9 },
    weight: 0.1,
  },
  {
    id: 'PORT-DJ',
    nameZh: '东极',
    shortZh: '东极',
    county: 'putuo',
    place: p(30.18, 122.68),
    exit: [p(30.18, 122.68), p(30.18, 122.689), p(30.186, 122.722), p(30.18, 122.85)],
    gates: ['E', 'S'],
    berthRow: { side: 1, from: 0.05, to: 0.9 },
    weight: 0.07,
  },
];

/** How far abeam of the fairway the berth row lies, nm: past the danger CPA (0.1 nm) with the harbour offsets' spread. */
export const BERTH_ABEAM_NM = 0.15;

export const GATES: Readonly<Record<GateId, LatLon>> = {
  E: p(30.1, 123.05),
  N: p(30.95, 123.1),
  S: p(29.55, 122.95),
};

export interface Box {
  readonly latMin: number;
  readonly latMax: number;
  readonly lonMin: number;
  readonly lonMax: number;
}

export interface FishingGround {
  /** id, code and names of ecs-fishing-grounds-approx.geojson. */
  readonly id: string;
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** The fixture rectangle (it overlaps land: see `spots`). */
  readonly bounds: Box;
  /** The open-water part where fleets set their gear: ≥ 8 nm from land in the 250 m mask. */
  readonly spots: Box;
  readonly gate: GateId;
  /** Share of the fleets that fish here. */
  readonly weight: number;
}

/**
 * The eight of the fifteen East China Sea grounds that Zhoushan fleets work; the southern seven
 * (闽东 … 台东) are days away and left out.
 */
export const FISHING_GROUNDS: readonly FishingGround[] = [
  ground('SG-03', 'ZS', '舟山渔场', 'Zhoushan fishing ground', [29.5, 31.0, 121.5, 125.0], [29.6, 30.9, 123.15, 124.9], 'E', 0.34),
  ground('SG-04', 'ZW', '舟外渔场', 'Zhouwai fishing ground', [29.5, 31.0, 125.0, 128.0], [29.6, 30.9, 125.1, 127.6], 'E', 0.14),
  ground('SG-01', 'CJK', '长江口渔场', 'Changjiangkou fishing ground', [31.0, 32.0, 121.0, 125.0], [31.05, 31.95, 122.9, 124.9], 'N', 0.1),
  ground('SG-02', 'JW', '江外渔场', 'Jiangwai fishing ground', [31.0, 32.0, 125.0, 128.0], [31.05, 31.95, 125.1, 127.6], 'N', 0.06),
  ground('SG-05', 'YS', '鱼山渔场', 'Yushan fishing ground', [28.0, 29.5, 121.0, 125.0], [28.05, 29.45, 122.9, 124.9], 'S', 0.16),
  ground('SG-06', 'YW', '鱼外渔场', 'Yuwai fishing ground', [28.0, 29.5, 125.0, 127.5], [28.05, 29.45, 125.1, 127.3], 'S', 0.08),
  ground('SG-07', 'WT', '温台渔场', 'Wentai fishing ground', [27.0, 28.0, 120.5, 125.0], [27.05, 27.95, 122.0, 124.9], 'S', 0.06),
  ground('SG-08', 'WW', '温外渔场', 'Wenwai fishing ground', [27.0, 28.0, 125.0, 127.0], [27.05, 27.95, 125.1, 126.8], 'S', 0.06),
];

function ground(
  id: string,
  code: string,
  nameZh: string,
  nameEn: string,
  b: readonly [number, number, number, number],
  s: readonly [number, number, number, number],
  gate: GateId,
  weight: number,
): FishingGround {
  const box = (v: readonly [number, number, number, number]): Box => ({ latMin: v[0], latMax: v[1], lonMin: v[2], lonMax: v[3] });
  return { id, code, nameZh, nameEn, bounds: box(b), spots: box(s), gate, weight };
}

export interface Lane {
  readonly id: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** Sea end first. */
  readonly points: readonly LatLon[];
  readonly corridorHalfWidthNm: number;
  /**
   * Where ships sail, nm abeam of the axis (+ to starboard going inbound): ranges for the inbound
   * and the outbound line. Normally each keeps to her starboard side; on the Xiazhimen route both
   * lines lie south of the axis, clear of the islet north of it near 122.31°E.
   */
  readonly inboundOffsetNm: readonly [number, number];
  readonly outboundOffsetNm: readonly [number, number];
  /** Share of the merchant ships on it. */
  readonly weight: number;
  /** AIS destinations of ships bound for the inner (last) and outer (first) end. */
  readonly inboundDestination: string;
  readonly outboundDestination: string;
}

export const LANES: readonly Lane[] = [
  {
    id: 'LANE-XZM-BEILUN',
    nameZh: '虾峙门—北仑 进港航路（示意，向东延伸）',
    nameEn: 'Xiazhimen – Beilun route (illustrative), extended east',
    points: [p(29.62, 124.6), p(29.7, 123.2), ...XIAZHIMEN_ROUTE],
    corridorHalfWidthNm: XIAZHIMEN_HALF_WIDTH_NM,
    inboundOffsetNm: [-0.04, -0.02],
    outboundOffsetNm: [-0.11, -0.07],
    weight: 0.3,
    inboundDestination: 'CN NGB',
    outboundDestination: 'KR PUS',
  },
  {
    id: 'LANE-YANGTZE',
    nameZh: '长江口进出航路（示意）',
    nameEn: 'Yangtze estuary approach (illustrative)',
    points: [p(30.85, 125.0), p(30.98, 123.6), p(31.03, 122.75), p(31.08, 122.35)],
    corridorHalfWidthNm: 1,
    inboundOffsetNm: [0.25, 0.75],
    outboundOffsetNm: [-0.75, -0.25],
    weight: 0.2,
    inboundDestination: 'CN SHA',
    outboundDestination: 'JP MOJ',
  },
  {
    id: 'LANE-YANGSHAN',
    nameZh: '洋山港进出航路（示意）',
    nameEn: 'Yangshan deep-water port approach (illustrative)',
    points: [p(30.42, 124.2), p(30.5, 123.0), p(30.56, 122.868), p(30.632, 122.1)],
    corridorHalfWidthNm: 0.5,
    inboundOffsetNm: [0.1, 0.2],
    outboundOffsetNm: [-0.2, -0.1],
    weight: 0.2,
    inboundDestination: 'CN YSA',
    outboundDestination: 'US LAX',
  },
  {
    id: 'LANE-COASTAL',
    nameZh: '沿海南北航路（示意）',
    nameEn: 'Coastal north–south route (illustrative)',
    points: [p(27.2, 121.8), p(28.6, 122.6), p(29.5, 123.0), p(30.5, 123.25), p(31.5, 123.15), p(32.3, 122.9)],
    corridorHalfWidthNm: 2,
    inboundOffsetNm: [0.5, 1.5],
    outboundOffsetNm: [-1.5, -0.5],
    weight: 0.2,
    inboundDestination: 'CN TAO',
    outboundDestination: 'CN XMN',
  },
  {
    id: 'LANE-OFFSHORE',
    nameZh: '外海南北航路（示意）',
    nameEn: 'Offshore north–south route (illustrative)',
    points: [p(27.3, 123.6), p(29.0, 124.3), p(30.6, 124.9), p(32.2, 125.6)],
    corridorHalfWidthNm: 2,
    inboundOffsetNm: [0.5, 1.5],
    outboundOffsetNm: [-1.5, -0.5],
    weight: 0.1,
    inboundDestination: 'KR PUS',
    outboundDestination: 'TW KHH',
  },
];

/** The Xiazhimen anchorage rectangles of zhoushan-anchorages-lanes.geojson (the south one is a quadrilateral). */
export const ANCHORAGES: readonly { readonly id: string; readonly nameZh: string; readonly ring: readonly LatLon[] }[] = [
  { id: 'ANCH-XZM-N', nameZh: '虾峙门口外锚地（北）', ring: [p(29.775, 122.3417), p(29.775, 122.3833), p(29.7417, 122.3833), p(29.7417, 122.3417)] },
  { id: 'ANCH-XZM-S', nameZh: '虾峙门口外锚地（南）', ring: [p(29.725, 122.3333), p(29.7033, 122.3833), p(29.6933, 122.3833), p(29.6933, 122.3333)] },
];

export interface ShoreReceiver {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly rangeNm: number;
  /** Whether it groups multipart fragments with NMEA 4 `g:` tags (else only the sequence id). */
  readonly tagGroups: boolean;
}

export const SHORE_RECEIVERS: readonly ShoreReceiver[] = [
  { id: 'zs-shenjiamen', lat: 29.955, lon: 122.3, rangeNm: 40, tagGroups: true },
  { id: 'zs-zhujiajian', lat: 29.89, lon: 122.41, rangeNm: 40, tagGroups: false },
  { id: 'zs-daishan', lat: 30.26, lon: 122.2, rangeNm: 40, tagGroups: false },
  { id: 'zs-shengsi', lat: 30.73, lon: 122.45, rangeNm: 40, tagGroups: true },
  { id: 'zs-shengshan', lat: 30.72, lon: 122.81, rangeNm: 40, tagGroups: false },
];

/**
 * Boxes wholly inside land (main islands and a piece of the mainland), checked against the 250 m
 * mask: a coarse, cheap "not on land" test. Passing it does not prove a point is at sea.
 */
export const ISLAND_CORES: readonly (Box & { readonly name: string })[] = [
  { name: 'Zhoushan Island (west)', latMin: 30.01, latMax: 30.135, lonMin: 122.09, lonMax: 122.125 },
  { name: 'Zhoushan Island (east)', latMin: 29.99, latMax: 30.065, lonMin: 122.175, lonMax: 122.255 },
  { name: 'Daishan', latMin: 30.25, latMax: 30.315, lonMin: 122.145, lonMax: 122.215 },
  { name: 'Zhujiajian', latMin: 29.88, latMax: 29.91, lonMin: 122.38, lonMax: 122.41 },
  { name: 'Liuheng', latMin: 29.7, latMax: 29.735, lonMin: 122.13, lonMax: 122.165 },
  { name: 'Jintang', latMin: 30.02, latMax: 30.065, lonMin: 121.85, lonMax: 121.895 },
  { name: 'Qushan', latMin: 30.43, latMax: 30.46, lonMin: 122.305, lonMax: 122.34 },
  { name: 'Sijiao', latMin: 30.705, latMax: 30.72, lonMin: 122.44, lonMax: 122.465 },
  { name: 'Taohua', latMin: 29.795, latMax: 29.84, lonMin: 122.27, lonMax: 122.29 },
  { name: 'Ningbo (mainland)', latMin: 29.77, latMax: 29.835, lonMin: 121.56, lonMax: 121.63 },
];

export function inBox(b: Box, lat: number, lon: number): boolean {
  return lat >= b.latMin && lat <= b.latMax && lon >= b.lonMin && lon <= b.lonMax;
}

/** Even–odd point-in-polygon on a ring of lat/lon points. */
export function inRing(ring: readonly LatLon[], lat: number, lon: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.lat > lat !== b.lat > lat && lon < ((b.lon - a.lon) * (lat - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside;
  }
  return inside;
}
