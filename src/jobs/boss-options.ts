import type { ConstructorOptions } from 'pg-boss';
import type { AppConfig } from '../config/app.config.js';
import { resolveDatabaseUrl } from '../database/embedded/embedded-credentials.js';
import { sslOptions } from '../database/orm-options.js';
import { clientConnection } from '../database/pg-connection.js';
import { PGBOSS_SCHEMA } from './pgboss-schema.js';

/** pg-boss's own pool, beside DB_POOL_MAX: its workers, maintenance and sends (count it in the connection budget). */
export const JOBS_POOL_MAX = 4;

/**
 * pg-boss on the service's database, as the service's role: it installs and migrates nothing (the owner's
 * migrations do, PGBOSS_SCHEMA_VERSION), and every option that would need DDL at run time is off: no index
 * rebuilds (REINDEX needs the owner; `pg-boss reindex` from operations), no queue statistics partitions, no
 * partitioned queues, no TestClock. Its sessions get the same time zone and statement timeout as ours.
 */
export function bossOptions(config: AppConfig): ConstructorOptions {
  const url = resolveDatabaseUrl(config);
  const { connectionString, ssl } = clientConnection(url.toString(), sslOptions(url.searchParams.get('sslmode')));
  const timeout = config.database.statementTimeoutMs;
  return {
    connectionString,
    ssl: ssl === false ? undefined : ssl,
    schema: PGBOSS_SCHEMA,
    max: JOBS_POOL_MAX,
    application_name: 'pipeline-ledger jobs',
    connectionTimeoutMillis: config.database.connectTimeoutMs,
    options: `-c TimeZone=UTC${timeout > 0 ? ` -c statement_timeout=${timeout}` : ''}`,
    migrate: false,
    createSchema: false,
    reindex: false,
    persistQueueStats: false,
    // No cron schedules yet: their monitor would poll for nothing. A feature that needs boss.schedule() turns it on.
    schedule: false,
    openTelemetry: { enabled: false },
  };
}
