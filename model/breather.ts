/**
 * Long work done in pieces on the one event loop (an evidence pack beside the live feed): await
 * the function between pieces and it hands the loop back (setImmediate: I/O and timers first)
 * once `yieldMs` have passed since it last did, else returns at once — pieces of a few hundred
 * microseconds cost no yield each.
 */
export function breather(yieldMs: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < yieldMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
