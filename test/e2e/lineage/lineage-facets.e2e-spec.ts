import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { corpus, executionRow, parentFacet, postLineage, runEvent } from '../../support/lineage-fixtures.js';
import { walkPages } from '../../support/pages.js';
import { sql } from '../../support/test-database.js';

// The facet examples of the OpenLineage spec (test/fixtures/openlineage/spec/examples), each placed where
// its schema says it goes in a run event, and the parent run facet linking tasks to their DAG run.

const T = '2026-11-20T10:00:00Z';
const example = (name: string) => corpus(`spec/examples/${name}.json`);
const dataset = (facets: Record<string, unknown>) => ({ namespace: 'postgres://db:5432', name: 'public.orders', ...facets });

describe('OpenLineage facets: the spec examples, and parent runs', () => {
  const f = useApp();
  const metrics = (runId: string) =>
    sql<{ type: string; value: number; column: string | null; quantile: string | null; role: string }>(
      f.db.url,
      `select metric_type as type, metric_value as value, metadata->>'column' as column, metadata->>'quantile' as quantile, metadata->>'role' as role
       from data_quality_metrics where execution_id = '${runId}' order by metric_type, metadata->>'column', metric_value`,
    );

  it.each([
    ['DataQualityMetricsInputDatasetFacet', (facet: object) => ({ inputs: [dataset({ inputFacets: facet })] }), 'input'],
    ['DataQualityMetricsDatasetFacet', (facet: object) => ({ outputs: [dataset({ facets: facet })] }), 'output'],
  ])('%s: a metric per measure and column, with dataset and column in metadata', async (name, place, role) => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: T, ...place(example(name)) })).expect(201);
    expect(await metrics(runId)).toEqual(
      [
        ['column.count', 10, 'amount'],
        ['column.distinct_count', 3, 'user_id'],
        ['column.max', 1500, 'amount'],
        ['column.min', 100, 'amount'],
        ['column.null_count', 0, 'counterparty_id'],
        ['column.null_count', 0, 'user_id'],
        ['column.sum', 6600, 'amount'],
        ['file_count', 5, null],
        ['row_count', 10, null],
      ].map(([type, value, column]) => ({ type, value, column, quantile: null, role })),
    );
    const [meta] = await sql<{ metadata: Record<string, unknown> }>(f.db.url, `select metadata from data_quality_metrics where execution_id = '${runId}' and metric_type = 'row_count'`);
    expect(meta.metadata).toMatchObject({ source: 'openlineage', facet: 'dataQualityMetrics', dataset: { namespace: 'postgres://db:5432', name: 'public.orders' } });
  });

  it('DataQualityAssertionsDatasetFacet: one metric per assertion, 1 for success, with the assertion in metadata', async () => {
    const runId = randomUUID();
    const facet = example('DataQualityAssertionsDatasetFacet') as { dataQualityAssertions: { assertions: unknown[] } };
    facet.dataQualityAssertions.assertions.push({ assertion: 'row_count', success: false, name: 'at_least_1000', expected: '1000', actual: '999' });
    await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: T, inputs: [dataset({ inputFacets: facet })] })).expect(201);
    const rows = await metrics(runId);
    expect(rows).toHaveLength(11);
    expect(rows.filter((r) => r.value === 1)).toHaveLength(10);
    const [failed] = await sql<{ metadata: Record<string, unknown> }>(f.db.url, `select metadata from data_quality_metrics where execution_id = '${runId}' and metric_value = 0`);
    expect(failed.metadata).toMatchObject({ facet: 'dataQualityAssertions', assertion: { assertion: 'row_count', success: false, expected: '1000', actual: '999' } });
  });

  it('OutputStatisticsOutputDatasetFacet: the row count by output dataset in row_counts', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: T, outputs: [dataset({ outputFacets: example('OutputStatisticsOutputDatasetFacet') })] })).expect(201);
    expect(await executionRow(f.db.url, runId)).toMatchObject({ row_counts: { 'output:postgres://db:5432/public.orders': 2000 } });
  });

  it('ErrorMessageRunFacet: a FAIL keeps message, language and stack trace in error_details', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'FAIL', runId, time: T, runFacets: example('ErrorMessageRunFacet') })).expect(201);
    const got = await http(f.t.app).get(`/v1/executions/${runId}`).expect(200);
    expect(got.body.status).toBe('failed');
    expect(JSON.parse(got.body.error_details)).toEqual({ message: 'failed', programmingLanguage: 'JAVA', stackTrace: '<stack_trace>' });
  });

  it('ParentRunFacet: the parent run id, shown by GET /v1/executions/{id}', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ runId, time: T, runFacets: example('ParentRunFacet') })).expect(201);
    const got = await http(f.t.app).get(`/v1/executions/${runId}`).expect(200);
    f.contract.check('GET', '/v1/executions/{execution_id}', got);
    expect(got.body.parent_execution_id).toBe('f99310b4-3c3c-1a1a-2b2b-c1b95c24ff11');
  });

  it('an Airflow DAG run and its tasks: each task links to the DAG run, listed by parent_execution_id, whatever arrives first', async () => {
    const dagRun = randomUUID();
    const tasks = Array.from({ length: 7 }, () => randomUUID());
    // Two tasks report before their DAG run does; all report their parent in every event.
    for (const [i, task] of tasks.entries()) {
      if (i === 2) await postLineage(f.t.app, runEvent({ runId: dagRun, time: T, job: { namespace: 'airflow', name: 'orders_dag' } })).expect(201);
      const time = `2026-11-20T10:0${i + 1}:00Z`;
      await postLineage(f.t.app, runEvent({ runId: task, time, job: { namespace: 'airflow', name: `orders_dag.task_${i}` }, runFacets: parentFacet(dagRun) })).expect(201);
      await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId: task, time, job: { namespace: 'airflow', name: `orders_dag.task_${i}` }, runFacets: parentFacet(dagRun) })).expect(201);
    }
    expect(await executionRow(f.db.url, dagRun)).toMatchObject({ parent_execution_id: null, status: 'running' });
    const listed = await walkPages(f.t.app, f.contract, '/v1/executions', 'execution_id', { parent_execution_id: dagRun.toUpperCase(), sort: 'started_at', limit: 3 });
    expect(listed).toEqual(tasks);
    const none = await http(f.t.app).get('/v1/executions').query({ parent_execution_id: randomUUID() }).expect(200);
    expect(none.body.data).toEqual([]);
  });
});
