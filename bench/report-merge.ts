/**
 * BENCHMARKS.md holds blocks written by other commands than `npm run bench` (`npm run bench:e2e`),
 * each between `<!-- block:ID begin -->` and `<!-- block:ID end -->`: a command rewrites its own
 * block and keeps everyone else's, so neither run wipes the other's figures.
 */

const begin = (id: string): string => `<!-- block:${id} begin -->`;
const end = (id: string): string => `<!-- block:${id} end -->`;
const BLOCK = /<!-- block:([\w-]+) begin -->[\s\S]*?<!-- block:\1 end -->\n?/g;

/** `body` wrapped in block `id`'s markers. */
export function block(id: string, body: string): string {
  return `${begin(id)}\n${body.trimEnd()}\n${end(id)}\n`;
}

/** `doc` with block `id` replaced by `body`, or with it appended when it has none. */
export function withBlock(doc: string, id: string, body: string): string {
  const b = block(id, body);
  const at = doc.indexOf(begin(id));
  const stop = doc.indexOf(end(id));
  if (at !== -1 && stop > at) {
    let after = stop + end(id).length;
    if (doc[after] === '\n') after++;
    return doc.slice(0, at) + b + doc.slice(after);
  }
  return `${doc.trimEnd()}\n\n${b}`;
}

/** `next` followed by every block of `previous` it does not hold itself. */
export function keepBlocks(previous: string | undefined, next: string): string {
  let out = next;
  for (const m of (previous ?? '').matchAll(BLOCK)) {
    const id = m[1]!;
    if (!out.includes(begin(id))) out = `${out.trimEnd()}\n\n${m[0].trimEnd()}\n`;
  }
  return out;
}
