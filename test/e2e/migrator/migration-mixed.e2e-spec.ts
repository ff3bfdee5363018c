import { describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { buildOrmOptions, MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { loadConfig } from '../../../src/config/app.config.js';
import { openMigrationRunner } from '../../../src/migrator/migration-orm.js';
import { useEmptyDatabases } from '../../support/empty-databases.js';
import { sql, type TestDatabase } from '../../support/test-database.js';

const MIXED = 'test/fixtures/mixed-migrations';
const FAILING = 'test/fixtures/failing-concurrent-migrations';
const HISTORY = 'test/fixtures/history-migrations';
const [CREATE, INDEX_KIND, ADD_NOTE, INDEX_NOTE] = [
  '20260401_000000_create_events',
  '20260401_000001_index_events_kind',
  '20260401_000002_add_events_note',
  '20260401_000003_index_events_note',
];

/** The runner as boot and the command module use it: with the migration lock and its connection. */
async function withRunner<T>(db: TestDatabase, dir: string, work: (runner: Awaited<ReturnType<typeof openMigrationRunner>>) => Promise<T>) {
  const runner = await openMigrationRunner(loadConfig({ DATABASE_URL: db.url, MIGRATIONS_DIR: dir, MIGRATIONS_DDL_LOCK_TIMEOUT_MS: '10000' }));
  try {
    return await work(runner);
  } finally {
    await runner.close();
  }
}

const indexes = async (db: TestDatabase) =>
  sql<{ name: string; valid: boolean }>(
    db.url,
    `select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
     where i.indrelid = 'events'::regclass and not i.indisprimary order by 1`,
  );
const tracked = async (db: TestDatabase) => (await sql<{ name: string }>(db.url, `select name from ${MIGRATIONS_TABLE} order by id`)).map((r) => r.name);

describe('mixed runs: transactional and non-transactional migrations in one run', () => {
  const fresh = useEmptyDatabases();

  it('the fixture reproduces the failure of stock MikroORM: CREATE INDEX CONCURRENTLY after a CREATE TABLE in the same run', async () => {
    const db = await fresh();
    const orm = await MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: db.url, MIGRATIONS_DIR: MIXED }), { logger: () => undefined }));
    try {
      await expect(orm.migrator.up({ to: INDEX_KIND })).rejects.toThrow(/relation "events" does not exist/);
    } finally {
      await orm.close(true);
    }
    expect(await sql(db.url, `select to_regclass('events') as events`)).toEqual([{ events: null }]);
  });

  it('a CREATE TABLE then a concurrent index on it in one run: the table commits first, the index is built, each recorded once', async () => {
    const db = await fresh();
    const applied = await withRunner(db, MIXED, (r) => r.migrations.up(INDEX_KIND));
    expect(applied).toEqual([CREATE, INDEX_KIND]);
    expect(await indexes(db)).toEqual([{ name: 'events_kind_idx', valid: true }]);
    expect(await tracked(db)).toEqual([CREATE, INDEX_KIND]);
    const status = await withRunner(db, MIXED, (r) => r.migrations.status());
    expect(status.applied.map((m) => [m.name, m.checksum])).toEqual([
      [CREATE, 'ok'],
      [INDEX_KIND, 'ok'],
    ]);
    expect(status.problems).toEqual([]);
  });

  it('an ALTER TABLE on an existing table then a concurrent index on it: built without waiting on the run’s own table lock', async () => {
    const db = await fresh();
    await withRunner(db, MIXED, (r) => r.migrations.up(INDEX_KIND));
    const started = Date.now();
    expect(await withRunner(db, MIXED, (r) => r.migrations.up())).toEqual([ADD_NOTE, INDEX_NOTE]);
    // Stock MikroORM waits here forever; 10 s of lock_timeout would turn that into a failure, not a pass.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await indexes(db)).toEqual([
      { name: 'events_kind_idx', valid: true },
      { name: 'events_note_idx', valid: true },
    ]);
    expect(await tracked(db)).toEqual([CREATE, INDEX_KIND, ADD_NOTE, INDEX_NOTE]);
  });

  it('down reverts non-transactional migrations outside a transaction too, and the run can go up again', async () => {
    const db = await fresh();
    await withRunner(db, MIXED, (r) => r.migrations.up());
    expect(await withRunner(db, MIXED, (r) => r.migrations.down(0))).toEqual([INDEX_NOTE, ADD_NOTE, INDEX_KIND, CREATE]);
    expect(await sql(db.url, `select to_regclass('events') as events`)).toEqual([{ events: null }]);
    expect(await tracked(db)).toEqual([]);
    expect(await sql(db.url, 'select name from migration_checksums')).toEqual([]);
    expect(await withRunner(db, MIXED, (r) => r.migrations.up())).toHaveLength(4);
  });

  it('dry run marks the migrations that run outside a transaction', async () => {
    const db = await fresh();
    const plan = await withRunner(db, MIXED, (r) => r.migrations.plan('up'));
    expect(plan.map((step) => [step.name, step.transactional])).toEqual([
      [CREATE, true],
      [INDEX_KIND, false],
      [ADD_NOTE, true],
      [INDEX_NOTE, false],
    ]);
  });

  it('a failing non-transactional migration: what ran before it stays applied, it is not recorded, the invalid index its build left is dropped', async () => {
    const db = await fresh();
    const run = withRunner(db, FAILING, (r) => r.migrations.up());
    await expect(run).rejects.toThrow(/Migration 20260402_000001_unique_codes failed \(up\); it runs outside a transaction/);
    await expect(run).rejects.toThrow(/completed before it stay done \(20260402_000000_create_codes\)/);
    await expect(run).rejects.toThrow(/the invalid index its failed build left was dropped: codes_code_unique: could not create unique index/);
    expect(await tracked(db)).toEqual(['20260402_000000_create_codes']);
    expect(await sql(db.url, 'select name from migration_checksums')).toEqual([{ name: '20260402_000000_create_codes' }]);
    expect(await sql(db.url, `select count(*)::int as n from pg_index where not indisvalid`)).toEqual([{ n: 0 }]);
    // Run again: the same failure (IF NOT EXISTS finds no invalid index to skip), and again nothing is left.
    await expect(withRunner(db, FAILING, (r) => r.migrations.up())).rejects.toThrow(/could not create unique index "codes_code_unique"/);
    expect(await tracked(db)).toEqual(['20260402_000000_create_codes']);
    // Once the duplicates are gone, the migration goes through: nothing to drop by hand.
    await sql(db.url, `delete from codes where id = 2`);
    expect(await withRunner(db, FAILING, (r) => r.migrations.up())).toEqual(['20260402_000001_unique_codes']);
  });

  it('migrations applied by another tool get their checksums trusted on the next up, even with nothing to apply', async () => {
    const db = await fresh();
    const orm = await MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: db.url, MIGRATIONS_DIR: HISTORY }), { logger: () => undefined }));
    try {
      await orm.migrator.up(); // stock MikroORM: no checksum table at all
    } finally {
      await orm.close(true);
    }
    expect(await sql(db.url, `select to_regclass('migration_checksums') as t`)).toEqual([{ t: null }]);
    expect(await withRunner(db, HISTORY, (r) => r.migrations.up())).toEqual([]);
    const status = await withRunner(db, HISTORY, (r) => r.migrations.status());
    expect(status.applied.map((m) => m.checksum)).toEqual(['ok', 'ok']);
  });
});
