import type pg from 'pg';
import { currentDatabaseBudget } from './request-deadline.js';

type Query = (...args: unknown[]) => unknown;

/**
 * Holds every database call of a request to the request's deadline (request-deadline.ts), at the one
 * place all of them pass: the pool. Waiting for a connection or opening one, each statement, begin,
 * commit and rollback spend the same budget, so a frozen server cannot make a request wait a full
 * timeout per step. Calls outside a request (start-up, jobs, the CLI) are untouched.
 *
 * A connection given up on mid-statement is closed rather than returned to the pool: its state is
 * unknown (a statement may still run, a transaction may be open), and closing it makes PostgreSQL roll
 * back whatever it had not committed. A connection that arrives after its request gave up is released.
 */
export function enforceRequestDeadlines(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = ((...args: unknown[]) => {
    const budget = currentDatabaseBudget();
    if (!budget || args.length > 0) return (connect as Query)(...args);
    return budget.run(connect, (started) => void started?.then((client) => client.release(), () => undefined));
  }) as typeof pool.connect;
  pool.on('connect', (client) => holdQueriesToDeadlines(client));
}

function holdQueriesToDeadlines(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const close = () => void client.end().catch(() => undefined);
  client.query = ((...args: unknown[]) => {
    const budget = currentDatabaseBudget();
    // Kysely's form only (text, values): a cursor or a callback goes through as it came.
    if (!budget || typeof args[0] !== 'string' || typeof args.at(-1) === 'function') return query(...args);
    return budget.run(() => query(...args) as Promise<unknown>, close);
  }) as typeof client.query;
}
