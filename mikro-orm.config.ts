import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { loadConfig, type AppConfig } from './src/config/app.config.js';
import { migrationFileName } from './src/database/migration-file-name.js';
import { resolveDatabaseUrl } from './src/database/embedded-postgres.js';
import { PipelineExecution } from './src/audit/pipeline-execution.entity.js';
import { PipelineExecutionEvent } from './src/audit/pipeline-execution-event.entity.js';
import { DataQualityMetric } from './src/quality/data-quality-metric.entity.js';

// This file is the one source of ORM settings for the app, the mikro-orm CLI and the tests. It sits at the
// root of both the sources and dist/, so migrations/ and seeders/ are found beside it in either layout,
// and whether we run as TypeScript is read from our own file name (jest and tsx hide it from MikroORM).
const here = dirname(fileURLToPath(import.meta.url));
const runningTs = import.meta.url.endsWith('.ts');
const sourceGlob = runningTs ? '!(*.d|*.spec).ts' : '!(*.d|*.spec).js';

export const ENTITIES = [PipelineExecution, PipelineExecutionEvent, DataQualityMetric];
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export function buildOrmOptions(config: AppConfig, overrides: Partial<Options> = {}): Options {
  const url = resolveDatabaseUrl(config);
  const { pool } = config.database;
  return defineConfig({
    clientUrl: url.toString(),
    entities: ENTITIES,
    preferTs: runningTs,
    pool: { min: pool.min, max: pool.max, idleTimeoutMillis: pool.idleTimeoutMs },
    // Passed through to the pg Pool: connectionTimeoutMillis also bounds the wait for a free pooled client.
    driverOptions: {
      connectionTimeoutMillis: config.database.connectTimeoutMs,
      statement_timeout: config.database.statementTimeoutMs,
      application_name: 'pipeline-ledger',
    },
    extensions: [Migrator, SeedManager],
    migrations: {
      tableName: MIGRATIONS_TABLE,
      path: join(here, 'migrations'),
      pathTs: join(here, 'migrations'),
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
    ensureDatabase: false,
    ...overrides,
  });
}

// A factory, so that importing this file (as the app does) reads no environment and opens nothing.
export default () => buildOrmOptions(loadConfig());
