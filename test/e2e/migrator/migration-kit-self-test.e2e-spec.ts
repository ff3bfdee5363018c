// The migration test kit fails when it should: each check, run directly on a fixture set of migrations that
// breaks what it proves, reports the migration (or fixture) at fault. The fixtures run through MikroORM's
// stock migrator (mikroOrmRunner), as another project's would.
import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { MikroORM } from '@mikro-orm/postgresql';
import { buildOrmOptions, MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { loadConfig } from '../../../src/config/app.config.js';
import { checkLinearHistory, historyProblems, orderProblems } from '../../kit/history-checks.js';
import type { MigrationKitOptions } from '../../kit/kit-options.js';
import { mikroOrmRunner } from '../../kit/mikro-orm-runner.js';
import { checkDataSurvives, checkDownToZero, checkEntitiesMatch, checkUpDownUp } from '../../kit/schema-checks.js';
import { createTestDatabase, sql } from '../../support/test-database.js';

const BROKEN_DOWN = 'test/fixtures/kit-broken-down';
const LOSSY = 'test/fixtures/kit-lossy-upgrade';
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
    mkdirSync(join('test', '.tmp'), { recursive: true });
    const dir = mkdtempSync(join('test', '.tmp', 'kit-'));
    try {
      cpSync(HISTORY, dir, { recursive: true });
      writeFileSync(join(dir, '20260203_000000_orphan.mjs'), 'export class Orphan {}\n');
      const message = await failureOf(checkLinearHistory(kitFor(dir)));
      expect(message).toMatch(/the runner's pending list on an empty database is not the files in sorted order/);
      expect(message).toContain('20260203_000000_orphan');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
