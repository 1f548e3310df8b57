import type { VesselId } from './ids.js';

/**
 * Read queries asked the same way at the HTTP edge and of the store: one type each, so a filter
 * added to one cannot be forgotten on the way to the other.
 */

/** Grid entries and exits (`GET /api/grid-events`, `Store.gridEvents`): every filter given must hold. */
export interface GridEventQuery {
  readonly vesselId?: VesselId;
  readonly gridId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Default 1000, in time order. */
  readonly limit?: number;
}

/** Alerts (`GET /api/alerts`, `Store.alerts`). */
export interface AlertQuery {
  /** `open` (default): not resolved. */
  readonly state?: 'open' | 'all';
  readonly vesselId?: VesselId;
  /** One alert kind (`collision`, `route-deviation` …). */
  readonly kind?: string;
  /** Alerts concerning this fleet (any of the alert's `fleetIds`): a fleet leader's view. */
  readonly fleetId?: string;
  /** Default 500, newest change first. */
  readonly limit?: number;
}
