/**
 * A cluster's fix topics (ARCHITECTURE.md, "More than one machine"): the decode stage republishes
 * each accepted record, decoded and normalised, for the partitions' owners.
 *
 *   {prefix}seagrid/fix/v1/{partition}/{cell}   position reports whose topic cell is `cell`
 *   {prefix}seagrid/fix/v1/static               static and voyage data (every owner takes all:
 *                                               a type 5 carries no position, and few are sent)
 *
 * The version is in the topic: a v2 payload goes on v2 topics, so instances of two releases can
 * share a broker during a rolling upgrade. Payload: JSON `{"v":1,"r":[record…]}`, a record being
 * `["p", PositionReport]` or `["s", VesselStatic]`. A payload that is not that is refused whole
 * (`cluster.payload`), never thrown on.
 */
import { reject, type PositionReport, type Result, type VesselStatic } from '../model/index.js';
import type { Normalized } from './normalize.js';

const ROOT = 'seagrid/fix/v1/';

/** The topic of position reports in `cell` (a topic cell of `partition`). */
export function fixTopic(prefix: string, partition: string, cell: string): string {
  return `${prefix}${ROOT}${partition}/${cell}`;
}

export function staticTopic(prefix: string): string {
  return `${prefix}${ROOT}static`;
}

/** Every cell of a partition (its owner's subscription). */
export function partitionFilter(prefix: string, partition: string): string {
  return `${prefix}${ROOT}${partition}/+`;
}

export type FixRecord = Extract<Normalized, { kind: 'position' | 'static' }>;

export function encodeFixes(records: readonly FixRecord[]): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, r: records.map((n) => (n.kind === 'position' ? ['p', n.report] : ['s', n.static])) }));
}

const NUM_OPTIONAL = ['sogKn', 'cogDeg', 'headingDeg', 'rotDegMin', 'navStatus', 'utcSecond', 'mmsi'] as const;
const STATIC_NUM = ['imo', 'shipType', 'toBowM', 'toSternM', 'toPortM', 'toStarboardM', 'draughtM'] as const;
const STATIC_TEXT = ['name', 'callsign', 'destination'] as const;

export function decodeFixes(payload: Buffer): Result<FixRecord[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    return refuse('not JSON');
  }
  if (!isObject(doc) || doc['v'] !== 1 || !Array.isArray(doc['r'])) return refuse('not {"v":1,"r":[…]}');
  const out: FixRecord[] = [];
  for (const rec of doc['r'] as unknown[]) {
    if (!Array.isArray(rec) || rec.length !== 2 || !isObject(rec[1])) return refuse('a record is not [kind, object]');
    const body = rec[1];
    if (rec[0] === 'p') {
      const bad = positionProblem(body);
      if (bad !== undefined) return refuse(bad);
      out.push({ kind: 'position', report: body as unknown as PositionReport });
    } else if (rec[0] === 's') {
      if (!finite(body['mmsi']) || !finite(body['atMs'])) return refuse('a static record without mmsi or atMs');
      if (STATIC_NUM.some((k) => body[k] !== undefined && !finite(body[k])) || STATIC_TEXT.some((k) => body[k] !== undefined && typeof body[k] !== 'string')) return refuse('a static field of the wrong type');
      out.push({ kind: 'static', static: body as unknown as VesselStatic });
    } else {
      return refuse(`unknown record kind ${JSON.stringify(rec[0])}`);
    }
  }
  return { ok: true, value: out };
}

/** The shape the live picture relies on; its own checks (range, time, jumps) still run on the owner. */
function positionProblem(b: Record<string, unknown>): string | undefined {
  if (b['source'] !== 'ais' && b['source'] !== 'beidou') return 'a position without source ais|beidou';
  for (const k of ['atMs', 'receivedAtMs', 'lat', 'lon'] as const) if (!finite(b[k])) return `a position whose ${k} is not a number`;
  for (const k of NUM_OPTIONAL) if (b[k] !== undefined && !finite(b[k])) return `a position whose ${k} is not a number`;
  if (b['beidouCard'] !== undefined && typeof b['beidouCard'] !== 'string') return 'a position whose beidouCard is not text';
  if (b['receiver'] !== undefined && typeof b['receiver'] !== 'string') return 'a position whose receiver is not text';
  if (b['mmsi'] === undefined && b['beidouCard'] === undefined) return 'a position with neither mmsi nor beidouCard';
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function refuse(detail: string): Result<never> {
  return reject('cluster.payload', detail);
}
