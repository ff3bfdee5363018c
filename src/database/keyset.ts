import { sql, type SelectQueryBuilder, type StringReference } from 'kysely';
import { timestamptz, uuid } from './typed-sql.js';

export interface Keyset<C extends string> {
  /** The sort key: a timestamp column and the id column that breaks its ties, e.g. e.started_at, e.execution_id. */
  time: C;
  id: C;
  desc: boolean;
  /** The last row of the previous page, as its cursor carried it. */
  after?: { time: string; id: string };
  /** Rows to read: the page and one more, so that the caller knows whether another page follows. */
  fetch: number;
}

/**
 * One keyset page: rows in (time, id) order, a total order, starting after the cursor's row. A page never
 * repeats or skips a row however many rows arrive meanwhile.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: Keyset<StringReference<DB, TB> & string>,
): SelectQueryBuilder<DB, TB, O> {
  const direction = page.desc ? 'desc' : 'asc';
  const { after } = page;
  const from = after
    ? query.where(sql<boolean>`(${sql.ref(page.time)}, ${sql.ref(page.id)}) ${sql.raw(page.desc ? '<' : '>')} (${timestamptz(after.time)}, ${uuid(after.id)})`)
    : query;
  return from.orderBy(sql.ref(page.time), direction).orderBy(sql.ref(page.id), direction).limit(page.fetch);
}
