// The migration test kit fails when it should: each check, run directly on a fixture set of migrations that
// breaks what it proves, reports the migration (or fixture) at fault. The fixtures run through MikroORM's
// stock migrator (mikroOrmRunner), as another project's would.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { buildOrmOptions, MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { loadConfig } from '../../../src/config/app.config.js';
import { checkLinearHistory, historyProblems, orderProblems } from '../../kit/history-checks.js';
import type { MigrationKitOptions } from '../../kit/kit-options.js';
import { mikroOrmRunner } from '../../kit/mikro-orm-runner.js';
import { checkDataSurvives, checkDownToZero, checkEntitiesMatch, checkMigration, checkUpDownUp } from '../../kit/schema-checks.js';
import { copyMigrations } from '../../support/migration-copies.js';
import { serviceRunner } from '../../support/migrations.js';
import { createTestDatabase, sql } from '../../support/test-database.js';

const BROKEN_DOWN = 'test/fixtures/kit-broken-down';
const LOSSY = 'test/fixtures/kit-lossy-upgrade';
const LOSSY_DOWN = 'test/fixtures/kit-lossy-down';
const HISTORY = 'test/fixtures/history-migrations';

function kitFor(dir: string, more: Partial<MigrationKitOptions> = {}): MigrationKitOptions {
  return {
    name: dir,
    createDatabase: () => createTestDatabase({ empty: true }),
    openRunner: async (url) => {
      const config = loadConfig({ DATABASE_URL: url, MIGRATIONS_DIR: dir });
      return mikroOrmRunner(await MikroORM.init(buildOrmOptions(config, { logger: () => undefined })));
    },
    bookkeepingTables: [MIGRATIONS_TABLE],
    migrationsDir: dir,
    ...more,
  };
}

