/**
 * The clock the alert lifecycle's holds and the fleets' staleness run on in `seagrid serve`
 * (`Pipeline.tick`'s `feedNowMs`): the feed's own time, not the wall clock, so a capture replayed
 * into the service has its alerts decided at its own moments, as they were live.
 *
 * What it decides: the newest fix time seen, moved on by the wall time passed since it was seen,
 * and never past the wall clock (a fix dated ahead of its receipt cannot pull it forward). On a
 * live feed that is the wall clock; before any fix it is the wall clock; when the feed stops it
 * keeps running, so silence is still noticed. Pure: the wall time is passed in.
 *
 * Except while we cannot hear the feed at all (`hold`: the MQTT link down): then it stands still
 * until the next fix is seen, and goes on from where it stood. Running on through a broker restart,
 * it let a warning's 20 s raise hold elapse before the fix that ended the warning came out of the
 * broker's backlog: a collision alert the same feed without the fault did not raise (fault bench,
 * 1 run in 4).
 */
export class FeedClock {
  /** Newest fix time minus the wall time it was seen at: where the feed's time stands against the wall. */
  private offsetMs = -Infinity;
  /** Where the clock stands while held; undefined when it runs. */
  private heldAtMs: number | undefined;

  /** A fix joined a track at `fixMs`, seen at wall time `wallMs`. */
  saw(fixMs: number, wallMs: number): void {
    if (this.heldAtMs !== undefined) {
      // Going on from where it stood, not from where the wall clock got to meanwhile.
      this.offsetMs = this.heldAtMs - wallMs;
      this.heldAtMs = undefined;
    }
    if (fixMs - wallMs > this.offsetMs) this.offsetMs = fixMs - wallMs;
  }

  /** The feed cannot be heard (the MQTT link is down): stand still until the next fix. */
  hold(wallMs: number): void {
    this.heldAtMs ??= this.nowMs(wallMs);
  }

  nowMs(wallMs: number): number {
    if (this.heldAtMs !== undefined) return this.heldAtMs;
    return this.offsetMs === -Infinity ? wallMs : wallMs + Math.min(0, this.offsetMs);
  }
}
