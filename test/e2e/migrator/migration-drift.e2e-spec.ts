import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DriftReport } from '../../../src/migrator/drift/drift-compare.js';
import { scratchPrefix } from '../../../src/migrator/drift/scratch-database.js';
import { LATEST_MIGRATION } from '../../support/migrations.js';
import { runTs } from '../../support/spawn.js';
import { createTestDatabase, sql, withAdmin, type TestDatabase } from '../../support/test-database.js';

const drift = (db: TestDatabase, json = false) => runTs('src/cli.ts', ['migrate', 'drift', ...(json ? ['--json'] : [])], { DATABASE_URL: db.url }, 60_000);

/** Scratch databases of this suite's database (other suites and runs may share the server). */
const scratchDatabases = (db: TestDatabase) =>
  withAdmin(async (client) => (await client.query<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1)`, [scratchPrefix(db.name)])).rows);

describe('migrate drift: the live schema against what the applied migrations build', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(); // cloned from the template, migrated to head
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('an untouched database has no drift: exit 0, and the scratch database is gone afterwards', async () => {
    const run = await drift(db);
    expect(run.output).toContain(`no drift: the live schema is exactly what the applied migrations build (through ${LATEST_MIGRATION})`);
    expect(run.code).toBe(0);
    expect(await scratchDatabases(db)).toEqual([]);
  });

  it('hand-made changes are each reported (tables, columns, types, nullability, defaults, indexes, constraints), exit 4', async () => {
    await sql(db.url, `alter table pipeline_executions add column owner text`);
    await sql(db.url, `alter table pipeline_executions alter column input_file type varchar(500)`);
    await sql(db.url, `alter table pipeline_executions alter column error_details set default 'none'`);
    await sql(db.url, `alter table data_quality_metrics alter column execution_id set not null`);
    await sql(db.url, `drop index data_quality_metrics_type_recorded_idx`);
    await sql(db.url, `create index hotfix_idx on pipeline_executions (completed_at)`);
    await sql(db.url, `alter table pipeline_executions drop constraint pipeline_executions_attempt_positive`);
    await sql(db.url, `create table scratch_notes (id int primary key, note text unique)`);
    await sql(db.url, `create or replace function pipeline_executions_pipeline_executions_touch_updated_at_fn() returns trigger as $$ begin new.updated_at = clock_timestamp(); return new; end; $$ language plpgsql`);
    await sql(db.url, `create type hotfix_mood as enum ('ok', 'meh')`);

    const run = await drift(db, true);
    expect(run.code).toBe(4);
    const report = JSON.parse(run.output.trim().split('\n').pop() as string) as DriftReport;
    const seen = report.differences.map((d) => [d.object, d.name, d.expected === null ? 'extra' : d.live === null ? 'missing' : 'differs']);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['table', 'scratch_notes', 'extra'],
        ['column', 'pipeline_executions.owner', 'extra'],
        ['column', 'pipeline_executions.input_file', 'differs'],
        ['column', 'pipeline_executions.error_details', 'differs'],
        ['column', 'data_quality_metrics.execution_id', 'differs'],
        ['constraint', 'pipeline_executions.pipeline_executions_attempt_positive', 'missing'],
        ['index', 'data_quality_metrics_type_recorded_idx', 'missing'],
        ['index', 'hotfix_idx', 'extra'],
        ['function', 'pipeline_executions_pipeline_executions_touch_updated_at_fn()', 'differs'],
        ['type', 'hotfix_mood', 'extra'],
      ]),
    );
    // Nothing else: a table that exists on one side only is one difference, not one per column or index.
    expect(seen).toHaveLength(10);
    const inputFile = report.differences.find((d) => d.name === 'pipeline_executions.input_file');
    expect(inputFile).toMatchObject({ expected: 'input_file text null', live: 'input_file character varying(500) null' });
    expect(report.appliedThrough).toBe(LATEST_MIGRATION);
    expect(await scratchDatabases(db)).toEqual([]);
  });

  it('an enum value added, or a trigger dropped from one table only, is a difference too', async () => {
    await sql(db.url, `alter type hotfix_mood add value 'glad'`);
    await sql(db.url, `drop trigger pipeline_executions_touch_updated_at on pipeline_executions`);
    const report = JSON.parse((await drift(db, true)).output.trim().split('\n').pop() as string) as DriftReport;
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { object: 'type', name: 'hotfix_mood', expected: null, live: "hotfix_mood: enum('ok', 'meh', 'glad')" },
        expect.objectContaining({ object: 'trigger', name: 'pipeline_executions_touch_updated_at on public.pipeline_executions', live: null }),
      ]),
    );
    await sql(db.url, `create trigger pipeline_executions_touch_updated_at before update on pipeline_executions for each row execute function pipeline_executions_pipeline_executions_touch_updated_at_fn()`);
  });

  it('the text report names each difference and which side has what', async () => {
    const run = await drift(db);
    expect(run.code).toBe(4);
    expect(run.output).toContain('drift: 10 difference(s)');
    expect(run.output).toContain('column pipeline_executions.owner: in the live database, not built by any migration: owner text null');
    expect(run.output).toContain('index data_quality_metrics_type_recorded_idx: built by the migrations, missing in the live database');
    expect(run.output).toMatch(/column data_quality_metrics.execution_id: differs\n\s+migrations: execution_id uuid null\n\s+live:\s+execution_id uuid not null/);
  });
});
