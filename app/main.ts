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
  const { constants } = await import('node:os');
  const { runCli } = await import('./cli.js');
  // The first SIGINT/SIGTERM asks for a graceful stop (at any time, also during the start); a
  // second one exits at once, for a stop that hangs.
  let signals = 0;
  const stopSignal = new Promise<string>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals === 1) return resolve(signal);
      process.stderr.write(`seagrid: second ${signal}: exiting without a clean stop\n`);
      process.exit(128 + (constants.signals[signal] ?? 0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
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
  // The service stopped everything it started, so the process ends by itself; should something
  // still hold it open, exit anyway rather than run on half stopped.
  if (process.argv[2] === 'serve' || process.argv[2] === undefined) {
    setTimeout(() => {
      process.stderr.write('seagrid: still busy 5 s after stopping; exiting\n');
      process.exit(code);
    }, 5_000).unref();
  }
  return code;
}
