import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app.config.js';
import { buildOrmOptions, MIGRATIONS_TABLE, sslOptions } from '../../mikro-orm.config.js';
import { resolveDatabaseUrl } from './embedded-credentials.js';
import type { LockTarget } from './migration-lock.js';
import { forMigrations } from './migration-settings.js';
import { MigrationService } from './migration.service.js';

export function lockTargetFor(config: AppConfig): LockTarget {
  const url = resolveDatabaseUrl(config);
  return {
    url: url.toString(),
    ssl: sslOptions(url.searchParams.get('sslmode')),
    schema: 'public',
    trackingTable: MIGRATIONS_TABLE,
    timeoutMs: config.migrations.lockTimeoutMs,
    ddlLockRetries: config.migrations.ddlLockRetries,
    ddlLockTimeoutMs: config.migrations.ddlLockTimeoutMs,
    statementTimeoutMs: config.migrations.statementTimeoutMs,
  };
}

export interface MigrationRunner {
  orm: MikroORM;
  migrations: MigrationService;
  close(): Promise<void>;
}

/**
 * An ORM of its own for applying migrations (boot with MIGRATIONS_ON_BOOT=up, the migrate command), with
 * the migration lock: whoever applies or reverts migrations goes through here.
 */
export async function openMigrationRunner(config: AppConfig): Promise<MigrationRunner> {
  const orm = await MikroORM.init(buildOrmOptions(forMigrations(config)));
  return { orm, migrations: new MigrationService(orm, lockTargetFor(config)), close: () => orm.close(true) };
}
