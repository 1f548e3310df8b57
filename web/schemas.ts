/**
 * JSON schemas of every HTTP request (TypeBox; the one home of the schema library). Fastify
 * validates requests with them (Ajv), the handlers are typed from them, and the OpenAPI document
 * (`/api/openapi.json`) is generated from them. Wire shapes stay typed in protocol.ts.
 *
 * Parameters arrive as text and stay text in the schema: a pattern refuses what cannot be one
 * (`limit=1e3`, a repeated parameter, a control character), the handler turns the text into
 * numbers and times with range and calendar checks. `x-code` names the stable error code a
 * refusal of that field answers with (default `http.bad_param`; `http.bad_body` for bodies).
 */
import { Type, type Static } from 'typebox';
import { ALERT_IDS_MAX } from './protocol.js';

/** `limit` of `/api/vessels` when absent, and the most one call may ask for. */
export const VESSEL_PAGE_DEFAULT = 1_000;
export const VESSEL_PAGE_MAX = 10_000;
/** `limit` of `/api/alerts` when absent, and the most one call may ask for. */
export const ALERT_PAGE_DEFAULT = 500;
export const ALERT_PAGE_MAX = 5_000;

/** The most a request body may hold (alert actions, routes). */
export const MAX_BODY_BYTES = 64 * 1024;

/** No control characters (no id holds one, and PostgreSQL's text refuses NUL). Empty means absent. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]*$';

const text = (description: string) => Type.String({ pattern: PRINTABLE, description });
const whole = (description: string) => Type.String({ pattern: '^(\\d{1,16})?$', description });
/** Checked by the handler against the calendar (parseTime): its refusal is `http.bad_time`. */
const time = (description: string) => Type.String({ description: `${description}: ISO-8601 (no zone: UTC) or epoch ms`, 'x-code': 'http.bad_time' });

export const VesselIdParams = Type.Object({ vesselId: text('MMSI (9 digits) or bd{cardId}') });
export const FleetIdParams = Type.Object({ fleetId: text('fleet group id') });
export const AlertIdParams = Type.Object({ id: text('alert id') });
/** `/api/vessels/{id}/route` and `/api/fleets/{id}/route`. */
export const RouteOwnerParams = Type.Object({ id: text('the vessel id (MMSI or bd{cardId}) or the fleet id') });

export const VesselsQuery = Type.Object({
  limit: Type.Optional(whole(`a whole number from 1 to ${VESSEL_PAGE_MAX} (default ${VESSEL_PAGE_DEFAULT})`)),
  after: Type.Optional(Type.String({ pattern: '^(\\d{1,15})?$', description: "the cursor of a previous page's next link" })),
  bbox: Type.Optional(Type.String({ pattern: '^[-0-9., ]*$', description: 'minLon,minLat,maxLon,maxLat in degrees, min ≤ max' })),
  fleetId: Type.Optional(text('only this fleet')),
  gridId: Type.Optional(text('only vessels in this grid (any layer)')),
});

export const TrackQuery = Type.Object({
  from: Type.Optional(time('start (default: 24 h before to)')),
  to: Type.Optional(time('end (default: now)')),
  maxPoints: Type.Optional(whole('downsample to at most this many points (2 up to the store cap)')),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('gpx'), Type.Literal('kml'), Type.Literal('csv'), Type.Literal('geojson'), Type.Literal('')], { description: 'json (default), or a file: gpx, kml, csv, geojson' }),
  ),
});

/** `GET /api/evidence`: an area pack; the handler bounds the area and window (`http.bad_window`). */
export const EvidenceQuery = Type.Object({
  bbox: Type.String({ pattern: '^[-0-9., ]*$', description: 'minLon,minLat,maxLon,maxLat in degrees, at most 1° each way', 'x-code': 'http.bad_window' }),
  from: time('start of the window'),
  to: time('end of the window (at most 6 h after from)'),
});

export const GridEventsQuery = Type.Object({
  vesselId: Type.Optional(text('only this vessel')),
  gridId: Type.Optional(text('only this grid')),
  from: Type.Optional(time('start')),
  to: Type.Optional(time('end')),
  limit: Type.Optional(whole('a whole number from 1')),
});

export const AlertsQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('all'), Type.Literal('')], { description: 'open (default: not resolved) or all' })),
  kind: Type.Optional(text('only this alert kind')),
  fleetId: Type.Optional(text('only alerts concerning this fleet')),
  vesselId: Type.Optional(text('only alerts concerning this vessel')),
  limit: Type.Optional(whole(`a whole number from 1 to ${ALERT_PAGE_MAX} (default ${ALERT_PAGE_DEFAULT}); more: the X-Truncated header says so`)),
});

