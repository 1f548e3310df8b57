import type { Logger } from './logger.js';
import type { VesselRegistry } from '../model/index.js';

export interface Demo {
  readonly registry: VesselRegistry;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DemoOptions {
  readonly brokerUrl: string;
  readonly topicPrefix: string;
  readonly log: Logger;
  readonly now: () => number;
}

/** The built-in Zhoushan feed: wired once the simulator lands (issue 3). */
export async function startDemo(options: DemoOptions): Promise<Demo | undefined> {
  options.log.warn('demo feed: not yet (the Zhoushan simulator is being built)');
  return undefined;
}
