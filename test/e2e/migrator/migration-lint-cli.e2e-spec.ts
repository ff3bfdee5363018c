import { describe, expect, it } from '@jest/globals';
import type { LintReport } from '../../../src/migrator/lint/migration-lint.js';
import { runTs } from '../../support/spawn.js';

const CORPUS = 'test/fixtures/lint-corpus';
// No DATABASE_URL that answers: lint must not need a database.
const lint = (args: string[], env: Record<string, string> = {}) =>
  runTs('src/cli.ts', ['migrate', 'lint', ...args], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...env }, 60_000);

describe('node dist/cli.js migrate lint', () => {
  it('the committed migrations pass, their silenced findings listed with reasons, without a database', async () => {
    const run = await lint([]);
    expect(run.code).toBe(0);
    expect(run.output).toContain('lint: 0 finding(s), 6 silenced with a reason, 0 bad silencing comment(s)');
    expect(run.output).toContain('20261121_141842_add_metric_type_listing_index: create-index-not-concurrently silenced: shipped in 0.1.0');
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
