/**
 * Shapes of every HTTP/WS message (docs/CONTRACTS.md), shared by the server and the map client.
 * Times are ISO-8601 UTC strings on the wire.
 */
export interface VesselGridsView {
  readonly static: readonly string[];
  readonly control: readonly string[];
  readonly patrol: readonly string[];
  readonly fishingZone: string | null;
  readonly fleet: string | null;
  readonly h3: string | null;
  /** No-fishing, moratorium (while in force), agreement zones, anchorages. */
  readonly zones: readonly string[];
}

export interface VesselView {
  readonly vesselId: string;
  readonly mmsi: number | null;
  readonly beidouCard: string | null;
  readonly name: string | null;
  readonly shipType: number | null;
  readonly fleetId: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn: number | null;
  readonly cogDeg: number | null;
  readonly headingDeg: number | null;
  readonly at: string;
  readonly source: 'ais' | 'beidou';
  readonly grids: VesselGridsView;
}

/** The vessel file (一船一档) fields added by `GET /api/vessels/{vesselId}`. */
export interface VesselFileView extends VesselView {
  readonly registryNo: string | null;
  readonly gear: string | null;
  readonly lengthM: number | null;
  readonly homePort: string | null;
  readonly owner: string | null;
  readonly ownerPhone: string | null;
  readonly liaison: string | null;
  readonly liaisonPhone: string | null;
  readonly callsign: string | null;
  readonly lastAisAt: string | null;
  readonly lastBeidouAt: string | null;
  /** The vessel id of its fleet's leader (registry); null without a fleet or a named leader. */
  readonly fleetLeader: string | null;
}

export interface TrackPointView {
  readonly at: string;
  readonly lat: number;
  readonly lon: number;
  readonly sogKn: number | null;
  readonly cogDeg: number | null;
  readonly source: 'ais' | 'beidou';
}

/**
 * Stable codes of HTTP API errors (never renamed, only added). Every error answer of every route
 * is `ApiErrorView`; a 500 carries only `http.internal` and the request id (the detail is logged).
 */
