/**
 * Group commit: items are written in arrival order, one group at a time. While a group is being
 * written the next one gathers, so a burst costs one write per group rather than one per item, and
 * however fast items come the writes hold one connection. A write starts on the next turn of the
 * event loop (not on a timer), so everything pushed in one turn goes together. Each push settles
 * when its group's write does.
 */
export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running: Promise<void> | undefined;

  constructor(
    /** Writes one group; the store's writer never throws (it spools), a throw rejects the group's pushes. */
    private readonly write: (group: T[]) => Promise<void>,
    private readonly maxGroup: number,
  ) {}

  /** Items waiting for a write (not counting the group being written). */
  get queued(): number {
    return this.queue.length;
  }

  push(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  /** Resolves once everything pushed so far has been written. */
  async settled(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxGroup);
      try {
        await this.write(group.map((g) => g.item));
        for (const g of group) g.resolve();
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
    this.running = undefined;
  }
}
