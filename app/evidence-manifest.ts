/**
 * An evidence pack's manifest: the SHA-256 of every file, and of the whole — the SHA-256 of the
 * list `sha256sum` prints (`{hex}  {name}\n` per file, by name), so a pack checks with coreutils
 * too: `unzip` it, then `sha256sum -c` against the listed hashes. One definition for the pack's
 * writer (evidence.ts) and `seagrid verify-pack` (verify-pack.ts).
 */
import { createHash } from 'node:crypto';

export const MANIFEST_NAME = 'manifest.json';
export const PACK_FORMAT = 'seagrid-evidence/1';

export interface ManifestFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof PACK_FORMAT;
  readonly createdAt: string;
  readonly createdBy: string;
  /** What the pack is of: `alert:{id}` or `area:{minLon},{minLat},{maxLon},{maxLat}`. */
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  /** Every file but the manifest, by name. */
  readonly files: readonly ManifestFile[];
  /** SHA-256 of the files' `sha256sum` lines, by name. */
  readonly packSha256: string;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The `sha256sum` listing of the files, by name (code-unit order: the same on every machine). */
export function sha256sumText(files: readonly Pick<ManifestFile, 'name' | 'sha256'>[]): string {
  return [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.name}\n`)
    .join('');
}

/** The hash of the whole: over the listing, so it covers every file's name and content. */
export function packHash(files: readonly Pick<ManifestFile, 'name' | 'sha256'>[]): string {
  return sha256Hex(sha256sumText(files));
}

/** The manifest of these files (name → bytes). */
export function manifestOf(files: ReadonlyMap<string, Uint8Array>, head: Omit<Manifest, 'format' | 'files' | 'packSha256'>): Manifest {
  const list = [...files].map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256Hex(bytes) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: PACK_FORMAT, ...head, files: list, packSha256: packHash(list) };
}
