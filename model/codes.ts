/**
 * The closed set of reasons wire data is rejected. Each code is a metric label
 * (`seagrid_rejected_total{code=…}`) and the `code` of a `seagrid decode` stderr line, so
 * codes are never renamed, only added.
 */
export const REJECT_CODES = {
  'nmea.empty': 'blank line or only whitespace',
  'nmea.format': 'not an NMEA 0183 sentence (no !/$ start, no *hh, bad address field)',
  'nmea.checksum': 'sentence checksum does not match its content',
  'nmea.tag_format': 'NMEA 4 tag block is malformed',
  'nmea.tag_checksum': 'NMEA 4 tag block checksum does not match',
  'ais.format': 'AIVDM/AIVDO field layout is wrong (fragment count/number, channel, fill bits)',
  'ais.armour': 'payload holds a character outside the AIS 6-bit alphabet',
  'ais.empty_payload': 'sentence carries no payload',
  'ais.short_payload': 'payload has fewer bits than its message type needs',
  'ais.bad_type': 'message type is 0 or above 27',
  'ais.bad_part': 'type 24 part number is 2 or 3 (only A = 0 and B = 1 exist)',
  'ais.fragment_orphan': 'a later fragment arrived with no first fragment pending',
  'ais.fragment_mismatch': 'fragment does not fit the message pending under its key',
  'ais.fragment_timeout': 'a multipart message was not completed within its time to live',
  'ais.fragment_evicted': 'a pending multipart message was dropped to keep the buffer bounded',
  'ais.fragment_ambiguous': 'a fragment fits more than one pending message (tag blocks differ only by presence): it and they are rejected, not joined by guess',
  'ais.type24_orphan': 'a type 24 part B arrived with no part A for its MMSI',
  'mqtt.topic': 'an MQTT message on a topic that is neither ais/raw/{receiver} nor beidou/raw/{card}',
  'beidou.format': 'BeiDou/GNSS sentence field layout is wrong',
  'beidou.no_fix': 'receiver reports no valid fix (status V or mode N)',
  'beidou.field': 'a time, date or coordinate field does not parse',
  'beidou.no_card': 'a GNSS fix names no BeiDou card (neither the topic nor the tag block s:) or an unusable one',
  'ais.no_position': 'AIS position report without a position (lat/lon not available, or 0,0: no GNSS fix)',
  'ais.position_range': 'AIS position outside ±90° latitude / ±180° longitude',
  'ais.mmsi': 'AIS report from MMSI 0 or an MMSI of more than nine digits (ITU-R M.585): no station, the report is refused',
  'ais.field_range': 'AIS COG or heading outside its ITU-R M.1371 range (COG ≥ 360°, heading 360–510): that field is made not available, the fix is kept',
  'ais.fix_time': 'AIS tag-block time before the plausible floor (2000-01-01) or older than the configured age at receipt: receipt time used, the fix is kept',
  'beidou.field_range': 'GNSS speed above 102.2 kn (the top of the AIS scale; no vessel here is faster): made not available, the fix is kept',
  'beidou.fix_time': 'GNSS fix dated before the plausible floor (GPS week rollover, unset clock) or older than the configured age at receipt: its time of day is placed on the day nearest its receipt, the fix is kept',
  'track.implausible_jump': 'fix implies a speed above the jump limit from the last accepted fix of the vessel',
  'track.future_time': 'fix time is later than its receipt by more than the allowed clock skew',
  'track.invalid': 'position report with a non-finite time or coordinates out of range',
  'track.vessel_limit': 'a new vessel was not created: the live picture holds its maximum number of vessels',
  'registry.invalid': 'the registry file has problems; each is listed with its row and field',
  'registry.format': 'registry text is not valid CSV/JSON, or its header/columns are wrong',
  'registry.required': 'a required registry field is empty',
  'registry.field': 'a registry field value is malformed (MMSI digits, phone, number …)',
  'registry.identity': 'vesselId does not follow the MMSI / bd{card} rule, or the vessel has neither',
  'registry.duplicate': 'MMSI, BeiDou card or vesselId already used by another registry row',
  'grid.json': 'a grid file is not valid JSON or cannot be read',
  'grid.not_collection': 'a grid document is not a GeoJSON FeatureCollection with a features array',
  'grid.feature': 'an entry of a grid file\'s features is not a GeoJSON Feature with properties and geometry',
  'grid.id_missing': 'a grid feature has no non-empty string properties.id',
  'grid.id_duplicate': 'a grid feature id is used by an earlier feature (in this or an earlier file)',
  'grid.kind_unknown': 'a grid feature\'s properties.kind is missing or not a known grid kind',
  'grid.name_missing': 'a grid feature\'s properties.name_zh is missing or empty',
  'grid.geometry_type': 'a grid feature\'s geometry type does not fit its kind (areas: Polygon/MultiPolygon; lines: LineString)',
  'grid.ring_short': 'a grid polygon ring has fewer than 4 positions (or a line fewer than 2)',
  'grid.ring_unclosed': 'a grid polygon ring does not end at its first position',
  'grid.coord_range': 'a grid position is not [lon, lat] numbers within ±180 / ±90',
  'grid.date': 'a grid\'s start/end is malformed, names an impossible date, is given without the other, or end equals start',
  'input.unreadable': 'seagrid decode could not read an input file (missing, a directory, a .gz that does not inflate): the files around it are still decoded, exit status 2',
  'store.receiver_text': 'a receiver id held characters PostgreSQL text cannot store (NUL, a lone surrogate): each became U+FFFD, the fix is stored',
  'store.unstorable_text': 'a vessel id, BeiDou card or grid event text held characters PostgreSQL cannot store (NUL, a lone surrogate): the row is not stored',
  'store.row_refused': 'the database refused this row\'s values (a data error, isolated from its batch): the row is not stored',
} as const;

export type RejectCode = keyof typeof REJECT_CODES;

export function isRejectCode(s: string): s is RejectCode {
  return Object.prototype.hasOwnProperty.call(REJECT_CODES, s);
}
