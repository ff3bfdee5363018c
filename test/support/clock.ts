import type { Clock } from '../../src/jobs/clock.js';

/** A clock a test sets and moves by hand: time passes only when the test says so. */
export class ManualClock implements Clock {
  private at: number;

  constructor(start: Date | string = '2026-12-04T12:00:00.000Z') {
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | string): void {
    this.at = new Date(at).getTime();
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('a ManualClock only moves forward');
    this.at += ms;
  }
}
