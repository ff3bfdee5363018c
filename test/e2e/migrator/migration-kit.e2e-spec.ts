// This project's migrations through the migration test kit, applied the way production applies them: by
// MigrationService (checksums, history checks and all), each check on an empty database of its own.
import { expect } from '@jest/globals';
import { CHECKSUMS_TABLE, MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { PGBOSS_SCHEMA } from '../../../src/jobs/pgboss-schema.js';
import type { MigrationKitOptions, OpenedRunner, RunnerContext } from '../../kit/kit-options.js';
import { describeMigration, describeMigrationKit } from '../../kit/migration-test-kit.js';
import { serviceRunner } from '../../support/migrations.js';
import { openOrm } from '../../support/orm.js';
import { SURVIVAL_FIXTURES } from '../../support/survival-fixtures.js';
import { createTestDatabase, sql } from '../../support/test-database.js';

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

const options: MigrationKitOptions = {
  name: 'pipeline-ledger',
  createDatabase: () => createTestDatabase({ empty: true }),
  openRunner,
  bookkeepingTables: [MIGRATIONS_TABLE, CHECKSUMS_TABLE],
  // The job library's schema is built by a migration too: its up/down/up is compared like public's.
  schemas: ['public', PGBOSS_SCHEMA],
  migrationsDir: 'migrations',
  dataSurvival: SURVIVAL_FIXTURES,
  entitiesMatch,
};

describeMigrationKit(options);

// The rollup's migration on its own: it backfills the hours from the metrics already there, and its down
// must leave those metrics alone.
const METRICS = `select metric_id, pipeline_name, metric_type, metric_value from data_quality_metrics order by metric_id`;
const metricRows = [1, 2, 3].map((n) => ({ metric_id: `00000000-0000-7000-8000-00000000007${n}`, pipeline_name: 'orders', metric_type: 'row_count', metric_value: 10 * n }));
describeMigration(options, '20261122_155418_add_metric_hours_rollup', [
  {
    name: 'metrics recorded before the rollup, two in one hour',
    write: async (url) => {
      const at = ['2026-11-20T10:05:00Z', '2026-11-20T10:55:00Z', '2026-11-20T11:00:00Z'];
      const values = metricRows.map((m, i) => `('${m.metric_id}', '${m.pipeline_name}', '${m.metric_type}', ${m.metric_value}, '${at[i]}')`);
      await sql(url, `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at) values ${values.join(', ')}`);
    },
    verify: async (url) => {
      expect(await sql(url, METRICS)).toEqual(metricRows);
      expect(await sql(url, 'select hour, count, sum from data_quality_metric_hours order by hour')).toEqual([
        { hour: new Date('2026-11-20T10:00:00Z'), count: '2', sum: 30 },
        { hour: new Date('2026-11-20T11:00:00Z'), count: '1', sum: 30 },
      ]);
    },
    verifyBefore: async (url) => expect(await sql(url, METRICS)).toEqual(metricRows),
  },
]);
