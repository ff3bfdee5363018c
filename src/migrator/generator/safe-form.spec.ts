import { describe, expect, it } from '@jest/globals';
import { lintMigration } from '../lint/migration-lint.js';
import { toSafeForm, type MigrationSql } from './safe-form.js';

const T = '"pipeline_executions"';
const lint = (up: string[], transactional: boolean) =>
  lintMigration({ name: '20270101_000000_x', source: '', up, transactional }, { lockTimeoutMs: 5_000 });

/** What MikroORM 7.2 generated for a nullable indexed column, a foreign key, a unique column and a NOT NULL. */
const GENERATED: MigrationSql = {
  up: [
    `alter table ${T} add "owner" text null, add "external_ref" text null, add "retry_of_execution_id" uuid null;`,
    `alter table ${T} add constraint "pe_retry_foreign" foreign key ("retry_of_execution_id") references ${T} ("execution_id") on delete set null;`,
    `alter table ${T} alter column "input_file" set not null;`,
    `create index "pe_owner_idx" on ${T} ("owner");`,
    `alter table ${T} add constraint "pe_external_ref_unique" unique ("external_ref");`,
  ],
  down: [
    `alter table ${T} drop constraint "pe_retry_foreign";`,
    '',
    `drop index "pe_owner_idx";`,
    `alter table ${T} drop constraint "pe_external_ref_unique";`,
    `alter table ${T} drop column "owner", drop column "external_ref", drop column "retry_of_execution_id";`,
    `alter table ${T} alter column "input_file" drop not null;`,
  ],
};

