/**
 * /metrics on prom-client (the one home of it): its registry renders every series in the
 * Prometheus text format, with the process and Node.js metrics it collects (CPU, memory, heap,
 * GC, event-loop lag, handles) when asked for.
 *
 * Pure modules count in plain fields and maps on their hot paths (a Map increment per fix, not a
 * registry call); the composition root exposes those counts here as series read on scrape.
 * prom-client's own Counter and Gauge need every label name up front, which a series of reject
 * codes or alert kinds learns only as they appear, so each series here is a collector object its
 * registry renders (`name`, `help`, `type`, `get()`: what registry.getMetricsAsString reads).
 */
import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

type Labels = Readonly<Record<string, string>>;
type Read = () => number | Iterable<[Labels, number]>;

interface Value {
  readonly labels: Labels;
  readonly value: number;
}

/** One metric family as prom-client's registry renders it. */
class Series {
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    private readonly values: () => Value[],
  ) {}

  async get(): Promise<{ name: string; help: string; type: 'counter' | 'gauge'; aggregator: 'sum'; values: Value[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }

  reset(): void {}
}

export class Counter {
  /** Label key (sorted, rendered) → labels and count. */
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    const v = this.values.get(key);
    if (v === undefined) this.values.set(key, { labels: sortedLabels(labels), value: by });
    else v.value += by;
  }

  get(labels?: Labels): number {
    return this.values.get(labelKey(labels))?.value ?? 0;
  }

  /** Every count; a counter never incremented reads 0. */
  snapshot(): Value[] {
    return this.values.size === 0 ? [{ labels: {}, value: 0 }] : [...this.values.values()].map((v) => ({ labels: v.labels, value: v.value }));
  }
}

export interface MetricsOptions {
  /** Collect prom-client's process and Node.js metrics (the service does; tests need not). */
  readonly processMetrics?: boolean;
}

export class MetricsRegistry {
  private readonly registry = new Registry();
  private readonly names = new Set<string>();

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  counter(name: string, help: string): Counter {
    const c = new Counter();
    this.add(new Series(name, help, 'counter', () => c.snapshot()));
    return c;
  }

  /** A gauge (or externally kept counter) read when scraped. */
  gauge(name: string, help: string, read: Read, type: 'gauge' | 'counter' = 'gauge'): void {
    this.add(
      new Series(name, help, type, () => {
        const v = read();
        if (typeof v === 'number') return [{ labels: {}, value: v }];
        return [...v].map(([labels, value]) => ({ labels: sortedLabels(labels), value }));
      }),
    );
  }

  /** Every series in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  private add(s: Series): void {
    if (this.names.has(s.name)) throw new Error(`metric ${s.name} registered twice`);
    this.names.add(s.name);
    this.registry.registerMetric(s as unknown as Metric);
  }
}

/** Labels in name order, so one series always renders its labels alike. */
function sortedLabels(labels: Labels | undefined): Labels {
  if (labels === undefined) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = String(labels[k]);
  return out;
}

function labelKey(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  let key = '';
  for (const k of Object.keys(labels).sort()) key += `${k}\u0000${labels[k]}\u0001`;
  return key;
}
