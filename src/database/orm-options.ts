import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import type { AppConfig } from '../config/app.config.js';
import { resolveDatabaseUrl } from './embedded/embedded-credentials.js';
import { ENTITIES } from './entities.js';
import { enforceRequestDeadlines } from './pool-deadline.js';
import { STATEMENT_BACKSTOP_MS } from './request-deadline.js';

// The one source of ORM settings for the app, the CLIs (ours and mikro-orm's, through the root
// mikro-orm.config.ts) and the tests. A leaf: it imports nothing from the migrator. The project root is two
// folders up in both the sources and dist/ (dist/src/database), so migrations/ and seeders/ are found there
// in either layout; whether we run as TypeScript is read from our own file name (jest and tsx hide it from
// MikroORM).
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runningTs = import.meta.url.endsWith('.ts');
const sourceGlob = runningTs ? '!(*.d|*.spec).ts' : '!(*.d|*.spec).js';

/** MikroORM's tracking table of applied migrations. */
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';
/** The migration runner's checksums, beside the tracking table: bookkeeping of no entity. */
export const CHECKSUMS_TABLE = 'migration_checksums';

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
  const migrationsDir = config.migrations.dir ?? join(root, 'migrations');
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
      query_timeout: config.database.statementTimeoutMs > 0 ? config.database.statementTimeoutMs + STATEMENT_BACKSTOP_MS : undefined,
      // A request's calls share one deadline (pool-deadline.ts); work outside requests is not affected.
      onPoolCreated: enforceRequestDeadlines,
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
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot',
      // The snapshot is written by migration:create only and reviewed with the migration; running
      // migrations against test or production databases must never rewrite a committed file.
      snapshotOnMigrate: false,
    },
    seeder: {
      path: join(root, 'seeders'),
      pathTs: join(root, 'seeders'),
      glob: sourceGlob,
      defaultSeeder: 'DatabaseSeeder',
    },
    // Bookkeeping of the migration runner, not of any entity: never diffed, never dropped by a migration.
    schemaGenerator: { skipTables: [CHECKSUMS_TABLE] },
    ensureDatabase: false,
    ...overrides,
  });
}
