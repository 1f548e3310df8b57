import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** The one logger of the process (JSON lines to stderr); adapters get children of it. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'seagrid' } }, pino.destination({ dest: 2, sync: false }));
}
