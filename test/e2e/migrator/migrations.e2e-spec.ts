import { beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { openOrm, useOrmDatabase } from '../../support/orm.js';
import { readCatalog, withoutTracking, type SchemaCatalog } from '../../../src/migrator/drift/schema-catalog.js';
import { comparableSchema, entitySchema, quietMigrator, MIGRATION_ONLY, withoutMigrationOnly } from '../../support/migrations.js';
import { sql } from '../../support/test-database.js';

const EMPTY: SchemaCatalog = {
  tables: [],
  columns: {},
  constraints: {},
  indexes: {},
  triggers: [],
  functions: [],
  types: [],
  sequences: [],
};

// Each migration's own up/down/up, entities against the DDL, rows surviving upgrades, the history's order:
// test/migration-kit.e2e-spec.ts, through the migration test kit.
describe('migrations, from an empty database', () => {
  quietMigrator();
  const t = useOrmDatabase({ empty: true });
  let all: string[];
  // What the entities describe, built from scratch by the schema generator: the schema at head must be it,
  // so that a schema change (entity + migration) needs no edit here.
  let entities: SchemaCatalog;
  let head: SchemaCatalog;

  const catalog = () => readCatalog(t.db.url);
  const trackedNames = async () =>
    (await sql<{ name: string }>(t.db.url, `select name from ${MIGRATIONS_TABLE} order by id`)).map((r) => r.name);

  beforeAll(async () => {
    all = (await t.migrations.status()).pending;
    entities = await entitySchema(async (url) => (await openOrm(url)).orm);
  });

  it('discovers the committed migrations in file-name order, named YYYYMMDD_HHMMSS_slug', () => {
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all[0]).toBe('20261121_132715_create_core_tables');
    for (const name of all) expect(name).toMatch(/^\d{8}_\d{6}_[a-z0-9_]+$/);
    expect([...all].sort()).toEqual(all);
  });

  it('up from empty to head builds exactly the schema the entities describe, and the TRUNCATE trigger they cannot', async () => {
    expect(withoutTracking(await catalog(), MIGRATIONS_TABLE)).toEqual(EMPTY);
    expect(await t.migrations.up()).toEqual(all);
    head = await catalog();
    const built = await comparableSchema(t.db.url);
    expect(entities.tables.length).toBeGreaterThan(0);
    expect(withoutMigrationOnly(built)).toEqual(entities);
    expect(built.triggers).toEqual(expect.arrayContaining(MIGRATION_ONLY.triggers));
    expect(built.functions.map((f) => f.split(': ')[0])).toEqual(expect.arrayContaining(MIGRATION_ONLY.functions));
    expect(head.tables).toEqual(expect.arrayContaining(['migration_checksums', MIGRATIONS_TABLE]));
  });

  it('the tracking table lists exactly the applied migrations, in order', async () => {
    expect(await trackedNames()).toEqual(all);
    expect((await t.migrations.status()).pending).toEqual([]);
  });

  it('head to base removes everything but the migration bookkeeping, with no migration left in it', async () => {
    expect(await t.migrations.down(0)).toEqual([...all].reverse());
    const base = await catalog();
    expect(withoutTracking(base, MIGRATIONS_TABLE)).toEqual(EMPTY);
    expect(base.tables).toEqual(['migration_checksums', MIGRATIONS_TABLE]);
    expect(await trackedNames()).toEqual([]);
    expect(await sql(t.db.url, 'select * from migration_checksums')).toEqual([]);
  });

  it('base to head again reproduces the same schema', async () => {
    await t.migrations.up();
    expect(await catalog()).toEqual(head);
    expect(await trackedNames()).toEqual(all);
  });

  it('an unknown --to target is refused instead of applying or reverting everything', async () => {
    await expect(t.migrations.up('20990101_000000_no_such_migration')).rejects.toThrow(/No pending migration named/);
    await expect(t.migrations.down('20990101_000000_no_such_migration')).rejects.toThrow(/No applied migration named/);
    expect(await trackedNames()).toEqual(all);
  });

  it('down --to a migration that is not applied is refused (MikroORM would revert everything)', async () => {
    await t.migrations.down();
    const pending = all[all.length - 1];
    await expect(t.migrations.down(pending)).rejects.toThrow(/No applied migration named/);
    expect(await trackedNames()).toEqual(all.slice(0, -1));
    await t.migrations.up();
  });
});
