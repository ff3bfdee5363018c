import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs one SQL statement (with `?` placeholders) through the ORM's driver, inside the entity manager's
 * transaction if it has one. Driver errors arrive as MikroORM's typed exceptions, which the problem
 * mapper turns into 409/422/503. For hot paths and queries the query builder cannot express.
 */
export function runSql<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getDriver().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/** A timestamptz column as RFC 3339 in UTC with microseconds, exactly as stored. */
export function isoColumn(column: string, alias = column.split('.').pop() as string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${alias}`;
}