export const API_ERROR_CODES = {
  'http.bad_uri': 'the path or query holds malformed percent-encoding or text that is not UTF-8',
  'http.bad_param': 'a path or query parameter is malformed, out of range, or holds a control character (NUL …)',
  'http.bad_time': 'a time is neither strict ISO-8601 (a real calendar date and clock time) nor epoch milliseconds',
  'http.not_found': 'no such route, vessel, fleet or alert',
  'http.method': 'the method is not served on this path (GET and HEAD; POST on the alert actions)',
  'http.busy': 'the store is saturated by other reads; retry after the Retry-After seconds',
  'http.internal': 'an internal failure; the service log has the detail under the request id',
  'http.bad_json': 'the request body is not JSON',
  'http.bad_body': 'the JSON body is not an object of the route\'s fields (an unknown field, a wrong type, an empty assignee, a NUL or lone surrogate in text)',
  'http.too_large': 'the request body is over 64 KiB',
  'http.conflict': 'the alert\'s state does not allow the action (resolve twice, assign or acknowledge a resolved alert, acknowledge twice)',
  'http.bad_route': 'a planned route is not a GeoJSON LineString (or a Feature of one) with 2–10,000 valid [lon, lat] positions, no two consecutive equal, and corridorHalfWidthNm in (0, 50]; the message names the fault (a route.* reject code)',
  'http.forbidden': 'the signed-in role may not do this (an analyst\'s or fleet leader\'s write, a non-admin on users or the audit); with no users, a write from outside the loopback interface',
  'http.unauthorized': 'sign-in required: no session cookie or bearer token, or one that expired, was signed out or is not ours; or a sign-in with a wrong username or password',
  'http.too_many': 'too many failed sign-ins for this username or from this address; retry after the Retry-After seconds',
  'http.bad_window': 'an evidence pack asked for an area or time window beyond its bounds (at most 6 h and 1° × 1°, to after from, a bbox given) or holding more fixes than one pack may (1,000,000)',
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export interface ApiErrorView {
  readonly error: {
    readonly code: ApiErrorCode;
    /** For a person; never internal error text. */
    readonly message: string;
    /** Also the `x-request-id` header of every answer: the key to the service log. */
    readonly requestId: string;
  };
}

export interface HealthView {
  readonly status: 'ok' | 'degraded';
  readonly [part: string]: unknown;
}

/** A vessel crossing a grid boundary (the handover between grid teams). */
export interface GridEventView {
  readonly vesselId: string;
  readonly layer: string;
  readonly gridId: string;
  readonly kind: 'enter' | 'exit';
  readonly at: string;
  readonly lat: number;
  readonly lon: number;
}

/** A mobile fleet grid (编组) as `GET /api/fleets` returns it. */
export interface FleetView {
  readonly fleetId: string;
  /** The vessel id of the fleet's leader (编组长船, from the registry); null when the registry names none. */
  readonly leader: string | null;
  readonly members: readonly string[];
  /** Members with a current position. */
  readonly located: number;
  readonly centroid: { readonly lat: number; readonly lon: number } | null;
  readonly spreadNm: number | null;
  /** Members farther from the centroid than the fleet's straggler radius. */
  readonly outside: readonly string[];
  /** The distance from the centroid beyond which a member is outside, nm. */
  readonly stragglerRadiusNm: number;
  /** Members whose last position is too old. */
  readonly stale: readonly string[];
  /** Members never heard. */
  readonly missing: readonly string[];
  readonly cells: readonly string[];
  /** GeoJSON MultiPolygon of the fleet's current footprint. */
  readonly footprint: unknown;
  readonly at: string | null;
}

export interface AlertView {
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly state: 'raised' | 'acknowledged' | 'assigned' | 'resolved';
  readonly vesselIds: readonly string[];
  readonly fleetId: string | null;
  readonly raisedAt: string;
  readonly updatedAt: string;
  readonly assignee: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  /** Every fleet the alert concerns (`fleetId` is the first). */
  readonly fleetIds: readonly string[];
  /** The condition no longer holds; the alert stays open until resolved. */
  readonly cleared: boolean;
  /** Seq of the change the alert is as of: a client keeps the copy with the highest. */
  readonly seq: number | null;
  /** Vessels dispatched to help (快响指挥), in dispatch order; `arrivedAt` null while on the way. */
  readonly responders: readonly AlertResponderView[];
}

/** A vessel sent to help with an alert. */
export interface AlertResponderView {
  readonly vesselId: string;
  readonly dispatchedAt: string;
  /** The officer who sent it. */
  readonly by: string;
  /** When it came within 0.5 nm of the scene; null while on its way. */
  readonly arrivedAt: string | null;
}

/** `GET /api/alerts/{id}/responders`: who can help, soonest first. */
export interface ResponderView {
  readonly vesselId: string;
  readonly role: 'patrol' | 'fleet-mate' | 'nearby';
  /** Already sent and not yet there: listed whatever its rank, its distance the closing distance. */
  readonly dispatched: boolean;
  readonly name: string | null;
  readonly fleetId: string | null;
  /** From its last fix to the nearest of the alert's vessels. */
  readonly distanceNm: number;
  /** At its SOG, or what it makes under way if slower. */
  readonly etaMin: number;
  readonly fixAgeS: number;
}

/** Body of `POST /api/alerts/{id}/dispatch` (快响指挥). */
export interface DispatchBody {
  readonly vesselIds: readonly string[];
  readonly note?: string;
}

/** `GET /api/alerts/{id}` and the answer of an alert action: the alert now and every change, by seq. */
export interface AlertFileView extends AlertView {
  readonly history: readonly AlertChangeView[];
}

/** Body of `POST /api/alerts/{id}/acknowledge|assign|resolve` (at most 64 KiB of JSON; empty is `{}`). */
export interface AlertActionBody {
  readonly note?: string;
  /** Required by `assign`: a person's id, or a grid team as `team:{gridId}`. */
  readonly assignee?: string;
}

export type AlertActionName = 'acknowledge' | 'assign' | 'resolve';

/** Alerts one resolve-cleared request resolves: 1,000 ids (~35 KB of JSON) fit the 64 KiB body; a console sends more in turns. */
export const ALERT_IDS_MAX = 1_000;

/** Body of `POST /api/alerts/resolve-cleared`: which cleared alerts, and the note each resolve records. */
export interface ResolveClearedBody {
  readonly note?: string;
  readonly kind?: string;
  /** Only alerts that concern this fleet. */
  readonly fleetId?: string;
  /** Only these alerts (1–ALERT_IDS_MAX: the ones a console lists); otherwise every cleared alert in scope. */
  readonly ids?: readonly string[];
}

/** Answer of `POST /api/alerts/resolve-cleared`. */
export interface ResolveClearedView {
  /** The alerts this request resolved, each with its own history entry and audit line. */
  readonly resolved: readonly string[];
  /** Named or listed but not resolved here: resolved meanwhile, the condition came back, or (named) not cleared, another kind or fleet, not the asker's to act on. */
  readonly skipped: number;
  /** More cleared alerts matched than one request resolves (ALERT_IDS_MAX): ask again. */
  readonly truncated: boolean;
}

/** A planned route as `PUT`/`GET /api/vessels/{id}/route` and `/api/fleets/{id}/route` answer it. */
export interface PlannedRouteView {
  readonly routeId: string;
  readonly name: string | null;
  readonly corridorHalfWidthNm: number;
  /** GeoJSON: `[lon, lat]` positions. */
  readonly line: { readonly type: 'LineString'; readonly coordinates: readonly (readonly [number, number])[] };
}

export interface AlertChangeView {
  readonly alertId: string;
  readonly seq: number;
  readonly action: string;
  readonly at: string;
  readonly actor: string;
  readonly note: string | null;
  readonly alert: AlertView;
}

/** Where vessels were at one moment (`GET /api/picture?at=`), from the stored tracks. */
export interface PictureView {
  readonly at: string;
  readonly vessels: readonly (TrackPointView & { readonly vesselId: string })[];
}

/**
 * A voyage replay (`GET /api/replay`): each vessel's track over [from, to), downsampled keeping
 * turns (every dropped fix within `toleranceM` of the kept track at its own time, while the point
 * budget lasts), the alerts open at some moment of the window with their history, and grid
 * entries/exits. Track times are epoch ms (a day of a fleet is ~10⁵ points: ISO text would triple it).
 */
/** The longest window and the most vessels one replay plays. */
export const REPLAY_MAX_MS = 24 * 3_600_000;
export const REPLAY_MAX_VESSELS = 2_000;

export interface ReplayView {
  readonly from: string;
  readonly to: string;
  readonly toleranceM: number;
  readonly vessels: readonly ReplayTrackView[];
  /** Vessels the request named or the grid held beyond REPLAY_MAX_VESSELS, not played (the first by id are); 0: none. */
  readonly vesselsCut: number;
  readonly alerts: readonly ReplayAlertView[];
  readonly gridEvents: readonly GridEventView[];
  /** More grid events than one answer carries: the first ones are here. */
  readonly gridEventsCut: boolean;
}

export interface ReplayTrackView {
  readonly vesselId: string;
  readonly name: string | null;
  readonly fleetId: string | null;
  /** Fixes stored in the window (the arrays hold the kept ones). */
  readonly fixes: number;
  /** Epoch ms, ascending; the other arrays are parallel to it. */
  readonly t: readonly number[];
  readonly lat: readonly number[];
  readonly lon: readonly number[];
  readonly sogKn: readonly (number | null)[];
  readonly cogDeg: readonly (number | null)[];
}

/** An alert as it stood at the window's end, and each of its changes up to then (by seq). */
export interface ReplayAlertView {
  readonly alert: AlertView;
  readonly history: readonly ReplayStepView[];
}

export interface ReplayStepView {
  readonly seq: number;
  readonly action: string;
  readonly at: string;
  readonly actor: string;
  /** The alert's state, severity and cleared flag after this change. */
  readonly state: AlertView['state'];
  readonly severity: string;
  readonly cleared: boolean;
}

/*
 * WebSocket `/ws` (docs/CONTRACTS.md): JSON text frames. The server sends one `snapshot` on connect
 * (and again after each `subscribe`), then `delta`s coalesced to a few per second. A client keeps
 * its vessels by vesselId and its alerts by id, keeping the copy with the highest `seq`.
 */

/** Path of the push socket. */
export const WS_PATH = '/ws';

/** The most a client message may hold; a longer one closes the socket with WS_CLOSE.tooBig. */
export const WS_MAX_CLIENT_MESSAGE_BYTES = 4096;

/** How often, at most, deltas go out (ms): changes within one period are coalesced. */
export const WS_DELTA_PERIOD_MS = 250;

/**
 * Close codes the server uses (RFC 6455 §7.4; 4000–4999 are the application's). Only the socket
 * at fault is closed; every other client carries on.
 */
export const WS_CLOSE = {
  /** The server is stopping; reconnect later. */
  goingAway: 1001,
  /** A binary frame: the protocol is JSON text only. */
  unsupported: 1003,
  /** Text that is not one of the client messages below (not JSON, unknown type, bad bbox). */
  policy: 1008,
  /** A text message that is not UTF-8. */
  badText: 1007,
  /** A message over WS_MAX_CLIENT_MESSAGE_BYTES. */
  tooBig: 1009,
  /**
   * The client fell so far behind that its queue of alert changes overflowed: reconnect for a
   * fresh snapshot (no alert change is ever dropped silently).
   */
  resync: 4001,
} as const;

/** `[west, south, east, north]` in degrees, west ≤ east, south ≤ north. */
export type WsBbox = readonly [number, number, number, number];

/** Sent on connect and after each `subscribe`: replaces everything the client holds. */
export interface WsSnapshot {
  readonly type: 'snapshot';
  /** Server time of the picture. */
  readonly at: string;
  /** The viewport the vessels are restricted to; null: all vessels. */
  readonly bbox: WsBbox | null;
  /** Every live vessel (within bbox when subscribed). */
  readonly vessels: readonly VesselView[];
  /** Every open (not resolved) alert, whatever the bbox. */
  readonly alerts: readonly AlertView[];
}

/** What changed since the previous message to this client. */
export interface WsDelta {
  readonly type: 'delta';
  readonly at: string;
  /**
   * Vessels that moved or changed, latest state only (a slow client gets the newest state, not
   * every fix); within bbox when subscribed.
   */
  readonly vessels: readonly VesselView[];
  /** Vessel ids to drop: gone from the live picture, or moved out of the subscribed bbox. */
  readonly removed: readonly string[];
  /**
   * Every alert change, in order, none skipped (whatever the bbox). `change.alert` is the alert
   * after it; a `resolved` alert leaves the open set.
   */
  readonly alerts: readonly AlertChangeView[];
}

/** Answer to a client `ping`, echoing its `t`. */
export interface WsPong {
  readonly type: 'pong';
  readonly t: number | null;
  readonly at: string;
}

export type WsServerMessage = WsSnapshot | WsDelta | WsPong;

/** Restrict vessel deltas to a viewport (null: all); alerts always come. Answered by a snapshot (at most one a period). */
export interface WsSubscribe {
  readonly type: 'subscribe';
  readonly bbox: WsBbox | null;
}

/** Liveness check; `t` is echoed in the pong (e.g. the client's clock, for round-trip time). */
export interface WsPing {
  readonly type: 'ping';
  readonly t?: number;
}

export type WsClientMessage = WsSubscribe | WsPing;

/**
 * `GET /api/supervision` (全链监督): alerts raised in [from, to), grouped by the grid their first
 * vessel was in at the raise or by each fleet they concern; medians in seconds from the raise over
 * the alerts that reached the step (null: none did).
 */
export interface SupervisionView {
  readonly from: string;
  readonly to: string;
  readonly by: 'grid' | 'fleet';
  /** Alerts raised in the window (each counted once, whatever its groups). */
  readonly alerts: number;
  readonly rows: readonly {
    readonly id: string;
    readonly alerts: number;
    readonly acknowledged: number;
    readonly dispatched: number;
    readonly resolved: number;
    readonly medianToAcknowledgeS: number | null;
    readonly medianToDispatchS: number | null;
    readonly medianToArrivalS: number | null;
    readonly medianToResolveS: number | null;
  }[];
  /**
   * Each alert raised in the window, newest first, at most `SUPERVISION_ALERTS_MAX`: seconds from
   * its raise to each step, null while it has not happened.
   */
  readonly perAlert: readonly SupervisedAlertView[];
}

/** The most alerts `GET /api/supervision` lists one by one (the rows count them all). */
export const SUPERVISION_ALERTS_MAX = 500;

/** One alert's handling times (全链监督). */
export interface SupervisedAlertView {
  readonly alertId: string;
  readonly kind: string;
  readonly severity: string;
  readonly raisedAt: string;
  readonly fleetIds: readonly string[];
  readonly gridIds: readonly string[];
  readonly toAcknowledgeS: number | null;
  readonly toDispatchS: number | null;
  readonly toArrivalS: number | null;
  readonly toResolveS: number | null;
}
