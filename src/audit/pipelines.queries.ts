import { isoColumn } from '../database/sql.js';

// Distinct pipeline names by skipping through the (pipeline_name, started_at, execution_id) index: one
// index probe per pipeline instead of reading every execution.
const ALL_NAMES = `
  with recursive names(pipeline_name) as (
    (select pipeline_name from pipeline_executions order by pipeline_name limit 1)
    union all
    select (select p.pipeline_name from pipeline_executions p where p.pipeline_name > n.pipeline_name
            order by p.pipeline_name limit 1)
    from names n where n.pipeline_name is not null
  )
  select pipeline_name from names where pipeline_name is not null`;

const ONE_NAME = `select ?::text as pipeline_name`;

/** Per pipeline: its latest run, latest success, and counts and durations of the runs within the window. */
function summarySql(names: string): string {
  return `
  select n.pipeline_name,
         l.execution_id as last_execution_id, l.status as last_status, ${isoColumn('l.started_at', 'last_started_at')},
         ${isoColumn('s.completed_at', 'last_success_at')},
         w.pending, w.running, w.succeeded, w.failed, w.cancelled, w.p50_ms, w.p95_ms
  from (${names}) n
  cross join lateral (
    select e.execution_id, e.status, e.started_at from pipeline_executions e
    where e.pipeline_name = n.pipeline_name order by e.started_at desc, e.execution_id desc limit 1
  ) l
  left join lateral (
    select e.completed_at from pipeline_executions e
    where e.pipeline_name = n.pipeline_name and e.status = 'succeeded' order by e.started_at desc, e.execution_id desc limit 1
  ) s on true
  cross join lateral (
    select count(*) filter (where e.status = 'pending')::int as pending,
           count(*) filter (where e.status = 'running')::int as running,
           count(*) filter (where e.status = 'succeeded')::int as succeeded,
           count(*) filter (where e.status = 'failed')::int as failed,
           count(*) filter (where e.status = 'cancelled')::int as cancelled,
           -- Rounded to the microsecond: interpolation in floating point would otherwise show 536999.9999999998.
           round(percentile_cont(0.5) within group (order by extract(epoch from e.completed_at - e.started_at) * 1000)
             filter (where e.status = 'succeeded')::numeric, 3)::float8 as p50_ms,
           round(percentile_cont(0.95) within group (order by extract(epoch from e.completed_at - e.started_at) * 1000)
             filter (where e.status = 'succeeded')::numeric, 3)::float8 as p95_ms
    from pipeline_executions e
    where e.pipeline_name = n.pipeline_name and e.started_at >= now() - ?::interval
  ) w
  order by n.pipeline_name`;
}

export const ALL_PIPELINES_SUMMARY = summarySql(ALL_NAMES);
export const ONE_PIPELINE_SUMMARY = summarySql(ONE_NAME);

export interface SummaryRow {
  pipeline_name: string;
  last_execution_id: string;
  last_status: string;
  last_started_at: string;
  last_success_at: string | null;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  p50_ms: number | null;
  p95_ms: number | null;
}
