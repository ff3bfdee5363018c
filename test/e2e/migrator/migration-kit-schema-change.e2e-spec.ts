// Issue 15's experiment as a test. One nullable column added to an entity, with its generated migration,
// broke 5 of the project's tests (the migrations suite's schema at head, twice, and three data-survival
// fixtures), each fixed only by editing a hand-written listing. Those expectations are now derived from the
// entities, so the same change, made here on copies (the property added at discovery, the migration copied
// after the committed ones), breaks none of them; a column added on one side only still breaks them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { MikroORM, ReferenceKind, type EntityMetadata } from '@mikro-orm/postgresql';
import { loadConfig } from '../../../src/config/app.config.js';
import { buildOrmOptions, CHECKSUMS_TABLE, MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import type { MigrationKitOptions } from '../../kit/kit-options.js';
import { checkDataSurvives } from '../../kit/schema-checks.js';
import { copyMigrations } from '../../support/migration-copies.js';
import { comparableSchema, entitySchema, quietMigrator, serviceRunner, withoutMigrationOnly } from '../../support/migrations.js';
import { survivalFixtures, type EntitiesAt } from '../../support/survival-fixtures.js';
import { createTestDatabase } from '../../support/test-database.js';

const NOTE_MIGRATION = 'test/fixtures/kit-schema-change/20991231_000000_add_execution_probe.ts';

/** The entity side of the change: what `@Property({ type: 'text', nullable: true }) schemaChangeProbe` on PipelineExecution declares. */
function addProbe(meta: EntityMetadata): void {
  if (meta.className === 'PipelineExecution') meta.addProperty({ name: 'schemaChangeProbe', kind: ReferenceKind.SCALAR, type: 'text', nullable: true });
}

/** An ORM on `url` with the migrations of `dir`, and the entities with the probe column when `probe` is set. */
const ormWith = (dir: string, probe: boolean) => (url: string) =>
  MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: url, MIGRATIONS_DIR: dir }), { logger: () => undefined, ...(probe ? { discovery: { onMetadata: addProbe } } : {}) }));

const entitiesWith = (probe: boolean): EntitiesAt => async (url) => {
  const orm = await ormWith('migrations', probe)(url);
  try {
    return [...orm.getMetadata().getAll().values()];
  } finally {
    await orm.close(true);
  }
};

const kitFor = (dir: string): MigrationKitOptions => ({
  name: dir,
  createDatabase: () => createTestDatabase({ empty: true }),
  openRunner: async (url) => serviceRunner(await ormWith(dir, false)(url)),
  bookkeepingTables: [MIGRATIONS_TABLE, CHECKSUMS_TABLE],
  migrationsDir: dir,
});

/** The schema the migrations of `dir` build at head, as the migrations suite compares it. */
async function builtBy(dir: string) {
  const db = await createTestDatabase({ empty: true });
  try {
    const runner = serviceRunner(await ormWith(dir, false)(db.url));
    try {
      await runner.up();
    } finally {
      await runner.close();
    }
    return await comparableSchema(db.url);
  } finally {
    await db.drop();
  }
}

async function failureOf(check: Promise<void>): Promise<string> {
  const error = await check.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error('the check passed, but the entities and the migrations disagree');
  return stripVTControlCharacters(error.message);
}

describe('a schema change (one nullable column and its migration) breaks no test that derives its expectations', () => {
  quietMigrator();
  let changed = '';

  beforeAll(() => {
    changed = copyMigrations('migrations', 'schema-change');
    cpSync(NOTE_MIGRATION, join(changed, basename(NOTE_MIGRATION)));
  });
  afterAll(() => rmSync(changed, { recursive: true, force: true }));

  it("the migrations suite's expectation: the schema at head is what the changed entities describe, the column included", async () => {
    const built = await builtBy(changed);
    expect(built.columns.pipeline_executions).toContain('schema_change_probe text null');
    expect(withoutMigrationOnly(built)).toEqual(await entitySchema(ormWith(changed, true)));
  });

  it('the data-survival fixtures: rows written before the column read it back as null, with no fixture edited', async () => {
    const fixtures = survivalFixtures(entitiesWith(true));
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
    for (const fixture of fixtures) await checkDataSurvives(kitFor(changed), fixture);
  });

  it('the column on one side only still fails both: the entities without the migration', async () => {
    const built = await builtBy('migrations');
    expect(withoutMigrationOnly(built)).not.toEqual(await entitySchema(ormWith('migrations', true)));
    const [executions] = survivalFixtures(entitiesWith(true));
    expect(await failureOf(checkDataSurvives(kitFor('migrations'), executions))).toContain('"schema_change_probe": null');
  });

  it('the column on one side only still fails both: the migration without the entities', async () => {
    expect(withoutMigrationOnly(await builtBy(changed))).not.toEqual(await entitySchema(ormWith(changed, false)));
    const [executions] = survivalFixtures(entitiesWith(false));
    expect(await failureOf(checkDataSurvives(kitFor(changed), executions))).toContain('"schema_change_probe": null');
  });
});
