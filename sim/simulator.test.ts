import { describe, expect, it } from 'vitest';
import type { AisPositionA, AisPositionB } from '../ingest/ais/types.js';
import type { GnssFix } from '../ingest/beidou/index.js';
import { createNmeaDecoder, type DecodeEvent } from '../ingest/index.js';
import { createScenario } from './scenario.js';
import { FleetSimulator, type MqttOut, type SimulatedReport } from './simulator.js';
import { checksumsValid, runFor } from './test-support.js';

const MEDIUM = { vessels: 1000, fleets: 100, merchants: 40, seed: 11 } as const;
const HALF_RES_DEG = 0.5 / 600_000 + 1e-9;

/** Decodes every payload with one streaming decoder, each topic a source (fragments may span payloads). */
function decodeBatches(batches: readonly MqttOut[]): { events: DecodeEvent[]; byTopic: Map<string, DecodeEvent[]> } {
  const decoder = createNmeaDecoder();
  const events: DecodeEvent[] = [];
  const byTopic = new Map<string, DecodeEvent[]>();
  for (const b of batches) {
    const list = byTopic.get(b.topic) ?? [];
    byTopic.set(b.topic, list);
    for (const line of b.payload.split('\r\n')) {
      decoder.decodeLine(line, { source: b.topic, receivedAtMs: b.atMs }, (e) => {
        events.push(e);
        list.push(e);
      });
    }
  }
  return { events, byTopic };
}

const medium = runFor(MEDIUM, 10);
const decoded = decodeBatches(medium.batches);

