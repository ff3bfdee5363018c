import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Migration } from '@mikro-orm/migrations';
import { formatFindings, LINT_RULES, lintMigration, type LintInput, type LintRuleId } from './migration-lint.js';
import { splitStatements } from './migration-lint.sql.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORPUS = join(ROOT, 'test/fixtures/lint-corpus');
const MIGRATIONS = join(ROOT, 'migrations');
const migrationFiles = (dir: string) => readdirSync(dir).filter((file) => /^\d{8}_\d{6}_\w+\.ts$/.test(file)).sort();

/** A migration file as the runner sees it: up()'s statements, its source, and whether it is transactional. */
async function inputOf(path: string): Promise<LintInput> {
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const MigrationClass = Object.values(module).find((value) => typeof value === 'function') as new (driver: never, config: never) => Migration;
  const migration = new MigrationClass(null as never, null as never);
  await migration.up();
  const up = migration.getQueries().map((query) => String(query));
  return { name: basename(path, '.ts'), source: readFileSync(path, 'utf8'), up, transactional: migration.isTransactional() };
}

/** `// expect: a, b`, `// expect-silenced: c` and `// expect-errors: 1` from the corpus file's first lines. */
function expectationsOf(source: string) {
  const list = (key: string) => {
    const line = new RegExp(`^// ${key}: (.*)$`, 'm').exec(source)?.[1].trim() ?? 'none';
    return line === 'none' ? [] : line.split(',').map((rule) => rule.trim()).sort();
  };
  return { findings: list('expect'), silenced: list('expect-silenced'), errors: Number(/^\/\/ expect-errors: (\d+)$/m.exec(source)?.[1] ?? 0) };
}

const rulesOf = (items: { rule: LintRuleId }[]) => items.map((item) => item.rule).sort();
const oneStatement = (up: string[], transactional = true): LintInput => ({ name: '20270101_000000_x', source: '', up, transactional });

describe('the lint corpus', () => {
  const files = migrationFiles(CORPUS);

  it.each(files)('%s produces exactly the findings its first line expects', async (file) => {
    const input = await inputOf(join(CORPUS, file));
    const expected = expectationsOf(input.source);
    const report = lintMigration(input, { lockTimeoutMs: 5_000 });
    expect(rulesOf(report.findings)).toEqual(expected.findings);
    expect(rulesOf(report.silenced)).toEqual(expected.silenced);
    expect(report.errors).toHaveLength(expected.errors);
    for (const error of report.errors) expect(error).toContain(input.name);
  });

  it('has at least 20 migrations and expects every rule somewhere', () => {
    const expected = new Set(files.flatMap((file) => expectationsOf(readFileSync(join(CORPUS, file), 'utf8')).findings));
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect([...expected].sort()).toEqual(Object.keys(LINT_RULES).sort());
  });
});

describe('splitStatements', () => {
  it('splits on semicolons outside literals, dollar quotes, quoted identifiers and comments', () => {
    const sql = [
      `do $body$ begin perform 1; perform 2; end $body$;`,
      `select 'a;b', E'it\\'s; here', "odd;name" from t -- trailing; comment`,
      `;/* one; /* nested; */ still; */ select $$x;y$$, $1`,
    ].join('\n');
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.text)).toEqual([
      `do $body$ begin perform 1; perform 2; end $body$`,
      `select 'a;b', E'it\\'s; here', "odd;name" from t`,
      `select $$x;y$$, $1`,
    ]);
    expect(statements[1].tokens.map((t) => `${t.type}:${t.value}`)).toEqual(['word:select', 'string:a;b', 'op:,', "string:it's; here", 'op:,', 'ident:odd;name', 'word:from', 'word:t']);
  });

  it('keeps going through unterminated literals and empty input', () => {
    expect(splitStatements(`select 'never closed; drop table x`)).toHaveLength(1);
    expect(splitStatements(`select $tag$ never closed; drop table x`)).toHaveLength(1);
    expect(splitStatements(' ; ;\n-- only a comment')).toEqual([]);
  });
});

