/**
 * Composition root: the only reader of process.env, argv, signals and the clock (with
 * decode-main.ts, the root of `seagrid decode` alone).
 */
if (process.argv[2] === 'decode') {
  // A decode loads none of the service's modules: start-up is most of a short decode's time.
  await import('./decode-main.js');
} else {
  process.exitCode = await runMain();
}

async function runMain(): Promise<number> {
  const { runCli } = await import('./cli.js');
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A closed stdout (`seagrid simulate … | head`) is not an error worth a stack trace.
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
  // Commands that finish must not wait on a stdin nobody reads.
  if (process.argv[2] !== 'serve' && process.argv[2] !== undefined) process.stdin.unref?.();
  return code;
}
