import { DomainError } from '../common/domain-error.js';
import type { HistoryProblem } from './migration-history.js';

export class PendingMigrationsError extends DomainError {
  readonly code = 'DATABASE.MIGRATIONS_PENDING';
  override readonly expose = true;
  constructor(readonly pending: string[], outOfOrder: string[] = []) {
    super(
      `${pending.length} migration(s) pending: ${pending.join(', ')}. ` +
        'Apply them with `npm run db:migrate` or `node dist/cli.js migrate up`, or start with MIGRATIONS_ON_BOOT=up.' +
        (outOfOrder.length > 0 ? ` ${outOfOrder.join(', ')} sort(s) before an applied migration: apply with --allow-out-of-order (at boot: MIGRATIONS_ON_BOOT=up with MIGRATIONS_ALLOW_OUT_OF_ORDER=true).` : ''),
    );
  }
}

export class MigrationFailedError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_FAILED';
  /**
   * @param outcome what the failure left behind, for the message; by default the run was one transaction.
   * @param retryable the failed part was rolled back whole, so running it again is safe.
   */
  constructor(
    readonly migration: string,
    readonly direction: 'up' | 'down',
    cause: unknown,
    outcome = 'the whole run was rolled back',
    readonly retryable = true,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Migration ${migration} failed (${direction}); ${outcome}: ${reason}`, { cause });
  }
}

export class UnknownMigrationError extends DomainError {
  readonly code = 'DATABASE.UNKNOWN_MIGRATION';
  constructor(name: string, must: 'pending' | 'applied' | 'committed', candidates: string[]) {
    super(`No ${must} migration named "${name}". ${must[0].toUpperCase()}${must.slice(1)} migrations: ${candidates.join(', ') || '(none)'}`);
  }
}

const KIND_TEXT = { changed: 'changed since it was applied', missing: 'applied, but its file is gone' };

/** An untrustworthy history: migrate, status, check and boot refuse until it is put right. */
abstract class MigrationHistoryError extends DomainError {
  override readonly expose = true;
  override readonly extensions: Record<string, unknown>;
  constructor(problems: HistoryProblem[], advice: string) {
    super(`migration history problem: ${problems.map((p) => `${p.name} is ${KIND_TEXT[p.kind]}`).join('; ')}. ${advice}`);
    this.extensions = { problems };
  }
}

export class MigrationChangedError extends MigrationHistoryError {
  readonly code = 'DATABASE.MIGRATION_CHANGED';
}

export class MigrationFileMissingError extends MigrationHistoryError {
  readonly code = 'DATABASE.MIGRATION_FILE_MISSING';
}

/** One error for a list of problems: the most serious kind decides its code, the message lists them all. */
export function historyError(problems: HistoryProblem[]): MigrationHistoryError {
  if (problems.some((p) => p.kind === 'missing')) {
    return new MigrationFileMissingError(problems, 'Restore the file from version control; never delete an applied migration.');
  }
  return new MigrationChangedError(
    problems,
    'Undo the edit (back to the file as applied, or as last repaired) and write a new migration, or if the change is ' +
      'deliberate and harmless (a comment, equivalent SQL): migrate repair --accept NAME.',
  );
}

/** What `status` says of a pending migration that sorts before an applied one. */
export function outOfOrderText(name: string, lastApplied: string): string {
  return `${name} is pending, but sorts before an applied migration (${lastApplied}): it would run out of order`;
}

/**
 * `up` would apply migrations that sort before one already applied (a teammate's branch merged after this
 * database ran a later migration). Only `up` refuses; status, check and down go on. Both ways out are named:
 * the flag when the migration is shared already (renaming it would apply it twice where it ran), the
 * rename only while nobody else has it.
 */
export class MigrationOutOfOrderError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_OUT_OF_ORDER';
  override readonly expose = true;
  override readonly extensions: Record<string, unknown>;
  constructor(names: string[], lastApplied: string) {
    super(
      `${names.map((name) => outOfOrderText(name, lastApplied)).join('; ')}. Nothing was applied. ` +
        'If it is shared already (merged to main, applied on another database), apply it where it is: ' +
        '`migrate up --allow-out-of-order` (at boot: MIGRATIONS_ON_BOOT=up with MIGRATIONS_ALLOW_OUT_OF_ORDER=true) runs it after the ' +
        'later migrations here and records it as applied out of order; check first that it does not depend on them. ' +
        'Only if nobody else has it yet: rename it to sort after the last applied one (regenerate it with db:create-migration).',
    );
    this.extensions = { outOfOrder: names, lastApplied };
  }
}

export class MigrationLockBudgetError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_LOCK_BUDGET';
  override readonly expose = true;
  constructor(migration: string, attempts: number, lockTimeoutMs: number, cause: unknown, committed: string[] = []) {
    super(
      `Migration ${migration} could not get the lock it needs within ${lockTimeoutMs} ms, ${attempts} time(s); ` +
        'a long-running transaction holds it (see pg_stat_activity). ' +
        (committed.length === 0
          ? 'Nothing was applied. '
          : `It was rolled back; what this run committed before it (ahead of a non-transactional migration) stays applied: ${committed.join(', ')}. `) +
        'Retry when it is done, or raise MIGRATIONS_DDL_LOCK_TIMEOUT_MS / MIGRATIONS_DDL_LOCK_RETRIES.',
      { cause },
    );
  }
}

export class NothingToRepairError extends DomainError {
  readonly code = 'DATABASE.NOTHING_TO_REPAIR';
  constructor(name: string) {
    super(`${name} is not an applied migration whose file changed; repair --accept only records a deliberate edit`);
  }
}
