/**
 * A small Prometheus text-format registry: counters with labels and gauges read on scrape.
 * Pure modules return counts; the composition root turns them into metrics here.
 */
type Labels = Readonly<Record<string, string>>;

interface Series {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly values: Map<string, number>;
  readonly read?: () => number | ReadonlyMap<string, number> | Iterable<[Labels, number]>;
}

export class Counter {
  constructor(private readonly series: Series) {}

  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    this.series.values.set(key, (this.series.values.get(key) ?? 0) + by);
  }

  get(labels?: Labels): number {
    return this.series.values.get(labelKey(labels)) ?? 0;
  }
}

export class MetricsRegistry {
  private readonly series = new Map<string, Series>();

  counter(name: string, help: string): Counter {
    return new Counter(this.add({ name, help, type: 'counter', values: new Map() }));
  }

  /** A gauge (or externally kept counter) read when scraped. */
  gauge(name: string, help: string, read: () => number | Iterable<[Labels, number]>, type: 'gauge' | 'counter' = 'gauge'): void {
    this.add({ name, help, type, values: new Map(), read });
  }

  render(): string {
    const out: string[] = [];
    for (const s of this.series.values()) {
      out.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
      if (s.read !== undefined) {
        const v = s.read();
        if (typeof v === 'number') out.push(`${s.name} ${fmt(v)}`);
        else for (const [labels, n] of v as Iterable<[Labels, number]>) out.push(`${s.name}${labelKey(labels)} ${fmt(n)}`);
      } else {
        if (s.values.size === 0) out.push(`${s.name} 0`);
        for (const [key, n] of s.values) out.push(`${s.name}${key} ${fmt(n)}`);
      }
    }
    return `${out.join('\n')}\n`;
  }

  private add(s: Series): Series {
    if (this.series.has(s.name)) throw new Error(`metric ${s.name} registered twice`);
    this.series.set(s.name, s);
    return s;
  }
}

function labelKey(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function fmt(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}
