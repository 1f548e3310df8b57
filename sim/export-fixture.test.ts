import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNmeaDecoder } from '../ingest/index.js';
import { scenarioFixture, SMALL_FIXTURE } from './export-fixture.js';

const DIR = new URL('../fixtures/scenarios/', import.meta.url);
const JSON_FILE = new URL('zhoushan-small.json', DIR);
const NDJSON_FILE = new URL(SMALL_FIXTURE.payloadFile, DIR);

describe('fixtures/scenarios/zhoushan-small', () => {
  const fresh = scenarioFixture(SMALL_FIXTURE);
  // Regenerate with: UPDATE_SCENARIO_FIXTURES=1 npx vitest run sim/export-fixture.test.ts
  if (process.env.UPDATE_SCENARIO_FIXTURES === '1') {
    writeFileSync(JSON_FILE, fresh.json);
    writeFileSync(NDJSON_FILE, fresh.ndjson);
  }

  it('is what the simulator produces today, byte for byte (same seed, same output)', () => {
    expect(existsSync(JSON_FILE)).toBe(true);
    expect(readFileSync(JSON_FILE, 'utf8')).toBe(fresh.json);
    expect(readFileSync(NDJSON_FILE, 'utf8')).toBe(fresh.ndjson);
  });

  it('has every incident kind due within its 10 minutes, and payloads that all decode', () => {
    const doc = JSON.parse(fresh.json) as { incidents: { kind: string; expectedAlertAtMs: number }[]; parameters: { startMs: number }; registry: unknown[] };
    expect(new Set(doc.incidents.map((i) => i.kind))).toEqual(new Set(['collision-course', 'route-deviation', 'fleet-straggler', 'signal-lost']));
    for (const i of doc.incidents) expect(i.expectedAlertAtMs - doc.parameters.startMs).toBeLessThanOrEqual(SMALL_FIXTURE.durationMs);
    expect(doc.registry).toHaveLength(46);
    const decoder = createNmeaDecoder();
    const kinds = { ais: 0, gnss: 0, reject: 0 };
    for (const line of fresh.ndjson.trim().split('\n')) {
      const m = JSON.parse(line) as { atMs: number; topic: string; payload: string };
      for (const l of m.payload.split('\r\n')) decoder.decodeLine(l, { source: m.topic, receivedAtMs: m.atMs }, (e) => kinds[e.kind]++);
    }
    expect(kinds.reject).toBe(0);
    expect(kinds.ais).toBeGreaterThan(1000);
    expect(kinds.gnss).toBeGreaterThan(100);
  });
});
