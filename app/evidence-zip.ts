/**
 * Zip archives for evidence packs: the one home of fflate (architecture table). fflate writes the
 * container; the deflating is Node's zlib, asynchronous on its thread pool — fflate's own deflate
 * took ~6 s of the event loop for a one-hour incident's 60 MB of text (measured in
 * evidence.bench.ts), native zlib a fraction of that and off the loop. Entries keep the order given,
 * each stamped with the pack's time, so the same files make the same bytes.
 */
import { crc32, deflateRaw } from 'node:zlib';
import { unzipSync, Zip, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';

/**
 * zlib's level: a one-hour incident's files (23.7 MB) deflate to 4.32 MB at 6 in 300 ms of CPU,
 * 4.38 MB at 4 in 148 ms, 4.64 MB at 1 in 129 ms (app/evidence.bench's pack, deflateRawSync).
 */
const ZIP_LEVEL = 4;

/**
 * A zip entry deflated by zlib, its CRC-32 by zlib too (fflate's pass-through computes it in
 * JavaScript on the event loop: 80 ms of a one-hour incident's pack, CPU profile). fflate reads
 * size and crc once the entry's data is final; `ondata` is set when the entry is added.
 */
class NativeDeflate implements ZipInputFile {
  size = 0;
  crc = 0;
  readonly compression = 8;
  ondata?: AsyncFlateStreamHandler;

  constructor(
    readonly filename: string,
    readonly mtime: number,
  ) {}

  /** The whole file at once. */
  write(bytes: Uint8Array): void {
    this.size = bytes.length;
    this.crc = crc32(bytes);
    deflateRaw(bytes, { level: ZIP_LEVEL }, (e, out) => (e === null ? this.ondata!(null, out, true) : this.ondata!(Object.assign(new Error(e.message), { code: 0 }), new Uint8Array(0), true)));
  }
}

/** An archive written as its files come: each is deflated on zlib's pool as soon as it is added. */
export interface ZipWriter {
  add(name: string, bytes: Uint8Array): void;
  /** The archive of the files added, in the order added. */
  end(): Promise<Uint8Array>;
}

/**
 * A pack's files deflate while the next ones are built: the pool compresses tracks.csv and
 * fixes-as-received.csv while the event loop writes the GeoJSON, the SVG and the hashes.
 */
export function zipWriter(atMs: number): ZipWriter {
  const parts: Uint8Array[] = [];
  let settle: { resolve(b: Uint8Array): void; reject(e: unknown): void } | undefined;
  const done = new Promise<Uint8Array>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined); // a failure before end() is awaited surfaces there
  const zip = new Zip((e, chunk, final) => {
    if (e !== null) return settle!.reject(e);
    parts.push(chunk);
    if (final) settle!.resolve(Buffer.concat(parts));
  });
  return {
    add(name, bytes) {
      const entry = new NativeDeflate(name, atMs);
      zip.add(entry);
      entry.write(bytes);
    },
    end() {
      zip.end();
      return done;
    },
  };
}

/** The archive of these files (name → bytes), in this order. */
export function zipFiles(files: ReadonlyMap<string, Uint8Array>, atMs: number): Promise<Uint8Array> {
  const zip = zipWriter(atMs);
  for (const [name, bytes] of files) zip.add(name, bytes);
  return zip.end();
}

/** The files of an archive (name → bytes; folders left out); throws on what is not a zip. */
export function unzipFiles(zip: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(unzipSync(zip))) if (!name.endsWith('/')) out.set(name, bytes);
  return out;
}
