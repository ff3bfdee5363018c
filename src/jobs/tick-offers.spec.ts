import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ManualClock } from '../../test/support/clock.js';
import { TickOffers } from './tick-offers.js';

describe('TickOffers', () => {
  let clock: ManualClock;
  let offered: string[];
  let offers: TickOffers;

  beforeEach(() => {
    jest.useFakeTimers();
    clock = new ManualClock('2026-12-04T12:00:10.000Z');
    offered = [];
    offers = new TickOffers(clock, async (task, slot) => void offered.push(`${task}@${slot.toISOString()}`));
  });

  afterEach(() => {
    offers.stop();
    jest.useRealTimers();
  });

  /** Time passes for both: the injected clock (what slots are) and the timers (when they fire). */
  const pass = (ms: number) => {
    clock.advance(ms);
    jest.advanceTimersByTime(ms);
  };

  it('offers the current slot at start, then each next slot when it begins, by the injected clock', () => {
    offers.start('t', 30_000);
    expect(offered).toEqual(['t@2026-12-04T12:00:00.000Z']);
    pass(19_999);
    expect(offered).toHaveLength(1);
    pass(1);
    pass(30_000);
    expect(offered).toEqual(['t@2026-12-04T12:00:00.000Z', 't@2026-12-04T12:00:30.000Z', 't@2026-12-04T12:01:00.000Z']);
  });

  it('a task started twice is offered once per slot; after stop nothing more is offered', () => {
    offers.start('t', 10_000);
    offers.start('t', 10_000);
    pass(10_000);
    expect(offered).toEqual(['t@2026-12-04T12:00:10.000Z', 't@2026-12-04T12:00:20.000Z']);
    offers.stop();
    pass(60_000);
    expect(offered).toHaveLength(2);
    offers.start('t', 10_000);
    expect(offered).toHaveLength(2);
  });

  it('a clock set forward (a replica that slept) offers the slot it wakes in, not the ones it missed', () => {
    offers.start('t', 10_000);
    clock.advance(3_600_000);
    jest.advanceTimersByTime(10_000);
    expect(offered.at(-1)).toBe('t@2026-12-04T13:00:10.000Z');
    pass(10_000);
    expect(offered.at(-1)).toBe('t@2026-12-04T13:00:20.000Z');
  });
});
