import { beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { runCompiled } from '../../../src/database/typed-sql.js';
import type { MetricSort } from '../../../src/quality/dto/list-metrics.query.js';
import { datasetListing, type DatasetListShape } from '../../../src/quality/datasets.sql.js';
import { listMetrics, type MetricFilters } from '../../../src/quality/metrics.sql.js';
import type { SubjectShape, SubjectValues } from '../../../src/quality/series-subject.js';
import { detectionPoints, latestStatement, seriesStatement, trainingStats } from '../../../src/quality/trends.sql.js';
import { useOrmDatabase } from '../../support/orm.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const seqScans = (node: PlanNode): string[] => [
  ...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name'] ?? '?'] : []),
  ...(node.Plans ?? []).flatMap(seqScans),
];

const ROWS = 200_000;

/** Every kind of subject a trend query has, with its values: a pipeline's own series, a dataset's, a column's, narrowed or not. */
const NS = 'postgres://db:5432';
const SUBJECTS: [string, SubjectShape, SubjectValues][] = [
  ['a pipeline', { dataset: false, column: false, pipeline: true }, { pipeline: 'pipe_3', namespace: '', name: '', column: '' }],
  ['a dataset', { dataset: true, column: false, pipeline: false }, { pipeline: '', namespace: NS, name: 'public.t3', column: '' }],
  ['a column', { dataset: true, column: true, pipeline: false }, { pipeline: '', namespace: NS, name: 'public.t3', column: 'c1' }],
  ["a dataset, one pipeline's reports", { dataset: true, column: false, pipeline: true }, { pipeline: 'pipe_3', namespace: NS, name: 'public.t3', column: '' }],
];

