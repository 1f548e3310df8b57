import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runFor } from './test-support.js';

/** gpsd's decoder as an independent check, when the machine has it (Debian package gpsd-clients). */
const hasGpsdecode = spawnSync('sh', ['-c', 'command -v gpsdecode'], { encoding: 'utf8' }).status === 0;

interface GpsdAis {
  class: string;
  type: number;
  mmsi: number;
  lat?: number;
  lon?: number;
  speed?: number | string;
  course?: number;
  shipname?: string;
  callsign?: string;
}

describe('cross-check with gpsd', () => {
  it.skipIf(!hasGpsdecode)('gpsdecode decodes a generated receiver feed to the simulated mmsi, lat, lon, speed, course and names', () => {
    const run = runFor({ vessels: 400, fleets: 40, merchants: 20, seed: 21 }, 4);
    // The busiest receiver's feed, payloads in order (a split multipart message stays consecutive).
    const counts = new Map<string, number>();
    for (const b of run.batches) if (b.topic.startsWith('ais/')) counts.set(b.topic, (counts.get(b.topic) ?? 0) + 1);
    const topic = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const receiver = topic.slice('ais/raw/'.length);
    const input = run.batches.filter((b) => b.topic === topic).map((b) => b.payload).join('\r\n') + '\r\n';
    const out = spawnSync('gpsdecode', [], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(out.status).toBe(0);
    const records = out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as GpsdAis);

    const truth = run.reports.filter((r) => r.source === 'ais' && r.receivers.includes(receiver));
    const positions = records.filter((r) => r.type === 1 || r.type === 3 || r.type === 18);
    expect(positions.length).toBe(truth.length);
    const byMmsi = new Map<number, typeof truth>();
    for (const r of truth) {
      const mmsi = run.scenario.vessels[r.vesselIndex]!.mmsi!;
      byMmsi.set(mmsi, [...(byMmsi.get(mmsi) ?? []), r]);
    }
    const problems: string[] = [];
    for (const g of positions) {
      const r = byMmsi.get(g.mmsi)?.find((x) => Math.abs(x.lat - g.lat!) <= 1.5e-6 && Math.abs(x.lon - g.lon!) <= 1.5e-6);
      if (r === undefined) {
        problems.push(`no simulated report for ${JSON.stringify(g)}`);
        continue;
      }
      if (g.speed !== Math.round(r.sogKn * 10) / 10) problems.push(`${g.mmsi} speed ${g.speed} vs ${r.sogKn}`);
      const course = r.cogDeg === undefined ? 360 : (Math.round(r.cogDeg * 10) % 3600) / 10;
      if (g.course !== course) problems.push(`${g.mmsi} course ${g.course} vs ${r.cogDeg}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);

    const vessels = new Map(run.scenario.vessels.filter((v) => v.mmsi !== undefined).map((v) => [v.mmsi!, v]));
    const statics = records.filter((r) => r.type === 5 || r.type === 24);
    expect(statics.length).toBeGreaterThan(20);
    for (const s of statics) {
      const v = vessels.get(s.mmsi)!;
      if (s.shipname !== undefined) expect(s.shipname).toBe(v.aisName);
      if (s.type === 5) expect(s.callsign ?? '').toBe(v.callsign ?? '');
    }
  });
});
