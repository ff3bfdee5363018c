import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LintReport } from '../../../src/migrator/lint/migration-lint.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { runTs } from '../../support/spawn.js';

const CORPUS = 'test/fixtures/lint-corpus';
// No DATABASE_URL that answers: lint must not need a database.
const lint = (args: string[], env: Record<string, string> = {}) =>
  runTs('src/cli.ts', ['migrate', 'lint', ...args], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...env }, 60_000);

describe('node dist/cli.js migrate lint', () => {
  it('the committed migrations pass, their silenced findings listed with reasons, without a database', async () => {
    const run = await lint([]);
    expect(run.code).toBe(0);
    // One comment per statement that predates the lint (2 + 6 + 2 + 1) and the rollup rebuilt for dataset identity (1).
    expect(run.output).toContain('lint: 0 finding(s), 12 silenced with a reason, 0 error(s)');
    expect(run.output).toContain('migrations/20261121_141842_add_metric_type_listing_index.ts:9: create-index-not-concurrently silenced: shipped in 0.1.0');
  });

  it('prints file:line for each finding: the line of the statement in the migration source', async () => {
    const run = await lint([], { MIGRATIONS_DIR: CORPUS });
    expect(run.code).toBe(5);
    expect(run.output).toContain(`${CORPUS}/20270101_000005_create_indexes_on_existing_tables.ts:7: create-index-not-concurrently`);
    expect(run.output).toContain(`${CORPUS}/20270101_000005_create_indexes_on_existing_tables.ts:9: create-index-not-concurrently`);
    expect(run.output).toContain(`${CORPUS}/20270101_000029_add_columns_that_rewrite.ts:11: add-column-volatile-default`);
    expect(run.output).toContain(`${CORPUS}/20270101_000029_add_columns_that_rewrite.ts:20: add-column-serial-or-identity`);
  });

  it('the whole report reaches a reader that is slow to take it: the CLI drains stdout before it exits', async () => {
    // The corpus four times over: a report of some 150 kB, more than a pipe holds while nobody reads it.
    const big = mkdtempSync(join(tmpdir(), 'lint-big-'));
    for (const file of readdirSync(CORPUS)) for (let k = 1; k <= 4; k++) cpSync(join(CORPUS, file), join(big, file.replace(/^20270101/, `2027010${k}`)));
    symlinkSync(resolve('node_modules'), join(big, 'node_modules'), 'dir');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate', 'lint'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', MIGRATIONS_DIR: big, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Nobody reads until the CLI exits (it did, dropping the rest) or has waited 10 s for its reader.
    child.stdout.pause();
    const resume = setTimeout(() => child.stdout.resume(), 10_000);
    child.on('exit', () => (clearTimeout(resume), child.stdout.resume()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    rmSync(big, { recursive: true, force: true });
    expect(code).toBe(5);
    expect(output.length).toBeGreaterThan(120_000);
    expect(output.trim().split('\n').pop()).toMatch(/^lint: \d+ finding\(s\), \d+ silenced with a reason, \d+ error\(s\)$/);
  });

  it('a justified silence on one index does not silence a second unsafe index in the same migration', async () => {
    const run = await lint(['--since', '20270101_000029_add_columns_that_rewrite', '--json'], { MIGRATIONS_DIR: CORPUS });
    const report = JSON.parse(run.output.trim().split('\n').pop() as string) as LintReport;
    const mine = <T extends { migration: string }>(items: T[]) => items.filter((item) => item.migration === '20270101_000030_silence_covers_one_statement');
    expect(mine(report.silenced).map((s) => [s.line, s.statement])).toEqual([
      [14, 'create index "api_keys_created_idx" on "api_keys" ("created_at")'],
      [17, 'create index "api_keys_name_idx" on "api_keys" ("name")'],
    ]);
    expect(mine(report.findings).filter((f) => f.rule === 'create-index-not-concurrently').map((f) => [f.line, f.statement])).toEqual([
      [15, 'create index "pipeline_executions_attempt_idx" on "pipeline_executions" ("attempt")'],
      [17, 'create index "pipeline_executions_status_idx" on "pipeline_executions" ("status")'],
      [19, 'create index "data_quality_metrics_created_idx" on "data_quality_metrics" ("created_at")'],
    ]);
    expect(report.errors).toContain(
      `${CORPUS}/20270101_000030_silence_covers_one_statement.ts:18: migration-lint-disable drop-column silences nothing: the statement after it (line 19) has no drop-column finding; put it on the line before the statement it is about`,
    );
  });

  it('the unsafe corpus fails with exit 5, each finding naming rule, migration, statement and safe alternative', async () => {
    const run = await lint(['--json'], { MIGRATIONS_DIR: CORPUS });
    expect(run.code).toBe(5);
    const report = JSON.parse(run.output.trim().split('\n').pop() as string) as LintReport;
    const rules = new Set(report.findings.map((f) => f.rule));
    for (const rule of ['create-index-not-concurrently', 'add-column-not-null-without-default', 'drop-column', 'alter-column-type', 'missing-timeout']) {
      expect(rules).toContain(rule);
    }
    const index = report.findings.find((f) => f.rule === 'create-index-not-concurrently' && f.migration === '20270101_000005_create_indexes_on_existing_tables');
    expect(index?.statement).toMatch(/create index/i);
    expect(index?.safeAlternative).toMatch(/concurrently/i);
    expect(report.errors.length).toBeGreaterThan(0); // a disable comment without a reason
  });

  it('--since lints only the migrations after NAME, and refuses a NAME that is not committed', async () => {
    const since = '20270101_000021_silences_that_do_not_count';
    const after = await lint(['--since', since, '--json'], { MIGRATIONS_DIR: CORPUS });
    expect(after.code).toBe(5);
    const report = JSON.parse(after.output.trim().split('\n').pop() as string) as LintReport;
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.migration > since)).toBe(true);
    const unknown = await lint(['--since', '20990101_000000_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No committed migration named "20990101_000000_nope"');
  });
});

// A checkout with a build: dist/, the migration sources beside it, and one migration written after the
// build. Copied to a scratch folder, so that nothing is left in migrations/.
const NEW_MIGRATION = '20991231_000000_add_attempt_index';
function checkoutWithNewMigration(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lint-checkout-'));
  // Timestamps kept: the build is newer than the committed sources, as after `npm run build`.
  cpSync('dist', join(dir, 'dist'), { recursive: true, preserveTimestamps: true });
  cpSync('package.json', join(dir, 'package.json'));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  cpSync('migrations', join(dir, 'migrations'), { recursive: true, preserveTimestamps: true });
  writeFileSync(
    join(dir, 'migrations', `${NEW_MIGRATION}.ts`),
    [
      `import { Migration } from '@mikro-orm/migrations';`,
      ``,
      `export class Migration20991231000000_add_attempt_index extends Migration {`,
      `  override up(): void {`,
      `    this.addSql(\`create index "pipeline_executions_attempt_idx" on "pipeline_executions" ("attempt");\`);`,
      `  }`,
      ``,
      `  override down(): void {`,
      `    this.addSql(\`drop index "pipeline_executions_attempt_idx";\`);`,
      `  }`,
      `}`,
      ``,
    ].join('\n'),
  );
  return dir;
}

describe('node dist/cli.js migrate lint, the built CLI, with a migration written after the build', () => {
  let checkout: string;
  const built = (nodeArgs: string[], cwd = checkout) => {
    const run = spawnSync(process.execPath, [...nodeArgs, 'dist/cli.js', 'migrate', 'lint'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    return { code: run.status, output: run.stdout + run.stderr };
  };

  beforeAll(() => {
    if (!existsSync('dist/cli.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    checkout = checkoutWithNewMigration();
  });

  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  it('lints the TypeScript sources, not the stale build, and finds the new unsafe migration (exit 5)', () => {
    const run = built([]);
    expect(run.output).toContain(`lint: read ${COMMITTED_MIGRATIONS.length + 1} migration(s) in migrations (TypeScript sources)`);
    expect(run.output).toContain(`migrations/${NEW_MIGRATION}.ts:5: create-index-not-concurrently`);
    expect(run.output).toContain('lint: 1 finding(s), 11 silenced with a reason, 0 error(s)');
    expect(run.code).toBe(5);
  });

  it('where Node cannot load TypeScript, reads the build and fails naming the sources it is older than', () => {
    const run = built(['--no-experimental-strip-types']);
    expect(run.output).toContain('in dist/migrations (the build)');
    expect(run.output).toContain(`dist/migrations is older than the sources in migrations: ${NEW_MIGRATION}.ts (not built)`);
    expect(run.code).toBe(5);
  });

  it('when a source does not load (TypeScript Node cannot strip), reads the build and fails naming that and the stale sources', () => {
    const broken = join(checkout, 'migrations', '20991231_000001_with_an_enum.ts');
    writeFileSync(broken, `import { Migration } from '@mikro-orm/migrations';\n\nenum Kind { Index }\n\nexport class M extends Migration {\n  override up(): void {\n    this.addSql(String(Kind.Index));\n  }\n}\n`);
    try {
      const run = built([]);
      expect(run.output).toContain('in dist/migrations (the build)');
      expect(run.output).toMatch(/The lint read the build, as the sources did not load \(.*TypeScript/);
      expect(run.output).toContain(`${NEW_MIGRATION}.ts (not built), 20991231_000001_with_an_enum.ts (not built)`);
      expect(run.code).toBe(5);
    } finally {
      rmSync(broken);
    }
  });

  it('without sources, as in a production image, lints the build and passes', () => {
    rmSync(join(checkout, 'migrations'), { recursive: true });
    const run = built([]);
    expect(run.output).toContain(`lint: read ${COMMITTED_MIGRATIONS.length} migration(s) in dist/migrations (the build)`);
    expect(run.output).toContain('lint: 0 finding(s), 11 silenced with a reason, 0 error(s)');
    expect(run.code).toBe(0);
  });
});
