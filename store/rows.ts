/**
 * Write batches as columns (one array per table column): cheap to append to, one `unnest` insert
 * per batch, and the same object is a spool record. Times are epoch ms; absent values are null.
 */
import type { AlertChange, GridEvent, PositionReport, VesselId } from '../model/index.js';
import { cleanText, isStorableText } from './text.js';

export interface PositionColumns {
  readonly vesselId: string[];
  readonly atMs: number[];
  readonly source: string[];
  readonly lat: number[];
  readonly lon: number[];
  readonly sogKn: (number | null)[];
  readonly cogDeg: (number | null)[];
  readonly headingDeg: (number | null)[];
  readonly rotDegMin: (number | null)[];
  readonly navStatus: (number | null)[];
  readonly mmsi: (number | null)[];
  readonly beidouCard: (string | null)[];
  readonly receiver: (string | null)[];
  readonly receivedAtMs: (number | null)[];
}

export interface GridEventColumns {
  readonly vesselId: string[];
  readonly layer: string[];
  readonly gridId: string[];
  readonly kind: string[];
  readonly atMs: number[];
  readonly lat: number[];
  readonly lon: number[];
}

/** One spool line. `k` and `n` come first so a segment's row count is read without parsing it. */
export type SpoolRecord =
  | { readonly k: 'p'; readonly n: number; readonly c: PositionColumns }
  | { readonly k: 'g'; readonly n: number; readonly c: GridEventColumns }
  // One change per record was written before alert changes were grouped: still replayed.
  | { readonly k: 'a'; readonly n: number; readonly c: readonly AlertChange[] | AlertChange };

export function emptyPositions(): PositionColumns {
  return {
    vesselId: [],
    atMs: [],
    source: [],
    lat: [],
    lon: [],
    sogKn: [],
    cogDeg: [],
    headingDeg: [],
    rotDegMin: [],
    navStatus: [],
    mmsi: [],
    beidouCard: [],
    receiver: [],
    receivedAtMs: [],
  };
}

/**
 * What became of a row at the store's edge. A vessel id or BeiDou card is identity (and the id is
 * in the key): changed, it could join another vessel's track, so a row with one PostgreSQL cannot
 * store is refused. A receiver id is only provenance: the fix is sound and was shown live, so the
 * receiver is cleaned (its bad characters marked U+FFFD) and the fix stored.
 */
export type RowVerdict = 'ok' | 'store.receiver_text' | 'store.unstorable_text';

export function pushPosition(c: PositionColumns, vesselId: VesselId, p: PositionReport): RowVerdict {
  if (!isStorableText(vesselId) || (p.beidouCard !== undefined && !isStorableText(p.beidouCard))) return 'store.unstorable_text';
  let verdict: RowVerdict = 'ok';
  let receiver = p.receiver ?? null;
  if (receiver !== null && !isStorableText(receiver)) {
    receiver = cleanText(receiver);
    verdict = 'store.receiver_text';
  }
  c.vesselId.push(vesselId);
  c.atMs.push(p.atMs);
  c.source.push(p.source);
  c.lat.push(p.lat);
  c.lon.push(p.lon);
  c.sogKn.push(p.sogKn ?? null);
  c.cogDeg.push(p.cogDeg ?? null);
  c.headingDeg.push(p.headingDeg ?? null);
  c.rotDegMin.push(p.rotDegMin ?? null);
  c.navStatus.push(p.navStatus ?? null);
  c.mmsi.push(p.mmsi ?? null);
  c.beidouCard.push(p.beidouCard ?? null);
  c.receiver.push(receiver);
  c.receivedAtMs.push(p.receivedAtMs ?? null);
  return verdict;
}

export function emptyGridEvents(): GridEventColumns {
  return { vesselId: [], layer: [], gridId: [], kind: [], atMs: [], lat: [], lon: [] };
}

