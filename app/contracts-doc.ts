/**
 * The parts of docs/CONTRACTS.md and README.md that the code already states, generated from it so
 * they cannot drift: the settings table (app/config.ts), the usage text (app/cli.ts), the MQTT
 * topics read (ingest/topics.ts), the reject codes (model/codes.ts) and the HTTP error codes
 * (web/protocol.ts). Each lives between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`;
 * `npm run docs` rewrites them and a test fails when a committed file differs.
 */
import { subscriptionFilters } from '../ingest/index.js';
import { REJECT_CODES } from '../model/index.js';
import { API_ERROR_CODES } from '../web/index.js';
import { USAGE } from './cli.js';
import { SETTINGS } from './config.js';

const SECTIONS: Readonly<Record<string, () => string>> = {
  settings: () =>
    table(
      ['variable', 'default', 'unit', 'meaning'],
      Object.entries(SETTINGS).map(([key, s]) => [`\`${key}\``, s.default === undefined ? 'unset' : s.default === '' ? 'empty' : `\`${s.default}\``, 'unit' in s ? s.unit : '', s.description]),
    ),
  usage: () => ['```', USAGE.trimEnd(), '```'].join('\n'),
  'topics-in': () => table(['subscription (under `MQTT_TOPIC_PREFIX`)'], subscriptionFilters().map((f) => [`\`${f}\``])),
  'reject-codes': () => table(['code', 'meaning'], Object.entries(REJECT_CODES).map(([code, meaning]) => [`\`${code}\``, meaning])),
  'http-errors': () => table(['code', 'meaning'], Object.entries(API_ERROR_CODES).map(([code, meaning]) => [`\`${code}\``, meaning])),
};

/** The files holding generated sections, from the repository root. */
export const DOC_FILES: readonly string[] = ['docs/CONTRACTS.md', 'README.md'];

/** The names of the generated sections. */
export const GENERATED_SECTIONS: readonly string[] = Object.keys(SECTIONS);

/** `text` with every generated section it marks rewritten; unknown or unclosed markers throw. */
export function renderGenerated(text: string): string {
  return text.replace(/<!-- generated:([a-z-]+) -->\n[\s\S]*?<!-- \/generated:([a-z-]+) -->/g, (_all, open: string, close: string) => {
    if (open !== close) throw new Error(`generated section ${open} closed as ${close}`);
    const make = SECTIONS[open];
    if (make === undefined) throw new Error(`unknown generated section ${open}`);
    return `<!-- generated:${open} -->\n${make()}\n<!-- /generated:${open} -->`;
  });
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}
