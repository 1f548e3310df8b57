/**
 * Start and stop of the service's parts. A part's stop is registered the moment the part exists,
 * before it is ready (an MQTT client still retrying its first connection is stopped too); parts
 * stop once, in reverse order; a stop asked for during the start ends the step in progress at
 * once, and a part that finishes starting after that is stopped as soon as it arrives.
 */

/** What a start step rejects with once `stop()` was called. */
export class StartAborted extends Error {
  constructor() {
    super('stopped during start');
  }
}

export class Lifecycle {
  private readonly stops: { readonly name: string; readonly stop: () => Promise<void> }[] = [];
  /** Steps still starting, each settled only after its part (if any) is registered. */
  private readonly starting = new Set<Promise<void>>();
  private stopping: Promise<void> | undefined;
  private abort: () => void = () => undefined;
  private readonly aborted = new Promise<never>((_, reject) => {
    this.abort = () => reject(new StartAborted());
  });

  /** `onStopped` hears how long each part took to stop: a shutdown that hangs names its part in the log. */
  constructor(
    private readonly onStopError: (part: string, error: Error) => void,
    private readonly onStopped: (part: string, ms: number) => void = () => undefined,
  ) {
    this.aborted.catch(() => undefined); // observed through step()
  }

  /** Registers how to stop a part; one registered once stopping has begun is stopped too. */
  add(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop });
    if (this.stopping !== undefined) this.stopping = this.stopping.then(() => this.drain());
  }

  /**
   * Awaits one start step, or rejects with `StartAborted` as soon as `stop()` is called. With
   * `stopPart`, the part the step yields is registered when it arrives, also after an abort.
   */
  step<T>(starting: Promise<T>, name?: string, stopPart?: (part: T) => Promise<void>): Promise<T> {
    const tracked = starting.then(
      (part) => {
        if (name !== undefined && stopPart !== undefined) this.add(name, () => stopPart(part));
      },
      () => undefined,
    );
    this.starting.add(tracked);
    void tracked.finally(() => this.starting.delete(tracked));
    return Promise.race([starting, this.aborted]);
  }

  get stopRequested(): boolean {
    return this.stopping !== undefined;
  }

  /**
   * Stops every part in reverse order, each once; waits for steps still starting and stops their
   * parts too. Never rejects: a part that fails to stop is reported and the others still stop.
   */
  stop(): Promise<void> {
    if (this.stopping === undefined) {
      this.abort();
      this.stopping = this.drain();
    }
    return this.stopping;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const part = this.stops.pop();
      if (part !== undefined) {
        const t0 = performance.now();
        try {
          await part.stop();
        } catch (e) {
          this.onStopError(part.name, e instanceof Error ? e : new Error(String(e)));
        }
        this.onStopped(part.name, Math.round(performance.now() - t0));
        continue;
      }
      if (this.starting.size === 0) return;
      await Promise.all([...this.starting]);
    }
  }
}
