/**
 * Test-only helpers shared by the corpus and fuzz suites: fixture reading and event checks.
 * Runtime code never imports this file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { isRejectCode } from '../model/index.js';
import type { DecodeEvent } from './decoder.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A fixture's lines, `.gz` inflated, read as latin1 (as `seagrid decode` reads its input). */
export function fixtureLines(rel: string): string[] {
  const raw = readFileSync(path.join(REPO_ROOT, rel));
  const text = (rel.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Files directly in a fixture folder, repo-relative, sorted. */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

/** Every file under a fixture folder, recursively, repo-relative, sorted. */
export function fixtureFilesDeep(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...fixtureFilesDeep(rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/**
 * Why an event is malformed, or undefined when it is well-formed: rejections carry a known code
 * and their text; AIS messages have a type, an MMSI and only finite numbers; fixes have a place.
 */
export function malformation(e: DecodeEvent): string | undefined {
  switch (e.kind) {
    case 'reject':
      if (!isRejectCode(e.code)) return `unknown rejection code ${JSON.stringify(e.code)}`;
      if (typeof e.text !== 'string') return 'rejection without text';
      if (e.detail !== undefined && typeof e.detail !== 'string') return 'rejection detail is not a string';
      return undefined;
    case 'ais': {
      const m = e.msg;
      if (!Number.isInteger(m.type) || m.type < 1 || m.type > 27) return `AIS type ${String(m.type)}`;
      // 30 bits on the wire: values above 999,999,999 are rare junk but representable.
      if (!Number.isInteger(m.mmsi) || m.mmsi < 0 || m.mmsi >= 2 ** 30) return `MMSI ${String(m.mmsi)}`;
      if (!Number.isFinite(e.atMs)) return `atMs ${e.atMs}`;
      if (typeof e.channel !== 'string' || typeof e.talker !== 'string') return 'channel/talker not strings';
      return badValue(m, 'msg');
    }
    case 'gnss': {
      const f = e.fix;
      if (!(Math.abs(f.lat) <= 90) || !(Math.abs(f.lon) <= 180)) return `fix at ${f.lat},${f.lon}`;
      if (!Number.isFinite(e.atMs)) return `atMs ${e.atMs}`;
      return badValue(f, 'fix');
    }
    default:
      return `unknown event kind ${JSON.stringify((e as { kind?: unknown }).kind)}`;
  }
}

/** Numbers must be finite (absent, never NaN); only plain data. */
function badValue(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${where} is ${v}`;
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const bad = badValue(x, `${where}.${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  return `${where} is a ${typeof v}`;
}
