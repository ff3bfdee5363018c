import { SeedManager } from '@mikro-orm/seeder';
import { loadConfig, type AppConfig } from './src/config/app.config.js';
import { buildOrmOptions } from './src/database/orm-options.js';
import { embeddedUrl, readEmbeddedPassword } from './src/database/embedded/embedded-credentials.js';
import { SafeMigrationGenerator } from './src/migrator/generator/safe-migration.generator.js';
import { migrationFileName } from './src/migrator/migration-file-name.js';
import { forMigrations } from './src/migrator/migration-settings.js';
import { lockedMigrator } from './src/migrator/locked-migrator.js';
import { lockSettingsFor } from './src/migrator/migration-orm.js';

// The mikro-orm CLI's configuration (package.json "mikro-orm".configPaths): the ORM options every part of the
// project uses (src/database/orm-options.ts), with migration settings, because that CLI is mostly used to
// migrate, generated file names of ours, a generator that writes migrations in the form `migrate lint`
// accepts, and a migrator whose up and down go through the project's runner, so `npx mikro-orm migration:up`
// takes the migration lock. A factory, so that importing this file reads no environment and opens nothing.
// Nothing in src/ imports it.
export default () => {
  const config = withAddress(forMigrations(loadConfig()));
  const options = buildOrmOptions(config, { extensions: [lockedMigrator(lockSettingsFor(config), config.migrations.guard), SeedManager] });
  return { ...options, migrations: { ...options.migrations, fileName: migrationFileName, generator: SafeMigrationGenerator } };
};

/**
 * Commands that read only the entities and migrations/.snapshot.json (migration:create, migration:check)
 * need no database, so they need no DATABASE_URL either, nor does a caller that sets clientUrl itself (the
 * migration test kit). Without one, and before `npm start` has created the embedded database, the options
 * name the address the embedded database will have; MikroORM connects lazily, so only a command that
 * needs the database dials it.
 */
function withAddress(config: AppConfig): AppConfig {
  if (config.database.url || readEmbeddedPassword(config.embedded.dataDir) !== undefined) return config;
  return { ...config, database: { ...config.database, url: embeddedUrl(config.embedded.port, '') } };
}
