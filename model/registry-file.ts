import type { RejectCode } from './codes.js';
import { asMmsi } from './ids.js';
import { parseBeidouCard, vesselIdFor } from './registry.js';
import type { Ok, Rejection } from './result.js';
import type { VesselFile } from './vessel.js';
import { parseCsv } from './registry-csv.js';
import { usernameProblem } from './user.js';

/**
 * The vessel registry file (一船一档): CSV with a header row, or JSON (an array of objects, or
 * `{"vessels": […]}`), UTF-8. Every problem of the file is collected, each naming its row and
 * field, so one round of fixes makes the file load.
 */
export type RegistryFormat = 'csv' | 'json';

export interface RegistryProblem {
  readonly code: RejectCode;
  /**
   * CSV: the spreadsheet row (the header is row 1, so it is the line number unless a quoted
   * field spans lines). JSON: the 1-based position in the array. 0: the file as a whole.
   */
  readonly row: number;
  /** Canonical field name (`mmsi`, `ownerPhone` …) when the problem is one field's. */
  readonly field?: string;
  /** `row 4, mmsi: "41234567" is not 9 digits` */
  readonly message: string;
}

export interface RegistryRejection extends Rejection {
  readonly code: 'registry.invalid';
  readonly problems: readonly RegistryProblem[];
}

/** Assignable to `Result<VesselFile[]>`; the rejection also lists every problem. */
export type RegistryParse = Ok<VesselFile[]> | RegistryRejection;

type Value = string | number;
type Draft = { -readonly [K in keyof VesselFile]?: VesselFile[K] };
type FieldParse = { readonly value: unknown } | { readonly error: string };

interface FieldSpec {
  readonly key: keyof VesselFile;
  /** Header spellings besides the key itself, compared after `headerKey`. */
  readonly aliases: readonly string[];
  readonly required?: boolean;
  /** Whether an empty string given explicitly (JSON) is a problem rather than "unknown". */
  readonly nonEmptyWhenGiven?: boolean;
  readonly parse: (v: Value) => FieldParse;
}

const FIELDS: readonly FieldSpec[] = [
  { key: 'vesselId', aliases: ['id', '船舶id', '船舶编号'], parse: (v) => ({ value: String(v) }) },
  { key: 'name', aliases: ['shipname', '船名'], required: true, parse: text(64) },
  { key: 'registryNo', aliases: ['registrynumber', '船号', '渔船编号', '登记号'], parse: text(32) },
  { key: 'mmsi', aliases: ['mmsi号'], parse: parseMmsi },
  { key: 'beidouCard', aliases: ['beidou', 'card', 'bdcard', '北斗卡号', '北斗卡'], parse: parseCard },
  { key: 'fleetId', aliases: ['fleet', 'fleetgroup', '编组', '船队'], parse: text(64) },
  { key: 'fleetLeader', aliases: ['leader', 'fleetleader', '组长船', '带头船', '编组长船'], parse: flag },
  { key: 'gear', aliases: ['geartype', '作业类型', '作业方式'], parse: text(32) },
  { key: 'lengthM', aliases: ['length', '总长', '船长m'], parse: positive(500) },
  { key: 'homePort', aliases: ['port', '船籍港', '母港'], parse: text(64) },
  { key: 'owner', aliases: ['船东', '船主'], parse: text(64) },
  { key: 'ownerPhone', aliases: ['船东电话', '船主电话'], nonEmptyWhenGiven: true, parse: parsePhone },
  { key: 'liaison', aliases: ['liaisonofficial', '联船干部', '定人联船', '联系人'], parse: text(64) },
  { key: 'liaisonPhone', aliases: ['联船干部电话', '联系电话'], nonEmptyWhenGiven: true, parse: parsePhone },
  { key: 'liaisonUser', aliases: ['liaisonusername', '联船干部账号'], parse: username },
  { key: 'shipType', aliases: ['aisshiptype', '船舶类型'], parse: integer(1, 255) },
];