export const SupervisionQuery = Type.Object({
  from: time('start of the window (alerts raised from then)'),
  to: Type.Optional(time('end of the window (default now)')),
  by: Type.Optional(Type.Union([Type.Literal('grid'), Type.Literal('fleet')], { description: 'group by grid (default) or by fleet' })),
});

/** `GET /api/reports`: the handler checks the day against the calendar (`http.bad_time`) and days' range (`http.bad_param`). */
export const ReportsQuery = Type.Object({
  day: time('the first Beijing calendar day, YYYY-MM-DD'),
  days: Type.Optional(whole('how many days from it, 1 to 31 (default 1)')),
  by: Type.Optional(Type.Union([Type.Literal('grid'), Type.Literal('fleet'), Type.Literal('')], { description: 'rows by grid (default) or by fleet' })),
  fleetId: Type.Optional(text("only this fleet's vessels and alerts")),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('')], { description: 'json (default) or csv' })),
});

/** `GET /api/replay`: exactly one of vessels, fleetId, gridId (the handler checks, `http.bad_param`). */
export const ReplayQuery = Type.Object({
  from: time('start of the window'),
  to: time('end of the window (after from, at most 24 h after it)'),
  vessels: Type.Optional(text('vessel ids (MMSI or bd{cardId}), comma-separated, at most 2,000')),
  fleetId: Type.Optional(text("a fleet's members (registry)")),
  gridId: Type.Optional(text('vessels in the grid at the start or crossing its edge in the window')),
});

export const PictureQuery = Type.Object({
  at: time('the moment'),
  fleetId: Type.Optional(text('only this fleet')),
  gridId: Type.Optional(text('only this grid')),
});

/** A NUL or an unpaired surrogate is text PostgreSQL cannot keep (Ajv matches patterns in unicode mode). */
const STORABLE = '^[^\\u0000\\ud800-\\udfff]*$';

export const AlertActionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ pattern: STORABLE, description: 'free text kept in the history' })),
    assignee: Type.Optional(Type.String({ pattern: STORABLE, description: "assign: a person's id or team:{gridId}" })),
  },
  { additionalProperties: false, description: 'at most 64 KiB of JSON; an empty body is {}' },
);

export const ResolveClearedBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2_000, pattern: STORABLE, description: 'free text kept in each alert’s history (copied into every one: at most 2,000 characters)' })),
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: STORABLE, description: 'only alerts of this kind' })),
    fleetId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: STORABLE, description: 'only alerts that concern this fleet' })),
    ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: STORABLE }), { minItems: 1, maxItems: ALERT_IDS_MAX, description: 'only these alerts (the ones a console lists); otherwise every cleared alert in scope' })),
  },
  { additionalProperties: false, description: 'at most 64 KiB of JSON; an empty body is {}' },
);

export const DispatchBody = Type.Object(
  {
    vesselIds: Type.Array(Type.String({ minLength: 1, maxLength: 32, pattern: STORABLE }), { minItems: 1, maxItems: 20, description: 'the vessels sent to help' }),
    note: Type.Optional(Type.String({ pattern: STORABLE, description: 'free text kept in the history' })),
  },
  { additionalProperties: false },
);
export type DispatchBodyInput = Static<typeof DispatchBody>;

export const RouteBody = Type.Unknown({
  description: 'a GeoJSON LineString (or a Feature of one) with corridorHalfWidthNm in (0, 50] nm; 2–10,000 [lon, lat] positions, no two consecutive equal',
});

export type VesselIdParams = Static<typeof VesselIdParams>;
export type AlertActionBodyInput = Static<typeof AlertActionBody>;

/*
 * Responses (protocol.ts's wire shapes, for the OpenAPI document). The handlers send JSON text they
 * have already encoded, which fastify passes through as is: these schemas describe the answers,
 * they do not filter them (a field added to protocol.ts and not here still goes out).
 */
const nString = (description?: string) => Type.Union([Type.String(), Type.Null()], description === undefined ? {} : { description });
const nNumber = (description?: string) => Type.Union([Type.Number(), Type.Null()], description === undefined ? {} : { description });
const strings = (description?: string) => Type.Array(Type.String(), description === undefined ? {} : { description });
const isoTime = (description: string) => Type.String({ description: `${description} (ISO-8601 UTC)` });
const source = Type.Union([Type.Literal('ais'), Type.Literal('beidou')], { description: 'the source of the last fix' });

