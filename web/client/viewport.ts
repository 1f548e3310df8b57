/**
 * Which vessels the console asks `/ws` for (the server's optional viewport subscription): the whole
 * picture at the zooms that show the grounds, only the area around the view once zoomed in — a
 * console zoomed on one grid then receives its vessels, not 8,000.
 */
import type { WsBbox } from '../protocol.js';

/** At this zoom and closer the console subscribes to an area (zoom 10 shows about 0.7° × 0.5° here). */
export const AREA_ZOOM = 10;

/**
 * The area asked for reaches this fraction of the view's size beyond each edge, so a small pan needs
 * no new snapshot. The view is what the chart draws, itself a tenth past the box on screen (map.ts `visible`).
 */
const MARGIN = 0.5;

function contains(outer: WsBbox, inner: WsBbox): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}

/** The area to subscribe to for a view (`[west, south, east, north]` at `zoom`): null for everything; `held` while it still covers the view. */
export function areaFor(view: WsBbox, zoom: number, held: WsBbox | null): WsBbox | null {
  if (zoom < AREA_ZOOM) return null;
  if (held !== null && contains(held, view)) return held;
  const dx = (view[2] - view[0]) * MARGIN;
  const dy = (view[3] - view[1]) * MARGIN;
  return [view[0] - dx, Math.max(-90, view[1] - dy), view[2] + dx, Math.min(90, view[3] + dy)];
}
