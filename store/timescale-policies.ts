/**
 * The configurable TimescaleDB policies, as SQL for the migrator (or startup) to run after
 * `002-timescale.sql` whenever the extension is present. Retention is a setting, not a migration:
 * a migration runs once, a retention change must take effect on the next start. Each call removes
 * the current policy and adds the configured one (`add_retention_policy(if_not_exists)` would keep
 * an older, different interval and only warn), so running it at every start is safe.
 */

/** `002-timescale.sql` refreshes `positions_1m` over the last 3 days. */
export const AGGREGATE_REFRESH_WINDOW_DAYS = 3;

export interface TimescaleRetention {
  /** Raw positions: chunks older than this many days are dropped; undefined keeps everything. */
  readonly positionsDays?: number;
  /** 1-minute track points (`positions_1m`); undefined keeps them (they outlive raw rows). */
  readonly trackPointsDays?: number;
}

/**
 * Statements, in order, that set the retention of `positions` and `positions_1m`. Each is one
 * `select …` and may run inside a transaction. Throws on a retention that would break the
 * continuous aggregate (not over its refresh window) or is not a whole number of days.
 */
export function timescalePolicySql(r: TimescaleRetention): string[] {
  const out: string[] = [];
  const set = (relation: string, days: number | undefined, what: string): void => {
    out.push(`select remove_retention_policy('${relation}', if_exists => true)`);
    if (days === undefined) return;
    if (!Number.isInteger(days) || days <= AGGREGATE_REFRESH_WINDOW_DAYS)
      throw new Error(`${what} retention must be a whole number of days over ${AGGREGATE_REFRESH_WINDOW_DAYS} (the aggregate's refresh window), got ${days}`);
    out.push(`select add_retention_policy('${relation}', drop_after => interval '${days} days')`);
  };
  set('positions', r.positionsDays, 'positions');
  set('positions_1m', r.trackPointsDays, 'track points');
  return out;
}
