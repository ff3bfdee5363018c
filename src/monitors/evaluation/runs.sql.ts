import { sql } from 'kysely';
import { prepared, rawStatement } from '../../database/typed-sql.js';
import type { Severity } from '../../incidents/incident-signal.js';
import { notArchived } from './archived.sql.js';

/** A duration monitor's minimum of successful runs before factor × p95 means anything. */
export const MIN_RUNS_FOR_P95 = 3;

export interface DurationRow {
  monitor_id: string;
  severity: Severity;
  execution_id: string;
  pipeline_name: string;
  started_at: string;
  elapsed_ms: number;
  limit_ms: number;
  max_duration: string | null;
  factor: number | null;
  runs: number | null;
  p95_ms: number | null;
  successes: number | null;
}

/**
 * Running runs over their duration monitor's limit, in one statement: running runs (the partial index on
 * active statuses) joined to their pipelines' enabled duration monitors. The limit is max_duration, or
 * factor × the p95 duration of the pipeline's last `runs` successes (newest covered periods first, through
 * pipeline_executions_succeeded_covered_idx), computed only for pipelines with a running run and only when
 * there are at least MIN_RUNS_FOR_P95 of them. Runs of archived pipelines are skipped.
 */
export const DURATION_OVER = prepared((_db, p: { now: Date }) =>
  rawStatement(sql<DurationRow>`
    select * from (
      select m.id as monitor_id, m.severity, r.execution_id, r.pipeline_name, r.started_at,
             (extract(epoch from ${p.now}::timestamptz - r.started_at) * 1000)::float8 as elapsed_ms,
             (case when m.params ? 'max_duration' then extract(epoch from (m.params->>'max_duration')::interval) * 1000
                   when s.successes >= ${sql.lit(MIN_RUNS_FOR_P95)} then (m.params->>'factor')::float8 * s.p95_ms end)::float8 as limit_ms,
             m.params->>'max_duration' as max_duration, (m.params->>'factor')::float8 as factor, (m.params->>'runs')::int as runs,
             s.p95_ms, s.successes
      from pipeline_executions r
      join monitors m on m.pipeline_name = r.pipeline_name and m.enabled and m.kind = 'duration'
      left join lateral (
        select (percentile_cont(0.95) within group (order by extract(epoch from x.completed_at - x.started_at) * 1000))::float8 as p95_ms,
               count(*)::int as successes
        from (
          select e.started_at, e.completed_at from pipeline_executions e
          where m.params ? 'factor' and e.pipeline_name = r.pipeline_name and e.status = 'succeeded'
          order by coalesce(e.nominal_time, e.started_at) desc
          limit (m.params->>'runs')::int
        ) x
      ) s on true
      where r.status = 'running' and ${notArchived(sql`r.pipeline_name`)}
    ) d
    where d.elapsed_ms > d.limit_ms`),
);

export interface StalledRow {
  monitor_id: string;
  severity: Severity;
  execution_id: string;
  pipeline_name: string;
  started_at: string;
  stall_after: string;
  last_activity: string;
  last_event_at: string | null;
}

/**
 * Running runs with no event for their stalled monitor's stall_after, in one statement: the newest event of
 * each running run (pipeline_execution_events_history_idx, one probe backwards), else its start. Runs of
 * archived pipelines are skipped.
 */
export const STALLED = prepared((_db, p: { now: Date }) =>
  rawStatement(sql<StalledRow>`
    select m.id as monitor_id, m.severity, r.execution_id, r.pipeline_name, r.started_at, m.params->>'stall_after' as stall_after,
           coalesce(v.last_event_at, r.started_at) as last_activity, v.last_event_at
    from pipeline_executions r
    join monitors m on m.pipeline_name = r.pipeline_name and m.enabled and m.kind = 'stalled'
    left join lateral (
      select max(ev.occurred_at) as last_event_at from pipeline_execution_events ev where ev.execution_id = r.execution_id
    ) v on true
    where r.status = 'running' and ${notArchived(sql`r.pipeline_name`)} and coalesce(v.last_event_at, r.started_at) + (m.params->>'stall_after')::interval <= ${p.now}::timestamptz`),
);

export interface RunStateRow {
  execution_id: string;
  status: string;
  completed_at: string | null;
}

/** Where the runs of open duration/stalled incidents are now (primary key lookups). */
export const RUN_STATES = prepared((_db, p: { ids: string[] }) =>
  rawStatement(sql<RunStateRow>`
    select execution_id, status, completed_at from pipeline_executions where execution_id = any(${p.ids}::uuid[])`),
);
