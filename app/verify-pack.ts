/**
 * `seagrid verify-pack FILE`: checks an evidence pack against its manifest — each file's SHA-256,
 * files missing or added, and the hash of the whole — and names every fault. Exit 0 when all
 * holds, 1 on any fault, 2 when the file cannot be read as a pack at all.
 */
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { MANIFEST_NAME, packHash, PACK_FORMAT, sha256Hex, type Manifest } from './evidence-manifest.js';
import { unzipFiles } from './evidence-zip.js';

export type PackFault =
  | { readonly kind: 'changed' | 'missing' | 'extra'; readonly name: string }
  | { readonly kind: 'whole'; readonly name: typeof MANIFEST_NAME };

export type PackCheck = { readonly ok: true; readonly files: number; readonly faults: readonly PackFault[] } | { readonly ok: false; readonly problem: string };

/** The faults of a pack's bytes (empty: intact); `ok: false` when it is no pack. */
export function checkPack(zip: Uint8Array): PackCheck {
  let files: Map<string, Uint8Array>;
  try {
    files = unzipFiles(zip);
  } catch (e) {
    return { ok: false, problem: `not a zip archive (${e instanceof Error ? e.message : String(e)})` };
  }
  const raw = files.get(MANIFEST_NAME);
  if (raw === undefined) return { ok: false, problem: `no ${MANIFEST_NAME} in the archive` };
  const manifest = parseManifest(raw);
  if (typeof manifest === 'string') return { ok: false, problem: `${MANIFEST_NAME}: ${manifest}` };
  const faults: PackFault[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.name);
    const bytes = files.get(f.name);
    if (bytes === undefined) faults.push({ kind: 'missing', name: f.name });
    else if (sha256Hex(bytes) !== f.sha256) faults.push({ kind: 'changed', name: f.name });
  }
  for (const name of files.keys()) if (name !== MANIFEST_NAME && !listed.has(name)) faults.push({ kind: 'extra', name });
  // The listed hashes against the whole: a file list or hash edited in the manifest shows here.
  if (packHash(manifest.files) !== manifest.packSha256) faults.push({ kind: 'whole', name: MANIFEST_NAME });
  return { ok: true, files: manifest.files.length, faults };
}

function parseManifest(raw: Uint8Array): Manifest | string {
  let m: unknown;
  try {
    m = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return 'not UTF-8 JSON';
  }
  const o = m as Partial<Manifest> | null;
  if (o === null || typeof o !== 'object' || o.format !== PACK_FORMAT) return `not a ${PACK_FORMAT} manifest`;
  if (typeof o.packSha256 !== 'string' || !Array.isArray(o.files)) return 'files or packSha256 missing';
  for (const f of o.files as unknown[]) {
    const e = f as Partial<Manifest['files'][number]> | null;
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.sha256 !== 'string') return 'a files entry without name and sha256';
  }
  return o as Manifest;
}

const SAYS: Readonly<Record<PackFault['kind'], string>> = {
  changed: 'CHANGED (its SHA-256 is not the manifest\'s)',
  missing: 'MISSING (listed in the manifest, not in the archive)',
  extra: 'EXTRA (in the archive, not in the manifest)',
  whole: 'CHANGED (the files\' hashes no longer give the pack\'s packSha256)',
};

/** The command: reads FILE, prints one line per fault and a verdict. */
export async function runVerifyPack(args: readonly string[], out: Writable, err: Writable): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    err.write('usage: seagrid verify-pack FILE\n');
    return 2;
  }
  const file = args[0]!;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    err.write(`seagrid verify-pack: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const r = checkPack(bytes);
  if (!r.ok) {
    err.write(`seagrid verify-pack: ${file}: ${r.problem}\n`);
    return 2;
  }
  for (const f of r.faults) out.write(`${f.name}: ${SAYS[f.kind]}\n`);
  out.write(r.faults.length === 0 ? `${file}: OK, ${r.files} files and the whole match the manifest\n` : `${file}: FAILED, ${r.faults.length} fault${r.faults.length === 1 ? '' : 's'}\n`);
  return r.faults.length === 0 ? 0 : 1;
}
