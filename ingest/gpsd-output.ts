import type { Rejection } from '../model/index.js';
import { gpsdJsonMaxBytes, toGpsdJson, writeGpsdJson, type ByteOut } from './ais/gpsd-json.js';
import { Type24Merger } from './ais/type24.js';
import type { AisMessage } from './ais/types.js';
import type { GnssFix } from './beidou/index.js';
import type { DecodeEvent } from './decoder.js';

export type { ByteOut } from './ais/gpsd-json.js';

const KNOTS_TO_MS = 1852 / 3600;

/**
 * Turns decoder events into the JSON lines `gpsdecode` prints: AIS objects (type 24 parts merged
 * per MMSI first, as gpsd does) and, for GNSS fixes, gpsd TPV objects.
 */
export class GpsdWriter {
  private readonly merger = new Type24Merger();

  constructor(private readonly options: { readonly scaled: boolean }) {}

  /**
   * `write` straight into bytes: appends the JSON line and a newline to `out`. The caller keeps
   * 4 KiB free after `out.pos` (any decoded message's line fits in well under that; a shortfall
   * throws). Returns false when there was nothing to write, or the rejection.
   */
  writeInto(e: DecodeEvent, out: ByteOut): boolean | Rejection {
    if (e.kind === 'ais') {
      const msg = this.printable(e.msg);
      if (msg === undefined) return false;
      if ('ok' in msg) return msg;
      if (out.pos + gpsdJsonMaxBytes(msg) + 1 > out.buf.length) throw new RangeError('ByteOut too small for a JSON line');
      writeGpsdJson(msg, this.options.scaled, out);
      out.buf[out.pos++] = 10;
      return true;
    }
    if (e.kind !== 'gnss') return false;
    // BeiDou fixes are a few lines of a feed: their TPV line stays a string.
    const line = tpvJson(e.fix);
    if (out.pos + line.length + 1 > out.buf.length) throw new RangeError('ByteOut too small for a JSON line');
    out.pos += out.buf.write(line, out.pos, 'latin1');
    out.buf[out.pos++] = 10;
    return true;
  }

  /** A JSON line, nothing (a type 24 part A held for its B), or a rejection (a B without its A). */
  write(e: DecodeEvent): string | Rejection | undefined {
    if (e.kind === 'ais') {
      const msg = this.printable(e.msg);
      return msg === undefined || 'ok' in msg ? msg : toGpsdJson(msg, this.options);
    }
    if (e.kind === 'gnss') return tpvJson(e.fix);
    return undefined;
  }

  /**
   * The message to print: gpsd prints type 24 only once part B has joined part A, so a part A is
   * held (undefined) and a part B without its A is a rejection; every other type as it is.
   */
  private printable(msg: AisMessage): AisMessage | Rejection | undefined {
    if (msg.type !== 24) return msg;
    const merged = this.merger.push(msg);
    if (merged === undefined || !merged.ok) return merged;
    return merged.value;
  }
}

/** gpsd TPV: mode 3 when the fix has an altitude, speed in m/s, time ISO-8601 with ms. */
export function tpvJson(fix: GnssFix): string {
  let s = `{"class":"TPV","device":"stdin","mode":${fix.altitudeM === undefined ? 2 : 3},"time":"${new Date(fix.atMs).toISOString()}"`;
  s += `,"lat":${fix.lat.toFixed(9)},"lon":${fix.lon.toFixed(9)}`;
  if (fix.altitudeM !== undefined) s += `,"alt":${fix.altitudeM.toFixed(3)}`;
  if (fix.cogDeg !== undefined) s += `,"track":${fix.cogDeg.toFixed(4)}`;
  if (fix.sogKn !== undefined) s += `,"speed":${(fix.sogKn * KNOTS_TO_MS).toFixed(3)}`;
  return `${s}}`;
}
