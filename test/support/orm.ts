import { afterAll, beforeAll } from '@jest/globals';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { buildOrmOptions } from '../../src/database/orm-options.js';
import { loadConfig } from '../../src/config/app.config.js';
import { MigrationService } from '../../src/migrator/migration.service.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A MikroORM instance configured exactly as the app's (the root config), for suites below the HTTP layer. */
export async function openOrm(databaseUrl: string, overrides: Partial<Options> = {}) {
  const config = loadConfig({ DATABASE_URL: databaseUrl });
  const orm = await MikroORM.init({ ...buildOrmOptions(config, { logger: () => undefined, ...overrides }) });
  return { orm, migrations: new MigrationService(orm) };
}

export interface OrmDatabase {
  db: TestDatabase;
  orm: MikroORM;
  migrations: MigrationService;
}

/**
 * Registers beforeAll/afterAll hooks giving the suite its own database (cloned from the migrated template,
 * or empty) and an ORM on it. Read the fields inside tests: they are set once beforeAll has run.
 */
export function useOrmDatabase(options: { empty?: boolean } = {}): OrmDatabase {
  const ctx = {} as OrmDatabase;
  beforeAll(async () => {
    ctx.db = await createTestDatabase(options);
    Object.assign(ctx, await openOrm(ctx.db.url));
  });
  afterAll(async () => {
    await ctx.orm?.close(true);
    await ctx.db?.drop();
  });
  return ctx;
}
