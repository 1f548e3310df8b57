/**
 * Sign-in attempts, limited per username and per client address: after `max` failures within
 * `windowMs` of the first, that key is refused until the window ends, right password or not (so
 * guessing cannot go on at the rate scrypt allows). A success clears its username's failures, not
 * its address's. Windows are fixed; keys beyond `maxKeys` forget the oldest (memory is bounded
 * whatever names and addresses an attacker invents). Why not @fastify/rate-limit: it counts every
 * request of a route under one key, and this counts failures under two.
 */
interface Window {
  startMs: number;
  failures: number;
}

export interface AttemptLimits {
  readonly perUser: number;
  readonly perAddress: number;
  readonly windowMs: number;
  readonly maxKeys?: number;
}

export const DEFAULT_LIMITS: AttemptLimits = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

export class SignInLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: AttemptLimits,
    private readonly now: () => number,
  ) {}

  /** Seconds until this username and address may try again; 0: now. */
  retryAfterS(username: string, address: string): number {
    const t = this.now();
    const wait = Math.max(this.waitMs(`u:${username}`, this.limits.perUser, t), this.waitMs(`a:${address}`, this.limits.perAddress, t));
    return Math.ceil(wait / 1000);
  }

  failed(username: string, address: string): void {
    this.count(`u:${username}`);
    this.count(`a:${address}`);
  }

  succeeded(username: string): void {
    this.windows.delete(`u:${username}`);
  }

  private waitMs(key: string, max: number, t: number): number {
    const w = this.windows.get(key);
    if (w === undefined || t - w.startMs >= this.limits.windowMs || w.failures < max) return 0;
    return w.startMs + this.limits.windowMs - t;
  }

  private count(key: string): void {
    const t = this.now();
    let w = this.windows.get(key);
    if (w === undefined || t - w.startMs >= this.limits.windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= (this.limits.maxKeys ?? 10_000)) this.windows.delete(this.windows.keys().next().value!);
      w = { startMs: t, failures: 0 };
      this.windows.set(key, w);
    }
    w.failures++;
  }
}
