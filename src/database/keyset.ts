import { sql, type SelectQueryBuilder, type StringReference } from 'kysely';
/** A WHERE clause built up one filter at a time, with its bound values in order. */
export class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...values: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...values);
    return this;
  }
}

export interface KeysetPage {
  /** `select … from table alias`, without WHERE. */
  from: string;
  /** The sort key: a timestamp column and the id column that breaks its ties, e.g. e.started_at, e.execution_id. */
  timeColumn: string;
  idColumn: string;
  desc: boolean;
  /** The last row of the previous page, as its cursor carried it. */
  after?: { time: string; id: string };
  limit: number;
}

/**
 * One keyset page: rows in (time, id) order, a total order, starting after the cursor's row, one more
 * than the page so the caller knows whether another page follows. A page never repeats or skips a row
 * however many rows arrive meanwhile.
 */
export function keysetPageSql(page: KeysetPage, where: Conditions): { sql: string; params: unknown[] } {
  const { timeColumn, idColumn, desc, after } = page;
  if (after) where.add(`(${timeColumn}, ${idColumn}) ${desc ? '<' : '>'} (?::timestamptz, ?::uuid)`, after.time, after.id);
  const direction = desc ? 'desc' : 'asc';
  const sql =
    page.from +
    (where.clauses.length ? ` where ${where.clauses.join(' and ')}` : '') +
    ` order by ${timeColumn} ${direction}, ${idColumn} ${direction} limit ${Number(page.limit) + 1}`;
  return { sql, params: where.params };
}

export interface TypedKeyset<C extends string> {
  /** The sort key: a timestamp column and the id column that breaks its ties, e.g. e.started_at, e.execution_id. */
  time: C;
  id: C;
  desc: boolean;
  /** The last row of the previous page, as its cursor carried it. */
  after?: { time: string; id: string };
  limit: number;
}

/**
 * One keyset page of a typed query (the same page as keysetPageSql): rows in (time, id) order after the
 * cursor's row, one more than the page so the caller knows whether another page follows.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: TypedKeyset<StringReference<DB, TB> & string>,
): SelectQueryBuilder<DB, TB, O> {
  const direction = page.desc ? 'desc' : 'asc';
  const { after } = page;
  const from = after
    ? query.where(sql<boolean>`(${sql.ref(page.time)}, ${sql.ref(page.id)}) ${sql.raw(page.desc ? '<' : '>')} (${after.time}::timestamptz, ${after.id}::uuid)`)
    : query;
  return from.orderBy(sql.ref(page.time), direction).orderBy(sql.ref(page.id), direction).limit(page.limit + 1);
}
