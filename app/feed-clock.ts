/**
 * The clock the alert lifecycle's holds and the fleets' staleness run on in `seagrid serve`
 * (`Pipeline.tick`'s `feedNowMs`): the feed's own time, not the wall clock, so a capture replayed
 * into the service has its alerts decided at its own moments, as they were live.
 *
 * What it decides: the newest fix time seen, moved on by the wall time passed since it was seen,
 * and never past the wall clock (a fix dated ahead of its receipt cannot pull it forward). On a
 * live feed that is the wall clock; before any fix it is the wall clock; when the feed stops it
 * keeps running, so silence is still noticed. Pure: the wall time is passed in.
 */
export class FeedClock {
  /** Newest fix time minus the wall time it was seen at: where the feed's time stands against the wall. */
  private offsetMs = -Infinity;

  /** A fix joined a track at `fixMs`, seen at wall time `wallMs`. */
  saw(fixMs: number, wallMs: number): void {
    if (fixMs - wallMs > this.offsetMs) this.offsetMs = fixMs - wallMs;
  }

  nowMs(wallMs: number): number {
    return this.offsetMs === -Infinity ? wallMs : wallMs + Math.min(0, this.offsetMs);
  }
}
