/**
 * Passwords as scrypt hashes (node:crypto, RFC 7914): `scrypt$N$r$p$salt$hash`, base64, so the
 * cost can be raised later and old hashes still check with their own parameters. Checked in
 * constant time. The password itself is never stored, logged or returned.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { isPasswordHash } from '../model/index.js';

/** N = 2^15, r = 8, p = 1: 32 MiB a hash; measured 0.48 s a hash on this machine with its two cores busy with other work (OWASP suggests N = 2^17). libuv runs at most 4 at once. */
export const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Hashes with other parameters are refused above this memory (a forged hash must not exhaust it). */
const MAX_MEM = 256 * 1024 * 1024;

/** The rule every new password must meet; undefined when it does. */
export function passwordProblem(pw: string): string | undefined {
  if (pw.length < 8) return 'a password needs at least 8 characters';
  if (pw.length > 1024) return 'a password may have at most 1,024 characters';
  return undefined;
}

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pw, salt, KEY_BYTES, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `pw` is the password of `stored`; false for a malformed hash, never a throw. */
export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$') as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, 'base64');
  if (!Number.isInteger(Math.log2(params.N)) || 128 * params.N * params.r * params.p > MAX_MEM / 2 || expected.length < 16) return false;
  try {
    const key = await derive(pw, Buffer.from(salt, 'base64'), expected.length, params);
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/**
 * A hash to compare against when the username is unknown: the same work as a real check, so the
 * answer's time does not tell whether the user exists.
 */
export const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(SALT_BYTES).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

function derive(pw: string, salt: Buffer, len: number, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: MAX_MEM };
  return new Promise((resolve, reject) => scrypt(pw.normalize('NFC'), salt, len, options, (e, key) => (e === null ? resolve(key) : reject(e))));
}
