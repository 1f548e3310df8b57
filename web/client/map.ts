/**
 * The chart: deck.gl (core + layers, never the umbrella package) over an offline basemap. The one
 * home of @deck.gl/*. Layer data are replaced as whole arrays when the picture changes (a few
 * times a second at most), never rebuilt per frame; accessors read the objects as they are, and
 * colour accessors are re-run only when their updateTriggers move.
 */
import { Deck, FlyToInterpolator, MapView, type MapViewState, type PickingInfo } from '@deck.gl/core';
import { GeoJsonLayer, IconLayer, LineLayer, PathLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { AlertView, FleetView, TrackPointView, VesselView } from '../protocol.js';
import { inForceAt, type GridCollection, type GridFeature } from './grids.js';
import { currentLang, dateTimeOf, t, tOr, withUnit } from './i18n.js';
import type { Ring } from './land.js';

export type Rgba = [number, number, number, number];

/** Colours a watch officer reads at a glance on the dark chart (legend in the UI uses the same). */
export const COLOURS = {
  sea: '#0d2234',
  // No coastline stroke: a path over 1:10m's coast costs a software-rendered frame a second; the fill's contrast draws the coast.
  land: [70, 78, 60, 255] as Rgba,
  ais: [79, 195, 247, 255] as Rgba,
  beidou: [156, 204, 101, 255] as Rgba,
  both: [226, 232, 240, 255] as Rgba,
  danger: [255, 59, 48, 255] as Rgba,
  warning: [255, 179, 0, 255] as Rgba,
  info: [100, 181, 246, 255] as Rgba,
  selected: [255, 255, 255, 255] as Rgba,
  track: [255, 235, 59, 230] as Rgba,
} as const;

/** The chart takes the live picture at most this often (ms). */
const PICTURE_MS = 1000;

/** Stale vessels are drawn at this alpha. */
const STALE_ALPHA = 80;

export type SourceClass = 'ais' | 'beidou' | 'both';

/** Both identities in the registry (AIS and a BeiDou card on one hull) is "both"; else the fix's source. */
export function sourceClass(v: VesselView): SourceClass {
  return v.mmsi !== null && v.beidouCard !== null ? 'both' : v.source;
}


interface CpaLine {
  from: [number, number];
  to: [number, number];
  severity: string;
}
interface MeetPoint {
  position: [number, number];
  alert: AlertView;
}

export interface SeaMapEvents {
  onVesselClick(vesselId: string): void;
}

/** The view a console opens on: the Zhoushan archipelago and its fishing grounds. */
const HOME_VIEW: MapViewState = { longitude: 123.0, latitude: 30.0, zoom: 7.4, pitch: 0, bearing: 0 };

/** A north-up ship silhouette and a dot (no heading known), white, tinted per vessel (mask). */
function iconAtlas(): string {
  const c = document.createElement('canvas');
  c.width = 128;
  c.height = 64;
  const g = c.getContext('2d')!;
  g.fillStyle = '#fff';
  g.beginPath();
  g.moveTo(32, 2);
  g.lineTo(52, 58);
  g.lineTo(32, 46);
  g.lineTo(12, 58);
  g.closePath();
  g.fill();
  g.beginPath();
  g.arc(96, 32, 16, 0, Math.PI * 2);
  g.fill();
  return c.toDataURL('image/png');
}
const ICON_MAPPING = {
  ship: { x: 0, y: 0, width: 64, height: 64, mask: true },
  dot: { x: 64, y: 0, width: 64, height: 64, mask: true },
};

const withAlpha = (c: Rgba, a: number): Rgba => [c[0], c[1], c[2], a];

function gridLine(f: GridFeature): Rgba {
  switch (f.properties.layer) {
    case 'static':
      return [90, 140, 190, 150];
    case 'control':
      return [120, 170, 220, 70];
    case 'patrol':
      return [186, 104, 200, 220];
    default:
      // Zones: prohibitions red, the rest (anchorages, lanes, agreement waters) amber.
      return f.properties.kind === 'no_fishing_zone' || f.properties.kind === 'seasonal_closure' || f.properties.kind === 'no_trawl_line' ? [239, 83, 80, 200] : [255, 202, 40, 140];
  }
}

function gridFill(f: GridFeature): Rgba {
  const k = f.properties.kind;
  if (k === 'seasonal_closure') return [239, 83, 80, 28];
  if (k === 'anchorage') return [255, 202, 40, 40];
  return [0, 0, 0, 0];
}

/** Zones drawn: everything but a moratorium out of season, and the trawl zone (its line says it). */
function drawn(f: GridFeature, nowMs: number): boolean {
  if (f.properties.kind === 'no_fishing_zone' && f.properties.id === 'CN-TRAWL-ZONE') return false;
  return inForceAt(f.properties.inForce, nowMs);
}

export class SeaMap {
  private readonly deck: Deck<MapView>;
  private readonly atlas = iconAtlas();
  // Layer data kept as built: deck.gl compares data by reference, so a new array means a new
  // tessellation. Each is rebuilt only when its input changes.
  private land: Ring[][] = [];
  private grids: unknown = null;
  private fleets: unknown = { type: 'FeatureCollection', features: [] };
  private trackPath: [number, number][][] = [];
  private vessels: VesselView[] = [];
  /** Vessel id → the worst severity of its open alerts. */
  private alertOf = new Map<string, string>();
  private cpaLines: CpaLine[] = [];
  private meetPoints: MeetPoint[] = [];
  private selected: VesselView | null = null;
  private isStale: (v: VesselView) => boolean = () => false;
  private styleVersion = 0;
  private pending: { vessels: VesselView[]; alerts: AlertView[]; isStale: (v: VesselView) => boolean } | undefined;
  private pictureTimer: number | undefined;
  private lastPictureMs = -Infinity;
  private viewState: MapViewState = HOME_VIEW;

  constructor(parent: HTMLDivElement, private readonly events: SeaMapEvents) {
    parent.style.background = COLOURS.sea;
    this.deck = new Deck<MapView>({
      parent,
      views: new MapView({ repeat: false }),
      initialViewState: HOME_VIEW,
      // No double-click zoom: a click then need not wait to see whether a second one follows.
      controller: { dragRotate: false, touchRotate: false, doubleClickZoom: false },
      // A press stays a click however long the renderer holds the pointer-down pick (a software
      // renderer under load takes seconds; the default 250 ms turned such clicks into nothing).
      eventRecognizerOptions: { click: { time: 60_000 } },
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as MapViewState;
      },
      getTooltip: (info) => this.tooltip(info),
      onClick: (info) => {
        const v = info.layer?.id === 'vessels' ? (info.object as VesselView | undefined) : undefined;
        if (v !== undefined) this.events.onVesselClick(v.vesselId);
      },
      getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
      layers: [],
    });
  }

  setLand(polys: Ring[][]): void {
    this.land = polys;
    this.render();
  }

  setGrids(g: GridCollection): void {
    const now = Date.now();
    this.grids = { type: 'FeatureCollection', features: g.features.filter((f) => drawn(f, now)) };
    this.render();
  }

  setFleets(fleets: readonly FleetView[]): void {
    this.fleets = { type: 'FeatureCollection', features: fleets.filter((f) => f.located > 0).map((f) => ({ type: 'Feature', properties: f, geometry: f.footprint })) };
    this.render();
  }

  /**
   * The live picture. Applied at most once per PICTURE_MS: each application re-uploads every
   * vessel's attributes and redraws, and a vessel at 10 kn moves 5 m a second — under a pixel at
   * the zooms a watch floor uses — so faster would only burn a software renderer's frames.
   */
  setPicture(vessels: VesselView[], alerts: Iterable<AlertView>, isStale: (v: VesselView) => boolean): void {
    this.pending = { vessels, alerts: [...alerts], isStale };
    if (this.pictureTimer !== undefined) return;
    const wait = Math.max(0, this.lastPictureMs + PICTURE_MS - performance.now());
    this.pictureTimer = window.setTimeout(() => {
      this.pictureTimer = undefined;
      this.lastPictureMs = performance.now();
      const p = this.pending!;
      this.pending = undefined;
      this.applyPicture(p.vessels, p.alerts, p.isStale);
    }, wait);
  }

  private applyPicture(vessels: VesselView[], alerts: readonly AlertView[], isStale: (v: VesselView) => boolean): void {
    this.vessels = vessels;
    this.isStale = isStale;
    const byId = new Map<string, VesselView>();
    for (const v of vessels) byId.set(v.vesselId, v);
    const rank = (s: string): number => (s === 'danger' ? 3 : s === 'warning' ? 2 : 1);
    this.alertOf = new Map();
    this.cpaLines = [];
    this.meetPoints = [];
    for (const a of alerts) {
      for (const id of a.vesselIds) {
        const held = this.alertOf.get(id);
        if (held === undefined || rank(a.severity) > rank(held)) this.alertOf.set(id, a.severity);
      }
      const meet = a.details['meetingPoint'] as { lat: number; lon: number } | undefined;
      if (a.kind === 'collision' && meet !== undefined && !a.cleared) {
        const to: [number, number] = [meet.lon, meet.lat];
        this.meetPoints.push({ position: to, alert: a });
        for (const id of a.vesselIds) {
          const v = byId.get(id);
          if (v !== undefined) this.cpaLines.push({ from: [v.lon, v.lat], to, severity: a.severity });
        }
      }
    }
    if (this.selected !== null) this.selected = byId.get(this.selected.vesselId) ?? this.selected;
    this.styleVersion++;
    this.render();
  }

  select(v: VesselView | null, track: TrackPointView[] = []): void {
    this.selected = v;
    this.trackPath = track.length > 1 ? [track.map((p) => [p.lon, p.lat] as [number, number])] : [];
    this.render();
  }

  flyTo(lon: number, lat: number, zoom = Math.max(this.viewState.zoom, 10)): void {
    this.deck.setProps({
      initialViewState: { ...this.viewState, longitude: lon, latitude: lat, zoom, transitionDuration: 800, transitionInterpolator: new FlyToInterpolator() },
    });
  }

  /** For tests and benches: what is drawn and where a point is on screen. */
  debug(): { vessels: number; view: MapViewState; project(lon: number, lat: number): [number, number] | null; pick(x: number, y: number): string | null } {
    const vp = this.deck.getViewports()[0];
    return {
      vessels: this.vessels.length,
      view: this.viewState,
      pick: (x, y) => {
        const info = this.deck.pickObject({ x, y, radius: 2 });
        return info === null ? null : `${info.layer?.id ?? '?'}:${(info.object as { vesselId?: string } | undefined)?.vesselId ?? ''}`;
      },
      project: (lon, lat) => {
        if (vp === undefined) return null;
        const [x, y] = vp.project([lon, lat]);
        return [x!, y!];
      },
    };
  }

  /** Draws the next frame now (benchmarks). */
  redraw(): void {
    this.deck.redraw('bench');
  }

  /**
   * A vessel in an open alert takes the alert's colour (and a larger icon), else its source's.
   * Not a ring around it: a ring per alerting vessel cost a software-rendered frame seconds.
   */
  private colourOf(v: VesselView): Rgba {
    const sev = this.alertOf.get(v.vesselId);
    const base = sev === 'danger' ? COLOURS.danger : sev === 'warning' ? COLOURS.warning : COLOURS[sourceClass(v)];
    return this.isStale(v) ? withAlpha(base, STALE_ALPHA) : base;
  }

  private sizeOf(v: VesselView): number {
    const base = (v.headingDeg ?? v.cogDeg) === null ? 9 : 16;
    return this.alertOf.has(v.vesselId) ? base * 1.4 : base;
  }

  private render(): void {
    const sv = this.styleVersion;
    // Zones under the land (a zone's fill never tints the coast), everything live above it.
    const layers = [
      this.grids !== null &&
        new GeoJsonLayer({
          id: 'grids',
          data: this.grids as never,
          stroked: true,
          filled: true,
          pickable: true,
          lineWidthUnits: 'pixels',
          getLineWidth: (f: unknown) => ((f as GridFeature).properties.layer === 'patrol' ? 2 : 1),
          getLineColor: (f: unknown) => gridLine(f as GridFeature),
          getFillColor: (f: unknown) => gridFill(f as GridFeature),
        }),
      new SolidPolygonLayer<Ring[]>({
        id: 'land',
        data: this.land,
        getPolygon: (p) => p,
        getFillColor: COLOURS.land,
      }),
      new GeoJsonLayer({
        id: 'fleets',
        data: this.fleets as never,
        // Fill only: deck's path strokes cost SwiftShader (no GPU here) seconds a frame for 770 footprints.
        stroked: false,
        filled: true,
        pickable: true,
        lineWidthUnits: 'pixels',
        getFillColor: [129, 212, 250, 34],
      }),
      new PathLayer<[number, number][]>({
          id: 'track',
          data: this.trackPath,
          getPath: (p) => p,
          getColor: COLOURS.track,
          widthUnits: 'pixels',
          getWidth: 2,
        }),
      new LineLayer<CpaLine>({
        id: 'cpa-lines',
        data: this.cpaLines,
        getSourcePosition: (l) => l.from,
        getTargetPosition: (l) => l.to,
        getColor: (l) => (l.severity === 'danger' ? COLOURS.danger : COLOURS.warning),
        getWidth: 1.5,
        widthUnits: 'pixels',
      }),
      new IconLayer<VesselView>({
        id: 'vessels',
        data: this.vessels,
        pickable: true,
        iconAtlas: this.atlas,
        iconMapping: ICON_MAPPING,
        getIcon: (v) => (v.headingDeg ?? v.cogDeg) === null ? 'dot' : 'ship',
        getPosition: (v) => [v.lon, v.lat],
        // deck.gl turns counter-clockwise; a heading turns clockwise from north.
        getAngle: (v) => -(v.headingDeg ?? v.cogDeg ?? 0),
        getSize: (v) => this.sizeOf(v),
        sizeUnits: 'pixels',
        getColor: (v) => this.colourOf(v),
        updateTriggers: { getColor: sv, getSize: sv },
      }),
      new ScatterplotLayer<MeetPoint>({
        id: 'meeting-points',
        data: this.meetPoints,
        pickable: true,
        getPosition: (m) => m.position,
        stroked: true,
        filled: true,
        radiusUnits: 'pixels',
        getRadius: 5,
        getFillColor: [0, 0, 0, 0],
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
        getLineColor: (m) => (m.alert.severity === 'danger' ? COLOURS.danger : COLOURS.warning),
      }),
      this.selected !== null &&
        new ScatterplotLayer<VesselView>({
          id: 'selected',
          data: [this.selected],
          getPosition: (v) => [v.lon, v.lat],
          stroked: true,
          filled: false,
          radiusUnits: 'pixels',
          getRadius: 16,
          lineWidthUnits: 'pixels',
          getLineWidth: 2,
          getLineColor: COLOURS.selected,
        }),
    ];
    this.deck.setProps({ layers });
  }

  private tooltip(info: PickingInfo): { html: string } | null {
    const o = info.object as unknown;
    if (o === undefined || o === null || info.layer === null || info.layer === undefined) return null;
    const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const row = (k: string, v: string): string => `<div><span class="tk">${esc(k)}</span> ${esc(v)}</div>`;
    switch (info.layer.id) {
      case 'vessels': {
        const v = o as VesselView;
        const sev = this.alertOf.get(v.vesselId);
        return {
          html:
            `<b>${esc(v.name ?? v.vesselId)}</b>` +
            (v.mmsi !== null ? row(t('f_mmsi'), String(v.mmsi)) : '') +
            (v.beidouCard !== null ? row(t('f_beidou'), v.beidouCard) : '') +
            row(t('f_source'), t(`src_${sourceClass(v)}`)) +
            row(t('f_speed'), withUnit(v.sogKn, 'unit_kn')) +
            row(t('f_course'), withUnit(v.cogDeg, 'unit_deg', 0)) +
            row(t('f_at'), `${dateTimeOf(v.at)}${this.isStale(v) ? ` (${t('stale')})` : ''}`) +
            (v.fleetId !== null ? row(t('f_fleet'), v.fleetId) : '') +
            (sev !== undefined ? row('⚠', tOr('sev_', sev)) : ''),
        };
      }
      case 'grids': {
        const f = o as GridFeature;
        const name = currentLang() === 'en' ? (f.properties.name_en ?? f.properties.name_zh) : f.properties.name_zh;
        return { html: `<b>${esc(name)}</b>${row(t('grid'), f.properties.id)}${f.properties.occupancy !== undefined ? row(t('occupancy'), String(f.properties.occupancy)) : ''}` };
      }
      case 'fleets': {
        const f = (o as { properties: FleetView }).properties;
        return { html: `<b>${esc(t('fleet'))} ${esc(f.fleetId)}</b>${row(t('members'), `${f.located}/${f.members.length}`)}${row(t('spread'), withUnit(f.spreadNm, 'unit_nm'))}` };
      }
      case 'meeting-points': {
        const a = (o as MeetPoint).alert;
        return { html: `<b>${esc(tOr('kind_', a.kind))} · ${esc(tOr('sev_', a.severity))}</b><div>${esc(t('cpa', { cpa: Number(a.details['cpaNm']).toFixed(2), tcpa: Number(a.details['tcpaMin']).toFixed(1) }))}</div>` };
      }
      default:
        return null;
    }
  }
}
