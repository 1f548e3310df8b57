/**
 * Text PostgreSQL can store. Its text types refuse U+0000 whatever the server encoding (22021,
 * which cost a whole batch before this check), and a lone UTF-16 surrogate has no UTF-8 form
 * (node sends U+FFFD in its place without a word, so what is stored is not what was meant). Ids
 * reach the store from the wire (a tag block's `s:`, an MQTT topic), so they are checked where
 * they enter a row.
 */

/** Any NUL or surrogate: the fast test that clears almost every id (valid pairs are looked at again). */
const SUSPECT = /[\0\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_G = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function isStorableText(s: string): boolean {
  return !SUSPECT.test(s) || (!s.includes('\0') && !LONE_SURROGATE.test(s));
}

/** Each NUL and lone surrogate replaced by U+FFFD (Unicode's replacement character), the rest kept. */
export function cleanText(s: string): string {
  return s.replace(UNSTORABLE_G, '\uFFFD');
}
