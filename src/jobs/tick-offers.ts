import type { Clock } from './clock.js';
import { nextSlot, slotOf } from './slot.js';

/** Offers one slot of a task to the job library; the library keeps one job per slot, the claim one effect. */
export type Offer = (task: string, slot: Date) => Promise<void>;

/**
 * Every replica offers each periodic task's slots: the current one at start, then each next one when it
 * begins, by the injected clock. The timer only offers a job (a singleton per slot in the database); it
 * does no work itself, so N replicas still do the work once per slot.
 */
export class TickOffers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly offer: Offer,
  ) {}

  start(task: string, intervalMs: number): void {
    if (this.stopped || this.timers.has(task)) return;
    void this.offer(task, slotOf(this.clock.now(), intervalMs));
    this.scheduleNext(task, intervalMs);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduleNext(task: string, intervalMs: number): void {
    const { slot, inMs } = nextSlot(this.clock.now(), intervalMs);
    const timer = setTimeout(() => {
      if (this.stopped) return;
      // At least the slot computed when the timer was set (a timer that fires a millisecond early still
      // offers it), or the current one when the clock moved on meanwhile (a replica that slept).
      const current = slotOf(this.clock.now(), intervalMs);
      void this.offer(task, current > slot ? current : slot);
      this.scheduleNext(task, intervalMs);
    }, inMs);
    timer.unref();
    this.timers.set(task, timer);
  }
}
