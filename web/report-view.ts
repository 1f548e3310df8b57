/** Wire shapes of `GET /api/reports`, shared with the console (as protocol.ts's are). */
import type { SupervisionView } from './protocol.js';

/** The supervision figures of one grid or fleet (its id, alert counts and medians), which a report row carries for its day. */
type SupervisionRowView = SupervisionView['rows'][number];

/**
 * `GET /api/reports` (issue 15 §3): per Beijing day, per grid or fleet, the rollup's figures and
 * the alerts raised that day (docs/CONTRACTS.md, Reports, defines each figure).
 */
export interface ReportRowView extends SupervisionRowView {
  /** Beijing calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly vessels: number;
  readonly hoursAtSea: number;
  readonly distanceNm: number;
  readonly moratoriumHours: number;
  readonly alertsByKind: Readonly<Record<string, number>>;
  readonly alertsBySeverity: Readonly<Record<string, number>>;
}

export interface ReportView {
  readonly by: 'grid' | 'fleet';
  readonly day: string;
  readonly days: number;
  readonly timeZone: 'Asia/Shanghai';
  readonly fleetId: string | null;
  /** Each day asked: `complete` once it is over (its figures no longer change), `stored` when read from the rollup. */
  readonly dayStates: readonly { readonly day: string; readonly complete: boolean; readonly stored: boolean }[];
  /** By day, then id; only grids or fleets with a vessel or an alert that day. */
  readonly rows: readonly ReportRowView[];
}

/** The most days one `GET /api/reports` covers. */
export const REPORT_DAYS_MAX = 31;