/** Header text → field, tolerant of case, spaces, `_`, `-` and brackets (`Owner Phone`, `船长(m)`). */
const BY_HEADER = new Map<string, FieldSpec>(
  FIELDS.flatMap((f) => [[headerKey(f.key), f] as const, ...f.aliases.map((a) => [headerKey(a), f] as const)]),
);

const FIELD_BY_KEY = new Map<keyof VesselFile, FieldSpec>(FIELDS.map((f) => [f.key, f]));

/** At most this many problems are spelled out in the rejection's `detail` (all are in `problems`). */
const DETAIL_LINES = 50;

export function registryFormatOf(fileName: string): RegistryFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

export function parseRegistry(text: string, format: RegistryFormat): RegistryParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problems: RegistryProblem[] = [];
  const bad = body.indexOf('\ufffd');
  if (bad >= 0) {
    // A GBK export read as UTF-8 turns Chinese into U+FFFD; say so instead of reporting odd names.
    const line = lineAt(body, bad);
    problems.push({ code: 'registry.format', row: 0, message: `line ${line}: text is not UTF-8 (U+FFFD found); save the file as UTF-8` });
    return rejected(problems);
  }
  const rows = format === 'csv' ? csvRows(body, problems) : jsonRows(body, problems);
  const parsed = rows.map((row): Parsed => ({ row, file: vesselFile(row, problems) }));
  checkDuplicates(parsed, problems);
  if (problems.length > 0) return rejected(problems);
  return { ok: true, value: parsed.map((p) => p.file).filter((f): f is VesselFile => f !== undefined) };
}

interface Parsed {
  readonly row: Row;
  /** undefined when a field of the row is bad. */
  readonly file: VesselFile | undefined;
}

/** One input record: where it is, and its values by canonical field (absent = not given). */
interface Row {
  readonly row: number;
  readonly where: string;
  readonly values: ReadonlyMap<FieldSpec, Value>;
}

function csvRows(text: string, problems: RegistryProblem[]): Row[] {
  const parsed = parseCsv(text);
  for (const p of parsed.problems) problems.push({ code: 'registry.format', row: p.line, message: `line ${p.line}: ${p.message}` });
  const [header, ...records] = parsed.records;
  if (header === undefined) {
    problems.push({ code: 'registry.format', row: 0, message: 'the file is empty: expected a header row and one row per vessel' });
    return [];
  }
  const columns: (FieldSpec | undefined)[] = [];
  const seen = new Set<FieldSpec>();
  header.fields.forEach((name, i) => {
    const spec = BY_HEADER.get(headerKey(name));
    if (spec === undefined) {
      problems.push({
        code: 'registry.format',
        row: 1,
        message: `row 1 (header), column ${i + 1}: unknown column ${JSON.stringify(name)}; known: ${FIELDS.map((f) => f.key).join(', ')}`,
      });
    } else if (seen.has(spec)) {
      problems.push({ code: 'registry.format', row: 1, field: spec.key, message: `row 1 (header), column ${i + 1}: ${spec.key} appears twice` });
    }
    if (spec !== undefined) seen.add(spec);
    columns.push(spec);
  });
  for (const f of FIELDS) {
    if (f.required === true && !seen.has(f)) problems.push({ code: 'registry.format', row: 1, field: f.key, message: `row 1 (header): no ${f.key} column` });
  }
  const rows: Row[] = [];
  for (const rec of records) {
    // The spreadsheet row: records before it each took one row, whatever lines their quotes spanned.
    const row = rows.length + 2;
    const where = rec.line === row ? `row ${row}` : `row ${row} (line ${rec.line})`;
    if (rec.fields.length !== columns.length) {
      problems.push({ code: 'registry.format', row, message: `${where}: ${rec.fields.length} fields, the header has ${columns.length}` });
    }
    const values = new Map<FieldSpec, Value>();
    rec.fields.forEach((raw, i) => {
      const spec = columns[i];
      const v = raw.trim();
      // CSV cannot tell "empty" from "unknown": an empty cell is not given.
      if (spec !== undefined && v !== '') values.set(spec, v);
    });
    rows.push({ row, where, values });
  }
  return rows;
}

