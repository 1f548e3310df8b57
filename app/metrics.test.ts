import { describe, expect, it } from 'vitest';
import { MetricsRegistry, RateLimitedLog } from './metrics.js';

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

describe('RateLimitedLog', () => {
  it('logs a bounded number of lines per window and reports what it held back', () => {
    let t = 0;
    const lines: { key: string; suppressed: number }[] = [];
    const log = new RateLimitedLog((key, _f, suppressed) => lines.push({ key, suppressed }), () => t, 3, 1000);
    for (let i = 0; i < 100; i++) log.log('nmea.checksum', { i });
    expect(lines).toHaveLength(3);
    t = 1000;
    log.log('nmea.checksum', {});
    expect(lines.slice(3)).toEqual([
      { key: 'nmea.checksum', suppressed: 97 },
      { key: 'nmea.checksum', suppressed: 0 },
    ]);
  });
});