export const ApiErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String({ description: 'a stable code (protocol.ts API_ERROR_CODES)' }), message: Type.String(), requestId: Type.String({ description: 'also the x-request-id header' }) }) },
  { description: 'every error answer' },
);

const VesselGrids = Type.Object({
  static: strings(), control: strings(), patrol: strings(), fishingZone: nString('渔区 number'), fleet: nString(), h3: nString(),
  zones: strings('no-fishing, moratorium (while in force), agreement zones, anchorages'),
});

const vesselFields = {
  vesselId: Type.String({ description: 'MMSI or bd{cardId}' }), mmsi: nNumber(), beidouCard: nString(), name: nString(), shipType: nNumber(), fleetId: nString(),
  lat: Type.Number(), lon: Type.Number(), sogKn: nNumber(), cogDeg: nNumber(), headingDeg: nNumber(), at: isoTime('time of the last fix'), source, grids: VesselGrids,
};
export const VesselResponse = Type.Object(vesselFields, { description: 'a vessel in the live picture' });
export const VesselListResponse = Type.Array(VesselResponse);

export const VesselFileResponse = Type.Object(
  {
    ...vesselFields,
    registryNo: nString(), gear: nString(), lengthM: nNumber(), homePort: nString(), owner: nString(), ownerPhone: nString(),
    liaison: nString('the official in charge of the vessel (定人联船)'), liaisonPhone: nString(), callsign: nString(),
    lastAisAt: nString(), lastBeidouAt: nString(), fleetLeader: nString("the vessel id of its fleet's leader (registry)"),
  },
  { description: 'the vessel file (一船一档) and its live state' },
);

export const TrackPointResponse = Type.Object({ at: isoTime('fix time'), lat: Type.Number(), lon: Type.Number(), sogKn: nNumber(), cogDeg: nNumber(), source });
export const TrackResponse = Type.Array(TrackPointResponse);

export const GridsResponse = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        properties: Type.Object({
          id: Type.String(), layer: Type.String({ description: 'static, control, patrol or zone' }), kind: Type.String(), name_zh: Type.String(), name_en: Type.Optional(nString()),
          occupancy: Type.Number({ description: 'vessels in the grid now' }),
          inForce: Type.Optional(Type.Unknown({ description: "a moratorium's period: start, end (MM-DDTHH:MM±HH:MM or ISO) and recurrence (yearly/once)" })),
          inForceNow: Type.Boolean({ description: 'whether the zone applies now (always true without a period): the zone rule judges membership the same way' }),
        }, { additionalProperties: true }),
        geometry: Type.Unknown({ description: 'GeoJSON geometry, [lon, lat]' }),
      }),
    ),
  },
  { description: 'GeoJSON of the sea grids' },
);

export const GridEventsResponse = Type.Array(
  Type.Object({ vesselId: Type.String(), layer: Type.String(), gridId: Type.String(), kind: Type.Union([Type.Literal('enter'), Type.Literal('exit')]), at: isoTime('crossing time'), lat: Type.Number(), lon: Type.Number() }),
);

export const FleetResponse = Type.Object(
  {
    fleetId: Type.String(), leader: nString("the leading vessel's id (registry), null when the fleet has none"), members: strings(), located: Type.Number({ description: 'members with a current position' }),
    centroid: Type.Union([Type.Object({ lat: Type.Number(), lon: Type.Number() }), Type.Null()]), spreadNm: nNumber(),
    outside: strings('stragglers: beyond stragglerRadiusNm of the centroid'), stragglerRadiusNm: Type.Number(), stale: strings('members whose last fix is too old'), missing: strings('members never heard'),
    cells: strings('H3 cells of the footprint'), footprint: Type.Unknown({ description: 'GeoJSON MultiPolygon' }), at: nString(),
  },
  { description: 'a mobile fleet grid (编组)' },
);
export const FleetListResponse = Type.Array(FleetResponse);

