import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { buildOrmOptions } from '../../mikro-orm.config.js';
import { loadConfig } from '../../src/config/app.config.js';
import { MigrationService } from '../../src/database/migration.service.js';

/** A MikroORM instance configured exactly as the app's (the root config), for suites below the HTTP layer. */
export async function openOrm(databaseUrl: string, overrides: Partial<Options> = {}) {
  const config = loadConfig({ DATABASE_URL: databaseUrl });
  const orm = await MikroORM.init({ ...buildOrmOptions(config, { logger: () => undefined, ...overrides }) });
  return { orm, migrations: new MigrationService(orm) };
}