/** Every text of a grid event is in its key: one PostgreSQL cannot store refuses the event. */
export function pushGridEvent(c: GridEventColumns, e: GridEvent): 'ok' | 'store.unstorable_text' {
  if (!isStorableText(e.vesselId) || !isStorableText(e.layer) || !isStorableText(e.gridId) || !isStorableText(e.kind)) return 'store.unstorable_text';
  c.vesselId.push(e.vesselId);
  c.layer.push(e.layer);
  c.gridId.push(e.gridId);
  c.kind.push(e.kind);
  c.atMs.push(e.atMs);
  c.lat.push(e.lat);
  c.lon.push(e.lon);
  return 'ok';
}

/** Rows [from, to) of a batch, every column sliced alike (a refused batch is split to find its bad rows). */
export function sliceRows<C extends PositionColumns | GridEventColumns>(c: C, from: number, to: number): C {
  return Object.fromEntries(Object.entries(c).map(([k, col]) => [k, (col as unknown[]).slice(from, to)])) as unknown as C;
}

/** The columns of `positions` in the order {@link encodePositionsCopy} writes them. */
export const POSITION_COPY_COLUMNS =
  'vessel_id, at, source, lat, lon, sog_kn, cog_deg, heading_deg, rot_deg_min, nav_status, mmsi, beidou_card, receiver, received_at';

/** PostgreSQL's timestamp epoch (2000-01-01 UTC) in Unix ms. */
const PG_EPOCH_MS = 946_684_800_000;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * A batch as the body of `COPY positions (…) FROM STDIN (FORMAT binary)`: numbers go as their
 * IEEE/two's-complement bytes and times as µs since 2000, so the server parses nothing but the
 * text columns (measured: why binary, see store.bench.ts). Throws RangeError on a value the
 * binary form cannot carry (a non-integer or out-of-range nav_status/mmsi, a non-finite time);
 * the caller then lets the idempotent INSERT give the database's own verdict.
 */
export function encodePositionsCopy(c: PositionColumns): Buffer {
  const w = CopyWriter.body(c.vesselId.length, 160);
  for (const i of keyOrder(c)) {
    w.i16(14);
    w.text(c.vesselId[i]!);
    w.time(c.atMs[i]!);
    w.text(c.source[i]!);
    w.f64(c.lat[i]!);
    w.f64(c.lon[i]!);
    w.f32OrNull(c.sogKn[i]!);
    w.f32OrNull(c.cogDeg[i]!);
    w.f32OrNull(c.headingDeg[i]!);
    w.f32OrNull(c.rotDegMin[i]!);
    const ns = c.navStatus[i]!;
    if (ns === null) w.i32(-1);
    else {
      // DataView wraps silently (40000 would be stored as -25536): out of smallint's range, the
      // database's own verdict through the insert instead.
      if (!Number.isInteger(ns) || ns < -32_768 || ns > 32_767) throw new RangeError(`nav_status ${ns} is not a smallint`);
      w.i32(2);
      w.i16(ns);
    }
    const mmsi = c.mmsi[i]!;
    if (mmsi === null) w.i32(-1);
    else {
      if (!Number.isInteger(mmsi) || mmsi < -2_147_483_648 || mmsi > 2_147_483_647) throw new RangeError(`mmsi ${mmsi} is not an integer`);
      w.i32(4);
      w.i32(mmsi);
    }
    w.textOrNull(c.beidouCard[i]!);
    w.textOrNull(c.receiver[i]!);
    const ra = c.receivedAtMs[i]!;
    if (ra === null) w.i32(-1);
    else w.time(ra);
  }
  return w.finish();
}

/** The columns of `grid_events` in the order {@link encodeGridEventsCopy} writes them. */
export const GRID_EVENT_COPY_COLUMNS = 'vessel_id, layer, grid_id, kind, at, lat, lon';

/**
 * Grid events as a binary COPY body, in key order like positions. Under load a busy sea makes
 * thousands of crossings a second; as array parameters of an `unnest` insert they cost the
 * service more CPU (node-postgres escapes every array element) than the positions themselves.
 */