const alertFields = {
  id: Type.String(), kind: Type.String(), severity: Type.String({ description: 'danger, warning or info' }),
  state: Type.Union([Type.Literal('raised'), Type.Literal('acknowledged'), Type.Literal('assigned'), Type.Literal('resolved')]),
  vesselIds: strings(), fleetId: nString(), raisedAt: isoTime('raised'), updatedAt: isoTime('last change'), assignee: nString(),
  details: Type.Record(Type.String(), Type.Unknown(), { description: "the rule's figures (collision: cpaNm, tcpaMin, meetingPoint …)" }),
  fleetIds: strings(), cleared: Type.Boolean({ description: 'the condition no longer holds' }), seq: nNumber('seq of the change the alert is as of'),
  responders: Type.Array(
    Type.Object({ vesselId: Type.String(), dispatchedAt: isoTime('dispatched'), by: Type.String({ description: 'the officer who sent it' }), arrivedAt: nString('within 0.5 nm of the scene (ISO-8601 UTC); null while on its way') }),
    { description: 'vessels dispatched to help (快响指挥), in dispatch order' },
  ),
};
export const AlertResponse = Type.Object(alertFields);
export const AlertListResponse = Type.Array(AlertResponse);
const AlertChange = Type.Object({ alertId: Type.String(), seq: Type.Number(), action: Type.String(), at: isoTime('change time'), actor: Type.String(), note: nString(), alert: AlertResponse });
export const AlertHistoryResponse = Type.Array(AlertChange);
export const AlertFileResponse = Type.Object({ ...alertFields, history: Type.Array(AlertChange) }, { description: 'the alert now and every change, by seq' });

export const ResolveClearedResponse = Type.Object({
  resolved: Type.Array(Type.String(), { description: 'the alerts resolved by this request' }),
  skipped: Type.Integer({ description: 'named or listed, not resolved here: unknown, resolved meanwhile, the condition back, another kind or fleet, or not the asker’s to act on (all alike: existence is not confirmed)' }),
  truncated: Type.Boolean({ description: `more matched than one request resolves (${ALERT_IDS_MAX}): ask again` }),
});

export const RespondersResponse = Type.Array(
  Type.Object({
    vesselId: Type.String(), role: Type.Union([Type.Literal('patrol'), Type.Literal('fleet-mate'), Type.Literal('nearby')]),
    dispatched: Type.Boolean({ description: 'already sent and not yet there: listed whatever its rank; its distance is the closing distance' }), name: nString(), fleetId: nString(),
    distanceNm: Type.Number({ description: "from its last fix to the nearest of the alert's vessels" }), etaMin: Type.Number({ description: 'at its SOG, or what it makes under way if slower (patrol 18 kn, fishing 7 kn)' }),
    fixAgeS: Type.Number(),
  }),
  { description: 'who can help, soonest first (at most 20)' },
);

const stepS = (step: string) => nNumber(`seconds from the raise to ${step}; null: not yet`);
const medianS = (step: string) => nNumber(`median seconds from the raise to ${step}, over the alerts that reached it`);
export const SupervisionResponse = Type.Object({
  from: isoTime('window start'), to: isoTime('window end'), by: Type.Union([Type.Literal('grid'), Type.Literal('fleet')]), alerts: Type.Number({ description: 'alerts raised in the window' }),
  rows: Type.Array(Type.Object({
    id: Type.String({ description: 'grid or fleet id' }), alerts: Type.Number(), acknowledged: Type.Number(), dispatched: Type.Number(), resolved: Type.Number(),
    medianToAcknowledgeS: medianS("a person's first action"), medianToDispatchS: medianS('the first dispatch'), medianToArrivalS: medianS("the first responder's arrival"), medianToResolveS: medianS('the resolve'),
  })),
  perAlert: Type.Array(Type.Object({
    alertId: Type.String(), kind: Type.String(), severity: Type.String(), raisedAt: isoTime('raised'), fleetIds: strings(), gridIds: strings(),
    toAcknowledgeS: stepS("a person's first action"), toDispatchS: stepS('the first dispatch'), toArrivalS: stepS("the first responder's arrival"), toResolveS: stepS('the resolve'),
  }), { description: 'each alert raised in the window, newest first (at most 500)' }),
}, { description: 'full-chain supervision figures (全链监督)' });

const count = (description: string) => Type.Number({ description });
export const ReportsResponse = Type.Object({
  by: Type.Union([Type.Literal('grid'), Type.Literal('fleet')]), day: Type.String({ description: 'first Beijing day' }), days: Type.Number(),
  timeZone: Type.Literal('Asia/Shanghai'), fleetId: nString(),
  dayStates: Type.Array(Type.Object({ day: Type.String(), complete: Type.Boolean({ description: 'the day is over' }), stored: Type.Boolean({ description: 'read from the stored rollup' }) })),
  rows: Type.Array(Type.Object({
    day: Type.String({ description: 'Beijing calendar day' }), id: Type.String({ description: 'grid or fleet id' }),
    vessels: count('vessels with a track point in it that day'), hoursAtSea: count('hours covered by track points (gaps capped at 10 min)'),
    distanceNm: count('great-circle steps between consecutive 1-minute track points, jumps over 60 kn dropped'), moratoriumHours: count('hours inside a moratorium zone in force'),
    alerts: count('alerts raised that day'), alertsByKind: Type.Record(Type.String(), Type.Number()), alertsBySeverity: Type.Record(Type.String(), Type.Number()),
    acknowledged: Type.Number(), dispatched: Type.Number(), resolved: Type.Number(),
    medianToAcknowledgeS: medianS("a person's first action"), medianToDispatchS: medianS('the first dispatch'), medianToArrivalS: medianS("the first responder's arrival"), medianToResolveS: medianS('the resolve'),
  })),
}, { description: 'reports per grid or fleet and Beijing day' });

