import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter.js';
import { ManualClock } from '../../test/support/clock.js';

describe('RateLimiter', () => {
  it('lets `max` requests through at once, then asks to wait one request’s share of the window', () => {
    const clock = new ManualClock(new Date(0));
    const limiter = new RateLimiter(3, 60_000, clock);
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 0]);
    expect(limiter.take('k')).toBe(20); // 3 a minute: one every 20 s
    clock.advance(20_000);
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(20);
  });

  it('keeps keys apart, and 0 disables the limit', () => {
    const limiter = new RateLimiter(1, 1_000, new ManualClock(new Date(0)));
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    const off = new RateLimiter(0, 1_000, new ManualClock(new Date(0)));
    for (let i = 0; i < 100; i++) expect(off.take('a')).toBe(0);
  });

  it('refills continuously, never above max', () => {
    const clock = new ManualClock(new Date(0));
    const limiter = new RateLimiter(2, 1_000, clock);
    limiter.take('k');
    limiter.take('k');
    clock.advance(10_000); // long idle: back to 2, not 20
    expect([limiter.take('k'), limiter.take('k')]).toEqual([0, 0]);
    expect(limiter.take('k')).toBe(1);
  });
});
