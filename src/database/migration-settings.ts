import type { AppConfig } from '../config/app.config.js';

/**
 * The settings migrations run with: no statement timeout (a backfill or an index build may take longer
 * than any request should) and a small pool of their own, so they never take connections from requests.
 */
export function forMigrations(config: AppConfig): AppConfig {
  const { pool } = config.database;
  return { ...config, database: { ...config.database, statementTimeoutMs: 0, pool: { ...pool, min: 0, max: 2 } } };
}
