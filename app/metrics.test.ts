import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.js';

describe('MetricsRegistry', () => {
  it('renders counters with labels and gauges in Prometheus text format', async () => {
    const m = new MetricsRegistry();
    const rej = m.counter('seagrid_rejected_total', 'rejected records by code');
    rej.inc({ code: 'nmea.checksum' });
    rej.inc({ code: 'nmea.checksum' });
    rej.inc({ code: 'ais.short_payload' }, 3);
    m.gauge('seagrid_vessels', 'vessels in the live picture', () => 42);
    const text = await m.render();
    expect(text).toContain('# TYPE seagrid_rejected_total counter');
    expect(text).toContain('seagrid_rejected_total{code="nmea.checksum"} 2');
    expect(text).toContain('seagrid_rejected_total{code="ais.short_payload"} 3');
    expect(text).toContain('seagrid_vessels 42');
    expect(() => m.counter('seagrid_vessels', 'again')).toThrow();
  });

  it('labels in name order, escaped as the exposition format says (backslash, quote, newline); a counter never incremented reads 0', async () => {
    const m = new MetricsRegistry();
    m.counter('seagrid_idle_total', 'never incremented');
    m.gauge('seagrid_grid_occupancy', 'vessels by grid', () => [[{ layer: 'static', grid: 'a"b\\c\nd' }, 3]]);
    m.gauge('seagrid_ratio', 'not a number yet', () => Number.NaN);
    const text = await m.render();
    expect(text).toContain('seagrid_idle_total 0');
    // Text format 0.0.4: label values escape \\, \" and \n (prometheus.io/docs/instrumenting/exposition_formats).
    expect(text).toContain('seagrid_grid_occupancy{grid="a\\"b\\\\c\\nd",layer="static"} 3');
    // prom-client writes `Nan`; Prometheus reads values with Go's ParseFloat, which takes NaN in any case.
    expect(text).toMatch(/^seagrid_ratio nan$/im);
  });

  it('with process metrics: the Node.js and process series of the ecosystem, beside ours', async () => {
    const m = new MetricsRegistry({ processMetrics: true });
    m.gauge('seagrid_vessels', 'vessels in the live picture', () => 1);
    const text = await m.render();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).toContain('seagrid_vessels 1');
  });
});
