import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';

/** `?` placeholders to PostgreSQL's `$1, $2, …`. The SQL in this project has no `?` of its own. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * Runs one SQL statement with `?` placeholders, its values sent as bound parameters (never pasted into
 * the SQL), on the entity manager's transaction when it has one. Errors arrive as MikroORM's typed
 * exceptions, which the problem mapper turns into 409/422/503. Arrays bind as PostgreSQL arrays
 * (`= any(?::text[])`), objects should be passed JSON-encoded with a `::jsonb` cast.
 *
 * The hot paths use this rather than the unit of work: one statement, no entity hydration, and the
 * server can reuse its parse of the same statement text.
 */
export async function runSql<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const connection = em.getConnection();
  const executor = (em.getTransactionContext<Kysely<unknown>>() ?? connection.getClient()) as Kysely<unknown>;
  try {
    const result: QueryResult<T> = await executor.executeQuery<T>(CompiledQuery.raw(numbered(sql), params));
    return result.rows;
  } catch (error) {
    throw em.getPlatform().getExceptionConverter().convertException(error as Error);
  }
}

/** A timestamptz column as RFC 3339 in UTC with microseconds, exactly as stored. */
export function isoColumn(column: string, alias = column.split('.').pop() as string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${alias}`;
}
