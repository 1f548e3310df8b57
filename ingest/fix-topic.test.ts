import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMmsi, seededRandom, type PositionReport } from '../model/index.js';
import { decodeFixes, encodeFixes, fixTopic, partitionFilter, staticTopic, type FixRecord } from './fix-topic.js';
import { MqttPublisher, MqttSource, type RawFrame } from './mqtt-source.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from './mqtt-test-support.js';

const AIS: PositionReport = { source: 'ais', mmsi: asMmsi(412000001), atMs: 1_751_356_800_000, receivedAtMs: 1_751_356_801_250, lat: 30.01, lon: 122.4, sogKn: 9.2, cogDeg: 87.5, headingDeg: 88, navStatus: 0, receiver: 'zs-01', utcSecond: 0 };
const BD: PositionReport = { source: 'beidou', beidouCard: '0123456' as PositionReport['beidouCard'] & string, atMs: 1_751_356_830_000, receivedAtMs: 1_751_356_830_400, lat: 29.9, lon: 122.7 };

describe('fix topic payload v1', () => {
  it('a position, a BeiDou fix and a static record come back field for field', () => {
    const records: FixRecord[] = [
      { kind: 'position', report: AIS },
      { kind: 'position', report: BD },
      { kind: 'static', static: { mmsi: asMmsi(412000001), atMs: 1_751_356_700_000, name: '浙岱渔 01234', shipType: 30, toBowM: 20 } },
    ];
    const r = decodeFixes(encodeFixes(records));
    expect(r).toEqual({ ok: true, value: records });
  });

  it.each([
    ['not JSON', '{"v":1,"r":['],
    ['another version', '{"v":2,"r":[]}'],
    ['no record list', '{"v":1}'],
    ['an unknown kind', '{"v":1,"r":[["x",{}]]}'],
    ['a position without coordinates', '{"v":1,"r":[["p",{"source":"ais","mmsi":1,"atMs":1,"receivedAtMs":1}]]}'],
    ['a latitude as text', '{"v":1,"r":[["p",{"source":"ais","mmsi":1,"atMs":1,"receivedAtMs":1,"lat":"30","lon":122}]]}'],
    ['no identity', '{"v":1,"r":[["p",{"source":"ais","atMs":1,"receivedAtMs":1,"lat":30,"lon":122}]]}'],
    ['a static name as a number', '{"v":1,"r":[["s",{"mmsi":1,"atMs":1,"name":5}]]}'],
    ['null', 'null'],
  ])('%s: refused as cluster.payload', (_n, text) => {
    const r = decodeFixes(Buffer.from(text));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('cluster.payload');
  });

  it('random bytes and truncations never throw', () => {
    const rnd = seededRandom(5);
    const good = encodeFixes([{ kind: 'position', report: AIS }]);
    for (let i = 0; i < 2000; i++) {
      const b = i % 2 === 0 ? Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256))) : good.subarray(0, Math.floor(rnd() * good.length));
      expect(() => decodeFixes(b)).not.toThrow();
    }
  });

  it('topics: a partition filter matches its cells and no other partition, statics apart', () => {
    expect(fixTopic('', '834b0ffffffffff', '854b0b3ffffffff')).toBe('seagrid/fix/v1/834b0ffffffffff/854b0b3ffffffff');
    expect(partitionFilter('t/', '834b0ffffffffff')).toBe('t/seagrid/fix/v1/834b0ffffffffff/+');
    expect(staticTopic('t/')).toBe('t/seagrid/fix/v1/static');
  });
});

describe.skipIf(!mosquittoAvailable())('MQTT 5 shared subscriptions and changing subscriptions (Debian Mosquitto)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 30_000);
  afterAll(async () => {
    await broker?.dispose();
  });

  const until = async (ok: () => boolean, what: string, ms = 15_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('two members of $share/seagrid-decode: each message to exactly one, both get a share', async () => {
    const got: [string[], string[]] = [[], []];
    const sources = [0, 1].map(
      (i) =>
        new MqttSource({ url: broker.url, clientId: `share-${i}`, topics: ['$share/seagrid-decode/ais/raw/#'], protocolVersion: 5, onFrame: (f: RawFrame) => got[i]!.push(f.payload.toString()) }),
    );
    const pub = await MqttPublisher.connect(broker.url, { protocolVersion: 5 });
    try {
      await Promise.all(sources.map((s) => s.start()));
      for (let n = 0; n < 400; n++) await pub.send(`ais/raw/rx${n % 7}`, `m${n}`);
      await pub.flush();
      await until(() => got[0].length + got[1].length >= 400, 'all 400 delivered');
      await new Promise((r) => setTimeout(r, 300)); // nothing more comes (no copy to both)
      const all = [...got[0], ...got[1]].sort();
      expect(all).toEqual(Array.from({ length: 400 }, (_, n) => `m${n}`).sort());
      expect(got[0].length).toBeGreaterThan(50);
      expect(got[1].length).toBeGreaterThan(50);
    } finally {
      await pub.close();
      await Promise.all(sources.map((s) => s.stop()));
    }
  }, 60_000);

  it('setTopics: a partition handed over stops arriving, a partition taken starts', async () => {
    const got: string[] = [];
    const src = new MqttSource({ url: broker.url, clientId: 'owner-1', topics: [partitionFilter('', 'pA')], protocolVersion: 5, onFrame: (f) => got.push(f.topic) });
    const pub = await MqttPublisher.connect(broker.url);
    try {
      await src.start();
      await pub.publish(fixTopic('', 'pA', 'c1'), 'x');
      await pub.publish(fixTopic('', 'pB', 'c2'), 'x');
      await until(() => got.length >= 1, 'pA message');
      await src.setTopics([partitionFilter('', 'pB'), fixTopic('', 'pA', 'c9')]);
      await pub.publish(fixTopic('', 'pA', 'c1'), 'x');
      await pub.publish(fixTopic('', 'pA', 'c9'), 'x');
      await pub.publish(fixTopic('', 'pB', 'c3'), 'x');
      await until(() => got.length >= 3, 'pA/c9 and pB/c3');
      await new Promise((r) => setTimeout(r, 300));
      expect(got).toEqual(['seagrid/fix/v1/pA/c1', 'seagrid/fix/v1/pA/c9', 'seagrid/fix/v1/pB/c3']);
    } finally {
      await pub.close();
      await src.stop();
    }
  }, 60_000);
});