/** What `work` writes to stdout and console.log, kept off the terminal. */
async function outputOf(work: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  const log = console.log;
  process.stdout.write = ((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
  console.log = (...args: unknown[]) => void chunks.push(args.join(' '));
  try {
    await work();
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
  return stripVTControlCharacters(chunks.join(''));
}

/** The failure message of a check that must fail, without colours; fails the test if the check passed. */
async function failureOf(check: Promise<void>): Promise<string> {
  const error = await check.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('the check passed, but the fixture breaks what it proves');
  return stripVTControlCharacters(error.message);
}

describe('the migration test kit fails when it should', () => {
  it('up/down/up names the migration whose down() forgets an index, and shows the index in the diff', async () => {
    const message = await failureOf(checkUpDownUp(kitFor(BROKEN_DOWN)));
    expect(message).toMatch(/^20260401_000100_index_widget_names: down\(\) did not restore the schema from before its up\(\)/);
    expect(message).toContain('widgets_name_idx: CREATE INDEX widgets_name_idx ON public.widgets USING btree (name, id)');
  });

  it('up/down/up passes a correct set through the stock migrator, a data-only migration included', async () => {
    await expect(checkUpDownUp(kitFor(HISTORY, { dataOnly: ['20260202_000000_seed_notes'] }))).resolves.toBeUndefined();
    // Not declared data-only, the same migration is reported as changing nothing.
    expect(await failureOf(checkUpDownUp(kitFor(HISTORY)))).toMatch(/^20260202_000000_seed_notes: up\(\) changed nothing in the schema/);
  });

  it('down to 0 reports what a down() leaves behind once everything is reverted', async () => {
    const message = await failureOf(checkDownToZero(kitFor(LOSSY)));
    expect(message).toMatch(/down\(0\) left more than the bookkeeping tables behind/);
    expect(message).toContain('gadget_label_length');
    // The broken-down set passes this check (its table takes the index along): why up/down/up exists.
    await expect(checkDownToZero(kitFor(BROKEN_DOWN))).resolves.toBeUndefined();
  });

  it('data survival names the fixture whose rows a later migration rewrites, with the changed values', async () => {
    const fixture = {
      name: 'padded gadget labels',
      at: '20260402_000000_create_gadgets',
      write: async (url: string) => void (await sql(url, `insert into gadgets (id, label) values (1, '  spaced  ')`)),
      verify: async (url: string) => expect(await sql(url, 'select id, label from gadgets')).toEqual([{ id: 1, label: '  spaced  ' }]),
    };
    const message = await failureOf(checkDataSurvives(kitFor(LOSSY), fixture));
    expect(message).toMatch(/^rows "padded gadget labels" written at 20260402_000000_create_gadgets: did not survive 20260402_000100_trim_gadget_labels/);
    expect(message).toContain('"label": "spaced"');
    // Written at head, no upgrade would touch the rows: refused rather than passed.
    const atHead = { ...fixture, at: '20260402_000100_trim_gadget_labels' };
    expect(await failureOf(checkDataSurvives(kitFor(LOSSY), atHead))).toContain('is the last migration: nothing upgrades the rows');
  });

  it('entities report the reconciling SQL their callback returns at head', async () => {
    const drift = 'alter table "widgets" add column "weight" int not null;';
    const message = await failureOf(checkEntitiesMatch(kitFor(BROKEN_DOWN, { entitiesMatch: async () => drift })));
    expect(message).toContain('the entities differ from the schema the migrations build');
    expect(message).toContain(drift);
  });

  it('linear history reports duplicate names, names off the pattern, shared timestamps and out-of-order runs', async () => {
    expect(historyProblems(['20260101_000000_a.ts', '20260101_000000_a.js', '20260101_000000_b.ts', 'AddUsers.ts'])).toEqual([
      '20260101_000000_a is defined more than once: 20260101_000000_a.js, 20260101_000000_a.ts',
      'AddUsers does not match /^\\d{8}_\\d{6}_[a-z0-9_]+$/',
      '20260101_000000_a and 20260101_000000_b share the timestamp 20260101_000000: their order is an accident',
    ]);
    expect(orderProblems(['20260101_000000_a', '20260103_000000_c'], ['20260102_000000_b'])).toEqual([
      '20260102_000000_b is pending but sorts before 20260103_000000_c, which is applied',
    ]);
    await expect(checkLinearHistory(kitFor(BROKEN_DOWN))).resolves.toBeUndefined();
  });

  it('linear history reports a migration file the runner never sees', async () => {
    // A copy of a correct set plus an .mjs migration, which this project's migrator (a .ts glob) skips.
    const dir = copyMigrations(HISTORY, 'kit');
    try {
      writeFileSync(join(dir, '20260203_000000_orphan.mjs'), 'export class Orphan {}\n');
      const message = await failureOf(checkLinearHistory(kitFor(dir)));
      expect(message).toMatch(/the runner's pending list on an empty database is not the files in sorted order/);
      expect(message).toContain('20260203_000000_orphan');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('one migration on its own (checkMigration)', () => {
    const titles = {
      name: 'gizmos with titles',
      write: async (url: string) => void (await sql(url, `insert into gizmos (id, title) values (1, 'spanner'), (2, 'wrench')`)),
      verify: async (url: string) => expect(await sql(url, 'select id, name from gizmos order by id')).toEqual([{ id: 1, name: 'spanner' }, { id: 2, name: 'wrench' }]),
      verifyBefore: async (url: string) => expect(await sql(url, 'select id, title from gizmos order by id')).toEqual([{ id: 1, title: 'spanner' }, { id: 2, title: 'wrench' }]),
    };

    it('names the migration whose down() loses the rows written before it, though the schema comes back exactly', async () => {
      const rename = '20260403_000100_rename_gizmo_title';
      const message = await failureOf(checkMigration(kitFor(LOSSY_DOWN), rename, [titles]));
      expect(message).toMatch(/^rows "gizmos with titles" written before 20260403_000100_rename_gizmo_title: did not survive its down\(\)/);
      expect(message).toContain('"title": "spanner"');
      // Without verifyBefore, the second up() shows the loss at the migration's own version.
      const { verifyBefore: _before, ...atItsVersion } = titles;
      expect(await failureOf(checkMigration(kitFor(LOSSY_DOWN), rename, [atItsVersion]))).toMatch(/did not survive its down\(\) and up\(\) again[^]*"name": "spanner"/);
      // The whole-history checks pass this set: nothing but rows written before it shows the loss.
      await expect(checkUpDownUp(kitFor(LOSSY_DOWN))).resolves.toBeUndefined();
    });

    it('names the migration whose up/down/up does not restore the schema, with every migration before it applied', async () => {
      const message = await failureOf(checkMigration(kitFor(BROKEN_DOWN), '20260401_000100_index_widget_names'));
      expect(message).toMatch(/^20260401_000100_index_widget_names: down\(\) did not restore the schema from before its up\(\)/);
      expect(message).toContain('widgets_name_idx');
      expect(await failureOf(checkMigration(kitFor(BROKEN_DOWN), '20260401_000900_no_such_migration'))).toMatch(/is not a migration of this project/);
    });

    it('passes a correct migration, the rows written before it kept through up, down and up again', async () => {
      const widgets = {
        name: 'named widgets',
        write: async (url: string) => void (await sql(url, `insert into widgets (id, name) values (1, 'sprocket')`)),
        verify: async (url: string) => expect(await sql(url, 'select id, name, colour from widgets')).toEqual([{ id: 1, name: 'sprocket', colour: 'grey' }]),
        verifyBefore: async (url: string) => expect(await sql(url, 'select id, name from widgets')).toEqual([{ id: 1, name: 'sprocket' }]),
      };
      await expect(checkMigration(kitFor(BROKEN_DOWN), '20260401_000200_add_widget_colour', [widgets])).resolves.toBeUndefined();
      await expect(checkMigration(kitFor(LOSSY_DOWN), '20260403_000000_create_gizmos')).resolves.toBeUndefined();
      // Rows that cannot be written before the migration (no table yet) are the fixture's failure, named as such.
      expect(await failureOf(checkMigration(kitFor(LOSSY_DOWN), '20260403_000000_create_gizmos', [titles]))).toMatch(/written before 20260403_000000_create_gizmos: writing them failed/);
    });

    it("runs quietly: the project runner's Migrator lines show only when asked (verbose, or MIGRATION_KIT_VERBOSE=1)", async () => {
      const name = '20260401_000200_add_widget_colour';
      const kit = (verbose?: boolean): MigrationKitOptions => ({
        ...kitFor(BROKEN_DOWN, { verbose }),
        openRunner: async (url) => serviceRunner(await MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: url, MIGRATIONS_DIR: BROKEN_DOWN }), { logger: () => undefined }))),
      });
      expect(await outputOf(() => checkMigration(kit(), name))).toBe('');
      const loud = await outputOf(() => checkMigration(kit(true), name));
      expect(loud).toContain(`[Migrator] applied ${name}`);
      expect(loud).toContain(`[Migrator] reverted ${name}`);
      const previous = process.env.MIGRATION_KIT_VERBOSE;
      process.env.MIGRATION_KIT_VERBOSE = '1';
      try {
        expect(await outputOf(() => checkMigration(kit(), name))).toContain(`[Migrator] applied ${name}`);
      } finally {
        if (previous === undefined) delete process.env.MIGRATION_KIT_VERBOSE;
        else process.env.MIGRATION_KIT_VERBOSE = previous;
      }
    });
  });

  it("docs/migration-test-kit.md's recipe is the recipe spec that runs, character for character", () => {
    const doc = readFileSync('docs/migration-test-kit.md', 'utf8');
    const recipe = /```ts\n([^]*?)```/.exec(doc.slice(doc.indexOf('## Using it')))?.[1];
    expect(recipe).toBe(readFileSync('test/e2e/migrator/migration-kit-recipe.e2e-spec.ts', 'utf8'));
  });
});
