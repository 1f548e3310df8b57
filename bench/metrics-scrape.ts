/** The service's /metrics as a bench reads it: scraped over HTTP, looked up by series, summed by name. */

export type Metrics = Map<string, number>;

export function parseMetrics(text: string): Metrics {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    m.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return m;
}

/** Every series of one metric summed (all label sets). */
export function sumPrefix(m: Metrics, prefix: string): number {
  let s = 0;
  for (const [k, v] of m) if (k === prefix || k.startsWith(`${prefix}{`)) s += v;
  return s;
}

/** Position outcomes that are a vessel's report heard for the first time (not a copy from another receiver). */
const DISTINCT = ['moved', 'older_kept', 'jump_rejected', 'jump_accepted'];

/** Distinct position reports the service has taken in (seagrid_positions_total by outcome). */
export function distinctReports(m: Metrics): number {
  return DISTINCT.reduce((a, k) => a + (m.get(`seagrid_positions_total{outcome="${k}"}`) ?? 0), 0);
}

/** Copies of a report heard by several receivers, recognised and dropped. */
export function duplicateReports(m: Metrics): number {
  return m.get('seagrid_positions_total{outcome="duplicate"}') ?? 0;
}

/** A busy service may reset a kept-alive connection as it times out: each scrape asks on a new one, a few times. */
export async function scrapeMetrics(httpPort: number): Promise<Metrics> {
  for (let attempt = 1; ; attempt++) {
    try {
      return parseMetrics(await (await fetch(`http://127.0.0.1:${httpPort}/metrics`, { headers: { connection: 'close' } })).text());
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * A service slower than the feed has a backlog at the broker: waits while it still drains (frames
 * keep arriving) until it has counted `published` frames, so a loss counts messages that never came,
 * not ones still queued. Only `stallMs` without one new frame (or `maxMs` in all) ends the wait.
 */
export async function drainFrames(httpPort: number, published: number, stallMs: number, maxMs = 300_000): Promise<{ metrics: Metrics; drainS: number }> {
  const start = performance.now();
  let m = await scrapeMetrics(httpPort);
  let last = -1;
  let lastProgress = performance.now();
  while (sumPrefix(m, 'seagrid_mqtt_frames_total') < published && performance.now() - lastProgress < stallMs && performance.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 200));
    m = await scrapeMetrics(httpPort);
    const frames = sumPrefix(m, 'seagrid_mqtt_frames_total');
    if (frames !== last) (last = frames), (lastProgress = performance.now());
  }
  return { metrics: m, drainS: (performance.now() - start) / 1000 };
}
