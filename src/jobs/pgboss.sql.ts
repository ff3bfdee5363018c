import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawStatement, runQuery } from '../database/typed-sql.js';
import { PGBOSS_SCHEMA } from './pgboss-schema.js';

const ACCESS = rawStatement(
  sql<{ installed: boolean; usable: boolean }>`select to_regnamespace(${PGBOSS_SCHEMA}) is not null as installed,
    coalesce(to_regnamespace(${PGBOSS_SCHEMA}) is not null and has_schema_privilege(${PGBOSS_SCHEMA}, 'USAGE'), false) as usable`,
);
const VERSION = rawStatement(sql<{ version: number | null }>`select max(version) as version from ${sql.table(`${PGBOSS_SCHEMA}.version`)}`);

export type JobSchemaState = { installed: false } | { installed: true; usable: false } | { installed: true; usable: true; version: number | null };

/** Whether pg-boss is installed, whether this role may use its schema, and its schema version. */
export async function jobSchemaState(em: EntityManager): Promise<JobSchemaState> {
  const [access] = await runQuery(em, ACCESS);
  if (!access.installed) return { installed: false };
  if (!access.usable) return { installed: true, usable: false };
  const [row] = await runQuery(em, VERSION);
  return { installed: true, usable: true, version: row?.version ?? null };
}
