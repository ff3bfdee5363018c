import type { HealthIndicatorResult } from '@nestjs/terminus';
import { DomainError } from '../common/domain-error.js';

type CheckResult = HealthIndicatorResult[string];

/**
 * What one failed check says in the problem's detail: migrations merely pending are named as pending (the
 * service was started with MIGRATIONS_ON_BOOT=off or check), not reported as a failure.
 */
export function describeFailedCheck(name: string, result: CheckResult): string {
  const { names, problems, reason } = result as { names?: unknown; problems?: unknown; reason?: unknown };
  if (Array.isArray(problems) && problems.length > 0) {
    return `migration history not intact (${problems.map((p: { name?: unknown }) => String(p.name)).join(', ')})`;
  }
  if (Array.isArray(names) && names.length > 0) return `${names.length} migration(s) pending: ${names.join(', ')}`;
  return typeof reason === 'string' ? `${name} failed (${reason})` : `${name} failed`;
}

/** Readiness failed: the problem body carries each check's outcome so an operator sees which one. */
export class NotReadyError extends DomainError {
  readonly code = 'HEALTH.NOT_READY';
  override readonly expose = true;
  override readonly quiet = true;
  override readonly extensions: Record<string, unknown>;

  constructor(checks: HealthIndicatorResult, detail?: string) {
    const down = Object.entries(checks)
      .filter(([, result]) => result.status !== 'up')
      .map(([name, result]) => describeFailedCheck(name, result));
    super(`not ready: ${detail ?? (down.join('; ') || 'a check failed')}`);
    this.extensions = { checks };
  }
}
