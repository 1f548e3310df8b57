/**
 * The audible cue for a new danger alert: two short tones from Web Audio (no asset file). Browsers
 * start audio only after a user gesture, so the context is resumed on the first click; until then
 * the visual flash is the cue. At most one cue per few seconds however many alerts arrive at once.
 */
const MIN_GAP_MS = 4000;
let ctx: AudioContext | undefined;
let lastMs = -Infinity;

export function armSound(): void {
  const start = (): void => {
    ctx ??= new AudioContext();
    void ctx.resume();
  };
  window.addEventListener('pointerdown', start, { once: true });
  window.addEventListener('keydown', start, { once: true });
}

/** Plays the cue unless one played within MIN_GAP_MS; returns whether it played. */
export function beep(nowMs = performance.now()): boolean {
  if (nowMs - lastMs < MIN_GAP_MS) return false;
  lastMs = nowMs;
  if (ctx === undefined || ctx.state !== 'running') return true;
  const t0 = ctx.currentTime;
  for (const [i, f] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    osc.type = 'square';
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.2, t0 + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.18 + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + i * 0.18);
    osc.stop(t0 + i * 0.18 + 0.17);
  }
  return true;
}