export function encodeGridEventsCopy(c: GridEventColumns): Buffer {
  const w = CopyWriter.body(c.vesselId.length, 120);
  for (const i of keyOrder(c)) {
    w.i16(7);
    w.text(c.vesselId[i]!);
    w.text(c.layer[i]!);
    w.text(c.gridId[i]!);
    w.text(c.kind[i]!);
    w.time(c.atMs[i]!);
    w.f64(c.lat[i]!);
    w.f64(c.lon[i]!);
  }
  return w.finish();
}

/**
 * Row indices in primary-key order (vessel_id, at). A batch arrives in time order across thousands
 * of vessels, so in arrival order every row's index insert lands on another leaf page; in key order
 * consecutive inserts walk neighbouring leaves, whose path is still in the CPU's caches. Measured
 * (store.bench driver, 4 rounds of 1 M rows, twice each): PostgreSQL CPU per 1 M rows 5.1–7.9 s
 * sorted against 7.2–8.4 s unsorted, 204k–305k rows/s against 192k–239k. Ties keep arrival order.
 */
function keyOrder(c: { readonly vesselId: readonly string[]; readonly atMs: readonly number[] }): number[] {
  const v = c.vesselId;
  const at = c.atMs;
  const order = Array.from({ length: v.length }, (_, k) => k);
  return order.sort((a, b) => {
    const va = v[a]!;
    const vb = v[b]!;
    return va < vb ? -1 : va > vb ? 1 : at[a]! - at[b]! || a - b;
  });
}

/**
 * A growable big-endian buffer written through a DataView: Buffer's own write methods
 * range-check every integer and are not inlined; this writer is most of the service's CPU per
 * stored row (measured with store.bench's node CPU figure).
 */
class CopyWriter {
  private buf: Buffer;
  private view: DataView;
  private at = 0;

  /** A COPY body begun: the signature, no flags, no header extension; room for `rows` rows. */
  static body(rows: number, bytesPerRow: number): CopyWriter {
    const w = new CopyWriter(19 + rows * bytesPerRow);
    w.raw(SIGNATURE);
    w.i32(0); // flags
    w.i32(0); // header extension length
    return w;
  }

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  raw(b: Buffer): void {
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }

  i16(v: number): void {
    this.room(2);
    this.view.setInt16(this.at, v);
    this.at += 2;
  }

  i32(v: number): void {
    this.room(4);
    this.view.setInt32(this.at, v);
    this.at += 4;
  }

  f64(v: number): void {
    this.room(12);
    this.view.setInt32(this.at, 8);
    this.view.setFloat64(this.at + 4, v);
    this.at += 12;
  }

  f32OrNull(v: number | null): void {
    if (v === null) return this.i32(-1);
    this.room(8);
    this.view.setInt32(this.at, 4);
    this.view.setFloat32(this.at + 4, v);
    this.at += 8;
  }

  /** timestamptz: int64 µs since 2000-01-01, written as two 32-bit halves (exact below 2^53). */
  time(ms: number): void {
    const us = Math.round((ms - PG_EPOCH_MS) * 1000);
    if (!Number.isSafeInteger(us)) throw new RangeError(`time ${ms} cannot be sent`);
    const hi = Math.floor(us / 4294967296);
    this.room(12);
    this.view.setInt32(this.at, 8);
    this.view.setInt32(this.at + 4, hi);
    this.view.setUint32(this.at + 8, us - hi * 4294967296);
    this.at += 12;
  }

  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(4 + s.length * 3);
    const start = this.at + 4;
    const b = this.buf;
    // Ids, sources and receivers are ASCII: copied in JS, no call into the encoder.
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[start + i] = c;
    }
    const len = i === s.length ? i : b.write(s, start, 'utf8');
    this.view.setInt32(this.at, len);
    this.at = start + len;
  }

  textOrNull(s: string | null): void {
    if (s === null) this.i32(-1);
    else this.text(s);
  }

  /** The trailer, then the body. */
  finish(): Buffer {
    this.i16(-1);
    return this.buf.subarray(0, this.at);
  }
}
