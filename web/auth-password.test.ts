import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, hashPassword, passwordProblem, SCRYPT, verifyPassword } from './auth-password.js';

/** RFC 7914 §12, the third test vector: scrypt("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1, 64). */
const RFC_7914 =
  '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887';

describe('passwords as scrypt hashes', () => {
  it('checks a hash written with the RFC 7914 test vector (its own parameters, not ours), and refuses a neighbour password', async () => {
    const stored = `scrypt$16384$8$1$${Buffer.from('SodiumChloride').toString('base64')}$${Buffer.from(RFC_7914, 'hex').toString('base64')}`;
    expect(await verifyPassword('pleaseletmein', stored)).toBe(true);
    expect(await verifyPassword('pleaseletmeim', stored)).toBe(false);
  });

  it('a new hash carries its parameters and a fresh salt; it holds no trace of the password', async () => {
    const pw = 'Zhoushan-watch-2026';
    const [a, b] = [await hashPassword(pw), await hashPassword(pw)];
    expect(a).not.toBe(b); // salted
    expect(a.split('$').slice(0, 4)).toEqual(['scrypt', String(SCRYPT.N), String(SCRYPT.r), String(SCRYPT.p)]);
    expect(a).not.toContain(pw);
    expect(a).not.toContain(Buffer.from(pw).toString('base64'));
    expect(await verifyPassword(pw, a)).toBe(true);
    expect(await verifyPassword(pw, b)).toBe(true);
    expect(await verifyPassword(`${pw} `, a)).toBe(false);
  });

  it('a malformed or hostile hash is false, never a throw (too costly N, not a power of two, short key)', async () => {
    for (const bad of ['', 'plain', 'scrypt$16384$8$1$AAAA$AAAA', `scrypt$${2 ** 24}$8$1$${'A'.repeat(24)}$${'A'.repeat(44)}`, `scrypt$10000$8$1$${'A'.repeat(24)}$${'A'.repeat(44)}`]) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
  });

  it('a new password needs 8 to 1,024 characters', () => {
    expect(passwordProblem('short')).toMatch(/8/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/1,024/);
    expect(passwordProblem('渔船监控值班密码')).toBeUndefined();
  });
});
