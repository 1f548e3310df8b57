import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.js';

describe('MetricsRegistry', () => {
  it('renders counters with labels and gauges in Prometheus text format', () => {
    const m = new MetricsRegistry();
    const rej = m.counter('seagrid_rejected_total', 'rejected records by code');
    rej.inc({ code: 'nmea.checksum' });
    rej.inc({ code: 'nmea.checksum' });
    rej.inc({ code: 'ais.short_payload' }, 3);
    m.gauge('seagrid_vessels', 'vessels in the live picture', () => 42);
    const text = m.render();
    expect(text).toContain('# TYPE seagrid_rejected_total counter');
    expect(text).toContain('seagrid_rejected_total{code="nmea.checksum"} 2');
    expect(text).toContain('seagrid_rejected_total{code="ais.short_payload"} 3');
    expect(text).toContain('seagrid_vessels 42');
    expect(() => m.counter('seagrid_vessels', 'again')).toThrow();
  });
});
