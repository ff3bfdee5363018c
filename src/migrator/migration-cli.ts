import { Logger } from '../logging/logger.js';
import { loadConfig } from '../config/app.config.js';
import { resolveDatabaseUrl } from '../database/embedded/embedded-credentials.js';
import { commandLineBudget, waitForDatabase } from '../database/wait-for-database.js';
import { CliLogger } from '../logging/cli-logger.js';
import { DestructiveGuard } from './destructive-guard.js';
import { detectDrift } from './drift/migration-drift.js';
import { runMigrateCommand, type MigrateArgs } from './migrate.command.js';
import { openMigrationRunner } from './migration-orm.js';
import { forMigrations } from './migration-settings.js';

/**
 * The `migrate` commands that need the database, on an ORM and a locked runner of their own: no Nest
 * application, so that a command loads the migrator and the ORM but none of the service's feature modules.
 * They connect as the owner (MIGRATIONS_DATABASE_URL when set), give up on an unreachable database within
 * DB_CONNECT_TIMEOUT_MS, and log their progress (each migration, drift's steps) on stderr at LOG_LEVEL.
 */
export async function runMigrateCli(args: MigrateArgs, print: (line: string) => void): Promise<number> {
  const config = forMigrations(loadConfig());
  Logger.overrideLogger(new CliLogger(config.logLevel));
  const runner = await openMigrationRunner(config);
  try {
    await waitForDatabase(runner.orm, commandLineBudget(config.database), resolveDatabaseUrl(config), (m) => new Logger('Database').warn(m));
    return await runMigrateCommand(args, {
      migrations: runner.migrations,
      drift: () => detectDrift(config, runner.migrations),
      guard: new DestructiveGuard(runner.orm, config.migrations.guard),
    }, print);
  } finally {
    await runner.close();
  }
}
