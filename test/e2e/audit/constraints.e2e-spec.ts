import { describe, expect, it } from '@jest/globals';
import { ExecutionStatus } from '../../../src/audit/execution-status.js';
import { uuidV7 } from '../../../src/database/uuid-v7.js';
import { DataQualityMetricFactory, PipelineExecutionFactory } from '../../../seeders/factories.js';
import { useOrmDatabase } from '../../support/orm.js';
import { sql } from '../../support/test-database.js';

/** The CHECK constraints and trigger are the last line of defence behind the API; prove each one bites. */
describe('schema rules enforced by PostgreSQL', () => {

  const t = useOrmDatabase();

  const executions = () => new PipelineExecutionFactory(t.orm.em.fork());
  const metrics = () => new DataQualityMetricFactory(t.orm.em.fork());

  it('accepts factory-made rows and generates time-ordered UUIDv7 ids in the application', async () => {
    const first = await executions().createOne();
    const second = await executions().createOne();
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.id < second.id).toBe(true);
    const metric = await metrics().createOne({ execution: first.id });
    expect((await sql(t.db.url, `select execution_id from data_quality_metrics where metric_id = '${metric.id}'`))[0]).toEqual({
      execution_id: first.id,
    });
  });

  it.each([
    ['a terminal status without completed_at', { status: ExecutionStatus.Succeeded, completedAt: null }, 'pipeline_executions_completed_at_iff_terminal'],
    [
      'an active status with completed_at',
      { status: ExecutionStatus.Running, startedAt: new Date('2026-01-01'), completedAt: new Date('2026-01-02') },
      'pipeline_executions_completed_at_iff_terminal',
    ],
    ['completed_at before started_at', { status: ExecutionStatus.Failed, startedAt: new Date('2026-01-02'), completedAt: new Date('2026-01-01') }, 'pipeline_executions_completed_after_started'],
    ['a blank pipeline_name', { pipelineName: '  ' }, 'pipeline_executions_pipeline_name_not_blank'],
    ['attempt 0', { attempt: 0 }, 'pipeline_executions_attempt_positive'],
  ])('rejects an execution with %s', async (_, input, constraint) => {
    await expect(executions().createOne(input)).rejects.toThrow(new RegExp(constraint));
  });

  it('rejects an unknown status', async () => {
    const insert = `insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at)
                    values ('${uuidV7()}', 'p', 'exploded', now(), now())`;
    await expect(sql(t.db.url, insert)).rejects.toThrow(/pipeline_executions_status_check/);
  });

  // Raw SQL: the ORM would not even send these values (the API rejects them at the edge before that).
  it.each(['NaN', 'Infinity', '-Infinity'])('rejects a metric_value of %s', async (value) => {
    const insert = `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at)
                    values ('${uuidV7()}', 'p', 'row_count', '${value}'::float8, now())`;
    await expect(sql(t.db.url, insert)).rejects.toThrow(/data_quality_metrics_value_finite/);
  });

  it('keeps updated_at current on every update, including bulk updates that bypass the ORM', async () => {
    const run = await executions().createOne();
    await sql(t.db.url, `update pipeline_executions set updated_at = '2000-01-01' where execution_id = '${run.id}'`);
    await sql(t.db.url, `update pipeline_executions set row_counts = '{"read": 5}' where execution_id = '${run.id}'`);
    const [row] = await sql<{ fresh: boolean }>(
      t.db.url,
      `select updated_at > now() - interval '1 minute' as fresh from pipeline_executions where execution_id = '${run.id}'`,
    );
    expect(row.fresh).toBe(true);
  });

  it('sets a metric execution_id to null when its execution is deleted', async () => {
    const run = await executions().createOne();
    const metric = await metrics().createOne({ execution: run.id });
    await sql(t.db.url, `delete from pipeline_executions where execution_id = '${run.id}'`);
    const rows = await sql(t.db.url, `select execution_id from data_quality_metrics where metric_id = '${metric.id}'`);
    expect(rows).toEqual([{ execution_id: null }]);
  });
});
