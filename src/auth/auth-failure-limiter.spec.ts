import { describe, expect, it } from '@jest/globals';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { ManualClock } from '../../test/support/clock.js';

describe('AuthFailureLimiter', () => {
  it('refuses an address after `limit` failures until its window ends', () => {
    const clock = new ManualClock(new Date(0));
    const limiter = new AuthFailureLimiter(3, 60_000, 100, clock);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a')).toBe(0);
      limiter.fail('a');
    }
    expect(limiter.retryAfter('a')).toBe(60);
    expect(limiter.retryAfter('b')).toBe(0);
    clock.advance(59_500);
    expect(limiter.retryAfter('a')).toBe(1);
    clock.advance(500);
    expect(limiter.retryAfter('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBe(0);
  });

  it('tracks at most maxAddresses, dropping the oldest', () => {
    const limiter = new AuthFailureLimiter(1, 60_000, 2, new ManualClock(new Date(0)));
    limiter.fail('a');
    limiter.fail('b');
    limiter.fail('c');
    expect(limiter.size).toBe(2);
    expect([limiter.retryAfter('a'), limiter.retryAfter('b'), limiter.retryAfter('c')]).toEqual([0, 60, 60]);
  });

  it('is off with a limit of 0', () => {
    const limiter = new AuthFailureLimiter(0, 60_000);
    limiter.fail('a');
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.size).toBe(0);
  });
});
