/**
 * Where the time comes from, for everything that decides by time (tick slots, deadlines, expiry): injected
 * as CLOCK, so a test moves time (test/support/clock.ts) instead of sleeping. Timers still run on real
 * time; what they decide when they fire is read from here.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/** The machine's wall clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

export const systemClock: Clock = new SystemClock();