function jsonRows(text: string, problems: RegistryProblem[]): Row[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.push({ code: 'registry.format', row: 0, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
    return [];
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.vessels) ? (doc.vessels as unknown[]) : undefined;
  if (list === undefined) {
    problems.push({ code: 'registry.format', row: 0, message: 'expected an array of vessels or {"vessels": [...]}' });
    return [];
  }
  const rows: Row[] = [];
  list.forEach((item, i) => {
    const row = i + 1;
    const where = `vessels[${i}]`;
    const values = new Map<FieldSpec, Value>();
    if (!isObject(item)) {
      problems.push({ code: 'registry.format', row, message: `${where}: expected an object, got ${jsonType(item)}` });
      return;
    }
    for (const [k, v] of Object.entries(item)) {
      const spec = BY_HEADER.get(headerKey(k));
      if (spec === undefined) {
        problems.push({ code: 'registry.format', row, message: `${where}: unknown field ${JSON.stringify(k)}; known: ${FIELDS.map((f) => f.key).join(', ')}` });
        continue;
      }
      if (values.has(spec)) {
        problems.push({ code: 'registry.format', row, field: spec.key, message: `${where}, ${spec.key}: given twice (as ${JSON.stringify(k)})` });
        continue;
      }
      if (v === null) continue;
      if (typeof v === 'string') {
        const t = v.trim();
        if (t !== '') values.set(spec, t);
        else if (spec.nonEmptyWhenGiven === true) {
          problems.push({ code: 'registry.field', row, field: spec.key, message: `${where}, ${spec.key}: empty; leave it out when unknown` });
        }
      } else if (typeof v === 'number') {
        values.set(spec, v);
      } else {
        problems.push({ code: 'registry.field', row, field: spec.key, message: `${where}, ${spec.key}: expected text or a number, got ${jsonType(v)}` });
      }
    }
    rows.push({ row, where, values });
  });
  return rows;
}

/** Field checks and the identity rule for one row; undefined when any of its fields is bad. */
function vesselFile(r: Row, problems: RegistryProblem[]): VesselFile | undefined {
  const draft: Draft = {};
  const before = problems.length;
  const fail = (code: RejectCode, field: string, message: string): void => {
    problems.push({ code, row: r.row, field, message: `${r.where}, ${field}: ${message}` });
  };
  for (const spec of FIELDS) {
    const v = r.values.get(spec);
    if (v === undefined) {
      if (spec.required === true) fail('registry.required', spec.key, 'required, but empty');
      continue;
    }
    const p = spec.parse(v);
    if ('error' in p) fail('registry.field', spec.key, `${JSON.stringify(v)} ${p.error}`);
    else (draft as Record<string, unknown>)[spec.key] = p.value;
  }
  // A bad MMSI or card is reported already; the identity rule is checked on good ones only.
  const mmsiOk = !r.values.has(FIELD_BY_KEY.get('mmsi')!) || draft.mmsi !== undefined;
  const cardOk = !r.values.has(FIELD_BY_KEY.get('beidouCard')!) || draft.beidouCard !== undefined;
  if (mmsiOk && cardOk) {
    const expected = vesselIdFor(draft.mmsi, draft.beidouCard);
    if (expected === undefined) {
      fail('registry.identity', 'mmsi', 'a vessel needs an MMSI or a BeiDou card (beidouCard) to be tracked');
    } else if (draft.vesselId === undefined) {
      draft.vesselId = expected;
    } else if (draft.vesselId !== expected) {
      const rule = draft.mmsi !== undefined ? 'the MMSI as 9 digits' : 'bd + the BeiDou card';
      fail('registry.identity', 'vesselId', `${JSON.stringify(draft.vesselId)} should be ${JSON.stringify(expected)} (${rule}); or leave it empty`);
    }
  }
  return problems.length === before ? (draft as VesselFile) : undefined;
}

/** Each MMSI, card, registry number and vesselId belongs to one hull; names the row that had it first. */
function checkDuplicates(parsed: readonly Parsed[], problems: RegistryProblem[]): void {
  const keys: readonly (keyof VesselFile)[] = ['mmsi', 'beidouCard', 'registryNo', 'vesselId'];
  const firstRow = new Map<string, Row>();
  for (const { row: r, file } of parsed) {
    let clashed = false;
    for (const key of keys) {
      const value = identifier(r, key, file);
      if (value === undefined) continue;
      const k = `${key}\u0000${value}`;
      const first = firstRow.get(k);
      if (first === undefined) {
        firstRow.set(k, r);
      } else if (!(key === 'vesselId' && clashed)) {
        // A vesselId clash follows from the MMSI/card clash already reported on this row.
        clashed = true;
        problems.push({ code: 'registry.duplicate', row: r.row, field: key, message: `${r.where}, ${key}: ${value} is already used by ${first.where}` });
      }
    }
  }
}

/**
 * An identifier of the row as canonical text: from its file, or, for a row that failed on
 * another field, from the field itself when that parses (its clashes are still worth reporting).
 */
function identifier(r: Row, key: keyof VesselFile, f: VesselFile | undefined): string | undefined {
  if (f !== undefined) {
    const v = f[key];
    return v === undefined ? undefined : String(v);
  }
  const spec = FIELD_BY_KEY.get(key)!;
  const raw = r.values.get(spec);
  if (raw === undefined) return undefined;
  const p = spec.parse(raw);
  return 'error' in p ? undefined : String(p.value);
}

function parseMmsi(v: Value): FieldParse {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : '') : v;
  if (!/^\d{9}$/.test(s)) return { error: 'is not an MMSI: 9 digits expected' };
  return { value: asMmsi(Number(s)) };
}

