import { sql, type RawBuilder } from 'kysely';
import { prepared, rawStatement } from '../../database/typed-sql.js';

/**
 * The archive rule in one place: a pipeline archived in the registry (`pipelines.archived_at` set) is not
 * evaluated. A pipeline with no registry row is active. `pipeline` is an SQL expression naming it.
 *
 * A scalar subquery rather than `not exists`: PostgreSQL turns `not exists` into a hash anti-join that reads
 * the whole registry every tick; this stays one primary key probe per row it filters (the EXPLAIN tests).
 */
export function notArchived(pipeline: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql`(select p.archived_at from pipelines p where p.name = ${pipeline}) is null`;
}

export interface ArchivedRow {
  name: string;
  archived_at: string;
}

/** Which of `names` are archived (primary key lookups). */
export const ARCHIVED_AMONG = prepared((_db, p: { names: string[] }) =>
  rawStatement(sql<ArchivedRow>`
    select name, archived_at from pipelines where name = any(${p.names}::text[]) and archived_at is not null`),
);
