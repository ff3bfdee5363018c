/**
 * Time slots of a periodic task: the interval's multiples since the Unix epoch, so every replica computes
 * the same slot for the same instant without talking to the others (UTC, no daylight saving).
 */
export function slotOf(at: Date, intervalMs: number): Date {
  return new Date(Math.floor(at.getTime() / intervalMs) * intervalMs);
}

/** The slot that starts after `at`, and how long until it does (never 0: a slot starting now is the current one). */
export function nextSlot(at: Date, intervalMs: number): { slot: Date; inMs: number } {
  const slot = new Date(slotOf(at, intervalMs).getTime() + intervalMs);
  return { slot, inMs: slot.getTime() - at.getTime() };
}

/** Whole seconds for pg-boss's singleton window of a slot: at least one. */
export function singletonSecondsOf(intervalMs: number): number {
  return Math.max(1, Math.round(intervalMs / 1000));
}
