import type { HealthIndicatorResult } from '@nestjs/terminus';
import { DomainError } from '../common/domain-error.js';

/** Readiness failed: the problem body carries each check's outcome so an operator sees which one. */
export class NotReadyError extends DomainError {
  readonly code = 'HEALTH.NOT_READY';
  override readonly expose = true;
  override readonly quiet = true;
  override readonly extensions: Record<string, unknown>;

  constructor(checks: HealthIndicatorResult, detail?: string) {
    const down = Object.entries(checks)
      .filter(([, result]) => result.status !== 'up')
      .map(([name]) => name);
    super(`not ready: ${detail ?? `${down.join(', ') || 'a check'} failed`}`);
    this.extensions = { checks };
  }
}