/** Every query the metrics API issues, on 200,000 metrics: none scans data_quality_metrics sequentially. */
describe('query plans of the metrics API', () => {
  const t = useOrmDatabase();
  let orm: MikroORM;
  let cursor = { recordedAt: '', id: '' };

  const plan = async ({ sql, parameters }: { sql: string; parameters: readonly unknown[] }) =>
    (await runCompiled<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(orm.em, CompiledQuery.raw(`explain (format json) ${sql}`, [...parameters])))[0]['QUERY PLAN'][0].Plan;
  /** A prepared statement with its values, as the service sends it. */
  const bound = <P>(statement: { sql: string; values: (p: P) => unknown[] }, p: P) => ({ sql: statement.sql, parameters: statement.values(p) });

  beforeAll(async () => {
    orm = t.orm;
    const started = Date.now();
    // 50 pipelines of skewed sizes, 4 metric types, 30 days.
    await orm.em.getConnection().execute(`
      insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at)
      select gen_random_uuid(), 'pipe_' || floor(50 * power(random(), 2))::int,
             (array['row_count', 'null_rate', 'freshness', 'duplicates'])[1 + i % 4], random() * 1000,
             now() - (i * interval '13 seconds')
      from generate_series(1, ${ROWS}) i`);
    // As many metrics of 2,000 tables (dataset-level and 3 columns each; 32,000 series), each written by one of those pipelines.
    await orm.em.getConnection().execute(`
      insert into data_quality_metrics (metric_id, pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, metric_value, recorded_at)
      select gen_random_uuid(), 'pipe_' || (i % 50), '${NS}', 'public.t' || (i % 2000), (array[null, 'c1', 'c2', 'c3'])[1 + (i / 2000) % 4],
             (array['row_count', 'null_rate', 'freshness', 'duplicates'])[1 + (i / 8000) % 4], random() * 1000,
             now() - (i * interval '13 seconds')
      from generate_series(1, ${ROWS}) i`);
    // Incidents of those tables, most of them resolved.
    await orm.em.getConnection().execute(`
      insert into incidents (incident_id, dedupe_key, pipeline_name, kind, severity, status, first_seen_at, last_seen_at, resolved_at, evidence, dataset_namespace, dataset_name)
      select gen_random_uuid(), 'd' || i, 'pipe_' || (i % 50), 'run_failed', 'warning', case when i % 10 = 0 then 'open' else 'resolved' end,
             now(), now(), case when i % 10 <> 0 then now() end, '{}', '${NS}', 'public.t' || (i % 2000)
      from generate_series(1, 20000) i`);
    await orm.em.getConnection().execute('analyze data_quality_metrics, data_quality_metric_hours, metric_series, incidents');
    console.log(`generated ${ROWS} metrics in ${Date.now() - started} ms`);
    const [row] = await orm.em.getConnection().execute<{ t: string; id: string }[]>(
      `select to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t, metric_id as id
       from data_quality_metrics order by recorded_at desc, metric_id desc offset 5000 limit 1`,
    );
    cursor = { recordedAt: row.t, id: row.id };
  }, 120_000);

  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

  const LISTINGS: [string, MetricFilters, MetricSort][] = [
    ['all metrics', {}, '-recorded_at'],
    ['by pipeline', { pipelineName: 'pipe_3' }, '-recorded_at'],
    ['by pipeline and type', { pipelineName: 'pipe_3', metricTypes: ['null_rate'] }, '-recorded_at'],
    ['by pipeline and several types', { pipelineName: 'pipe_3', metricTypes: ['null_rate', 'row_count'] }, 'recorded_at'],
    ['by execution', { executionId: '00000000-0000-7000-8000-000000000000' }, '-recorded_at'],
    ['by metric type', { metricTypes: ['null_rate'] }, '-recorded_at'],
    ['by a rare metric type and time range', { metricTypes: ['rare.check'], recordedAfter: day(10) }, 'recorded_at'],
    ['by time range', { recordedAfter: day(10), recordedBefore: day(9) }, '-recorded_at'],
  ];

  it.each(LISTINGS)('listing %s: no sequential scan, first page and a cursor page', async (_, filters, sort) => {
    for (const page of [filters, { ...filters, after: cursor }]) {
      expect(seqScans(await plan(listMetrics(page, sort, 50).compile()))).toEqual([]);
    }
  });

  it.each(SUBJECTS)('latest of %s: no sequential scan, for all types or chosen ones', async (_, shape, values) => {
    expect(seqScans(await plan(bound(latestStatement({ ...shape, types: false }), { ...values, types: [] })))).toEqual([]);
    expect(seqScans(await plan(bound(latestStatement({ ...shape, types: true }), { ...values, types: ['row_count', 'null_rate'] })))).toEqual([]);
  });

  it.each(SUBJECTS.flatMap(([name, shape, values]) => [
    [`hourly, from the rollup, of ${name}`, '1 hour', true, shape, values],
    [`5-minute, from the metrics, of ${name}`, '5 minutes', false, shape, values],
  ] as const))('a 30-day %s series: no sequential scan of the metrics or the rollup', async (_, bucket, wholeHours, shape, values) => {
    const series = bound(seriesStatement({ agg: 'avg', wholeHours, subject: shape }), { ...values, type: 'row_count', from: day(30), to: day(0), bucket });
    expect(seqScans(await plan(series)).filter((r) => r.startsWith('data_quality_metric'))).toEqual([]);
  });

  const DATASET_LISTINGS: [string, Partial<DatasetListShape>][] = [
    ['one dataset', { one: true }],
    ['the first page', {}],
    ['a cursor page', { after: true }],
    ['by namespace and name prefix', { namespace: true, q: true }],
    ['by pipeline, a cursor page', { pipeline: true, after: true }],
  ];

  it.each(DATASET_LISTINGS)('datasets, %s: no sequential scan of the catalog, the metrics or the incidents', async (_, shape) => {
    const values = { namespace: NS, name: 'public.t3', pattern: 'public.t1%', pipeline: 'pipe_3', afterNamespace: NS, afterName: 'public.t2', fetch: 51 };
    const statement = datasetListing({ one: false, namespace: false, q: false, pipeline: false, after: false, ...shape });
    expect(seqScans(await plan(bound(statement, values)))).toEqual([]);
  });

  it.each(SUBJECTS)('anomalies of %s: no sequential scan', async (_, shape, values) => {
    const window = { ...values, type: 'row_count', detection: '2 days' };
    expect(seqScans(await plan(bound(detectionPoints(shape), window)))).toEqual([]);
    expect(seqScans(await plan(bound(trainingStats(shape), { ...window, training: '14 days' })))).toEqual([]);
  });
});
