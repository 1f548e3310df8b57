/**
 * Writes one line per event up to `perWindow` per key per window and holds the rest back, so a
 * flood of bad input or a broker that keeps refusing cannot flood the log; every event is still
 * counted by its caller. Windows are fixed (one starts at the first event after the last ended),
 * so any span of `windowMs` sees at most 2 × `perWindow` lines of a key. What was held back is
 * said once, in a line of its own (`fields` undefined, `heldBack` > 0), when the key is next heard
 * after its window or when it is forgotten to keep at most `maxKeys` (keys may be free text, such
 * as an error message).
 *
 * Pure: the clock and the writer are passed in. A writer that throws is ignored (logging must not
 * take down what logs).
 */
export type RateLimitedWrite<F> = (key: string, fields: F | undefined, heldBack: number) => void;

interface Window {
  startMs: number;
  logged: number;
  heldBack: number;
}

export class RateLimitedLog<F = Readonly<Record<string, unknown>>> {
  /** In window start order (a renewed window moves to the end), so the first is the oldest. */
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly write: RateLimitedWrite<F>,
    private readonly now: () => number,
    private readonly perWindow = 5,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 1_024,
  ) {}

  /** Writes `fields` under `key` unless the key's window is used up; true when written. */
  log(key: string, fields: F): boolean {
    const t = this.now();
    let w = this.windows.get(key);
    if (w === undefined || t - w.startMs >= this.windowMs) {
      if (w !== undefined) {
        this.windows.delete(key);
        this.sayHeldBack(key, w);
      } else if (this.windows.size >= this.maxKeys) this.forgetOldest();
      w = { startMs: t, logged: 0, heldBack: 0 };
      this.windows.set(key, w);
    }
    if (w.logged >= this.perWindow) {
      w.heldBack++;
      return false;
    }
    w.logged++;
    this.emit(key, fields, 0);
    return true;
  }

  private forgetOldest(): void {
    for (const [key, w] of this.windows) {
      this.windows.delete(key);
      this.sayHeldBack(key, w);
      return;
    }
  }

  private sayHeldBack(key: string, w: Window): void {
    if (w.heldBack > 0) this.emit(key, undefined, w.heldBack);
  }

  private emit(key: string, fields: F | undefined, heldBack: number): void {
    try {
      this.write(key, fields, heldBack);
    } catch {
      // A failing logger must not fail the caller.
    }
  }
}
