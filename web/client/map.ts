/**
 * The chart: deck.gl (core + layers, never the umbrella package) over an offline basemap. The one
 * home of @deck.gl/*. Layer data are replaced as whole arrays when the picture changes (a few
 * times a second at most), never rebuilt per frame; accessors read the objects as they are, and
 * colour accessors are re-run only when their updateTriggers move.
 */
import { COORDINATE_SYSTEM, Deck, FlyToInterpolator, MapController, MapView, WebMercatorViewport, type LayersList, type MapViewState, type PickingInfo } from '@deck.gl/core';
import { SolidPolygonLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { AlertView, FleetView, TrackPointView, VesselView } from '../protocol.js';
import { isActive } from './alert-order.js';
import { GridLocator, inForceNow, type GridCollection, type GridFeature } from './grids.js';
import { currentLang, dateTimeOf, t, tOr, vesselLabel, withUnit } from './i18n.js';
import { ORIGIN, pathBands, ringShape, ringToCommon, shipLoop, zoomStep, type LonLat } from './ground-shapes.js';
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

/** COLOURS.sea as the chart's clear colour. */
const SEA: Rgba = [0x0d, 0x22, 0x34, 255];

/** A fleet footprint: light blue (129, 212, 250) at 48/255 over the sea, as an opaque colour (one footprint was 34/255 blended; a touch more now that none stacks). */
const FLEET_TINT: Rgba = [0, 1, 2].map((i) => Math.round(SEA[i]! + (48 / 255) * ([129, 212, 250][i]! - SEA[i]!))).concat(255) as Rgba;

/** The chart takes the live picture at most this often (ms). */
const PICTURE_MS = 1000;
/**
 * …and while the officer drags it, at most this often: each application re-tessellates and
 * re-uploads every vessel, which a software renderer then pays for in the frames of the drag.
 * The alert panel is not held; the chart catches up as the drag ends.
 */
const DRAG_PICTURE_MS = 5000;

/**
 * A wheel zoom scales the last drawn picture (`wheelTo`) and the chart draws the view the wheel
 * reached when it has rested this long (ms)…
 */
const WHEEL_REST_MS = 150;
/** …or when the wheel has gone this far from the drawn picture (zoom levels: twice or half its scale), or held it this long (ms). */
const WHEEL_MAX_ZOOM = 1;
const WHEEL_MAX_MS = 600;
/** deck.gl's scroll-zoom speed (Controller's default): a notch of 100 px scales by 1.46. */
const WHEEL_SPEED = 0.01;
/** The keys deck.gl's map controller moves the view by (a held wheel is settled first; Shift and the like are not). */
const KEYS_THAT_MOVE: ReadonlySet<string> = new Set(['Minus', 'Equal', 'NumpadAdd', 'NumpadSubtract', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/** The layers a replay keeps under its own: the zones, grid lines and land. */
const BASEMAP_LAYERS: ReadonlySet<string> = new Set(['grid-fills', 'grids', 'land']);

/** Every polygon layer's positions: common space less ORIGIN (ground-shapes.ts says why). */
const COMMON = { coordinateSystem: COORDINATE_SYSTEM.CARTESIAN, coordinateOrigin: [ORIGIN[0], ORIGIN[1], 0] as [number, number, number] };

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
  /** The view moved (many times a second while it does). */
  onViewChange?(): void;
}

/** The view a console opens on: the Zhoushan archipelago and its fishing grounds. */
const HOME_VIEW: MapViewState = { longitude: 123.0, latitude: 30.0, zoom: 7.4, pitch: 0, bearing: 0 };

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
function drawn(f: GridFeature): boolean {
  if (f.properties.kind === 'no_fishing_zone' && f.properties.id === 'CN-TRAWL-ZONE') return false;
  return inForceNow(f);
}

/** A grid's outline segment as a band, with the grid it outlines (for the tooltip). */
interface GridEdge {
  ring: Ring;
  colour: Rgba;
  feature: GridFeature;
}
interface Band {
  ring: Ring;
  colour: Rgba;
}
interface MeetRing {
  rings: Ring[];
  alert: AlertView;
}

/**
 * Replay mode (replay.tsx builds it): tracks as trips (times in seconds from the window's start:
 * deck.gl compares them as 32-bit floats, where epoch ms would lose whole seconds), ships where
 * they were at the moment, the picture at the start dimmed, and alert marks as they stood then.
 */
export interface ReplayScene {
  readonly trips: readonly { readonly path: LonLat[]; readonly times: number[]; readonly colour: Rgba }[];
  readonly currentS: number;
  readonly ships: readonly ReplayShip[];
  readonly context: readonly ReplayShip[];
  readonly marks: readonly { readonly lon: number; readonly lat: number; readonly colour: Rgba; readonly label: string }[];
  readonly lines: readonly { readonly from: LonLat; readonly to: LonLat; readonly colour: Rgba }[];
}
export interface ReplayShip {
  readonly id: string;
  readonly label: string;
  readonly lon: number;
  readonly lat: number;
  readonly cogDeg: number | null;
  readonly colour: Rgba;
}

/** Polygon rings of a GeoJSON Polygon / MultiPolygon; none for other types. */
function polygonsOf(g: { type: string; coordinates: unknown }): Ring[][] {
  if (g.type === 'Polygon') return [g.coordinates as Ring[]];
  if (g.type === 'MultiPolygon') return g.coordinates as Ring[][];
  return [];
}

/** Lines to stroke of a GeoJSON geometry: polygon rings and line strings. */
function linesOf(g: { type: string; coordinates: unknown }): LonLat[][] {
  if (g.type === 'LineString') return [g.coordinates as LonLat[]];
  if (g.type === 'MultiLineString') return g.coordinates as LonLat[][];
  return polygonsOf(g).flat();
}

type ControllerEvent = Parameters<MapController['handleEvent']>[0];
type WheelEvent_ = Extract<ControllerEvent, { type: 'wheel' }>;
type GestureEvent = Extract<Parameters<MapController['getCenter']>[0], { type: 'panend' }>;

/**
 * deck.gl's map controller, except that a wheel notch goes to `onWheel` (the view it zooms to from
 * `from()`, by deck.gl's own zoom about the pointer) and is deck.gl's as usual only if that declines;
 * and a pan the browser cancels (pointercancel: a touch taken for a scroll, a palm, a lost pointer)
 * ends as a pan let go. deck.gl listens for no pancancel, so its drag never ended: the picture
 * stayed shifted and the controller "dragging", sending the next key step to the drag's hold.
 */
function heldWheelController(hold: { from(): MapViewState | null; onWheel(next: MapViewState): boolean }): typeof MapController {
  return class HeldWheelController extends MapController {
    override setProps(props: Parameters<MapController['setProps']>[0]): void {
      super.setProps(props);
      this.toggleEvents(['pancancel'], true);
    }

    override handleEvent(event: ControllerEvent): boolean {
      if (event.type !== 'pancancel') return super.handleEvent(event);
      return this._onPanEnd(event as unknown as GestureEvent);
    }

    protected override _onWheel(event: WheelEvent_): boolean {
      const from = hold.from();
      const pos = this.getCenter(event);
      if (from === null || !this.isPointInBounds(pos, event)) return super._onWheel(event);
      // Controller._onWheel's scale for the notch (mjolnir.js has made its delta pixels).
      let scale = 2 / (1 + Math.exp(-Math.abs(event.delta * WHEEL_SPEED)));
      if (event.delta < 0) scale = 1 / scale;
      const state = new this.ControllerState({ makeViewport: this.makeViewport, ...this.props, longitude: from.longitude, latitude: from.latitude, zoom: from.zoom });
      const p = state.zoom({ pos, scale }).getViewportProps();
      const next: MapViewState = { longitude: p.longitude, latitude: p.latitude, zoom: p.zoom, pitch: p.pitch, bearing: p.bearing };
      if (!hold.onWheel(next)) return super._onWheel(event);
      event.srcEvent.preventDefault();
      return true;
    }
  };
}

/** The same place and zoom (what decides whether the chart has anything new to draw). */
function sameView(a: MapViewState, b: MapViewState): boolean {
  return a.longitude === b.longitude && a.latitude === b.latitude && a.zoom === b.zoom;
}

export class SeaMap {
  private readonly deck: Deck<MapView>;
  // Layer data kept as built: deck.gl compares data by reference, so a new array means a new
  // tessellation. Each is rebuilt only when its input or the zoom step changes.
  private land: Ring[][] = [];
  private gridFeatures: GridFeature[] = [];
  private gridLocator = new GridLocator([]);
  private gridFills: { polygon: Ring[]; feature: GridFeature }[] = [];
  private fleetPolys: { polygon: Ring[]; fleet: FleetView }[] = [];
  private track: LonLat[] = [];
  private vessels: VesselView[] = [];
  /** Vessel id → the worst severity of its open alerts. */
  private alertOf = new Map<string, string>();
  private cpaLines: CpaLine[] = [];
  private meetPoints: MeetPoint[] = [];
  private selected: VesselView | null = null;
  /** The vessels of the alert the officer picked last: each ringed, so the chart shows which they are. */
  private focused: readonly string[] = [];
  private replay: ReplayScene | null = null;
  private isStale: (v: VesselView) => boolean = () => false;
  private styleVersion = 0;
  private pending: { vessels: VesselView[]; alerts: AlertView[]; isStale: (v: VesselView) => boolean } | undefined;
  private pictureTimer: number | undefined;
  private lastPictureMs = -Infinity;
  private dragging = false;
  /** The view drawn (its picture shifted on screen) and the one the drag has reached, while a drag lasts (see `dragTo`). */
  private drawnView: MapViewState | null = null;
  private draggedView: MapViewState | null = null;
  /** The canvas is still shifted: undone by the first frame drawn in the drag's final view. */
  private shifted = false;
  /** A wheel zoom held (`wheelTo`): the view it has reached, when it began, its rest timer. */
  private wheel: { to: MapViewState; sinceMs: number; timer: number } | null = null;
  /** deck.gl is animating the view (a fly to, a key's zoom). */
  private inTransition = false;
  /** The viewport of the last frame drawn: what the canvas shows. */
  private drawnVp: WebMercatorViewport | null = null;
  /** Views given to deck.gl as `initialViewState` (deck.gl ignores one deep-equal to the last). */
  private viewsSet = 0;
  private viewState: MapViewState = HOME_VIEW;
  /** The zoom the screen-sized marks are built for (ground-shapes.ts). */
  private zoom = zoomStep(HOME_VIEW.zoom);
  private readonly memo = new Map<string, { keys: readonly unknown[]; value: unknown }>();
  /** The canvas's parent, larger than the chart's box by the overscan (its offset is negative). */
  private readonly pane: HTMLDivElement;
  /** When the last frames were drawn (performance.now(), ms): the bench's frame times. */
  private readonly drawnAt: number[] = [];
  /** deck.gl's frame statistics as last reported (every 60 frames). */
  private metrics: Readonly<Record<string, number>> = {};

  constructor(
    private readonly parent: HTMLDivElement,
    private readonly events: SeaMapEvents,
  ) {
    parent.style.background = COLOURS.sea;
    // The chart's box clips a pane that reaches a tenth of the box's size past each of its edges
    // (app.css), as Leaflet's canvas renderer pads its clip area: the canvas fills the pane, so a
    // drag (which moves the last picture, `dragTo`) uncovers drawn chart, not bare sea, for that
    // far. The pane is the events' root (deck.gl takes the nearest ancestor of that class): pointer
    // positions are canvas pixels, not shifted by a drag, and only the chart's own input — the
    // panels inside .map (vessel file, replay bar, pages) keep theirs. The tooltip lives in a layer
    // of the pane's size above the box, not clipped.
    const chart = document.createElement('div');
    chart.className = 'chart';
    const pane = document.createElement('div');
    pane.className = 'chart-pane deck-events-root';
    const canvas = document.createElement('canvas');
    pane.appendChild(canvas);
    chart.appendChild(pane);
    this.pane = pane;
    const widgets = document.createElement('div');
    widgets.className = 'chart-widgets deck-widgets-root';
    parent.append(chart, widgets);
    // A scaled picture (`placeWheel`) maps canvas pixel p to s·p + t.
    canvas.style.transformOrigin = '0 0';
    // A press or a key ends a wheel zoom first: deck.gl's drag or key step then starts from the view the officer sees.
    chart.addEventListener('pointerdown', () => this.settleWheel(), { capture: true });
    chart.addEventListener('keydown', (e) => KEYS_THAT_MOVE.has(e.code) && this.settleWheel(), { capture: true });
    this.deck = new Deck<MapView>({
      parent,
      canvas,
      // The canvas opaque and cleared to the sea: the page's compositor then neither blends it
      // with what lies under it nor draws that (in software, every pixel of the screen, every frame).
      views: new MapView({ repeat: false, clear: true, clearColor: SEA }),
      // No multisampling (a software renderer pays for every sample of every fill), and no depth
      // buffer: every layer lies on the sea's surface and is drawn in order, so a depth test
      // decides nothing and would cost a read and a write per pixel.
      deviceProps: { type: 'webgl', webgl: { antialias: false, alpha: false, depth: false } },
      initialViewState: HOME_VIEW,
      // No double-click zoom: a click then need not wait to see whether a second one follows.
      controller: {
        // During a drag or an animation (a fly to an alert, a key's zoom) deck.gl zooms live, as before.
        type: heldWheelController({ from: () => (this.dragging || this.inTransition ? null : (this.wheel?.to ?? this.viewState)), onWheel: (next) => this.wheelTo(next) }),
        dragRotate: false,
        touchRotate: false,
        doubleClickZoom: false,
      },
      // A press stays a click however long the renderer holds the pointer-down pick (a software
      // renderer under load takes seconds; the default 250 ms turned such clicks into nothing).
      eventRecognizerOptions: { click: { time: 60_000 } },
      onViewStateChange: ({ viewState, interactionState }) => {
        // deck.gl's generic view state type: ours is always a MapView's.
        type Same = typeof viewState;
        // A drag's step keeps the zoom; a wheel notch or a pinch during it (deck.gl still says
        // dragging) changes it, and the chart draws live again (`dragEnd`).
        const held = this.drawnView ?? this.viewState;
        if (interactionState.isDragging === true && viewState.zoom === held.zoom) return this.dragTo(viewState) as Same;
        this.viewChanged(this.dragEnd(viewState));
        return this.viewState as Same;
      },
      // None while a wheel zoom is held: deck.gl picks in the drawn view, not the scaled picture on screen.
      getTooltip: (info) => (this.wheel === null ? this.tooltip(info) : null),
      onClick: (info) => {
        const v = info.layer?.id === 'vessels' ? (info.object as VesselView | undefined) : undefined;
        if (v !== undefined) this.events.onVesselClick(v.vesselId);
      },
      onInteractionStateChange: ({ isDragging, inTransition }) => {
        this.inTransition = inTransition === true;
        this.setDragging(isDragging === true);
      },
      getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
      _onMetrics: (m) => (this.metrics = { ...m }),
      onAfterRender: () => {
        if (this.drawnAt.push(performance.now()) > 1000) this.drawnAt.splice(0, 500);
        this.drawnVp = (this.deck.getViewports()[0] as WebMercatorViewport | undefined) ?? null;
        // A wheel zoom still held: its scaling is from this picture now. Else, drawn in the drag's
        // or the wheel's final view, the picture is where it belongs, in the same frame.
        if (this.wheel !== null) this.placeWheel();
        else if (this.shifted && this.drawnView === null) this.unshift();
      },
      layers: [],
    });
  }

  /**
   * A drag moves the last drawn picture instead of drawing every layer at every pointer move, as
   * OpenLayers' vector layers (updateWhileInteracting false) and Leaflet's canvas renderer do: a
   * software renderer (a console without a GPU) takes ~50 ms to draw the full demo, a shifted
   * canvas one compositing pass. deck.gl keeps the drag's first view (returned to it) and the
   * canvas is translated by where the drag has taken it; pictures that arrive meanwhile are drawn
   * in that view, so they line up. The pane's overscan is drawn too: a drag uncovers chart for
   * that far, and sea beyond it until the drag ends or a picture comes.
   */
  private dragTo(next: MapViewState): MapViewState {
    const drawn = (this.drawnView ??= this.viewState);
    this.draggedView = next;
    const vp = this.deck.getViewports()[0];
    const canvas = this.deck.getCanvas();
    if (vp !== undefined && canvas !== null) {
      // Where the drag's centre lies in the drawn picture goes to the screen's centre.
      const [x, y] = vp.project([next.longitude, next.latitude]);
      canvas.style.transform = `translate(${vp.width / 2 - x!}px, ${vp.height / 2 - y!}px)`;
      this.shifted = true;
    }
    return drawn;
  }

  /**
   * The view after a change that is not a drag's step. At the drag's end deck.gl reports the view it
   * was held to: the view is where the drag took it. Anything else (a wheel notch or a pinch during
   * the drag, a key) is taken as it comes — deck.gl computed it from the held view, so that frame
   * lacks the drag's travel until its next step puts the anchor back under the pointer — and the
   * shift goes at the next frame.
   */
  private dragEnd(next: MapViewState): MapViewState {
    const drawn = this.drawnView;
    const dragged = this.draggedView;
    this.drawnView = null;
    this.draggedView = null;
    if (drawn === null || dragged === null) return next;
    const settled = sameView(next, drawn) ? dragged : next;
    // Nothing to draw (a press without a move): no frame will come to undo the shift.
    if (sameView(settled, drawn)) this.unshift();
    return settled;
  }

  /**
   * A wheel notch scales the last drawn picture about the pointer instead of drawing every layer
   * at every notch, as Leaflet's zoom animation and OpenLayers' vector layers
   * (updateWhileAnimating false) do; the chart draws the view the wheel reached when the wheel
   * rests, or has gone a zoom level from the picture (which then grows blurred or leaves too much
   * sea), or has held it WHEEL_MAX_MS. deck.gl stays at the drawn view meanwhile, so pictures that
   * arrive are drawn there and scaled alike. Declined (deck.gl zooms live) during a drag.
   */
  private wheelTo(next: MapViewState): boolean {
    if (this.dragging) return false;
    // At a zoom limit, or a sideways wheel: nothing to scale, nor to draw again.
    if (sameView(next, this.wheel?.to ?? this.viewState)) return true;
    const now = performance.now();
    if (this.wheel === null) {
      this.wheel = { to: next, sinceMs: now, timer: 0 };
      this.parent.classList.add('held');
    } else {
      this.wheel.to = next;
      window.clearTimeout(this.wheel.timer);
    }
    this.wheel.timer = window.setTimeout(() => this.settleWheel(), WHEEL_REST_MS);
    this.placeWheel();
    // The officer sees the view move (`visible` says where to): the app waits for it to rest.
    this.events.onViewChange?.();
    // From the picture on screen (a settle's frame may not be drawn yet).
    const drawnZoom = this.drawnVp?.zoom ?? this.viewState.zoom;
    if (Math.abs(next.zoom - drawnZoom) >= WHEEL_MAX_ZOOM || now - this.wheel.sinceMs >= WHEEL_MAX_MS) this.settleWheel();
    return true;
  }

  /** The canvas scaled and moved so the drawn picture shows the wheel's view (Web Mercator: a similarity). */
  private placeWheel(): void {
    const drawn = this.drawnVp;
    const canvas = this.deck.getCanvas();
    if (this.wheel === null || drawn === null || canvas === null) return;
    const to = this.wheelViewport(this.wheel.to, drawn);
    const [tx, ty] = to.project(drawn.unproject([0, 0]));
    canvas.style.transform = `translate(${tx}px, ${ty}px) scale(${2 ** (to.zoom - drawn.zoom)})`;
    this.shifted = true;
  }

  /** The wheel's view as a viewport the size of the drawn one. */
  private wheelViewport(to: MapViewState, size: { width: number; height: number }): WebMercatorViewport {
    return new WebMercatorViewport({ ...to, width: size.width, height: size.height });
  }

  /** The chart takes the wheel's view; the scaling stays until the first frame drawn in it. */
  private settleWheel(): void {
    const w = this.wheel;
    if (w === null) return;
    window.clearTimeout(w.timer);
    this.wheel = null;
    this.parent.classList.remove('held');
    this.setView(w.to);
  }

  /** The chart to this view (not an interaction's step: those come through onViewStateChange). */
  private setView(v: MapViewState): void {
    this.deck.setProps({ initialViewState: this.viewToSet(v) });
    this.viewChanged(v);
  }

  /** A view for `initialViewState`, with a key of its own: deck.gl ignores a view deep-equal to the last one set. */
  private viewToSet(v: MapViewState): MapViewState {
    return { ...v, seagridView: ++this.viewsSet } as MapViewState;
  }

  /** The view is now `v`: the app is told, and the screen-sized marks rebuilt at a new zoom step. */
  private viewChanged(v: MapViewState): void {
    this.viewState = v;
    this.events.onViewChange?.();
    const z = zoomStep(v.zoom);
    if (z !== this.zoom) {
      this.zoom = z;
      this.render();
    }
  }

  private setDragging(d: boolean): void {
    if (d === this.dragging) return;
    this.dragging = d;
    // The tooltip of where the press began would ride on a held picture (deck.gl hovers not while a button is down).
    this.parent.classList.toggle('dragging', d);
    // A picture held back by the drag is due now (or within PICTURE_MS of the last one).
    if (!d && this.pictureTimer !== undefined) {
      window.clearTimeout(this.pictureTimer);
      this.pictureTimer = undefined;
      this.schedulePicture();
    }
  }

  private unshift(): void {
    const canvas = this.deck.getCanvas();
    if (canvas !== null) canvas.style.transform = '';
    this.shifted = false;
  }

  setLand(polys: Ring[][]): void {
    this.land = polys.map((p) => p.map(ringToCommon));
    this.render();
  }

  setGrids(g: GridCollection): void {
    this.gridFeatures = g.features.filter((f) => drawn(f));
    this.gridLocator = new GridLocator(this.gridFeatures);
    // Only fills that show: a transparent fill still costs a software renderer every pixel it covers.
    this.gridFills = this.gridFeatures.filter((f) => gridFill(f)[3] > 0).flatMap((feature) => polygonsOf(feature.geometry).map((polygon) => ({ polygon: polygon.map(ringToCommon), feature })));
    this.render();
  }

  setFleets(fleets: readonly FleetView[]): void {
    this.fleetPolys = fleets.filter((f) => f.located > 0).flatMap((fleet) => polygonsOf(fleet.footprint as { type: string; coordinates: unknown }).map((polygon) => ({ polygon: polygon.map(ringToCommon), fleet })));
    this.render();
  }

  /**
   * The live picture. Applied at most once per PICTURE_MS: each application re-uploads every
   * vessel's attributes and redraws, and a vessel at 10 kn moves 5 m a second — under a pixel at
   * the zooms a watch floor uses — so faster would only burn a software renderer's frames.
   */
  setPicture(vessels: VesselView[], alerts: Iterable<AlertView>, isStale: (v: VesselView) => boolean): void {
    this.pending = { vessels, alerts: [...alerts], isStale };
    this.schedulePicture();
  }

  private schedulePicture(): void {
    if (this.pictureTimer !== undefined || this.pending === undefined) return;
    const wait = Math.max(0, this.lastPictureMs + (this.dragging ? DRAG_PICTURE_MS : PICTURE_MS) - performance.now());
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
      // Only a condition still there marks the chart: a cleared alert waits in the list for its
      // resolution, and painting its vessels would bury the live ones in a flood (BAM: rectified).
      if (!isActive(a)) continue;
      for (const id of a.vesselIds) {
        const held = this.alertOf.get(id);
        if (held === undefined || rank(a.severity) > rank(held)) this.alertOf.set(id, a.severity);
      }
      const meet = a.details['meetingPoint'] as { lat: number; lon: number } | undefined;
      if (a.kind === 'collision' && meet !== undefined) {
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

  /** Rings these vessels (an alert's, as it is picked) until another set is given; [] rings none. */
  focus(vesselIds: readonly string[]): void {
    this.focused = vesselIds;
    this.render();
  }

  select(v: VesselView | null, track: TrackPointView[] = []): void {
    this.selected = v;
    this.track = track.map((p) => [p.lon, p.lat]);
    this.render();
  }

  /** Replay mode: the scene at the replay's moment; null returns to the live picture. */
  setReplay(scene: ReplayScene | null): void {
    this.replay = scene;
    this.render();
  }

  flyTo(lon: number, lat: number, zoom?: number): void {
    this.settleWheel();
    this.deck.setProps({
      initialViewState: this.viewToSet({ ...this.viewState, longitude: lon, latitude: lat, zoom: zoom ?? Math.max(this.viewState.zoom, 10), transitionDuration: 800, transitionInterpolator: new FlyToInterpolator() }),
    });
  }

  /**
   * What the chart draws — the box and its overscan, 1.44 times the area on screen, so the vessels
   * a drag uncovers are there too — in the view a held wheel zoom is at: `[west, south, east,
   * north]` and the zoom; null before the first frame.
   */
  visible(): { bbox: [number, number, number, number]; zoom: number } | null {
    const drawn = this.deck.getViewports()[0];
    if (drawn === undefined) return null;
    const vp = this.wheel === null ? drawn : this.wheelViewport(this.wheel.to, drawn);
    const [w, s, e, n] = vp.getBounds();
    return { bbox: [w!, s!, e!, n!], zoom: (this.wheel?.to ?? this.viewState).zoom };
  }

  /** For tests and benches: what is drawn and where a point is on screen. */
  debug(): { vessels: number; focused: readonly string[]; view: MapViewState; drawnAt: readonly number[]; metrics: Readonly<Record<string, number>>; project(lon: number, lat: number): [number, number] | null; pick(x: number, y: number): string | null } {
    const vp = this.deck.getViewports()[0];
    return {
      vessels: this.vessels.length,
      // The focused vessels ringed now (those in the picture).
      focused: this.focusRings().map((r) => r.vesselId),
      // deck.gl's own frame statistics (CPU/GPU time per frame, attribute updates, picks).
      metrics: { ...this.metrics },
      view: this.viewState,
      drawnAt: [...this.drawnAt],
      // In the chart box's pixels (what a test clicks), not the overscanned canvas's.
      pick: (x, y) => {
        const info = this.deck.pickObject({ x: x - this.pane.offsetLeft, y: y - this.pane.offsetTop, radius: 2 });
        return info === null ? null : `${info.layer?.id ?? '?'}:${(info.object as { vesselId?: string } | undefined)?.vesselId ?? ''}`;
      },
      project: (lon, lat) => {
        if (vp === undefined) return null;
        const [x, y] = vp.project([lon, lat]);
        return [x! + this.pane.offsetLeft, y! + this.pane.offsetTop];
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

  /** A ring about each focused vessel at its place in the picture (a few: a linear search is enough). */
  private focusRings(): { vesselId: string; rings: Ring[] }[] {
    if (this.focused.length === 0) return [];
    return this.vessels.filter((v) => this.focused.includes(v.vesselId)).map((v) => ({ vesselId: v.vesselId, rings: ringShape(v.lon, v.lat, 13, 2, this.zoom) }));
  }

  /** `make()` again only when one of `keys` changed (by identity): its result is layer data. */
  private cached<T>(name: string, keys: readonly unknown[], make: () => T): T {
    const held = this.memo.get(name);
    if (held !== undefined && held.keys.length === keys.length && held.keys.every((k, i) => k === keys[i])) return held.value as T;
    const value = make();
    this.memo.set(name, { keys, value });
    return value;
  }

  private render(): void {
    const sv = this.styleVersion;
    const z = this.zoom;
    const gridEdges = this.cached('grid-edges', [this.gridFeatures, z], () =>
      this.gridFeatures.flatMap((feature): GridEdge[] => {
        const colour = gridLine(feature);
        const width = feature.properties.layer === 'patrol' ? 2 : 1;
        return linesOf(feature.geometry).flatMap((line) => pathBands(line, width, z).map((ring) => ({ ring, colour, feature })));
      }),
    );
    const trackBands = this.cached('track', [this.track, z], () => pathBands(this.track, 2, z));
    const cpaBands = this.cached('cpa', [this.cpaLines, z], () =>
      this.cpaLines.flatMap((l): Band[] => pathBands([l.from, l.to], 1.5, z).map((ring) => ({ ring, colour: l.severity === 'danger' ? COLOURS.danger : COLOURS.warning }))),
    );
    const meetRings = this.cached('meet', [this.meetPoints, z], () => this.meetPoints.map((m): MeetRing => ({ rings: ringShape(m.position[0], m.position[1], 5, 2, z), alert: m.alert })));
    const selectedRing = this.cached('selected', [this.selected, this.focused, this.vessels, z], () => [
      ...(this.selected === null ? [] : [ringShape(this.selected.lon, this.selected.lat, 16, 2, z)]),
      ...this.focusRings().map((f) => f.rings),
    ]);
    // Every mark is a SolidPolygonLayer (ground-shapes.ts says why). Zones under the land (a
    // zone's fill never tints the coast), everything live above it.
    const layers = [
      // First and opaque: footprints that overlap (the fleets at their berths, dozens deep) show
      // as one, where translucent fills stacked into a wash that hid the harbour at close zoom; the
      // zones, grid lines and land are drawn over them as they are.
      new SolidPolygonLayer<{ polygon: Ring[]; fleet: FleetView }>({
        ...COMMON,
        id: 'fleets',
        data: this.fleetPolys,
        pickable: true,
        getPolygon: (f) => f.polygon,
        getFillColor: FLEET_TINT,
      }),
      new SolidPolygonLayer<{ polygon: Ring[]; feature: GridFeature }>({
        ...COMMON,
        id: 'grid-fills',
        data: this.gridFills,
        getPolygon: (g) => g.polygon,
        getFillColor: (g) => gridFill(g.feature),
      }),
      new SolidPolygonLayer<GridEdge>({
        ...COMMON,
        id: 'grids',
        data: gridEdges,
        pickable: true,
        getPolygon: (e) => e.ring,
        getFillColor: (e) => e.colour,
      }),
      new SolidPolygonLayer<Ring[]>({
        ...COMMON,
        id: 'land',
        data: this.land,
        getPolygon: (p) => p,
        getFillColor: COLOURS.land,
      }),
      new SolidPolygonLayer<Ring>({
        ...COMMON,
        id: 'track',
        data: trackBands,
        getPolygon: (r) => r,
        getFillColor: COLOURS.track,
      }),
      new SolidPolygonLayer<Band>({
        ...COMMON,
        id: 'cpa-lines',
        data: cpaBands,
        getPolygon: (b) => b.ring,
        getFillColor: (b) => b.colour,
      }),
      new SolidPolygonLayer<VesselView>({
        ...COMMON,
        id: 'vessels',
        data: this.vessels,
        pickable: true,
        getPolygon: (v) => shipLoop(v.lon, v.lat, v.headingDeg ?? v.cogDeg, this.sizeOf(v), z),
        positionFormat: 'XY',
        _normalize: false,
        getFillColor: (v) => this.colourOf(v),
        updateTriggers: { getPolygon: [z, sv], getFillColor: sv },
      }),
      new SolidPolygonLayer<MeetRing>({
        ...COMMON,
        id: 'meeting-points',
        data: meetRings,
        pickable: true,
        getPolygon: (m) => m.rings,
        getFillColor: (m) => (m.alert.severity === 'danger' ? COLOURS.danger : COLOURS.warning),
      }),
      new SolidPolygonLayer<Ring[]>({
        ...COMMON,
        id: 'selected',
        data: selectedRing,
        getPolygon: (r) => r,
        getFillColor: COLOURS.selected,
      }),
    ];
    this.deck.setProps({ layers: this.replay === null ? layers : [...layers.filter((l) => BASEMAP_LAYERS.has(l.id)), ...this.replayLayers(this.replay, z)] });
  }

  /** Over the grids and the land: the tracks played so far, CPA lines, the picture at the start, the ships, the alert marks. */
  private replayLayers(r: ReplayScene, z: number): LayersList {
    const ships = (list: readonly ReplayShip[], size: number): number[][] => list.map((v) => shipLoop(v.lon, v.lat, v.cogDeg, size, z));
    const context = this.cached('replay-context', [r.context, z], () => ships(r.context, 9));
    const trips = r.trips;
    return [
      new SolidPolygonLayer<number[]>({ ...COMMON, id: 'replay-context', data: context, getPolygon: (p) => p, positionFormat: 'XY', _normalize: false, getFillColor: [226, 232, 240, 70] }),
      new TripsLayer<ReplayScene['trips'][number]>({
        id: 'replay-trips',
        data: trips,
        getPath: (d) => d.path,
        getTimestamps: (d) => d.times,
        getColor: (d) => d.colour,
        widthMinPixels: 2,
        jointRounded: true,
        capRounded: true,
        // The whole way sailed so far stays drawn: where the tracks met is the point of a replay.
        trailLength: 1e9,
        fadeTrail: false,
        currentTime: r.currentS,
      }),
      new SolidPolygonLayer<{ ring: Ring; colour: Rgba }>({
        ...COMMON,
        id: 'replay-lines',
        data: r.lines.flatMap((l) => pathBands([l.from, l.to], 1.5, z).map((ring) => ({ ring, colour: l.colour }))),
        getPolygon: (b) => b.ring,
        getFillColor: (b) => b.colour,
      }),
      new SolidPolygonLayer<{ ship: ReplayShip; ring: number[] }>({
        ...COMMON,
        id: 'replay-ships',
        data: r.ships.map((ship) => ({ ship, ring: shipLoop(ship.lon, ship.lat, ship.cogDeg, 16, z) })),
        pickable: true,
        getPolygon: (d) => d.ring,
        positionFormat: 'XY',
        _normalize: false,
        getFillColor: (d) => d.ship.colour,
      }),
      new SolidPolygonLayer<{ rings: Ring[]; mark: ReplayScene['marks'][number] }>({
        ...COMMON,
        id: 'replay-marks',
        data: r.marks.map((mark) => ({ rings: ringShape(mark.lon, mark.lat, 7, 2.5, z), mark })),
        pickable: true,
        getPolygon: (d) => d.rings,
        getFillColor: (d) => d.mark.colour,
      }),
    ];
  }

  private tooltip(info: PickingInfo): { html: string } | null {
    const o = info.object as unknown;
    const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const row = (k: string, v: string): string => `<div><span class="tk">${esc(k)}</span> ${esc(v)}</div>`;
    // Open sea under the pointer: the grids it lies in (an outline names its grid too, below).
    const gridsHere = (also?: GridFeature): string | null => {
      const at = info.coordinate === undefined || info.coordinate === null ? [] : this.gridLocator.at(info.coordinate[0]!, info.coordinate[1]!);
      if (also !== undefined && !at.includes(also)) at.push(also);
      if (at.length === 0) return null;
      return at
        .map((f) => {
          const name = currentLang() === 'en' ? (f.properties.name_en ?? f.properties.name_zh) : f.properties.name_zh;
          return `<div class="tg"><b>${esc(name)}</b>${row(t('grid'), f.properties.id)}${f.properties.occupancy !== undefined ? row(t('occupancy'), String(f.properties.occupancy)) : ''}</div>`;
        })
        .join('');
    };
    if (o === undefined || o === null || info.layer === null || info.layer === undefined) {
      if (this.replay !== null || (info.layer !== null && info.layer !== undefined)) return null;
      const html = gridsHere();
      return html === null ? null : { html };
    }
    switch (info.layer.id) {
      case 'vessels': {
        const v = o as VesselView;
        const sev = this.alertOf.get(v.vesselId);
        return {
          html:
            `<b>${esc(vesselLabel(v.name, v.vesselId))}</b>` +
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
        const html = gridsHere((o as GridEdge).feature);
        return html === null ? null : { html };
      }
      case 'fleets': {
        const f = (o as { fleet: FleetView }).fleet;
        return { html: `<b>${esc(t('fleet'))} ${esc(f.fleetId)}</b>${row(t('members'), `${f.located}/${f.members.length}`)}${row(t('spread'), withUnit(f.spreadNm, 'unit_nm'))}` };
      }
      case 'replay-ships':
        return { html: esc((o as { ship: ReplayShip }).ship.label) };
      case 'replay-marks':
        return { html: esc((o as { mark: ReplayScene['marks'][number] }).mark.label) };
      case 'meeting-points': {
        const a = (o as MeetRing).alert;
        return { html: `<b>${esc(tOr('kind_', a.kind))} · ${esc(tOr('sev_', a.severity))}</b><div>${esc(t('cpa', { cpa: Number(a.details['cpaNm']).toFixed(2), tcpa: Number(a.details['tcpaMin']).toFixed(1) }))}</div>` };
      }
      default:
        return null;
    }
  }
}
