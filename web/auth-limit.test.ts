import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './auth-limit.js';

describe('sign-in attempts, limited per username and per address', () => {
  it('the user is held after 3 failures until 60 s after the first, from any address; others are not', () => {
    let t = 1_000_000;
    const l = new SignInLimiter({ perUser: 3, perAddress: 100, windowMs: 60_000 }, () => t);
    l.failed('li', '10.0.0.1');
    t += 10_000;
    l.failed('li', '10.0.0.2');
    expect(l.retryAfterS('li', '10.0.0.3')).toBe(0);
    l.failed('li', '10.0.0.3');
    expect(l.retryAfterS('li', '10.0.0.9')).toBe(50); // the window began 10 s ago
    expect(l.retryAfterS('wang', '10.0.0.1')).toBe(0);
    t += 50_000;
    expect(l.retryAfterS('li', '10.0.0.9')).toBe(0);
  });

  it('an address trying many names is held, whatever the name; a success clears only its username', () => {
    let t = 0;
    const l = new SignInLimiter({ perUser: 5, perAddress: 4, windowMs: 60_000 }, () => t);
    for (const name of ['a', 'b', 'c', 'd']) l.failed(name, '10.0.0.7');
    expect(l.retryAfterS('e', '10.0.0.7')).toBe(60);
    expect(l.retryAfterS('e', '10.0.0.8')).toBe(0);
    l.failed('li', '10.0.0.8');
    l.succeeded('li');
    t += 1;
    expect(l.retryAfterS('a', '10.0.0.7')).toBe(60);
  });

  it('holds at most maxKeys windows whatever names are invented', () => {
    const l = new SignInLimiter({ perUser: 1, perAddress: 1_000_000, windowMs: 60_000, maxKeys: 100 }, () => 0);
    for (let i = 0; i < 10_000; i++) l.failed(`u${i}`, '10.0.0.1');
    expect((l as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });
});
