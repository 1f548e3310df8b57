/**
 * Admission for reads. Reads have a pool of their own (the writer's connections are never theirs),
 * and this gate lets at most `slots` of them hold it at once. Beyond that a read waits in a FIFO
 * queue of at most `maxWaiting`, each for at most `waitMs`; a read that finds the queue full, or
 * waits too long, fails with `StoreError('store.busy')` (the web edge answers 503). Under a burst
 * of heavy reads the service sheds reads early — never writes, and never an unbounded backlog
 * of callers each holding a promise, a request and its socket.
 */
import { StoreError } from './errors.js';

interface Waiter {
  readonly go: () => void;
  readonly timer: NodeJS.Timeout;
}

export interface ReadGateStats {
  readonly active: number;
  readonly waiting: number;
  /** Reads refused as busy since start (queue full or waited too long). */
  readonly busy: number;
}

export class ReadGate {
  private active = 0;
  private busy = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly slots: number,
    private readonly maxWaiting: number,
    private readonly waitMs: number,
  ) {}

  async run<T>(read: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await read();
    } finally {
      this.release();
    }
  }

  stats(): ReadGateStats {
    return { active: this.active, waiting: this.waiting.length, busy: this.busy };
  }

  private acquire(): Promise<void> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(this.refuse(`${this.waiting.length} reads already waiting`));
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = {
        go: resolve,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(this.refuse(`no read connection free within ${this.waitMs} ms`));
        }, this.waitMs),
      };
      this.waiting.push(w);
    });
  }

  /** The slot passes straight to the first waiter, so a newcomer cannot take it in between. */
  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) {
      this.active--;
      return;
    }
    clearTimeout(next.timer);
    next.go();
  }

  private refuse(why: string): StoreError {
    this.busy++;
    return new StoreError('store.busy', `store busy: ${why}`);
  }
}
