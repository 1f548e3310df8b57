import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelayMs, MqttPublisher, MqttSource, redactUrl, type RawFrame } from './mqtt-source.js';
import { subscriptionFilters } from './topics.js';
import { freePort, mosquittoAvailable, mosquittoPubPath, startMosquitto, type Mosquitto } from './mqtt-test-support.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * Publishes `n` messages of ~1 KB (`${i},xxx…`) on `topic` with mosquitto_pub -l: one message per
 * line, from a process of its own (the test's will be busy handling them).
 */
async function publishBacklog(broker: Mosquitto, topic: string, n: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-backlog-'));
  try {
    const file = path.join(dir, 'lines.txt');
    writeFileSync(file, `${Array.from({ length: n }, (_, i) => `${i},${'x'.repeat(1_000)}`).join('\n')}\n`);
    await run('sh', ['-c', `"$0" -h 127.0.0.1 -p ${broker.port} -q 1 -t ${topic} -l < "$1"`, mosquittoPubPath()!, file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A service saturated by its work: counts message i of `publishBacklog` in `seen`, then spins `busyMs`. */
function busyCounter(seen: Uint8Array | Uint16Array, busyMs: number): (f: RawFrame) => void {
  return (f) => {
    seen[Number.parseInt(f.payload.toString('latin1'), 10)]!++;
    const busyUntil = performance.now() + busyMs;
    while (performance.now() < busyUntil);
  };
}

describe('reconnect backoff and state helpers', () => {
  it('doubles from minMs, never exceeds maxMs, never goes below minMs, jitters within the upper half', () => {
    const o = { minMs: 100, maxMs: 2_000 };
    expect([0, 1, 2, 3, 4, 5, 10, 100, 5_000].map((a) => backoffDelayMs(a, o, () => 0))).toEqual([
      100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000, 2_000,
    ]);
    // random() = 1 takes the lower end of the jitter band: base/2, but not below minMs.
    expect([0, 1, 3, 5, 40].map((a) => backoffDelayMs(a, o, () => 1))).toEqual([100, 100, 400, 1_000, 1_000]);
    for (let a = 0; a < 50; a++) {
      const d = backoffDelayMs(a, o);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(2_000);
    }
  });

  it('shows the URL without credentials', () => {
    expect(redactUrl('mqtt://user:secret@broker.example:1883')).toBe('mqtt://broker.example:1883');
    expect(redactUrl('mqtts://broker.example:8883/')).toBe('mqtts://broker.example:8883/');
  });

  it('builds the contract subscriptions under an optional prefix', () => {
    expect(subscriptionFilters()).toEqual(['ais/raw/#', 'beidou/raw/#', 'bds/raw/#']);
    expect(subscriptionFilters('site1/')).toEqual(['site1/ais/raw/#', 'site1/beidou/raw/#', 'site1/bds/raw/#']);
  });
});

describe('MqttSource with no broker listening', () => {
  it('rejects start() after its timeout, records the error, reports it at a bounded rate, stops cleanly', async () => {
    const port = await freePort();
    const reported: [string, number][] = [];
    const source = new MqttSource({
      url: `mqtt://u:p@127.0.0.1:${port}`,
      clientId: 'no-broker',
      topics: subscriptionFilters(),
      reconnect: { minMs: 20, maxMs: 40 },
      startTimeoutMs: 800,
      errorIntervalMs: 10_000,
      onFrame: () => undefined,
      onError: (e, suppressed) => reported.push([e.message, suppressed]),
    });
    await expect(source.start()).rejects.toThrow(/not ready within 800 ms: connect ECONNREFUSED/);
    const s = source.state();
    expect(s).toMatchObject({ connected: false, subscribed: false, url: `mqtt://127.0.0.1:${port}` });
    expect(s.lastError).toMatch(/ECONNREFUSED/);
    // Still retrying in the background after the rejection (counted, not timed: a loaded machine retries less often).
    await until(() => source.state().reconnects > s.reconnects && source.state().errors >= 2, 10_000, 'retries after the rejection');
    expect(reported).toHaveLength(1); // the same text again within the interval is only counted
    await source.stop();
    const after = source.state().reconnects;
    await sleep(200);
    expect(source.state().reconnects).toBe(after);
  });
});

describe.skipIf(!mosquittoAvailable())('needs Debian mosquitto: MqttSource and MqttPublisher against a real broker', () => {
  let broker: Mosquitto;

  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  it('receives what the real mosquitto_pub client publishes, byte-exact with its topic (-m and -f)', async () => {
    const frames: RawFrame[] = [];
    const source = new MqttSource({ url: broker.url, clientId: 'mosq-pub-cli', topics: subscriptionFilters(), onFrame: (f) => frames.push(f) });
    await source.start();
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-pub-'));
    try {
      const pub = mosquittoPubPath()!;
      const common = ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1'];
      const message =
        '\\s:r3669961,c:1700000000*0B\\!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C\r\n' +
        '!AIVDM,2,1,3,B,55NBjP01mtGIL@CW;SM<D60P5Ld000000000000P0`<3557l0<50@kk@,0*66,b003669976,1272672016\r\n';
      await run(pub, [...common, '-t', 'ais/raw/test', '-m', message]);
      // A file payload may hold anything: NUL, non-UTF-8 bytes, bare LF and CRLF.
      const fileBytes = Buffer.concat([Buffer.from('$BDRMC,023044.00,A,2959.9000,N,12210.5000,E,7.5,85.0,150324,,,A*7B\n'), Buffer.from([0, 0xb0, 0xff, 13, 10])]);
      const file = path.join(dir, 'payload.bin');
      writeFileSync(file, fileBytes);
      await run(pub, [...common, '-t', 'beidou/raw/10086', '-f', file]);
      await run(pub, [...common, '-t', 'elsewhere/raw/1', '-m', 'ignored']);
      await until(() => frames.length >= 2, 5_000, 'two frames');
      await sleep(100);
      expect(frames.map((f) => f.topic)).toEqual(['ais/raw/test', 'beidou/raw/10086']);
      expect(frames[0]!.payload.equals(Buffer.from(message, 'utf8'))).toBe(true);
      expect(frames[1]!.payload.equals(fileBytes)).toBe(true);
      expect(source.state()).toMatchObject({ messages: 2, bytes: Buffer.byteLength(message) + fileBytes.length });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await source.stop();
    }
  });

  it('loses no QoS 1 message when the broker restarts mid-stream (persistent session, outgoing store)', async () => {
    const N = 5_000;
    const seen = new Uint16Array(N);
    let stray = 0;
    const reconnect = { minMs: 100, maxMs: 1_000 };
    const source = new MqttSource({
      url: broker.url,
      clientId: 'seagrid-restart-src',
      topics: ['ais/raw/#'],
      reconnect,
      onFrame: (f) => {
        const n = Number(f.payload.toString('latin1'));
        if (Number.isInteger(n) && n >= 0 && n < N) seen[n]!++;
        else stray++;
      },
    });
    await source.start();
    const pub = await MqttPublisher.connect(broker.url, { clientId: 'seagrid-restart-pub', reconnect, maxInFlight: 500 });

    let downMs = 0;
    let restart: Promise<void> | undefined;
    const t0 = Date.now();
    for (let i = 0; i < N; i++) {
      await pub.send('ais/raw/restart', String(i), 1);
      if (i % 50 === 49) await sleep(40); // ≈1,000/s, so the stream spans the outage
      if (i === 1_500) {
        restart = (async () => {
          await broker.stop();
          const down = Date.now();
          await sleep(2_000);
          await broker.restart();
          downMs = Date.now() - down;
        })();
      }
    }
    await pub.flush();
    await restart;
    await until(() => seen.every((c) => c > 0), 30_000, `all ${N} numbers received`).catch(() => undefined);
    const distinct = seen.reduce((a, c) => a + (c > 0 ? 1 : 0), 0);
    const received = seen.reduce((a, c) => a + c, 0);
    const figures = {
      published: N,
      receivedDistinct: distinct,
      duplicates: received - distinct,
      missing: N - distinct,
      brokerDownMs: downMs,
      totalMs: Date.now() - t0,
      publisherReconnects: pub.state().reconnects,
      sourceReconnects: source.state().reconnects,
    };
    console.log(`[restart figures] ${JSON.stringify(figures)}`);
    expect(stray).toBe(0);
    expect(pub.state()).toMatchObject({ published: N, acked: N, failed: 0 });
    expect(figures.publisherReconnects).toBeGreaterThan(0);
    expect(figures.sourceReconnects).toBeGreaterThan(0);
    expect(downMs).toBeGreaterThanOrEqual(2_000);
    expect(distinct, broker.log()).toBe(N);
    await pub.close();
    await source.stop();
  });

  it('caps the reconnect backoff while the broker is down, then reconnects', async () => {
    const source = new MqttSource({
      url: broker.url,
      clientId: 'seagrid-backoff',
      topics: ['ais/raw/#'],
      reconnect: { minMs: 50, maxMs: 400 },
      onFrame: () => undefined,
    });
    await source.start();
    await broker.stop();
    // A "broker" that accepts TCP and hangs up at once: every reconnect attempt shows up as an
    // accepted connection, so the delays between attempts can be measured from outside.
    const attempts: number[] = [];
    const sockets = new Set<Socket>();
    const observer = createServer((s) => {
      attempts.push(Date.now());
      sockets.add(s);
      s.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      observer.once('error', reject);
      observer.listen(broker.port, '127.0.0.1', () => resolve());
    });
    await sleep(4_000);
    await new Promise<void>((resolve) => observer.close(() => resolve()));
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    console.log(`[backoff gaps ms] ${JSON.stringify(gaps)}`);
    // Uncapped doubling from 50 ms would make ~6 attempts in 4 s with gaps of 800 and 1600 ms.
    expect(attempts.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(400 + 250); // cap + scheduling slack on a busy box
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(200); // it did back off beyond minMs
    expect(gaps[0]!).toBeLessThan(200); // and started small
    await broker.restart();
    await until(() => source.state().connected, 5_000, 'reconnected');
    expect(source.state().reconnects).toBeGreaterThanOrEqual(attempts.length);
    await source.stop();
  });
});

describe.skipIf(!mosquittoAvailable())('needs Debian mosquitto: a busy subscriber behind a backlog', () => {
  it('keeps its link while it works through a backlog longer than its keepalive (received messages count as signs of life)', async () => {
    // Unbounded in-flight window: the broker writes the whole backlog ahead of any PINGRESP, as in ingest-load.
    const broker = await startMosquitto({ extraConfig: ['max_inflight_messages 0'] });
    // 20,000 messages of 1 KB: the backlog (20 MB) outgrows the socket buffers, so the broker holds
    // the rest and the PINGRESP waits behind it, while the subscriber reads ~2 MB per loop turn (its
    // timers run between turns). Plain mqtt.js dropped this link 2–3 times per run (9 runs of 9).
    const N = 20_000;
    const seen = new Uint8Array(N);
    // 0.2 ms per message: 4 s for the backlog, the keepalive 1 s.
    const source = new MqttSource({ url: broker.url, clientId: 'seagrid-busy-src', topics: ['ais/raw/#'], keepaliveS: 1, onFrame: busyCounter(seen, 0.2) });
    try {
      await source.start();
      await publishBacklog(broker, 'ais/raw/backlog', N);
      await until(() => seen.every((c) => c > 0), 60_000, `all ${N} messages`);
      expect(source.state().reconnects).toBe(0);
      expect(seen.every((c) => c === 1)).toBe(true); // no drop, so no redelivery
    } finally {
      await source.stop();
      await broker.dispose();
    }
  }, 90_000);
});

describe.skipIf(!mosquittoAvailable())('needs Debian mosquitto: the event loop behind a backlog', () => {
  /**
   * Works through a backlog of `n` 1 KB messages at 0.5 ms each and returns the longest wait of a
   * 5 ms interval timer meanwhile (from the first message to the last): how long the rest of the
   * service (the store's database connections, /ws, HTTP) waits for its turn.
   */
  async function longestTimerWait(broker: Mosquitto, clientId: string, turnBudgetMs: number | undefined, n: number): Promise<{ waitMs: number; seen: Uint8Array; yields: number }> {
    const seen = new Uint8Array(n);
    let first = NaN;
    let last = NaN;
    const count = busyCounter(seen, 0.5);
    const source = new MqttSource({
      url: broker.url,
      clientId,
      topics: ['ais/raw/#'],
      ...(turnBudgetMs === undefined ? {} : { turnBudgetMs }),
      onFrame: (f) => {
        const now = performance.now();
        if (Number.isNaN(first)) first = now;
        last = now;
        count(f);
      },
    });
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 5);
    try {
      await source.start();
      await publishBacklog(broker, 'ais/raw/turns', n);
      await until(() => seen.every((c) => c > 0), 60_000, `all ${n} messages`);
      const during = [first, ...ticks.filter((t) => t > first && t < last), last];
      let waitMs = 0;
      for (let i = 1; i < during.length; i++) waitMs = Math.max(waitMs, during[i]! - during[i - 1]!);
      return { waitMs, seen, yields: source.state().yields };
    } finally {
      clearInterval(timer);
      await source.stop();
    }
  }

  it('stops promptly in the middle of a backlog, and a restart on the same session gets every message not yet handled', async () => {
    const broker = await startMosquitto({ extraConfig: ['max_inflight_messages 0'] });
    const N = 8_000;
    const seen = new Uint16Array(N);
    const onFrame = busyCounter(seen, 0.5);
    const first = new MqttSource({ url: broker.url, clientId: 'seagrid-stopmid', topics: ['ais/raw/#'], onFrame });
    try {
      await first.start();
      await publishBacklog(broker, 'ais/raw/stopmid', N);
      await until(() => first.state().messages >= 1_000, 30_000, '1,000 messages');
      const t0 = performance.now();
      await first.stop(5_000);
      const stopMs = performance.now() - t0;
      const handledBefore = first.state().messages;
      console.log('[stop mid-backlog ms; messages handled]', Math.round(stopMs), handledBefore);
      expect(handledBefore).toBeLessThan(N); // stopped with a backlog left
      // A deferred callback left uncalled held the socket unread: stop() waited out its 5 s.
      expect(stopMs).toBeLessThan(4_000);
      const second = new MqttSource({ url: broker.url, clientId: 'seagrid-stopmid', topics: ['ais/raw/#'], onFrame });
      try {
        await second.start();
        await until(() => seen.every((c) => c > 0), 60_000, `all ${N} messages`);
      } finally {
        await second.stop();
      }
      // At least once: a message handled but not acknowledged at the stop comes again.
      expect(seen.every((c) => c >= 1 && c <= 2)).toBe(true);
    } finally {
      await first.stop();
      await broker.dispose();
    }
  }, 90_000);

  it('gives the loop back within its turn budget while it works through a backlog, losing and doubling nothing', async () => {
    const broker = await startMosquitto({ extraConfig: ['max_inflight_messages 0'] });
    try {
      const N = 8_000; // 4 s of work
      // mqtt.js alone (no budget): whole socket reads of messages in one turn, the timer waits for them.
      const plain = await longestTimerWait(broker, 'seagrid-turns-plain', Number.POSITIVE_INFINITY, N);
      expect(plain.waitMs).toBeGreaterThan(300);
      expect(plain.yields).toBe(0);
      // The default budget (20 ms): the timer's wait stays near it (the OS may still hold the process).
      const budget = await longestTimerWait(broker, 'seagrid-turns-budget', undefined, N);
      console.log('[longest timer wait ms: plain, budget; yields]', Math.round(plain.waitMs), Math.round(budget.waitMs), budget.yields);
      // Near the budget alone (42 ms); 111 ms in a full `npm test` sharing 2 cores with other suites.
      expect(budget.waitMs).toBeLessThan(300);
      expect(budget.waitMs * 4).toBeLessThan(plain.waitMs);
      expect(budget.yields).toBeGreaterThan(N * 0.5 / 1000 / 0.04); // at least a yield per 40 ms of work
      expect(budget.seen.every((c) => c === 1)).toBe(true);
    } finally {
      await broker.dispose();
    }
  }, 90_000);
});
