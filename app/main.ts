/**
 * Composition root: the only reader of process.env, argv, signals and the clock.
 */
import { runCli } from './cli.js';

const stopSignal = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});

// A closed stdout (`seagrid decode … | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  nowMs: () => Date.now(),
  stopSignal,
});
process.exitCode = code;
// Commands that finish (decode) must not wait on a stdin nobody reads.
if (process.argv[2] !== 'serve' && process.argv[2] !== undefined) process.stdin.unref?.();