function parseCard(v: Value): FieldParse {
  const s = typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? String(v) : '') : v;
  const card = parseBeidouCard(s);
  return card === undefined ? { error: 'is not a BeiDou card number: letters and digits, at most 32' } : { value: card };
}

/** Loose on purpose: landlines, mobiles, +86, spaces, dashes, brackets and 转 extensions all pass. */
function parsePhone(v: Value): FieldParse {
  const s = String(v);
  const digits = s.replace(/\D/g, '').length;
  if (!/^[0-9+\-() .#转]+$/u.test(s) || digits < 5 || digits > 20) return { error: 'does not look like a phone number' };
  return { value: s };
}

/** Yes or no: 1/0, true/false, yes/no, y/n, 是/否 (JSON's booleans are not field values here). */
function flag(v: Value): FieldParse {
  const s = String(v).trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', '是'].includes(s)) return { value: true };
  if (['0', 'false', 'no', 'n', '否'].includes(s)) return { value: false };
  return { error: 'is not yes or no (1/0, true/false, yes/no, 是/否)' };
}

/** A sign-in username, as users are named (model/user.ts). */
function username(v: Value): FieldParse {
  const s = String(v).trim();
  const p = usernameProblem(s);
  return p === undefined ? { value: s } : { error: p };
}

function text(max: number): (v: Value) => FieldParse {
  return (v) => {
    const s = String(v);
    return [...s].length > max ? { error: `is longer than ${max} characters` } : { value: s };
  };
}

/** A decimal number in (0, max], e.g. a length in metres. */
function positive(max: number): (v: Value) => FieldParse {
  return (v) => {
    const n = typeof v === 'number' ? v : /^\+?(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) return { error: 'is not a number' };
    return n > 0 && n <= max ? { value: n } : { error: `is outside 0…${max}` };
  };
}

function integer(min: number, max: number): (v: Value) => FieldParse {
  return (v) => {
    const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) return { error: 'is not a whole number' };
    return n >= min && n <= max ? { value: n } : { error: `is outside ${min}…${max}` };
  };
}

function headerKey(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_\-()（）]/g, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function rejected(unsorted: readonly RegistryProblem[]): RegistryRejection {
  // In file order (the sort is stable: within a row, fields then identity then duplicates).
  const problems = [...unsorted].sort((a, b) => a.row - b.row);
  const lines = problems.slice(0, DETAIL_LINES).map((p) => p.message);
  if (problems.length > DETAIL_LINES) lines.push(`… and ${problems.length - DETAIL_LINES} more`);
  return { ok: false, code: 'registry.invalid', detail: `${problems.length} problem(s):\n${lines.join('\n')}`, problems };
}
