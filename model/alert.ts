import type { AlertId, FleetId, VesselId } from './ids.js';

/** Alert kinds; docs/CONTRACTS.md requires at least `collision` and `route-deviation`. */
export type AlertKind = 'collision' | 'route-deviation' | 'fleet-straggler' | 'fleet-proximity' | 'signal-lost' | 'zone' | (string & {});
export type AlertSeverity = 'info' | 'warning' | 'danger';
export type AlertState = 'raised' | 'acknowledged' | 'assigned' | 'resolved';

export interface Alert {
  readonly id: AlertId;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly vesselIds: readonly VesselId[];
  readonly fleetId?: FleetId;
  readonly raisedAtMs: number;
  readonly updatedAtMs: number;
  readonly assignee?: string;
  /** Rule-specific figures, e.g. `{cpaNm, tcpaMin}` for a collision. */
  readonly details: Readonly<Record<string, unknown>>;
}

export type AlertAction = 'raise' | 'update' | 'acknowledge' | 'assign' | 'resolve';

/** One change in an alert's life; the store keeps every one (full-chain supervision). */
export interface AlertChange {
  readonly alertId: AlertId;
  /** Monotonic per alert, from 1: the idempotency key with alertId. */
  readonly seq: number;
  readonly action: AlertAction;
  readonly atMs: number;
  /** Who did it: `system` for rules, else the officer's id. */
  readonly actor: string;
  readonly note?: string;
  /** The alert as it is after this change. */
  readonly alert: Alert;
}
