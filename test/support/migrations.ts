import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS_TABLE } from '../../src/database/orm-options.js';
import { readCatalog, withoutTracking, type SchemaCatalog } from '../../src/migrator/drift/schema-catalog.js';
import { MigrationService } from '../../src/migrator/migration.service.js';
import { isVerbose, type OpenedRunner } from '../kit/kit-options.js';
import { createTestDatabase, sql } from './test-database.js';

/** The committed migrations' names, in the order they run. */
export const COMMITTED_MIGRATIONS = readdirSync('migrations')
  .filter((f) => /^\d{8}_\d{6}_.+\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

export const LATEST_MIGRATION = COMMITTED_MIGRATIONS[COMMITTED_MIGRATIONS.length - 1];

/**
 * What the migrations build that the entities cannot declare: MikroORM reads triggers from
 * information_schema.triggers, which lists no TRUNCATE trigger (see data-quality-metric.entity.ts).
 */
export const MIGRATION_ONLY = {
  triggers: [
    'CREATE TRIGGER metric_hours_clear AFTER TRUNCATE ON public.data_quality_metrics FOR EACH STATEMENT EXECUTE FUNCTION data_quality_metrics_metric_hours_clear_fn()',
  ],
  functions: ['data_quality_metrics_metric_hours_clear_fn()'],
};

/**
 * The schema at `url` as a comparison should see it, without the migration bookkeeping: each table's columns
 * by name (their order is the order of the ALTER TABLEs that added them, not part of the schema), functions
 * by their definition with its whitespace collapsed (the schema generator re-indents a trigger's body).
 */
export async function comparableSchema(url: string): Promise<SchemaCatalog> {
  const catalog = withoutTracking(await readCatalog(url), MIGRATIONS_TABLE);
  const functions = await sql<{ name: string; definition: string }>(
    url,
    `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name, pg_get_functiondef(p.oid) as definition
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prokind in ('f', 'p') order by 1`,
  );
  const md5 = (text: string) => createHash('md5').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
  return {
    ...catalog,
    columns: Object.fromEntries(Object.entries(catalog.columns).map(([table, columns]) => [table, [...columns].sort()])),
    functions: functions.map((f) => `${f.name}: ${md5(f.definition)}`),
  };
}

/** The same schema without what only the migrations can build (MIGRATION_ONLY). */
export function withoutMigrationOnly(schema: SchemaCatalog): SchemaCatalog {
  return {
    ...schema,
    triggers: schema.triggers.filter((t) => !MIGRATION_ONLY.triggers.includes(t)),
    functions: schema.functions.filter((f) => !MIGRATION_ONLY.functions.some((name) => f.startsWith(`${name}: `))),
  };
}

/**
 * The schema the entities describe, as MikroORM's schema generator builds it from scratch in an empty
 * database of its own: the expectation for the migrations at head, derived instead of listed, so that a
 * schema change (entity + migration) changes both sides. `open` gives an ORM on a URL with the entities
 * under test (the project's, or a changed set).
 */
export async function entitySchema(open: (url: string) => Promise<MikroORM>): Promise<SchemaCatalog> {
  const db = await createTestDatabase({ empty: true });
  try {
    const orm = await open(db.url);
    try {
      await orm.schema.create();
    } finally {
      await orm.close(true);
    }
    return await comparableSchema(db.url);
  } finally {
    await db.drop();
  }
}

/**
 * The migration test kit's runner for this project: migrations applied the way production applies them, by
 * MigrationService (checksums, history checks and all), without the advisory lock (each check owns its
 * database). `orm` is closed with the runner.
 */
export function serviceRunner(orm: MikroORM): OpenedRunner {
  const migrations = new MigrationService(orm);
  return {
    pending: () => migrations.pending(),
    applied: async () => (await migrations.status()).applied.map((m) => m.name),
    up: (to) => migrations.up(to),
    down: (to) => migrations.down(to),
    close: () => orm.close(true),
  };
}

/**
 * For suites that run migrations outside the kit's checks: the runner's Nest `Migrator` lines (one per
 * migration applied or reverted) muted for the suite, as the kit mutes them, unless MIGRATION_KIT_VERBOSE=1.
 */
export function quietMigrator(): void {
  if (isVerbose({})) return;
  beforeAll(() => Logger.overrideLogger(['error', 'warn']));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));
}
