import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError } from '../common/domain-error.js';
import type { DatabaseConfig } from '../config/app.config.js';

/**
 * How long after statement_timeout the client gives up by itself: on one statement (pg's query_timeout,
 * for work outside a request) and on a request's whole database work (its deadline). Long enough for the
 * server's own cancellation to arrive first when the server is merely slow.
 */
export const STATEMENT_BACKSTOP_MS = 5_000;

/**
 * The one deadline of a request's database work: DB_STATEMENT_TIMEOUT_MS + 5 s in all, shared by waiting
 * for a pooled connection or opening one, every statement, the commit or rollback, and any retry.
 * 0 (none) when DB_STATEMENT_TIMEOUT_MS is 0.
 */
export function requestDeadlineMs(database: Pick<DatabaseConfig, 'statementTimeoutMs'>): number {
  return database.statementTimeoutMs > 0 ? database.statementTimeoutMs + STATEMENT_BACKSTOP_MS : 0;
}

export class DatabaseDeadlineError extends DomainError {
  readonly code = 'DATABASE.UNAVAILABLE';
  override readonly expose = true;
  constructor(limitMs: number) {
    super(`the database did not answer within this request's deadline (${limitMs} ms); retry later`);
  }
}

/**
 * A request's database time: a stopwatch that runs while at least one of its database calls is pending
 * (waiting for the body of a slow upload does not count). The pool (pool-deadline.ts) refuses calls once
 * it has run out, and gives up on pending ones when it does.
 */
export class DatabaseBudget {
  private spentMs = 0;
  private pending = 0;
  private since = 0;
  private done = false;
  private exhausted = false;

  constructor(
    readonly limitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The request has been answered: what it left running, or started in the background (a timer set while
   * serving it inherits its async context), is no longer held to its deadline.
   */
  finish(): void {
    this.done = true;
  }

  get finished(): boolean {
    return this.done;
  }

  remainingMs(): number {
    if (this.exhausted) return 0;
    return this.limitMs - this.spentMs - (this.pending > 0 ? this.now() - this.since : 0);
  }

  /**
   * Starts `start()` if time is left and settles with it, or rejects with DatabaseDeadlineError when the
   * time runs out first; `abandon` then gets what was started (undefined if nothing was) to clean it up.
   */
  run<T>(start: () => Promise<T>, abandon: (started: Promise<T> | undefined) => void): Promise<T> {
    const remaining = this.remainingMs();
    if (remaining <= 0) {
      abandon(undefined);
      return Promise.reject(new DatabaseDeadlineError(this.limitMs));
    }
    const started = start();
    this.enter();
    return new Promise<T>((resolve, reject) => {
      let open = true;
      const settle = (finish: () => void) => {
        if (!open) return;
        open = false;
        clearTimeout(timer);
        this.leave();
        finish();
      };
      // A timer may fire a fraction of a millisecond before the stopwatch reaches the limit: once it has
      // fired the budget is spent, whatever the clock says.
      const timer = setTimeout(() => {
        this.exhausted = true;
        settle(() => (reject(new DatabaseDeadlineError(this.limitMs)), abandon(started)));
      }, remaining);
      started.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  private enter(): void {
    if (this.pending++ === 0) this.since = this.now();
  }

  private leave(): void {
    if (--this.pending === 0) this.spentMs += this.now() - this.since;
  }
}

const budgets = new AsyncLocalStorage<DatabaseBudget>();

/** The budget of the request being served, if any: outside requests (start-up, jobs, the CLI) there is none. */
export function currentDatabaseBudget(): DatabaseBudget | undefined {
  const budget = budgets.getStore();
  return budget && !budget.finished ? budget : undefined;
}

/** Makes `budget` the current one for what runs from here on (see registerDatabaseDeadline). */
export function enterDatabaseBudget(budget: DatabaseBudget): void {
  budgets.enterWith(budget);
}
