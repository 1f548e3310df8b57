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

/** `limit` of `/api/vessels` when absent, and the most one call may ask for. */
export const VESSEL_PAGE_DEFAULT = 1_000;
export const VESSEL_PAGE_MAX = 10_000;

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

export const RouteBody = Type.Unknown({
  description: 'a GeoJSON LineString (or a Feature of one) with corridorHalfWidthNm in (0, 50] nm; 2–10,000 [lon, lat] positions, no two consecutive equal',
});

export type VesselIdParams = Static<typeof VesselIdParams>;
export type AlertActionBodyInput = Static<typeof AlertActionBody>;
