import type { Readable, Writable } from 'node:stream';
import { describeSettings, loadConfig } from './config.js';

export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly nowMs: () => number;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopSignal: Promise<string>;
}

/** The commands and their options (docs/CONTRACTS.md is generated from this text). */
export const USAGE = `seagrid — maritime vessel monitoring and sea grids (Zhoushan)

usage:
  seagrid serve                 the service (what \`npm start\` runs)
  seagrid decode [-u] [FILE…]   NMEA (AIS any talker, tag blocks, multipart; BeiDou RMC/GGA/GNS/GLL)
                                → gpsd JSON on stdout, one rejection per stderr line; FILE may be .gz;
                                no FILE or '-' reads stdin; -u prints gpsd's unscaled fields
  seagrid simulate [--mqtt URL] [--vessels 8000] [--fleets 770] [--rate 1] [--seed 7] [--prefix P] [--duration S]
                   [--start ISO]
                                publish the Zhoushan scenario (AIS + BeiDou NMEA) to a broker; prints the
                                scripted incidents with their expected alert times first; --start fixes the
                                sim clock's start (two runs then send the same reports at the same times)
  seagrid replay FILE… [--mqtt URL] [--topic ais/raw/replay] [--speed X | --as-fast-as-possible]
                                publish a recorded capture to MQTT, paced by its tag-block times
  seagrid user add NAME --role officer|fleet_leader|analyst|admin|liaison [--fleets F1,F2] [--name TEXT]
  seagrid user passwd NAME      users who sign in, kept in the store (DATABASE_URL or DATA_DIR; not while
  seagrid user list             a service holds the embedded one); the password is the first line of stdin
  seagrid user hash             prints the scrypt passwordHash of USERS_FILE for the password on stdin
  seagrid user acl [--service NAME]
                                prints a Mosquitto acl_file from the users: a fleet leader reads his fleets'
                                alerts/ and dispatch/ topics only (docs/CONTRACTS.md, MQTT topics out)
  seagrid migrate               applies the store's pending migrations and retention policy to DATABASE_URL
                                and exits: run as the schema's owner before the service (deploy/)
  seagrid verify-pack FILE      checks an evidence pack (GET /api/alerts/{id}/evidence) against its manifest:
                                names each changed, missing or extra file; exit 1 on any fault
`;

const HELP = `${USAGE}
environment:
${describeSettings()}
`;

export async function runCli(io: CliIo): Promise<number> {
  const [command, ...rest] = io.argv;
  switch (command) {
    case 'decode':
      // main.ts hands `decode` to decode-main.ts before this module is loaded.
      io.stderr.write('seagrid decode: run it as `seagrid decode` (bin/seagrid.js or dist/app/main.js)\n');
      return 2;
    case 'serve':
    case undefined: {
      const loaded = loadConfig(io.env);
      if (!loaded.ok) {
        io.stderr.write(`seagrid: configuration problems:\n  ${loaded.problems.join('\n  ')}\n`);
        return 2;
      }
      // Loaded when used: `seagrid decode` starts without the broker, logger and web modules.
      const { runServe } = await import('./serve.js');
      return runServe(loaded.config, io);
    }
    case 'replay': {
      const { parseReplayArgs, runReplay } = await import('./replay-command.js');
      const args = parseReplayArgs(rest, defaultBrokerUrl(io.env));
      if (typeof args === 'string') {
        io.stderr.write(`seagrid replay: ${args}\n\n${HELP}`);
        return 2;
      }
      return runReplay(args, io.stdout, io.nowMs);
    }
    case 'simulate': {
      const { parseSimulateArgs, runSimulate } = await import('./simulate-command.js');
      const args = parseSimulateArgs(rest, defaultBrokerUrl(io.env));
      if (typeof args === 'string') {
        io.stderr.write(`seagrid simulate: ${args}\n\n${HELP}`);
        return 2;
      }
      return runSimulate(args, io.stdout, io.nowMs, io.stopSignal);
    }
    case 'user': {
      const { parseUserArgs, runUser, USER_USAGE } = await import('./user-command.js');
      const args = parseUserArgs(rest);
      const loaded = loadConfig(io.env);
      if (typeof args === 'string' || !loaded.ok) {
        io.stderr.write(`seagrid user: ${typeof args === 'string' ? args : loaded.ok ? '' : loaded.problems.join('; ')}\n\n${USER_USAGE}\n`);
        return 2;
      }
      return runUser(args, loaded.config, io);
    }
    case 'migrate': {
      const { runMigrate } = await import('./migrate-command.js');
      return runMigrate(io.env, io.stdout, io.stderr);
    }
    case 'verify-pack': {
      const { runVerifyPack } = await import('./verify-pack.js');
      return runVerifyPack(rest, io.stdout, io.stderr);
    }
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(HELP);
      return 0;
    default:
      io.stderr.write(`seagrid: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
      return 2;
  }
}

/** MQTT_URL, else the embedded broker's address on MQTT_PORT. */
function defaultBrokerUrl(env: CliIo['env']): string {
  const loaded = loadConfig(env);
  if (!loaded.ok) return 'mqtt://127.0.0.1:1883';
  return loaded.config.mqttUrl ?? `mqtt://127.0.0.1:${loaded.config.mqttPort}`;
}
