import { describe, expect, it } from '@jest/globals';
import { nextSlot, singletonSecondsOf, slotOf } from './slot.js';

describe('tick slots', () => {
  it('a slot is the interval multiple since the epoch at or before the instant, the same on every replica', () => {
    expect(slotOf(new Date('2026-12-04T12:00:29.999Z'), 30_000)).toEqual(new Date('2026-12-04T12:00:00.000Z'));
    expect(slotOf(new Date('2026-12-04T12:00:30.000Z'), 30_000)).toEqual(new Date('2026-12-04T12:00:30.000Z'));
    expect(slotOf(new Date('2026-12-04T12:00:59.000Z'), 60_000)).toEqual(new Date('2026-12-04T12:00:00.000Z'));
  });

  it('does not move with daylight saving time: slots are UTC', () => {
    // 2026-03-29 01:00Z, Europe/Berlin jumps from 02:00 to 03:00.
    expect(slotOf(new Date('2026-03-29T01:00:10Z'), 3_600_000)).toEqual(new Date('2026-03-29T01:00:00Z'));
  });

  it('the next slot starts after the instant; at a slot start that is a whole interval away', () => {
    expect(nextSlot(new Date('2026-12-04T12:00:10.000Z'), 30_000)).toEqual({ slot: new Date('2026-12-04T12:00:30.000Z'), inMs: 20_000 });
    expect(nextSlot(new Date('2026-12-04T12:00:30.000Z'), 30_000)).toEqual({ slot: new Date('2026-12-04T12:01:00.000Z'), inMs: 30_000 });
  });

  it("pg-boss's singleton window is the interval in whole seconds, at least one", () => {
    expect(singletonSecondsOf(30_000)).toBe(30);
    expect(singletonSecondsOf(1_500)).toBe(2);
    expect(singletonSecondsOf(200)).toBe(1);
  });
});