describe('toSafeForm', () => {
  it('keeps new columns and NOT VALID foreign keys in the transaction, and moves what locks for long out of it', () => {
    const { transactional, online } = toSafeForm(GENERATED);
    expect(transactional).toEqual({
      up: [GENERATED.up[0], GENERATED.up[1].replace(/;$/, ' not valid;')],
      down: [GENERATED.down[0], '', GENERATED.down[4]],
    });
    const check = '"pipeline_executions_input_file_not_null_check"';
    expect(online.up).toEqual([
      `create index concurrently if not exists "pe_owner_idx" on ${T} ("owner");`,
      `create unique index concurrently if not exists "pe_external_ref_unique" on ${T} ("external_ref");`,
      `alter table ${T} validate constraint "pe_retry_foreign";`,
      `alter table ${T} drop constraint if exists ${check}, add constraint ${check} check ("input_file" is not null) not valid;`,
      `alter table ${T} validate constraint ${check};`,
      `alter table ${T} alter column "input_file" set not null;`,
      `alter table ${T} drop constraint ${check};`,
      `alter table ${T} add constraint "pe_external_ref_unique" unique using index "pe_external_ref_unique";`,
    ]);
    expect(online.down).toEqual([`drop index concurrently if exists "pe_owner_idx";`, GENERATED.down[3], GENERATED.down[5]]);
  });

  it('writes what the lint accepts with no silencing comment, where the generated migration fails it', () => {
    expect(lint(GENERATED.up, true).findings.map((f) => f.rule).sort()).toEqual([
      'add-foreign-key-without-not-valid',
      'add-unique-constraint',
      'create-index-not-concurrently',
      'set-not-null',
    ]);
    const { transactional, online } = toSafeForm(GENERATED);
    expect(lint(transactional.up, true)).toEqual({ findings: [], silenced: [], errors: [] });
    expect(lint(online.up, false)).toEqual({ findings: [], silenced: [], errors: [] });
  });

  it('leaves a migration with nothing to move exactly as generated, blank lines between groups included', () => {
    const plain = { up: [`alter table ${T} add "owner" text null;`, '', `alter table ${T} add "x" int null;`], down: [`alter table ${T} drop column "owner", drop column "x";`] };
    expect(toSafeForm(plain)).toEqual({ transactional: plain, online: { up: [], down: [] } });
  });

  it('leaves everything on a table created in the same migration in the transaction: it is new and empty', () => {
    const up = [
      'create table "notes" ("id" serial primary key, "body" text not null, "execution_id" uuid null);',
      'alter table "notes" add constraint "notes_body_unique" unique ("body");',
      'create index "notes_body_index" on "notes" ("body");',
      `alter table "notes" add constraint "notes_execution_id_foreign" foreign key ("execution_id") references ${T} ("execution_id");`,
    ];
    expect(toSafeForm({ up, down: ['drop table if exists "notes" cascade;'] }).online).toEqual({ up: [], down: [] });
  });

  it('splits an ALTER TABLE whose actions differ, and moves only the actions that need it', () => {
    const { transactional, online } = toSafeForm({
      up: [`alter table ${T} alter column "a" set default 1, alter column "b" set not null;`],
      down: [`alter table ${T} alter column "a" drop default, alter column "b" drop not null;`],
    });
    expect(transactional).toEqual({ up: [`alter table ${T} alter column "a" set default 1;`], down: [`alter table ${T} alter column "a" drop default;`] });
    expect(online.up).toContain(`alter table ${T} alter column "b" set not null;`);
    expect(online.down).toEqual([`alter table ${T} alter column "b" drop not null;`]);
  });

  it('drops an index concurrently, and builds it again concurrently on the way down', () => {
    const { transactional, online } = toSafeForm({
      up: [`drop index "pe_old_idx";`],
      down: [`create index "pe_old_idx" on ${T} using gin ("row_counts") where attempt > 1;`],
    });
    expect(transactional).toEqual({ up: [], down: [] });
    expect(online).toEqual({
      up: [`drop index concurrently if exists "pe_old_idx";`],
      down: [`create index concurrently if not exists "pe_old_idx" on ${T} using gin ("row_counts") where attempt > 1;`],
    });
  });

  it('adds a CHECK NOT VALID and validates it outside the transaction; keeps a deferrable unique deferrable', () => {
    const { transactional, online } = toSafeForm({
      up: [
        `alter table ${T} add constraint "pe_attempt_small" check (attempt < 100);`,
        `alter table ${T} add constraint "pe_u" unique nulls not distinct ("a", "b") deferrable initially deferred;`,
      ],
      down: [],
    });
    expect(transactional.up).toEqual([`alter table ${T} add constraint "pe_attempt_small" check (attempt < 100) not valid;`]);
    expect(online.up).toEqual([
      `create unique index concurrently if not exists "pe_u" on ${T} ("a", "b") nulls not distinct;`,
      `alter table ${T} validate constraint "pe_attempt_small";`,
      `alter table ${T} add constraint "pe_u" unique using index "pe_u" deferrable initially deferred;`,
    ]);
  });

  it('leaves what it cannot rewrite exactly to the lint and the reviewer', () => {
    const odd = [
      `alter table ${T} add constraint "pe_u" unique ("a") include ("b");`,
      `alter table ${T} add constraint "pe_pk" primary key ("a");`,
      `drop index "a_idx", "b_idx";`,
      `drop index "a_idx" cascade;`,
      `create index on ${T} ("a");`,
      `alter table ${T} alter column "a" type bigint;`,
    ];
    expect(toSafeForm({ up: odd, down: [] })).toEqual({ transactional: { up: odd, down: [] }, online: { up: [], down: [] } });
  });

  it('names the NOT NULL check within PostgreSQL\'s 63 characters', () => {
    const long = 'c'.repeat(60);
    const { online } = toSafeForm({ up: [`alter table ${T} alter column "${long}" set not null;`], down: [] });
    const name = /add constraint "([^"]+)"/.exec(online.up[0])?.[1] ?? '';
    expect(name).toHaveLength(63);
    expect(online.up.every((sql) => !sql.includes('constraint') || sql.includes(name))).toBe(true);
  });
});

describe('the lint reads a SET NOT NULL proven in the same migration', () => {
  const check = `alter table ${T} add constraint "c_nn" check ("input_file" is not null) not valid;`;
  const validate = `alter table ${T} validate constraint "c_nn";`;
  const setNotNull = `alter table ${T} alter column "input_file" set not null;`;

  it('accepts it after a validated check (column IS NOT NULL) of that column', () => {
    expect(lint([check, validate, setNotNull], false).findings).toEqual([]);
  });

  it('still reports it without the validation, for another column, or for a check of another shape', () => {
    expect(lint([check, setNotNull], false).findings.map((f) => f.rule)).toEqual(['set-not-null']);
    expect(lint([check, validate, `alter table ${T} alter column "status" set not null;`], false).findings.map((f) => f.rule)).toEqual(['set-not-null']);
    const other = `alter table ${T} add constraint "c_nn" check ("input_file" is not null or attempt > 1) not valid;`;
    expect(lint([other, validate, setNotNull], false).findings.map((f) => f.rule)).toEqual(['set-not-null']);
  });
});