describe('lintMigration', () => {
  it('reports a runner without a lock_timeout as missing-timeout, once per migration', () => {
    const off = lintMigration(oneStatement([]), { lockTimeoutMs: 0 });
    expect(rulesOf(off.findings)).toEqual(['missing-timeout']);
    expect(off.findings[0].statement).toContain('lockTimeoutMs = 0');
    expect(lintMigration(oneStatement([]), { lockTimeoutMs: 5_000 }).findings).toEqual([]);
    expect(lintMigration(oneStatement([])).findings).toEqual([]);
  });

  it('finds nothing, and never throws, in SQL it does not understand or that is cut short', () => {
    const odd = ['alter table', 'alter table x add', 'alter table x alter', 'alter table x rename', 'alter table x rename to', 'alter table x drop', 'create index', 'create unique', 'drop table', 'set', 'reset', 'set lock_timeout', 'select set_config(', ')))(((', 'vacuu', '$', '"', 'merge into t using s on true when matched then delete'];
    const report = lintMigration(oneStatement(odd));
    expect(report).toEqual({ findings: [], silenced: [], errors: [] });
  });

  it('names the migration, the statement and the rule in each finding, with the rule\'s safe alternative', () => {
    const [finding] = lintMigration(oneStatement([`alter table "pipeline_executions" drop column "input_file";`])).findings;
    expect(finding).toEqual({
      rule: 'drop-column',
      migration: '20270101_000000_x',
      file: '20270101_000000_x',
      line: null,
      statement: `alter table "pipeline_executions" drop column "input_file"`,
      message: 'drops column "input_file" of "pipeline_executions"',
      safeAlternative: LINT_RULES['drop-column'].safeAlternative,
    });
  });
});

describe('file:line of each finding', () => {
  it('is the line of the migration source where the statement starts, also inside a multi-line or shared string', async () => {
    const lines = async (file: string) => lintMigration(await inputOf(join(CORPUS, file)), { lockTimeoutMs: 5_000 }).findings.map((f) => f.line);
    expect(await lines('20270101_000005_create_indexes_on_existing_tables.ts')).toEqual([7, 8, 9]);
    expect(await lines('20270101_000016_multi_action_alter_table.ts')).toEqual([7, 7, 8, 8, 8]);
    // The second statement of the addSql() string on line 17 is on line 17; the index after a trailing comment on 19.
    expect(await lines('20270101_000030_silence_covers_one_statement.ts')).toEqual([15, 17, 18, 19]);
  });

  it('places statements changed by ${…} or escapes by their first line, and gives none for SQL not written in up()', async () => {
    const input = await inputOf(join(CORPUS, '20270101_000031_statements_built_in_code.ts'));
    const report = lintMigration({ ...input, file: 'test/fixtures/lint-corpus/20270101_000031_statements_built_in_code.ts' });
    expect(report.findings.map((f) => f.line)).toEqual([14, 15, 16, null]);
    expect(formatFindings(report)).toContain('test/fixtures/lint-corpus/20270101_000031_statements_built_in_code.ts: drop-table');
  });
});

