/**
 * Live ingest end to end with real parts: Debian Mosquitto, the real `mosquitto_pub` client, our
 * MqttSource and the pipeline. Expected positions come from `seagrid decode` of the same lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttSource } from '../ingest/adapters.js';
import { subscriptionFilters } from '../ingest/index.js';
import { mosquittoAvailable, mosquittoPubPath, startMosquitto, type Mosquitto } from '../ingest/mqtt-test-support.js';
import { VesselRegistry } from '../model/index.js';
import { runDecode } from './decode-command.js';
import { MetricsRegistry } from './metrics.js';
import { Pipeline } from './pipeline.js';
import { exposePipelineMetrics } from './pipeline-metrics.js';

const CAPTURE = 'fixtures/ais/gpsd/ais-raw-messages.log';
const LINE_104 = readFileSync(CAPTURE, 'latin1').split('\n')[103]!.trim();

/** Last scaled position per MMSI that `seagrid decode` prints for the capture (types 1–3, 18, 19). */
async function decodeExpectations(file: string): Promise<Map<number, { lat: number; lon: number }>> {
  let text = '';
  await runDecode([file], { unscaled: false }, { stdinFd: -1, out: (b) => (text += Buffer.from(b).toString('latin1')), err: () => undefined, nowMs: () => 0 });
  const last = new Map<number, { lat: number; lon: number }>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const o = JSON.parse(line) as { type: number; mmsi: number; lat?: number; lon?: number };
    if ([1, 2, 3, 18, 19].includes(o.type) && o.lat !== undefined && o.lon !== undefined && Math.abs(o.lat) <= 90)
      last.set(o.mmsi, { lat: o.lat, lon: o.lon });
  }
  return last;
}

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!mosquittoAvailable() || mosquittoPubPath() === undefined)(
  'needs Debian mosquitto + mosquitto_pub: live ingest through a real broker',
  () => {
    let broker: Mosquitto;
    let source: MqttSource;
    let pipeline: Pipeline;
    const metrics = new MetricsRegistry();
    let frames = 0;
    const dir = mkdtempSync(join(tmpdir(), 'seagrid-e2e-'));

    beforeAll(async () => {
      broker = await startMosquitto();
      pipeline = new Pipeline({ topicPrefix: '', registry: VesselRegistry.empty(), live: { maxFutureMs: Infinity } });
      exposePipelineMetrics(metrics, pipeline);
      source = new MqttSource({
        url: broker.url,
        clientId: 'seagrid-e2e',
        topics: subscriptionFilters(''),
        onFrame: (f) => {
          frames++;
          pipeline.onFrame(f);
        },
      });
      await source.start();
    });

    afterAll(async () => {
      await source?.stop();
      await broker?.dispose();
    });

    const pub = (topic: string, args: string[]): void => {
      execFileSync(mosquittoPubPath()!, ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-t', topic, ...args]);
    };

    it('assembles a multipart message split across two MQTT messages', async () => {
      // gpsd ais-raw-messages.log: a type 3 of MMSI 249971000 (line 25), then its type 5 (lines
      // 104–105, "CHRYSOPIGI", call sign 9HA4454 per gpsd's .chk) with each fragment in its own payload.
      const before = frames;
      pub('ais/raw/rx-split', ['-m', '!AIVDM,1,1,,A,33fI1>0001QacOHEdQD1<6vl04g3,0*16']);
      pub('ais/raw/rx-split', ['-m', LINE_104]);
      pub('ais/raw/rx-split', ['-m', '!AIVDM,2,2,9,A,88888888883,2*2E']);
      await until(() => frames >= before + 3, 10_000);
      const v = pipeline.live.get('249971000');
      expect(v?.ais?.name).toBe('CHRYSOPIGI');
      expect(v?.ais?.callsign).toBe('9HA4454');
    });

    it('a capture published with mosquitto_pub shows in the live picture exactly as seagrid decode reads it', async () => {
      const expected = await decodeExpectations(CAPTURE);
      expect(expected.size).toBeGreaterThan(10);
      const before = frames;
      pub('ais/raw/rx-gpsd', ['-f', CAPTURE]);
      await until(() => frames > before, 10_000);
      for (const [mmsi, pos] of expected) {
        const v = pipeline.live.get(String(mmsi).padStart(9, '0'));
        expect(v, `vessel ${mmsi}`).toBeDefined();
        // gpsd prints 7 decimals; the live picture holds the exact value.
        expect(v!.lat, `lat ${mmsi}`).toBeCloseTo(pos.lat, 6);
        expect(v!.lon, `lon ${mmsi}`).toBeCloseTo(pos.lon, 6);
      }
    });

    it('a payload with corrupt lines keeps its good lines and counts the bad ones', async () => {
      const good1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'; // 371798000, gpsd sample.aivdm
      const good2 = '!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42'; // 440348000
      const file = join(dir, 'mixed.nmea');
      writeFileSync(file, [good1.replace('*4A', '*00'), 'garbage line', good2, '!AIVDM,1,1,,A,1,0*', good1].join('\r\n'));
      const rejectedBefore = await rejectedTotal();
      const before = frames;
      pub('ais/raw/rx-mixed', ['-f', file]);
      await until(() => frames > before, 10_000);
      expect(pipeline.live.get('440348000')?.lat).toBeCloseTo(43.08015, 5);
      expect(pipeline.live.get('371798000')?.lon).toBeCloseTo(-123.395383333, 5);
      expect((await rejectedTotal()) - rejectedBefore).toBe(3);
    });

    it('a BeiDou terminal on bds/raw/{card} (the Zhoushan gateway spelling) reaches the live picture through the broker', async () => {
      // Independent expectation: 29°52.8000′N 122°31.2000′E, 3.6 kn, 95.0° in the RMC below (fixtures/geo/sample-feed-lines.tsv).
      const line = '\\s:bd1234567,c:1760238900*0A\\$GNRMC,031500.00,A,2952.8000,N,12231.2000,E,3.6,95.0,121025,,,A,V*04';
      const before = frames;
      pub('bds/raw/bd1234567', ['-m', line]);
      await until(() => frames > before, 10_000);
      const v = pipeline.live.get('bd1234567');
      expect(v?.lat).toBeCloseTo(29 + 52.8 / 60, 9);
      expect(v?.lon).toBeCloseTo(122 + 31.2 / 60, 9);
      expect(v?.atMs).toBe(Date.parse('2025-10-12T03:15:00Z'));
    });

    async function rejectedTotal(): Promise<number> {
      const m = await metrics.render();
      return [...m.matchAll(/^seagrid_rejected_total\{[^}]*\} (\d+)$/gm)].reduce((a, x) => a + Number(x[1]), 0);
    }
  },
);

