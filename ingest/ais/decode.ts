import { asMmsi, ok, reject, type Result } from '../../model/index.js';
import { loadFragments, loadPayload, loadPayloadBytes, loadPayloadRange, ubits } from './bits.js';
import { AID_TO_NAVIGATION_MIN_BITS, decodeAidToNavigation } from './messages/aid-to-navigation.js';
import { BASE_STATION_MIN_BITS, decodeBaseStation } from './messages/base-station.js';
import { decodeLongRange, LONG_RANGE_MIN_BITS } from './messages/long-range.js';
import { decodePositionA, POSITION_A_MIN_BITS } from './messages/position-a.js';
import {
  decodePositionB,
  decodePositionBExtended,
  POSITION_B_EXTENDED_MIN_BITS,
  POSITION_B_MIN_BITS,
} from './messages/position-b.js';
import { decodeSarAircraft, SAR_AIRCRAFT_MIN_BITS } from './messages/sar-aircraft.js';
import {
  decodeStaticPartA,
  decodeStaticPartB,
  STATIC_PART_A_MIN_BITS,
  STATIC_PART_B_MIN_BITS,
} from './messages/static-data.js';
import { decodeStaticVoyage, STATIC_VOYAGE_MIN_BITS } from './messages/static-voyage.js';
import type { AisMessage, AisOtherType } from './types.js';

/** Message type, repeat indicator and MMSI: every type has them. */
const HEADER_BITS = 38;

/**
 * Decodes one complete (reassembled) AIS payload. Never throws: a payload that is empty, holds
 * a character outside the armour alphabet, has fill bits outside 0–9, names no AIS type (0 or
 * above 27; type 24 part numbers 2 and 3 are `ais.bad_part`), or has fewer bits than its type's fields is
 * rejected with its code — never zero-filled.
 *
 * Length rules: everything gpsd decodes is decoded (types 1–3 from 163 bits, type 5 from 420).
 * Where gpsd also insists on trailing spare bits (type 19: 312, 24 part B: 168, 27: exactly 96
 * or 168) a payload is accepted once its last field is complete (308, 162, 95 bits), and
 * payloads longer than their type's nominal length are accepted with the extra bits ignored
 * (gpsd refuses type 21 above 368 bits, 24 part A above 168, and since 3.25 types 1–3 above 204).
 */
export function decodeAisPayload(payload: string, fillBits: number): Result<AisMessage> {
  if (typeof payload !== 'string' || payload.length === 0) return reject('ais.empty_payload');
  if (!isFillBits(fillBits)) return reject('ais.format', 'fill bits not 0-9');
  const bitLength = loadPayload(payload, fillBits);
  if (bitLength < 0) return reject('ais.armour');
  return decodeLoaded(bitLength);
}

/**
 * `decodeAisPayload` of `text[from, to)` — the payload read in place in its sentence. After it,
 * `lastPayloadXor()` (bits.ts) holds the XOR of the payload's characters for the NMEA checksum.
 */
export function decodeAisRange(text: string, from: number, to: number, fillBits: number): Result<AisMessage> {
  if (to <= from) return reject('ais.empty_payload');
  if (!isFillBits(fillBits)) return reject('ais.format', 'fill bits not 0-9');
  const bitLength = loadPayloadRange(text, from, to, fillBits);
  if (bitLength < 0) return reject('ais.armour');
  return decodeLoaded(bitLength);
}

/** `decodeAisRange` over bytes: the payload read in place in the received buffer. */
export function decodeAisBytes(buf: Uint8Array, from: number, to: number, fillBits: number): Result<AisMessage> {
  if (to <= from) return reject('ais.empty_payload');
  if (!isFillBits(fillBits)) return reject('ais.format', 'fill bits not 0-9');
  const bitLength = loadPayloadBytes(buf, from, to, fillBits);
  if (bitLength < 0) return reject('ais.armour');
  return decodeLoaded(bitLength);
}

/**
 * Decodes a multipart message from its fragments' payloads and fill bits. A standard sender
 * puts fill bits only on the last fragment, and then this equals `decodeAisPayload` of the
 * joined payload. Some senders put fill bits on an earlier fragment too; like gpsd, those bits
 * are dropped where that fragment ends, so the next fragment's bits follow on directly.
 * Payloads may be text or bytes (latin1): fragments all held as bytes are read by the bytes
 * loader (the hot one when most lines take the decoder's fast lane), with no joined string.
 */
export function decodeAisFragments(payloads: readonly (string | Uint8Array)[], fillBits: readonly number[]): Result<AisMessage> {
  const n = payloads.length;
  if (n === 0 || fillBits.length !== n) return reject('ais.format', 'fragments and fill bits differ in number');
  let chars = 0;
  let earlyFill = false;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const p = payloads[i]!;
    if (p instanceof Uint8Array) bytes++;
    else if (typeof p !== 'string') return reject('ais.format', 'fragment payload is neither text nor bytes');
    chars += p.length;
    if (!isFillBits(fillBits[i]!)) return reject('ais.format', 'fill bits not 0-9');
    if (i < n - 1 && fillBits[i] !== 0) earlyFill = true;
  }
  if (chars === 0) return reject('ais.empty_payload');
  if (bytes === n && !earlyFill) return decodeJoinedBytes(payloads as readonly Uint8Array[], chars, fillBits[n - 1]!);
  const strings = bytes === 0 ? (payloads as readonly string[]) : payloads.map(latin1);
  if (!earlyFill) return decodeAisPayload(n === 1 ? strings[0]! : strings.join(''), fillBits[n - 1]!);
  const bitLength = loadFragments(strings, fillBits);
  if (bitLength < 0) return reject('ais.armour');
  return decodeLoaded(bitLength);
}