describe('a disable comment', () => {
  const source = (...lines: string[]) => ['  override up(): void {', ...lines, '  }'].join('\n');
  const index = (table: string) => `create index "${table}_created_idx" on "${table}" ("created_at");`;

  it('silences its rule on the statement after it only: a second unsafe index in the file is still reported', () => {
    const up = [index('api_keys'), index('pipeline_executions')];
    const report = lintMigration({
      ...oneStatement(up),
      source: source('    // migration-lint-disable create-index-not-concurrently -- api_keys holds a handful of rows', ...up.map((sql) => `    this.addSql(\`${sql}\`);`)),
    });
    expect(report.silenced.map((s) => [s.rule, s.line, s.statement])).toEqual([['create-index-not-concurrently', 3, index('api_keys').slice(0, -1)]]);
    expect(report.findings.map((f) => [f.rule, f.line, f.statement])).toEqual([['create-index-not-concurrently', 4, index('pipeline_executions').slice(0, -1)]]);
    expect(report.errors).toEqual([]);
  });

  it('that silences nothing on its statement is an error naming its line and why', () => {
    const up = [index('pipeline_executions')];
    const report = lintMigration({
      ...oneStatement(up),
      file: 'migrations/20270101_000000_x.ts',
      source: source('    // migration-lint-disable drop-table -- wrong rule for this statement', `    this.addSql(\`${up[0]}\`);`),
    });
    expect(rulesOf(report.findings)).toEqual(['create-index-not-concurrently']);
    expect(report.errors).toEqual([
      'migrations/20270101_000000_x.ts:2: migration-lint-disable drop-table silences nothing: the statement after it (line 3) has no drop-table finding; put it on the line before the statement it is about',
    ]);
  });
});

describe('add-column-volatile-default', () => {
  const add = (definition: string) => lintMigration(oneStatement([`alter table "t" add column "c" ${definition};`])).findings;

  it('says whether the function is volatile or only not known to be stable', () => {
    expect(add('uuid default gen_random_uuid()')[0].message).toContain('gen_random_uuid() is volatile');
    expect(add('int default my_schema.pick()')[0].message).toContain('pick() is not a function the lint knows to be stable or immutable');
  });

  it('reads the DEFAULT expression alone: a REFERENCES or CHECK after it is not a call, a cast\'s type modifier is not either', () => {
    expect(add(`numeric(10, 2) default '0'::numeric(10, 2) references "u" ("id") not valid`).map((f) => f.rule)).toEqual(['add-foreign-key-without-not-valid']);
    expect(add(`text default cast(now() as varchar(30)) check (length(c) > 0)`).map((f) => f.rule)).toEqual(['add-check-without-not-valid']);
    expect(add('timestamptz default current_timestamp')).toEqual([]);
  });
});

describe('formatFindings', () => {
  it('prints the rule id, the shortened statement, why, and the safe alternative', () => {
    const long = `create index "pipeline_executions_long_idx" on "pipeline_executions" (${Array.from({ length: 30 }, (_, i) => `"c${i}"`).join(', ')});`;
    const dropped = `drop table "metric_archive";`;
    const source = `up() {\n  this.addSql(\`${long}\`);\n  // migration-lint-disable drop-table -- nothing reads it\n  this.addSql(\`${dropped}\`);\n}`;
    const report = lintMigration({ ...oneStatement([long, dropped]), file: 'migrations/20270101_000000_x.ts', source });
    const text = formatFindings(report).join('\n');
    expect(text).toContain('migrations/20270101_000000_x.ts:2: create-index-not-concurrently');
    expect(text).toContain('create index "pipeline_executions_long_idx" on "pipeline_executions" ("c0"');
    expect(text).toContain('…');
    expect(text).not.toContain('"c29"');
    expect(text).toContain(LINT_RULES['create-index-not-concurrently'].summary);
    expect(text).toContain(LINT_RULES['create-index-not-concurrently'].safeAlternative);
    expect(text).toContain('migrations/20270101_000000_x.ts:4: drop-table silenced: nothing reads it');
  });
});

describe('the committed migrations', () => {
  it.each(migrationFiles(MIGRATIONS))('%s is linted without a finding or an error (any silencing gives its reason)', async (file) => {
    const report = lintMigration(await inputOf(join(MIGRATIONS, file)), { lockTimeoutMs: 5_000 });
    expect(report.errors).toEqual([]);
    expect(report.findings).toEqual([]);
    for (const silenced of report.silenced) expect(silenced.reason.length).toBeGreaterThan(10);
  });
});
