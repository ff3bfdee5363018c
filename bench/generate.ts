// The large tables, generated in SQL with generate_series: what the read scenarios query.
import type pg from 'pg';

/**
 * Executions: 500 pipelines of very different sizes (pipe_0 about 12.6 % of all rows, pipe_5 1.4 %,
 * pipe_499 0.07 %: index = floor(500 · u³)), started over the last 30 days, 90 % succeeded, 6 % failed,
 * 2 % cancelled, 2 % still running or pending (those started in the last two hours), input files on
 * 70 %, row counts on succeeded runs, 5 % second attempts. Inserted in started_at order, as runs arrive,
 * so the table is clustered by time like a real one. No history rows: the listing does not read them.
 */
export function executionsSql(rows: number): string {
  return `
    with g as (
      select 'pipe_' || floor(500 * power(random(), 3))::int as pipeline_name, random() as u,
             random() as t, (30 + 3600 * random()) * interval '1 second' as duration,
             (1000 + floor(1e6 * power(random(), 4)))::bigint as row_in, random() < 0.05 as retry, i
      from generate_series(1, ${Number(rows)}) i
    ), s as (
      select *, case when u < 0.90 then 'succeeded' when u < 0.96 then 'failed' when u < 0.98 then 'cancelled'
                     when u < 0.995 then 'running' else 'pending' end as status
      from g
    ), r as (
      select *, case when status in ('running', 'pending') then now() - interval '2 hours' * t
                     else now() - interval '30 days' * t end as started_at
      from s
    )
    insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at, input_file,
                                     row_counts, error_details, attempt, created_at, updated_at)
    select gen_random_uuid(), pipeline_name, status, started_at,
           case when status not in ('running', 'pending') then least(started_at + duration, now()) end,
           case when i % 10 < 7 then format('s3://landing/%s/%s/part-%s.parquet', pipeline_name, to_char(started_at, 'YYYY-MM-DD'), i % 16) end,
           case when status = 'succeeded' then jsonb_build_object('input', row_in, 'output', row_in - row_in / 50) else '{}' end,
           case when status = 'failed' then 'ERROR: relation "staging.orders" does not exist (SQLSTATE 42P01)' end,
           case when retry then 2 else 1 end,
           started_at, case when status not in ('running', 'pending') then least(started_at + duration, now()) else started_at end
    from r order by r.started_at`;
}

/**
 * Metrics, exactly as the earlier bench/metrics.ts generated them (so its figures stay comparable):
 * 200 pipelines of skewed sizes (index = floor(200 · u²)), 4 metric types, evenly over the last 30 days.
 */
export function metricsSql(rows: number): string {
  return `
    insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at)
    select gen_random_uuid(), 'pipe_' || floor(200 * power(random(), 2))::int,
           (array['row_count', 'null_rate', 'freshness', 'duplicates'])[1 + i % 4], random() * 1000,
           now() - (i * (interval '30 days' / ${Number(rows)}))
    from generate_series(1, ${Number(rows)}) i`;
}

/**
 * Metrics of datasets and their columns: 1,000 tables of skewed sizes (index = floor(1000 · u²): table_0
 * gets about 3 % of the rows, table_500 0.03 %) in one namespace, each written by one of 50 pipelines;
 * per table the dataset-level row_count and freshness and, for 5 columns, null_rate and distinct_count
 * (12 series), evenly over the last 30 days. The insert's triggers fill the hourly rollup and the series catalog.
 */
export function datasetMetricsSql(rows: number): string {
  return `
    with g as (select floor(1000 * power(random(), 2))::int as t, i from generate_series(1, ${Number(rows)}) i)
    insert into data_quality_metrics (metric_id, pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, metric_value, recorded_at)
    select gen_random_uuid(), 'pipe_' || (t % 50), 'postgres://warehouse:5432', 'public.table_' || t,
           case when i % 12 >= 2 then 'c' || (i % 12 - 2) / 2 end,
           (array['row_count', 'freshness', 'null_rate', 'distinct_count'])[case when i % 12 < 2 then 1 + i % 12 else 3 + i % 2 end],
           random() * 1000, now() - (i * (interval '30 days' / ${Number(rows)}))
    from g`;
}

export const GENERATED = {
  executions: { vacuum: 'pipeline_executions', sql: executionsSql, full: 1_000_000, smoke: 20_000 },
  // The metrics' hourly rollup is filled by their insert trigger, in the same statement; vacuumed with them.
  metrics: { vacuum: 'data_quality_metrics, data_quality_metric_hours', sql: metricsSql, full: 5_000_000, smoke: 50_000 },
  datasets: { vacuum: 'data_quality_metrics, data_quality_metric_hours, metric_series', sql: datasetMetricsSql, full: 5_000_000, smoke: 50_000 },
} as const;

export type DataKind = keyof typeof GENERATED;

/**
 * Generates and then vacuums, as autovacuum would have by the time such a table is queried: it sets
 * the visibility map, so covering indexes answer without visiting the table. Returns seconds taken.
 */
export async function generate(client: pg.Client, kind: DataKind, rows: number): Promise<number> {
  const started = performance.now();
  await client.query(GENERATED[kind].sql(rows));
  await client.query(`vacuum analyze ${GENERATED[kind].vacuum}`);
  return (performance.now() - started) / 1000;
}
