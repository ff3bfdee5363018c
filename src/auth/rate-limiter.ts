import { systemClock, type Clock } from '../jobs/clock.js';

/**
 * A token bucket per API key: `max` requests per `windowMs`, refilled continuously, so a client that
 * spends its budget waits only as long as one request's share, not a whole window. In memory, per process:
 * with N replicas a key gets up to N times the limit (documented); buckets of idle keys are dropped.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly max: number,
    windowMs: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.perMs = max / windowMs;
  }

  /** 0 when the request may go ahead (and is counted), else the seconds to wait before retrying. */
  take(key: string): number {
    if (this.max <= 0) return 0;
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.max, at: now };
    bucket.tokens = Math.min(this.max, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.sweep(now);
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** A full bucket is the same as no bucket: forget those, so memory follows active keys only. */
  private sweep(now: number): void {
    if (this.buckets.size < 10_000) return;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.max) this.buckets.delete(key);
    }
  }
}
