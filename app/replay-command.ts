import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { MqttPublisher } from '../ingest/adapters.js';
import { replayCapture } from '../sim/index.js';

export interface ReplayArgs {
  readonly files: readonly string[];
  readonly mqttUrl: string;
  readonly topic: string;
  readonly speed: number;
  readonly asFastAsPossible: boolean;
}

/** Parses `seagrid replay` arguments: FILE… [--mqtt URL] [--topic T] [--speed X | --as-fast-as-possible]. */
export function parseReplayArgs(argv: readonly string[], defaultUrl: string): ReplayArgs | string {
  const files: string[] = [];
  let mqttUrl = defaultUrl;
  let topic = 'ais/raw/replay';
  let speed = 1;
  let asFastAsPossible = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => argv[++i];
    if (a === '--mqtt') mqttUrl = value() ?? '';
    else if (a === '--topic') topic = value() ?? '';
    else if (a === '--speed') speed = Number(value());
    else if (a === '--as-fast-as-possible') asFastAsPossible = true;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else files.push(a);
  }
  if (files.length === 0) return 'no capture file given';
  if (!(speed > 0)) return '--speed must be a positive number';
  if (mqttUrl === '' || topic === '') return '--mqtt and --topic need a value';
  return { files, mqttUrl, topic, speed, asFastAsPossible };
}

/** `seagrid replay`: publish recorded NMEA to a broker, paced by its tag-block times. */
export async function runReplay(args: ReplayArgs, out: Writable, now: () => number): Promise<number> {
  const pub = await MqttPublisher.connect(args.mqttUrl, { clientId: `seagrid-replay-${process.pid}` });
  try {
    for (const file of args.files) {
      const raw = createReadStream(file);
      const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
      const lines = createInterface({ input, crlfDelay: Infinity });
      const counts = await replayCapture(lines, {
        topic: args.topic,
        speed: args.speed,
        asFastAsPossible: args.asFastAsPossible,
        publish: (t, p) => pub.send(t, p, 1),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        now,
      });
      await pub.flush();
      out.write(`${JSON.stringify({ file, ...counts })}\n`);
    }
  } finally {
    await pub.close();
  }
  return 0;
}
