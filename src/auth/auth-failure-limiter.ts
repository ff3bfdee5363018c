import { systemClock, type Clock } from '../jobs/clock.js';

/**
 * Counts failed authentications per client address in fixed windows: after `limit` failures within
 * `windowMs` the address is refused (429) until its window ends, before any key lookup, so guessing or
 * flooding with fake keys costs the database nothing. In memory, per process: with N replicas an address
 * gets up to N times the limit. At most `maxAddresses` are tracked; past that the oldest entry is dropped,
 * so a client rotating addresses cannot grow memory (it only wins a fresh count for the dropped address).
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { failures: number; endsAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxAddresses = 10_000,
    private readonly clock: Clock = systemClock,
  ) {}

  /** 0 when the address may try to authenticate, else the seconds until it may again. */
  retryAfter(address: string): number {
    if (this.limit <= 0) return 0;
    const entry = this.windows.get(address);
    if (!entry) return 0;
    const left = entry.endsAt - this.clock.now().getTime();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return entry.failures >= this.limit ? Math.ceil(left / 1000) : 0;
  }

  /** Counts one failed authentication from the address. */
  fail(address: string): void {
    if (this.limit <= 0) return;
    const now = this.clock.now().getTime();
    const entry = this.windows.get(address);
    if (entry && entry.endsAt > now) {
      entry.failures += 1;
      return;
    }
    this.windows.delete(address);
    if (this.windows.size >= this.maxAddresses) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(address, { failures: 1, endsAt: now + this.windowMs });
  }

  /** Addresses tracked now (for tests of the bound). */
  get size(): number {
    return this.windows.size;
  }
}
