import { sql } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawStatement, runQuery } from '../database/typed-sql.js';
import { PGBOSS_SCHEMA } from './pgboss-schema.js';

const VERSION_TABLE = `${PGBOSS_SCHEMA}.version`;
const TABLE_EXISTS = rawStatement(sql<{ t: string | null }>`select to_regclass(${VERSION_TABLE}) as t`);
const VERSION = rawStatement(sql<{ version: number | null }>`select max(version) as version from ${sql.table(VERSION_TABLE)}`);

/** The database's pg-boss schema version; null when pg-boss is not installed (to_regclass: no error when the schema is missing). */
export async function installedSchemaVersion(em: EntityManager): Promise<number | null> {
  const [exists] = await runQuery(em, TABLE_EXISTS);
  if (exists?.t == null) return null;
  const [row] = await runQuery(em, VERSION);
  return row?.version ?? null;
}
