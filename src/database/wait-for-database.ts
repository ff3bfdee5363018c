import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '../common/domain-error.js';
import { describeDatabase, type DatabaseConfig } from '../config/app.config.js';

export class DatabaseUnreachableError extends DomainError {
  readonly code = 'DATABASE.UNAVAILABLE';
  constructor(target: string, attempts: number, waitedMs: number, reason: string, budgetVariable: string) {
    super(
      `PostgreSQL at ${target} is unreachable after ${attempts} attempt(s) over ${(waitedMs / 1000).toFixed(1)}s: ${reason}. ` +
        `Check DATABASE_URL (MIGRATIONS_DATABASE_URL, when set, for migrations and the command line) and that the server is running; ${budgetVariable} sets how long to wait.`,
    );
  }
}

/** How long to keep trying, and the variable that sets it (named in the error). */
export interface WaitBudget {
  ms: number;
  variable: 'DB_BOOT_RETRY_MS' | 'DB_CONNECT_TIMEOUT_MS';
}

/** The command line's budget: a person is waiting, so DB_CONNECT_TIMEOUT_MS in all, not the service's boot wait. */
export function commandLineBudget(config: DatabaseConfig): WaitBudget {
  return { ms: config.connectTimeoutMs, variable: 'DB_CONNECT_TIMEOUT_MS' };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects eagerly (MikroORM would otherwise connect on the first query) and retries with capped
 * exponential backoff within `budget`: DB_BOOT_RETRY_MS for the service, so that one started alongside its
 * database waits for it; DB_CONNECT_TIMEOUT_MS for the command line, which a person is waiting on.
 */
export async function waitForDatabase(orm: MikroORM, budget: WaitBudget, url: URL, onRetry: (message: string) => void): Promise<void> {
  const started = Date.now();
  let delay = 200;
  let connected = false;
  for (let attempt = 1; ; attempt++) {
    // Once the pool exists it reconnects by itself; until then, creating it is part of each attempt.
    if (!connected) connected = await orm.connect().then(() => true, () => false);
    const check = await orm.checkConnection();
    if (check.ok) return;
    const waited = Date.now() - started;
    if (waited + delay > budget.ms) {
      throw new DatabaseUnreachableError(describeDatabase(url), attempt, waited, check.reason ?? 'unknown error', budget.variable);
    }
    onRetry(`PostgreSQL at ${describeDatabase(url)} not reachable (${check.reason}); retrying in ${delay} ms`);
    await sleep(delay);
    delay = Math.min(delay * 2, 5_000);
  }
}
