import { SeedManager } from '@mikro-orm/seeder';
import { loadConfig } from './src/config/app.config.js';
import { buildOrmOptions } from './src/database/orm-options.js';
import { migrationFileName } from './src/migrator/migration-file-name.js';
import { forMigrations } from './src/migrator/migration-settings.js';
import { lockedMigrator } from './src/migrator/locked-migrator.js';
import { lockTargetFor } from './src/migrator/migration-orm.js';

// The mikro-orm CLI's configuration (package.json "mikro-orm".configPaths): the ORM options every part of the
// project uses (src/database/orm-options.ts), with migration settings, because that CLI is mostly used to
// migrate, generated file names of ours, and a migrator whose up and down go through the project's runner, so
// `npx mikro-orm migration:up` takes the migration lock. A factory, so that importing this file reads no
// environment and opens nothing. Nothing in src/ imports it.
export default () => {
  const config = forMigrations(loadConfig());
  const { url: _url, ssl: _ssl, ...lock } = lockTargetFor(config);
  const options = buildOrmOptions(config, { extensions: [lockedMigrator(lock, config.migrations.guard), SeedManager] });
  return { ...options, migrations: { ...options.migrations, fileName: migrationFileName } };
};
