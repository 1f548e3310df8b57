import type { AlertId, FleetId, VesselId } from './ids.js';

/** Alert kinds; docs/CONTRACTS.md requires at least `collision` and `route-deviation`. */
export type AlertKind = 'collision' | 'route-deviation' | 'fleet-straggler' | 'fleet-proximity' | 'signal-lost' | 'zone' | (string & {});

/** The kinds the rules raise. */
export const ALERT_KINDS = ['collision', 'route-deviation', 'fleet-straggler', 'fleet-proximity', 'signal-lost', 'zone'] as const;
export type AlertSeverity = 'info' | 'warning' | 'danger';
export type AlertState = 'raised' | 'acknowledged' | 'assigned' | 'resolved';

export interface Alert {
  readonly id: AlertId;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly vesselIds: readonly VesselId[];
  /** The first of `fleetIds`, for readers of the first alert shape. */
  readonly fleetId?: FleetId;
  /** Every fleet the alert concerns, so each fleet's leader receives it (issue 12 §4). */
  readonly fleetIds?: readonly FleetId[];
  /** The condition the alert is about (the rule's signal key, e.g. `collision:412000001|412000002`): a restarted lifecycle matches signals to open alerts by it. */
  readonly key?: string;
  /** The condition no longer holds; the alert stays open until a person resolves it (event-based, as VTS systems do). */
  readonly cleared?: boolean;
  /** Seq of the change this alert is as of (equal to that change's `seq`): a restarted lifecycle continues from it, a client drops an older copy. */
  readonly seq?: number;
  readonly raisedAtMs: number;
  readonly updatedAtMs: number;
  /** A person's id, or a grid team as `team:{gridId}`. */
  readonly assignee?: string;
  /** Rule-specific figures, e.g. `{cpaNm, tcpaMin}` for a collision. */
  readonly details: Readonly<Record<string, unknown>>;
  /** Vessels dispatched to help (快响指挥), in dispatch order; absent: none. */
  readonly responders?: readonly AlertResponder[];
}

/** A vessel sent to an alert's scene by an officer, and when it got there. */
export interface AlertResponder {
  readonly vesselId: VesselId;
  readonly dispatchedAtMs: number;
  /** The officer who sent it. */
  readonly by: string;
  /** Fix time at which it came within the arrival radius of the scene; absent: still on its way. */
  readonly arrivedAtMs?: number;
}

/** `dispatch`: an officer sends responders; `arrive`: the system saw one reach the scene. */
export type AlertAction = 'raise' | 'update' | 'acknowledge' | 'assign' | 'resolve' | 'dispatch' | 'arrive';

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
