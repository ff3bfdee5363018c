import { MigrationFailedError, MigrationLockBudgetError } from './migration.errors.js';
import { MigrationBlockedError, OutsideMigrationFailedError } from './migration-blockers.js';

/** PostgreSQL's lock_not_available (55P03), anywhere in the chain of causes. */
function lockNotAvailable(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '55P03') return true;
  }
  return false;
}

/**
 * A run whose DDL waited lock_timeout for its table lock has rolled back the part it was in; try again a
 * bounded number of times, with jitter, so that it gets in between the application's transactions. What
 * earlier attempts committed (the segments before a non-transactional migration) is collected in `done`
 * and reported, by the result or by the budget error. A non-transactional migration (a concurrent index
 * build) is retried too when nothing of it stayed done: its invalid index dropped, only settings run.
 */
export async function withLockRetries(retries: number, lockTimeoutMs: number, work: (done: string[]) => Promise<string[]>): Promise<string[]> {
  const done: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(done);
    } catch (error) {
      if (!(error instanceof MigrationFailedError) || !error.retryable || !lockNotAvailable(error)) throw error;
      if (attempt > retries) throw budgetError(error, attempt, lockTimeoutMs, done);
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt + Math.random() * 300));
    }
  }
}

/** The budget spent: a non-transactional migration's error names what it waited for and what it cleaned up. */
function budgetError(error: MigrationFailedError, attempts: number, lockTimeoutMs: number, done: string[]) {
  if (error instanceof OutsideMigrationFailedError) return new MigrationBlockedError(error, attempts, lockTimeoutMs, done);
  return new MigrationLockBudgetError(error.migration, attempts, lockTimeoutMs, error, done);
}