/** Fragments copied end to end into one reused buffer (decoding is synchronous), then decoded. */
let joined = new Uint8Array(256);

function decodeJoinedBytes(parts: readonly Uint8Array[], chars: number, fillBits: number): Result<AisMessage> {
  if (parts.length === 1) return decodeAisBytes(parts[0]!, 0, chars, fillBits);
  if (chars > joined.length) joined = new Uint8Array(chars * 2);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return decodeAisBytes(joined, 0, chars, fillBits);
}

function latin1(p: string | Uint8Array): string {
  return typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('latin1');
}

/**
 * ITU-R M.1371 allows 0–5 fill bits, but real feeds send 6 (an extra pad character: AISHub
 * `!AIVDM,1,1,,2,601uEP19bi7P04810,6*5D`) and gpsd decodes them; so do we, for any single digit.
 * A count that leaves too few bits is caught by the length checks.
 */
function isFillBits(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 9;
}

/** Decodes the payload in the bit buffer. */
function decodeLoaded(bitLength: number): Result<AisMessage> {
  // With fill bits the first character may be the only one: read the type from what is there.
  if (bitLength < 6) return reject('ais.short_payload', `${bitLength} bits, type needs 6`);
  const type = ubits(0, 6);
  if (type === 0 || type > 27) return reject('ais.bad_type', `type ${type}`);
  if (bitLength < HEADER_BITS) return short(type, bitLength, HEADER_BITS);
  const repeat = ubits(6, 2);
  const mmsi = ubits(8, 30);

  switch (type) {
    case 1:
    case 2:
    case 3:
      if (bitLength < POSITION_A_MIN_BITS) return short(type, bitLength, POSITION_A_MIN_BITS);
      return ok(decodePositionA(type, repeat, mmsi, bitLength));
    case 4:
    case 11:
      if (bitLength < BASE_STATION_MIN_BITS) return short(type, bitLength, BASE_STATION_MIN_BITS);
      return ok(decodeBaseStation(type, repeat, mmsi));
    case 5:
      if (bitLength < STATIC_VOYAGE_MIN_BITS) return short(type, bitLength, STATIC_VOYAGE_MIN_BITS);
      return ok(decodeStaticVoyage(repeat, mmsi, bitLength));
    case 9:
      if (bitLength < SAR_AIRCRAFT_MIN_BITS) return short(type, bitLength, SAR_AIRCRAFT_MIN_BITS);
      return ok(decodeSarAircraft(repeat, mmsi));
    case 18:
      if (bitLength < POSITION_B_MIN_BITS) return short(type, bitLength, POSITION_B_MIN_BITS);
      return ok(decodePositionB(repeat, mmsi));
    case 19:
      if (bitLength < POSITION_B_EXTENDED_MIN_BITS) return short(type, bitLength, POSITION_B_EXTENDED_MIN_BITS);
      return ok(decodePositionBExtended(repeat, mmsi));
    case 21:
      if (bitLength < AID_TO_NAVIGATION_MIN_BITS) return short(type, bitLength, AID_TO_NAVIGATION_MIN_BITS);
      return ok(decodeAidToNavigation(repeat, mmsi, bitLength));
    case 24:
      return decodeStaticData(repeat, mmsi, bitLength);
    case 27:
      if (bitLength < LONG_RANGE_MIN_BITS) return short(type, bitLength, LONG_RANGE_MIN_BITS);
      return ok(decodeLongRange(repeat, mmsi));
    default:
      return ok({ type: type as AisOtherType, repeat, mmsi: asMmsi(mmsi) });
  }
}

function decodeStaticData(repeat: number, mmsi: number, bitLength: number): Result<AisMessage> {
  if (bitLength < 40) return short(24, bitLength, 40);
  const part = ubits(38, 2);
  if (part === 0) {
    if (bitLength < STATIC_PART_A_MIN_BITS) return short(24, bitLength, STATIC_PART_A_MIN_BITS);
    return ok(decodeStaticPartA(repeat, mmsi));
  }
  if (part === 1) {
    if (bitLength < STATIC_PART_B_MIN_BITS) return short(24, bitLength, STATIC_PART_B_MIN_BITS);
    return ok(decodeStaticPartB(repeat, mmsi));
  }
  // Parts 2 and 3 are not defined by M.1371 (gpsd drops them too).
  return reject('ais.bad_part', `type 24 part number ${part}`);
}

function short(type: number, bitLength: number, need: number): Result<AisMessage> {
  return reject('ais.short_payload', `type ${type}: ${bitLength} bits, needs ${need}`);
}