export const RouteResponse = Type.Object({
  routeId: Type.String(), name: nString(), corridorHalfWidthNm: Type.Number(),
  line: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Tuple([Type.Number(), Type.Number()])) }),
});

export const PictureResponse = Type.Object({ at: isoTime('the moment'), vessels: Type.Array(Type.Object({ vesselId: Type.String(), ...TrackPointResponse.properties })) });

const ReplayStep = Type.Object({
  seq: Type.Number(), action: Type.String(), at: isoTime('change time'), actor: Type.String(),
  state: Type.String({ description: 'after this change' }), severity: Type.String(), cleared: Type.Boolean(),
});
export const ReplayResponse = Type.Object(
  {
    from: isoTime('window start'), to: isoTime('window end'),
    toleranceM: Type.Number({ description: 'every dropped fix lies within this of the kept track at its own time (while the point budget lasts)' }),
    vessels: Type.Array(Type.Object({
      vesselId: Type.String(), name: nString(), fleetId: nString(), fixes: Type.Number({ description: 'fixes stored in the window' }),
      t: Type.Array(Type.Number(), { description: 'kept fix times, epoch ms, ascending' }), lat: Type.Array(Type.Number()), lon: Type.Array(Type.Number()),
      sogKn: Type.Array(nNumber()), cogDeg: Type.Array(nNumber()),
    }), { description: 'tracks downsampled keeping turns, by vessel id' }),
    vesselsCut: Type.Integer({ minimum: 0, description: 'vessels named or in the grid beyond the 2,000 one replay plays (the first by id are played); 0: none' }),
    alerts: Type.Array(Type.Object({ alert: AlertResponse, history: Type.Array(ReplayStep) }), { description: 'alerts open at some moment of the window, as at its end, with their changes up to then' }),
    gridEvents: GridEventsResponse,
    gridEventsCut: Type.Boolean({ description: 'more grid events than one answer carries (20,000)' }),
  },
  { description: 'a voyage replay' },
);

export const HealthResponse = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]) }, { additionalProperties: true, description: 'each part of the service and its state' });

/**
 * Each route's success answer (route URL → schema; alert actions and routes share theirs).
 * web/server.ts attaches them, with ApiErrorResponse for every error status, as routes are added.
 */
export const RESPONSES: Readonly<Record<string, { readonly status: number; readonly schema: unknown }>> = {
  '/health': { status: 200, schema: HealthResponse },
  '/api/vessels': { status: 200, schema: VesselListResponse },
  '/api/vessels/:vesselId': { status: 200, schema: VesselFileResponse },
  '/api/vessels/:vesselId/track': { status: 200, schema: TrackResponse },
  '/api/grids': { status: 200, schema: GridsResponse },
  '/api/grid-events': { status: 200, schema: GridEventsResponse },
  '/api/fleets': { status: 200, schema: FleetListResponse },
  '/api/fleets/:fleetId': { status: 200, schema: FleetResponse },
  '/api/alerts': { status: 200, schema: AlertListResponse },
  '/api/alerts/:id': { status: 200, schema: AlertFileResponse },
  '/api/alerts/:id/history': { status: 200, schema: AlertHistoryResponse },
  '/api/alerts/:id/acknowledge': { status: 200, schema: AlertFileResponse },
  '/api/alerts/:id/assign': { status: 200, schema: AlertFileResponse },
  '/api/alerts/:id/resolve': { status: 200, schema: AlertFileResponse },
  '/api/alerts/:id/dispatch': { status: 200, schema: AlertFileResponse },
  '/api/alerts/resolve-cleared': { status: 200, schema: ResolveClearedResponse },
  '/api/alerts/:id/responders': { status: 200, schema: RespondersResponse },
  '/api/vessels/:id/route': { status: 200, schema: RouteResponse },
  '/api/fleets/:id/route': { status: 200, schema: RouteResponse },
  '/api/picture': { status: 200, schema: PictureResponse },
  '/api/replay': { status: 200, schema: ReplayResponse },
  '/api/supervision': { status: 200, schema: SupervisionResponse },
  '/api/reports': { status: 200, schema: ReportsResponse },
};
