import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { loadConfig, type AppConfig } from './src/config/app.config.js';
import { migrationFileName } from './src/database/migration-file-name.js';
import { resolveDatabaseUrl } from './src/database/embedded-credentials.js';
import { forMigrations } from './src/database/migration-settings.js';
import { lockedMigrator } from './src/database/locked-migrator.js';
import { lockTargetFor } from './src/database/migration-orm.js';
import { PipelineExecution } from './src/audit/pipeline-execution.entity.js';
import { PipelineExecutionEvent } from './src/audit/pipeline-execution-event.entity.js';
import { DataQualityMetric } from './src/quality/data-quality-metric.entity.js';
import { DataQualityMetricHour } from './src/quality/data-quality-metric-hour.entity.js';
import { IdempotencyKey } from './src/idempotency/idempotency-key.entity.js';
import { ApiKey } from './src/auth/api-key.entity.js';
import { LineageEvent } from './src/lineage/lineage-event.entity.js';

// This file is the one source of ORM settings for the app, the mikro-orm CLI and the tests. It sits at the
// root of both the sources and dist/, so migrations/ and seeders/ are found beside it in either layout,
// and whether we run as TypeScript is read from our own file name (jest and tsx hide it from MikroORM).
const here = dirname(fileURLToPath(import.meta.url));
const runningTs = import.meta.url.endsWith('.ts');
const sourceGlob = runningTs ? '!(*.d|*.spec).ts' : '!(*.d|*.spec).js';

export const ENTITIES = [PipelineExecution, PipelineExecutionEvent, DataQualityMetric, DataQualityMetricHour, IdempotencyKey, ApiKey, LineageEvent];
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/**
 * libpq's sslmode as the pg driver understands it: require encrypts without checking the certificate,
 * verify-ca and verify-full also verify it (pg checks the host name too); the others do not use TLS.
 */
export function sslOptions(mode: string | null): false | { rejectUnauthorized: boolean } {
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') return { rejectUnauthorized: true };
  return false;
}

export function buildOrmOptions(config: AppConfig, overrides: Partial<Options> = {}): Options {
  const url = resolveDatabaseUrl(config);
  const { pool } = config.database;
  const migrationsDir = config.migrations.dir ?? join(here, 'migrations');
  return defineConfig({
    clientUrl: url.toString(),
    entities: ENTITIES,
    preferTs: runningTs,
    pool: { min: pool.min, max: pool.max, idleTimeoutMillis: pool.idleTimeoutMs },
    // Passed through to the pg Pool: connectionTimeoutMillis also bounds the wait for a free pooled client.
    driverOptions: {
      connectionTimeoutMillis: config.database.connectTimeoutMs,
      statement_timeout: config.database.statementTimeoutMs,
      // Client-side backstop for a server that stops answering without closing the connection.
      query_timeout: config.database.statementTimeoutMs > 0 ? config.database.statementTimeoutMs + 5_000 : undefined,
      application_name: 'pipeline-ledger',
      // Date arithmetic in SQL (series buckets of a day, now() - interval '7 days') must not depend on the
      // server's or database's default time zone, nor move across daylight-saving changes.
      options: `-c TimeZone=UTC${config.database.lockTimeoutMs > 0 ? ` -c lock_timeout=${config.database.lockTimeoutMs}` : ''}`,
      ssl: sslOptions(url.searchParams.get('sslmode')),
    },
    extensions: [Migrator, SeedManager],
    migrations: {
      tableName: MIGRATIONS_TABLE,
      path: migrationsDir,
      pathTs: migrationsDir,
      glob: sourceGlob,
      emit: 'ts',
      fileName: migrationFileName,
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot',
      // The snapshot is written by migration:create only and reviewed with the migration; running
      // migrations against test or production databases must never rewrite a committed file.
      snapshotOnMigrate: false,
    },
    seeder: {
      path: join(here, 'seeders'),
      pathTs: join(here, 'seeders'),
      glob: sourceGlob,
      defaultSeeder: 'DatabaseSeeder',
    },
    // Bookkeeping of the migration runner, not of any entity: never diffed, never dropped by a migration.
    schemaGenerator: { skipTables: ['migration_checksums'] },
    ensureDatabase: false,
    ...overrides,
  });
}

// For the mikro-orm CLI. A factory, so that importing this file (as the app does) reads no environment
// and opens nothing; migration settings, because that CLI is mostly used to migrate, and a migrator whose
// up and down go through the project's runner, so `npx mikro-orm migration:up` takes the migration lock.
export default () => {
  const config = forMigrations(loadConfig());
  const { url: _url, ssl: _ssl, ...lock } = lockTargetFor(config);
  return buildOrmOptions(config, { extensions: [lockedMigrator(lock), SeedManager] });
};
