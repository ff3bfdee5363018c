import type { AppConfig } from '../config/app.config.js';

/**
 * The settings migrations run with: the owner role's URL (MIGRATIONS_DATABASE_URL) when the service itself
 * runs as a role that may not change the schema (see roles.ts), else DATABASE_URL; their own statement
 * timeout (none by default: a backfill or an index build may take longer than any request should), a
 * lock_timeout so that a DDL statement never queues for long behind a busy transaction while blocking the
 * application's queries behind itself, and a small pool of their own, so they never take connections from
 * requests.
 */
export function forMigrations(config: AppConfig): AppConfig {
  const { pool } = config.database;
  const database = {
    ...config.database,
    url: config.migrations.url ?? config.database.url,
    statementTimeoutMs: config.migrations.statementTimeoutMs,
    lockTimeoutMs: config.migrations.ddlLockTimeoutMs,
    pool: { ...pool, min: 0, max: 2 },
  };
  return { ...config, database };
}
