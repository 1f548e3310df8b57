/**
 * Composition root of `seagrid decode` alone: argv, the standard descriptors and the clock. Kept
 * apart from main.ts so a decode loads only the decoder (and, built as one bundled file by
 * `npm run build`, loads it in one read): start-up is most of a short decode's time.
 */
import { fdSink, runDecode } from './decode-command.js';

const args = process.argv.slice(process.argv.indexOf('decode') + 1);
const code = await runDecode(
  args.filter((a) => a !== '-u'),
  { unscaled: args.includes('-u') },
  {
    stdinFd: 0,
    // A closed stdout (`seagrid decode … | head`) ends the run quietly, as it would for gpsdecode.
    out: fdSink(1, () => process.exit(0)),
    err: fdSink(2, () => undefined),
    nowMs: () => Date.now(),
  },
);
process.exitCode = code;
