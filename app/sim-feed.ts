import { MqttPublisher } from '../ingest/adapters.js';
import { FleetSimulator, createScenario, type Scenario } from '../sim/index.js';

export interface SimFeedOptions {
  readonly brokerUrl: string;
  readonly topicPrefix: string;
  readonly vessels?: number;
  readonly fleets?: number;
  readonly seed?: number;
  /** Sim seconds per wall second. */
  readonly rate?: number;
  readonly now: () => number;
  readonly clientId?: string;
  /** Most QoS 1 publishes awaiting PUBACK: the backpressure window. */
  readonly maxInFlight?: number;
}

export interface SimFeed {
  readonly scenario: Scenario;
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): { published: number; payloads: number; positionReports: number; simTimeMs: number; lateMs: number };
}

const TICK_MS = 250;
const STOP_GRACE_MS = 10_000;

/**
 * The Zhoushan simulator publishing into a broker in (scaled) real time: sim time starts at the
 * wall clock, so the live picture shows current times. `start()` publishes every vessel's first
 * report (the picture is full at once), then a timer advances sim time and publishes what is due,
 * waiting on the publisher's in-flight window (backpressure) rather than queueing without bound.
 */
export function createSimFeed(o: SimFeedOptions): SimFeed {
  const rate = o.rate ?? 1;
  const wallStart = o.now();
  const scenario = createScenario({ vessels: o.vessels, fleets: o.fleets, seed: o.seed ?? 7, startMs: wallStart });
  const sim = new FleetSimulator(scenario, { topicPrefix: o.topicPrefix });
  let pub: MqttPublisher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let busy = false;
  let payloads = 0;
  let lateMs = 0;

  const publishAll = async (batch: readonly { topic: string; payload: string }[]): Promise<void> => {
    for (const m of batch) {
      await pub!.send(m.topic, m.payload, 1);
      payloads++;
    }
  };

  const tick = async (): Promise<void> => {
    if (!running || busy) return;
    busy = true;
    try {
      const target = scenario.startMs + (o.now() - wallStart) * rate;
      await publishAll(sim.advance(target));
      lateMs = Math.max(0, o.now() - wallStart - (sim.timeMs - scenario.startMs) / rate);
    } finally {
      busy = false;
    }
  };

  return {
    scenario,
    async start() {
      pub = await MqttPublisher.connect(o.brokerUrl, { clientId: o.clientId ?? `seagrid-sim-${process.pid}`, maxInFlight: o.maxInFlight ?? 10_000 });
      running = true;
      await publishAll(sim.start(scenario.startMs));
      // A send failed by stop() (the broker gone) ends that tick; nothing else is left to do with it.
      timer = setInterval(() => void tick().catch(() => undefined), TICK_MS);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearInterval(timer);
      // Bounded: the publisher gives what is unacknowledged STOP_GRACE_MS, then fails it and wakes a
      // tick waiting for a window slot — a broker gone for good kept `seagrid simulate` alive for
      // 85 min past its --duration. Only acknowledged messages count as published.
      if (pub !== undefined) await pub.close(STOP_GRACE_MS);
      while (busy) await new Promise((r) => setTimeout(r, 10));
    },
    stats: () => ({
      published: pub?.state().acked ?? 0,
      payloads,
      positionReports: sim.counters.positionReports,
      simTimeMs: sim.timeMs,
      lateMs,
    }),
  };
}
