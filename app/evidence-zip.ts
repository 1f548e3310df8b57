/**
 * Zip archives for evidence packs: the one home of fflate (architecture table). fflate writes the
 * container; the deflating is Node's zlib, asynchronous on its thread pool — fflate's own deflate
 * took ~6 s of the event loop for a one-hour incident's 60 MB of text (measured in
 * evidence.bench.ts), native zlib a fraction of that and off the loop. Entries keep the order given,
 * each stamped with the pack's time, so the same files make the same bytes.
 */
import { deflateRaw } from 'node:zlib';
import { unzipSync, Zip, ZipPassThrough } from 'fflate';

/**
 * zlib's level: a one-hour incident's files (23.7 MB) deflate to 4.32 MB at 6 in 300 ms of CPU,
 * 4.38 MB at 4 in 148 ms, 4.64 MB at 1 in 129 ms (app/evidence.bench's pack, deflateRawSync).
 */
const ZIP_LEVEL = 4;

/** A zip entry deflated by zlib: fflate's pass-through computes the CRC and size of what is pushed. */
class NativeDeflate extends ZipPassThrough {
  constructor(name: string, atMs: number) {
    super(name);
    this.compression = 8;
    this.mtime = atMs;
  }

  override process(chunk: Uint8Array, final: boolean): void {
    deflateRaw(chunk, { level: ZIP_LEVEL }, (e, out) => (e === null ? this.ondata(null, out, final) : this.ondata(Object.assign(new Error(e.message), { code: 0 }), new Uint8Array(0), true)));
  }
}

/** The archive of these files (name → bytes), in this order. */
export function zipFiles(files: ReadonlyMap<string, Uint8Array>, atMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((e, chunk, final) => {
      if (e !== null) return reject(e);
      parts.push(chunk);
      if (final) resolve(Buffer.concat(parts));
    });
    for (const [name, bytes] of files) {
      const entry = new NativeDeflate(name, atMs);
      zip.add(entry);
      entry.push(bytes, true);
    }
    zip.end();
  });
}

/** The files of an archive (name → bytes; folders left out); throws on what is not a zip. */
export function unzipFiles(zip: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(unzipSync(zip))) if (!name.endsWith('/')) out.set(name, bytes);
  return out;
}