describe('FleetSimulator output', () => {
  it('every line has a valid checksum (sentence and tag block), CRLF-joined, and none is rejected', () => {
    let lines = 0;
    const bad: string[] = [];
    for (const b of medium.batches) {
      if (/\r(?!\n)|(?<!\r)\n/.test(b.payload)) bad.push(`not CRLF-joined: ${b.topic}`);
      for (const line of b.payload.split('\r\n')) {
        lines++;
        const sentence = line.startsWith('\\') ? line.slice(line.indexOf('\\', 1) + 1) : line;
        if (!checksumsValid(line) || sentence.length > 82) bad.push(line);
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(lines).toBeGreaterThan(10_000);
    expect(decoded.events.filter((e) => e.kind === 'reject')).toEqual([]);
  });

  it('AIS positions decode to exactly the simulated position, speed, course, heading and identity', () => {
    const byKey = new Map<string, Extract<DecodeEvent, { kind: 'ais' }>[]>();
    for (const e of decoded.events) {
      if (e.kind !== 'ais' || (e.msg.type !== 1 && e.msg.type !== 3 && e.msg.type !== 18)) continue;
      const key = `${e.msg.mmsi}|${e.atMs}`;
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [e]);
      else list.push(e);
    }
    // Two reports of one vessel can share a tag-block second (the first after start, fast turns):
    // each decoded copy must match one simulated report of its (mmsi, second).
    const truths = new Map<string, SimulatedReport[]>();
    for (const r of medium.reports) {
      if (r.source !== 'ais') continue;
      const key = `${medium.scenario.vessels[r.vesselIndex]!.mmsi}|${Math.floor(r.atMs / 1000) * 1000}`;
      const list = truths.get(key);
      if (list === undefined) truths.set(key, [r]);
      else list.push(r);
    }
    let compared = 0;
    const problems: string[] = [];
    const check = (ok: boolean, what: string, key: string): void => {
      if (!ok && problems.length < 20) problems.push(`${key}: ${what}`);
    };
    for (const [key, rs] of truths) {
      const copies = byKey.get(key) ?? [];
      const want = rs.flatMap((r) => r.receivers.map((id) => `ais/raw/${id}`)).sort();
      check(JSON.stringify(copies.map((c) => c.source).sort()) === JSON.stringify(want), 'one copy per receiver that heard it', key);
      for (const c of copies) {
        const m = c.msg as AisPositionA | AisPositionB;
        const r = rs.find((x) => x.messageType === m.type && Math.abs(m.lat! - x.lat) <= HALF_RES_DEG && Math.abs(m.lon! - x.lon) <= HALF_RES_DEG);
        check(r !== undefined, 'type and position', key);
        if (r === undefined) continue;
        check(m.sogKn === Math.round(r.sogKn * 10) / 10, `sog ${m.sogKn} vs ${r.sogKn}`, key);
        check(m.cogDeg === (r.cogDeg === undefined ? undefined : (Math.round(r.cogDeg * 10) % 3600) / 10), `cog ${m.cogDeg} vs ${r.cogDeg}`, key);
        check(m.headingDeg === (r.headingDeg === undefined ? undefined : Math.round(r.headingDeg) % 360), `heading ${m.headingDeg} vs ${r.headingDeg}`, key);
        check(m.second === Math.floor(r.atMs / 1000) % 60, 'second', key);
        if (m.type !== 18) {
          check(m.navStatus === r.navStatus, 'nav status', key);
          const rot = r.rotDegMin === undefined ? undefined : Math.sign(r.rotDegMin) * (Math.min(126, Math.round(4.733 * Math.sqrt(Math.abs(r.rotDegMin)))) / 4.733) ** 2;
          check(rot === undefined ? m.rotDegMin === undefined : Math.abs((m.rotDegMin ?? NaN) - rot) < 1e-9, `rot ${m.rotDegMin} vs ${r.rotDegMin}`, key);
        }
        compared++;
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(5000);
  });

  it('BeiDou fixes decode to the simulated position, speed and course, on the card topic', () => {
    const fixes = new Map<string, GnssFix[]>();
    for (const e of decoded.events) {
      if (e.kind !== 'gnss') continue;
      const key = `${e.source}|${e.fix.atMs}`;
      const list = fixes.get(key);
      if (list === undefined) fixes.set(key, [e.fix]);
      else list.push(e.fix);
    }
    let compared = 0;
    for (const r of medium.reports) {
      if (r.source !== 'beidou') continue;
      const v = medium.scenario.vessels[r.vesselIndex]!;
      const got = fixes.get(`beidou/raw/${v.beidouCard}|${Math.floor(r.atMs / 10) * 10}`) ?? [];
      expect(got.length).toBe(v.beidouGga ? 2 : 1);
      for (const f of got) {
        expect(f.talker).toBe(v.beidouTalker);
        expect(Math.abs(f.lat - r.lat)).toBeLessThanOrEqual(HALF_RES_DEG);
        expect(Math.abs(f.lon - r.lon)).toBeLessThanOrEqual(HALF_RES_DEG);
        if (f.sentence === 'RMC') {
          expect(f.sogKn).toBe(r.sogKn);
          expect(f.cogDeg).toBe(r.cogDeg);
        }
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('type 5 and 24 A/B carry the registry identity: names, call signs, type, dimensions', () => {
    const byMmsi = new Map(medium.scenario.vessels.filter((v) => v.mmsi !== undefined).map((v) => [v.mmsi!, v]));
    const seen = { 5: 0, A: 0, B: 0 };
    for (const e of decoded.events) {
      if (e.kind !== 'ais') continue;
      const m = e.msg;
      const v = byMmsi.get(m.mmsi);
      if (m.type === 5) {
        expect(v?.aisClass).toBe('A');
        expect(m.shipname).toBe(v!.aisName);
        expect(m.callsign).toBe(v!.callsign);
        expect(m.imo).toBe(v!.imo);
        expect(m.shipType).toBe(v!.shipType);
        expect(m.destination).toBe(v!.destination);
        expect([m.toBowM, m.toSternM, m.toPortM, m.toStarboardM]).toEqual([v!.dimensions.toBowM, v!.dimensions.toSternM, v!.dimensions.toPortM, v!.dimensions.toStarboardM]);
        seen[5]++;
      } else if (m.type === 24 && m.partno === 0) {
        expect(v?.aisClass).toBe('B');
        expect(m.shipname).toBe(v!.aisName);
        seen.A++;
      } else if (m.type === 24 && m.partno === 1) {
        expect(m.callsign).toBe(v!.callsign);
        expect(m.shipType).toBe(30);
        expect([m.toBowM, m.toSternM, m.toPortM, m.toStarboardM]).toEqual([v!.dimensions.toBowM, v!.dimensions.toSternM, v!.dimensions.toPortM, v!.dimensions.toStarboardM]);
        seen.B++;
      }
    }
    expect(seen[5]).toBeGreaterThan(100);
    expect(seen.A).toBeGreaterThan(100);
    expect(seen.B).toBe(seen.A);
  });

  it('multipart messages split across consecutive payloads of a receiver still decode', () => {
    let splits = 0;
    let multipart = 0;
    for (const b of medium.batches) {
      const lines = b.payload.split('\r\n');
      multipart += lines.filter((l) => l.includes('!AIVDM,2,1,')).length;
      if (lines[lines.length - 1]!.includes('!AIVDM,2,1,')) splits++;
    }
    expect(splits).toBeGreaterThan(20);
    // Every first fragment found its second: one decoded type 5 per multipart message sent.
    const type5 = decoded.events.filter((e) => e.kind === 'ais' && e.msg.type === 5).length;
    expect(type5).toBe(multipart);
    const both = medium.batches.filter((b) => b.payload.includes('\\g:'));
    expect(both.length).toBeGreaterThan(0);
  });

  it('every vessel reports in start(): AIS vessels by AIS, the others by BeiDou, all at the start time', () => {
    const run = runFor({ seed: 3 }, 0);
    const reported = new Set(run.reports.filter((r) => r.atMs === run.scenario.startMs).map((r) => r.vesselIndex));
    expect(reported.size).toBe(run.scenario.vessels.length);
    expect(run.scenario.vessels.length).toBe(8200);
    const aisOnes = new Set(run.reports.filter((r) => r.source === 'ais').map((r) => r.vesselIndex));
    for (const v of run.scenario.vessels) expect(aisOnes.has(v.index)).toBe(v.aisClass !== 'none');
    expect(run.startBatch.every((b) => b.atMs === run.scenario.startMs)).toBe(true);
  });

  it('topics: ais/raw/{receiver} and beidou/raw/{card}, with the prefix option', () => {
    const scenario = createScenario({ vessels: 50, fleets: 5, merchants: 4, seed: 5 });
    const sim = new FleetSimulator(scenario, { topicPrefix: 'zs' });
    const topics = new Set(sim.start().map((b) => b.topic.replace(/\d{7}$/, 'CARD')));
    expect([...topics].sort()).toEqual(
      expect.arrayContaining(['zs/beidou/raw/CARD']),
    );
    for (const t of topics) expect(t).toMatch(/^zs\/(ais\/raw\/(zs-[a-z]+|sat-ecs)|beidou\/raw\/CARD)$/);
  });
});

describe('determinism', () => {
  const canon = (batches: readonly MqttOut[]): string => batches.map((b) => `${b.atMs} ${b.topic} ${b.payload}`).join('\n');

  it('the same seed gives byte-identical output, however time is sliced into advance() calls', () => {
    const opts = { vessels: 300, fleets: 30, merchants: 12, seed: 42 };
    const end = (r: ReturnType<typeof runFor>): MqttOut[] => [...r.batches, ...r.sim.advance(r.scenario.startMs + 300_000), ...r.sim.flush()];
    const a = canon(end(runFor(opts, 5, 1000)));
    expect(canon(end(runFor(opts, 5, 1000)))).toBe(a);
    expect(canon(end(runFor(opts, 5, 37_000)))).toBe(a);
    expect(canon(end(runFor(opts, 0)))).toBe(a);
    expect(a.length).toBeGreaterThan(100_000);
  });

  it('a different seed gives a different scenario', () => {
    const a = createScenario({ vessels: 100, fleets: 10, seed: 1 });
    const b = createScenario({ vessels: 100, fleets: 10, seed: 2 });
    expect(a.registry.map((f) => f.registryNo)).not.toEqual(b.registry.map((f) => f.registryNo));
  });
});

export { decodeBatches };
