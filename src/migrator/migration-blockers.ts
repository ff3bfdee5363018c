import { DomainError } from '../common/domain-error.js';
import type { Blocker } from './migration-blockers.sql.js';
import { MigrationFailedError } from './migration.errors.js';

/** `pid 123 (application_name "report", idle in transaction, transaction open for 95 s since …, query "select …")`, joined. */
export function describeBlockers(blockers: Blocker[]): string {
  return blockers
    .map(
      (b) =>
        `pid ${b.pid} (application_name "${b.applicationName}", ${b.state ?? 'state unknown'}, ` +
        `transaction open for ${b.ageSeconds} s since ${b.xactStart}, query "${b.query}")`,
    )
    .join(', ');
}

/** What a failed non-transactional migration left, and what it waited for. */
export interface OutsideReport {
  /** Invalid indexes its failed build left, dropped again. */
  dropped: string[];
  /** Invalid indexes it creates that could not be dropped now (the next run drops them first). */
  undropped: string[];
  /** Other invalid indexes its SQL names, which it does not create: for the operator to judge. */
  named: string[];
  /** The transactions older than the statement that waited (for a lock wait or a statement timeout). */
  blockers: Blocker[];
}

/** A non-transactional migration failed: the MigrationFailedError, with what it left behind and what was in its way. */
export class OutsideMigrationFailedError extends MigrationFailedError {
  override readonly extensions: Record<string, unknown>;
  constructor(
    migration: string,
    direction: 'up' | 'down',
    cause: unknown,
    committedSoFar: string,
    readonly report: OutsideReport,
    retryable: boolean,
  ) {
    super(migration, direction, cause, outcomeOf(direction, committedSoFar, report), retryable);
    this.extensions = { migration, blockers: report.blockers, droppedIndexes: report.dropped, invalidIndexes: [...report.undropped, ...report.named] };
  }
}

function outcomeOf(direction: 'up' | 'down', committedSoFar: string, r: OutsideReport): string {
  return (
    'it runs outside a transaction, so its statements that completed stay done and it is not recorded as ' +
    `${direction === 'up' ? 'applied' : 'reverted'}${committedSoFar}` +
    (r.dropped.length ? `; the invalid index its failed build left was dropped: ${r.dropped.join(', ')}` : '') +
    (r.undropped.length ? `; the invalid index its failed build left could not be dropped now, the next run drops it first: ${r.undropped.join(', ')}` : '') +
    (r.named.length ? `; it left invalid indexes behind, drop them before retrying: ${r.named.join(', ')}` : '') +
    (r.blockers.length ? `; it waited for transactions older than itself: ${describeBlockers(r.blockers)}` : '')
  );
}

/**
 * The lock budget (MIGRATIONS_DDL_LOCK_TIMEOUT_MS × 1 + MIGRATIONS_DDL_LOCK_RETRIES attempts) spent on a
 * non-transactional migration, typically CREATE INDEX CONCURRENTLY, which waits for every transaction
 * older than its build: the same code as MigrationLockBudgetError, with the transactions named and the
 * cleanup said.
 */
export class MigrationBlockedError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_LOCK_BUDGET';
  override readonly expose = true;
  override readonly extensions: Record<string, unknown>;
  constructor(failure: OutsideMigrationFailedError, attempts: number, lockTimeoutMs: number, committed: string[]) {
    const { migration, report } = failure;
    super(
      `Migration ${migration} could not get the locks it needs within ${lockTimeoutMs} ms, ${attempts} time(s); ` +
        (report.blockers.length
          ? `it waited for transactions older than itself (a concurrent index build waits for every one of them): ${describeBlockers(report.blockers)}. `
          : 'the transactions it waited for have ended since. ') +
        (report.dropped.length ? `The invalid index its build left was dropped (${report.dropped.join(', ')}). ` : '') +
        (report.undropped.length ? `The invalid index its build left could not be dropped now (${report.undropped.join(', ')}); the next run drops it first. ` : '') +
        (committed.length === 0
          ? 'Nothing was applied. '
          : `It is not recorded as applied; what this run committed before it stays applied: ${committed.join(', ')}. `) +
        'End that transaction (or pg_terminate_backend(pid) if it was forgotten) and run again, or raise MIGRATIONS_DDL_LOCK_TIMEOUT_MS / MIGRATIONS_DDL_LOCK_RETRIES.',
      { cause: failure },
    );
    this.extensions = { migration, attempts, lockTimeoutMs, blockers: report.blockers, droppedIndexes: report.dropped, invalidIndexes: report.undropped, committed };
  }
}
