import { reject, ok, type Result } from '../../model/index.js';
import { readHexByte, xorChecksum } from './checksum.js';
import type { TagBlock, TagGroup } from './types.js';

/** Epoch values above this are milliseconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
const MS_THRESHOLD = 1e11;

/**
 * Parses the inside of a tag block (between the two backslashes), e.g. `s:r3669961,c:1234567890*hh`.
 * The checksum covers everything before `*`.
 */
export function parseTagBlock(text: string, from: number, to: number): Result<TagBlock> {
  const star = text.lastIndexOf('*', to - 1);
  if (star < from || star + 3 !== to) return reject('nmea.tag_format', 'no *hh at the end of the tag block');
  const want = readHexByte(text, star + 1);
  if (want < 0) return reject('nmea.tag_format', 'tag block checksum is not hex');
  if (xorChecksum(text, from, star) !== want) return reject('nmea.tag_checksum');

  let source: string | undefined;
  let timeMs: number | undefined;
  let group: TagGroup | undefined;
  let note: string | undefined;
  let p = from;
  while (p < star) {
    let comma = text.indexOf(',', p);
    if (comma < 0 || comma > star) comma = star;
    const colon = text.indexOf(':', p);
    if (colon > p && colon < comma) {
      const key = text.slice(p, colon);
      const value = text.slice(colon + 1, comma);
      switch (key) {
        case 'c': {
          const n = Number(value);
          if (value === '' || !Number.isFinite(n) || n < 0) return reject('nmea.tag_format', 'c: is not a time');
          timeMs = n > MS_THRESHOLD ? Math.round(n) : Math.round(n * 1000);
          break;
        }
        case 's':
          source = value;
          break;
        case 't':
          note = value;
          break;
        case 'g': {
          const g = parseDashGroup(value);
          if (g === undefined) return reject('nmea.tag_format', 'g: is not n-m-id');
          group = g;
          break;
        }
        default: {
          // NMEA 4 sentence-grouping form `1G2:0125` (index G total : id).
          const gAt = key.indexOf('G');
          if (gAt > 0) {
            const index = Number(key.slice(0, gAt));
            const total = Number(key.slice(gAt + 1));
            if (isGroupPosition(index, total)) group = { index, total, id: value };
          }
        }
      }
    }
    p = comma + 1;
  }
  const tag: { -readonly [K in keyof TagBlock]: TagBlock[K] } = {};
  if (source !== undefined) tag.source = source;
  if (timeMs !== undefined) tag.timeMs = timeMs;
  if (group !== undefined) tag.group = group;
  if (note !== undefined) tag.text = note;
  return ok(tag);
}

function parseDashGroup(value: string): TagGroup | undefined {
  const d1 = value.indexOf('-');
  const d2 = d1 < 0 ? -1 : value.indexOf('-', d1 + 1);
  if (d2 < 0) return undefined;
  const index = Number(value.slice(0, d1));
  const total = Number(value.slice(d1 + 1, d2));
  // The id is everything after the second dash; real feeds send negative ids (`1-2--001`).
  const id = value.slice(d2 + 1);
  return isGroupPosition(index, total) && id !== '' ? { index, total, id } : undefined;
}

function isGroupPosition(index: number, total: number): boolean {
  return Number.isInteger(index) && Number.isInteger(total) && index >= 1 && total >= index && total <= 99;
}
