import { formatChecksum, withChecksum, xorChecksum } from '../ingest/index.js';
import type { ArmouredPayload } from './sixbit-writer.js';

/**
 * NMEA 0183 output: `!AIVDM` sentences (multipart when the payload is long) and NMEA 4 tag
 * blocks, in the forms real receivers send them.
 */

/** Payload characters per sentence: 60 keeps every line within the 82-character limit. */
export const MAX_PAYLOAD_CHARS = 60;

export interface VdmOptions {
  /** Two letters after `!`: AI (mobile station), BS (base station), AB … */
  readonly talker?: string;
  readonly channel?: 'A' | 'B' | '';
  /** Sequential message id 0–9 for multipart messages (ignored for a single sentence). */
  readonly sequenceId?: number;
  /** VDO (own ship) instead of VDM. */
  readonly own?: boolean;
}

/** One sentence, or several for a long payload; fill bits ride on the last one only. */
export function vdmSentences(p: ArmouredPayload, opts: VdmOptions = {}): string[] {
  const head = `${opts.talker ?? 'AI'}${opts.own === true ? 'VDO' : 'VDM'}`;
  const channel = opts.channel ?? 'A';
  const n = Math.max(1, Math.ceil(p.payload.length / MAX_PAYLOAD_CHARS));
  if (n === 1) return [withChecksum('!', `${head},1,1,,${channel},${p.payload},${p.fillBits}`)];
  const seq = opts.sequenceId ?? 0;
  if (!Number.isInteger(seq) || seq < 0 || seq > 9) throw new RangeError(`sequence id ${seq} is not 0-9`);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const chunk = p.payload.slice(i * MAX_PAYLOAD_CHARS, (i + 1) * MAX_PAYLOAD_CHARS);
    const fill = i === n - 1 ? p.fillBits : 0;
    out.push(withChecksum('!', `${head},${n},${i + 1},${seq},${channel},${chunk},${fill}`));
  }
  return out;
}

export interface TagFields {
  /** `s:` source (receiver) id. */
  readonly source?: string;
  /** `c:` UNIX time in whole seconds. */
  readonly timeS?: number;
  /** `g:` sentence group: index-total-id. */
  readonly group?: { readonly index: number; readonly total: number; readonly id: number | string };
}

/** `\g:…,s:…,c:…*hh\` — the NMEA 4 tag block (its checksum covers the text between `\` and `*`). */
export function tagBlock(f: TagFields): string {
  let body = '';
  if (f.group !== undefined) body = `g:${f.group.index}-${f.group.total}-${f.group.id}`;
  if (f.source !== undefined) body += `${body === '' ? '' : ','}s:${f.source}`;
  if (f.timeS !== undefined) body += `${body === '' ? '' : ','}c:${f.timeS}`;
  return `\\${body}*${formatChecksum(xorChecksum(body, 0, body.length))}\\`;
}
