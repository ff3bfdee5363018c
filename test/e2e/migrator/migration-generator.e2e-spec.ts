import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LintReport } from '../../../src/migrator/lint/migration-lint.js';
import { copyMigrations } from '../../support/migration-copies.js';
import { LATEST_MIGRATION } from '../../support/migrations.js';
import { runTs } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

// The generator story of docs/migrations.md, through the real tools: entity changes (a nullable indexed
// column, a unique column, a foreign key, NOT NULL on an existing column: test/fixtures/generator) →
// `npx mikro-orm migration:create` → `migrate lint` → `migrate up` / `down`, on a database at head that
// has rows. The migrations are a copy of migrations/ (in the repository, so that they resolve
// @mikro-orm/migrations): the generated files and the rewritten snapshot never touch the committed ones.

const CLI = 'node_modules/@mikro-orm/cli/cli.js';
const FEATURE_CONFIG = 'test/fixtures/generator/mikro-orm.config.ts';
const T = 'pipeline_executions';

describe('npx mikro-orm migration:create writes the safe form', () => {
  let dir = '';
  let db: TestDatabase;
  let created: string[] = [];
  let createOutput = '';
  const snapshot = readFileSync('migrations/.snapshot.json', 'utf8');
  const committed = readdirSync('migrations');
  const migrate = (...args: string[]) => runTs('src/cli.ts', ['migrate', ...args], { DATABASE_URL: db.url, MIGRATIONS_DIR: dir }, 60_000);
  const source = (name: string) => readFileSync(join(dir, `${name}.ts`), 'utf8');
  const insert = (inputFile: string) =>
    sql(db.url, `insert into ${T} (execution_id, pipeline_name, status, started_at, input_file) values (gen_random_uuid(), 'nightly', 'running', now(), ${inputFile})`);

  beforeAll(async () => {
    dir = copyMigrations('migrations', 'generator');
    db = await createTestDatabase();
    await insert(`'a.csv'`);
    await insert(`'b.csv'`);
    const run = await runTs(CLI, ['migration:create', '--config', FEATURE_CONFIG, '--name', 'add_owner'], { DATABASE_URL: db.url, MIGRATIONS_DIR: dir }, 60_000);
    createOutput = run.output;
    expect(run.code).toBe(0);
    created = readdirSync(dir).filter((f) => !committed.includes(f)).map((f) => f.replace(/\.ts$/, '')).sort();
  }, 90_000);

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes two migrations after head, the second non-transactional, and names both; migrations/ is untouched', () => {
    expect(created).toHaveLength(2);
    const [first, online] = created;
    expect(first).toMatch(/^\d{8}_\d{6}_add_owner$/);
    expect(online).toMatch(/^\d{8}_\d{6}_add_owner_online$/);
    expect(first > LATEST_MIGRATION).toBe(true);
    expect(createOutput).toContain(`${first}.ts and ${online}.ts successfully created`);
    expect(source(first)).not.toContain('isTransactional');
    expect(source(online)).toContain('override isTransactional(): boolean {\n    return false;');
    expect(source(online)).toContain(`create index concurrently if not exists "pipeline_executions_owner_idx" on "${T}" ("owner");`);
    expect(source(online)).toContain(`drop index concurrently if exists "pipeline_executions_owner_idx";`);
    expect(readdirSync('migrations')).toEqual(committed);
    expect(readFileSync('migrations/.snapshot.json', 'utf8')).toBe(snapshot);
    expect(readFileSync(join(dir, '.snapshot.json'), 'utf8')).not.toBe(snapshot);
  });

  it('passes `migrate lint` with no finding, nothing silenced and no silencing comment', async () => {
    for (const name of created) expect(source(name)).not.toContain('migration-lint-disable');
    const run = await migrate('lint', '--since', LATEST_MIGRATION, '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.output.trim().split('\n').pop() as string) as LintReport;
    expect(report).toMatchObject({ findings: [], silenced: [], errors: [], linted: expect.stringContaining('TypeScript sources') });
  });

  it('applies with `migrate up` on a table with rows: a valid index, validated constraints, NOT NULL; `down` twice reverts both', async () => {
    const up = await migrate('up');
    expect(up.code).toBe(0);
    expect(up.output).toContain(created.join(', '));
    expect(await schemaOf(db.url)).toEqual({
      columns: ['external_ref', 'input_file NOT NULL', 'owner', 'retry_of_execution_id'],
      constraints: [
        'pipeline_executions_external_ref_unique u valid',
        'pipeline_executions_retry_of_execution_id_foreign f valid',
      ],
      indexes: ['pipeline_executions_external_ref_unique valid', 'pipeline_executions_owner_idx valid'],
    });
    expect((await migrate('check')).code).toBe(0);

    for (const expected of [...created].reverse()) {
      const down = await migrate('down');
      expect(down.code).toBe(0);
      expect(down.output).toContain(expected);
    }
    expect(await schemaOf(db.url)).toEqual({ columns: ['input_file'], constraints: [], indexes: [] });
    expect((await migrate('up')).code).toBe(0);
  });

  it('a NULL left in the column stops the run at the validation, and the same migration runs again once it is backfilled', async () => {
    for (let i = 0; i < 2; i++) expect((await migrate('down')).code).toBe(0);
    await insert('null');
    const failed = await migrate('up');
    expect(failed.code).toBe(1);
    expect(failed.output).toContain(created[1]);
    expect(failed.output).toMatch(/check constraint "pipeline_executions_input_file_not_null_check" .*is violated by some row/);
    await sql(db.url, `update ${T} set input_file = 'backfilled.csv' where input_file is null`);
    expect((await migrate('up')).code).toBe(0);
    expect((await schemaOf(db.url)).columns).toContain('input_file NOT NULL');
  });
});

/** The columns, constraints and indexes of pipeline_executions that the feature branch touches. */
async function schemaOf(url: string) {
  const columns = await sql<{ c: string }>(
    url,
    `select attname || case when attnotnull then ' NOT NULL' else '' end as c from pg_attribute
      where attrelid = '${T}'::regclass and attname in ('owner', 'external_ref', 'retry_of_execution_id', 'input_file') and not attisdropped order by attname`,
  );
  const constraints = await sql<{ c: string }>(
    url,
    `select conname || ' ' || contype::text || case when convalidated then ' valid' else ' NOT VALID' end as c from pg_constraint
      where conrelid = '${T}'::regclass and contype <> 'n' and (conname like '%external_ref%' or conname like '%retry_of%' or conname like '%input_file%') order by conname`,
  );
  const indexes = await sql<{ c: string }>(
    url,
    `select indexrelid::regclass::text || case when indisvalid then ' valid' else ' INVALID' end as c from pg_index
      where indrelid = '${T}'::regclass and indexrelid::regclass::text in ('pipeline_executions_owner_idx', 'pipeline_executions_external_ref_unique') order by 1`,
  );
  return { columns: columns.map((r) => r.c), constraints: constraints.map((r) => r.c), indexes: indexes.map((r) => r.c) };
}
