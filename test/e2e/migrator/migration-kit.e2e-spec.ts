// This project's migrations through the migration test kit, applied the way production applies them: by
// MigrationService (checksums, history checks and all), each check on an empty database of its own.
import { CHECKSUMS_TABLE, MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import type { OpenedRunner, RunnerContext } from '../../kit/kit-options.js';
import { describeMigrationKit } from '../../kit/migration-test-kit.js';
import { serviceRunner } from '../../support/migrations.js';
import { openOrm } from '../../support/orm.js';
import { SURVIVAL_FIXTURES } from '../../support/survival-fixtures.js';
import { createTestDatabase } from '../../support/test-database.js';

/** Asked to be verbose (MIGRATION_KIT_VERBOSE=1), MikroORM logs too, queries included; otherwise the kit mutes the Migrator lines. */
async function openRunner(url: string, { verbose }: RunnerContext): Promise<OpenedRunner> {
  const { orm } = await openOrm(url, verbose ? { logger: (message) => console.log(message), debug: ['info', 'query'] } : {});
  return serviceRunner(orm);
}

/** The diff from the entities to the live schema, and whether the committed snapshot agrees with the entities. */
async function entitiesMatch(url: string): Promise<string> {
  const { orm } = await openOrm(url);
  try {
    const diff = (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
    // migration:create diffs against the snapshot: a stale one would put this drift in the next migration.
    const snapshot = (await orm.migrator.checkSchema()) ? '-- the entities differ from migrations/.snapshot.json' : '';
    return [diff, snapshot].filter(Boolean).join('\n');
  } finally {
    await orm.close(true);
  }
}

describeMigrationKit({
  name: 'pipeline-ledger',
  createDatabase: () => createTestDatabase({ empty: true }),
  openRunner,
  bookkeepingTables: [MIGRATIONS_TABLE, CHECKSUMS_TABLE],
  migrationsDir: 'migrations',
  dataSurvival: SURVIVAL_FIXTURES,
  entitiesMatch,
});
