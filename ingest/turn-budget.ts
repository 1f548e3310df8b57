/**
 * How long received MQTT messages may hold the event loop in one go (MqttSource's `yieldAfter`).
 * One clock per loop turn, started at the turn's first message and ended with the turn; every
 * source given the same instance spends it together — a cluster node's two sources each kept
 * their own and held the loop up to twice the budget.
 */
export class TurnBudget {
  /** When this turn's first message began (performance.now()), NaN between turns. */
  private startedAt = NaN;

  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * At a message: true to handle it now, false once this turn's budget is spent — for every
   * source sharing it, until the turn ends (the caller then gives the loop back).
   */
  take(): boolean {
    const t = this.now();
    if (Number.isNaN(this.startedAt)) {
      this.startedAt = t;
      // Cleared as the loop comes round: the next turn starts its own clock, whichever source
      // takes it (a deferred message, handled in the check phase after this, starts it).
      setImmediate(() => (this.startedAt = NaN));
    }
    return t - this.startedAt < this.budgetMs;
  }
}
