import { sql, type RawBuilder } from 'kysely';
import { prepared, rawStatement } from '../database/typed-sql.js';

/** How far up and down a run tree the run_failed monitor looks (Airflow: DAG → task; dbt: project → model). */
const MAX_DEPTH = 20;
/** At most this many failed children are listed in an incident's evidence; the count says how many there were. */
export const MAX_LISTED_CHILDREN = 50;

export interface FailedRunContext {
  execution_id: string;
  pipeline_name: string;
  attempt: number;
  max_attempts: number | null;
  error_details: string | null;
  completed_at: Date | null;
  /** The top-most recorded run above it (itself when it has no recorded parent). */
  root_id: string;
  root_pipeline: string;
  root_started_at: Date;
  /** The period the root run covers (coalesce(nominal_time, started_at)), as text. */
  root_covered: string;
  /** The failed runs under the root (not the root itself), newest first, at most MAX_LISTED_CHILDREN. */
  failed_children: { execution_id: string; pipeline_name: string; error: string | null }[];
  failed_children_count: number;
}

/**
 * The failed run, its root (the top-level run its failure folds into: walking parent links while the parent
 * is recorded) and the failed runs under that root. One statement; each step is a primary-key lookup or the
 * parent index (pipeline_executions_parent_started_idx).
 */
export const FAILED_RUN_CONTEXT = prepared((_db, p: { id: string }) =>
  rawStatement<FailedRunContext>(sql`
    with recursive up(id, parent, pipeline, started_at, covered, depth) as (
      select execution_id, parent_execution_id, pipeline_name, started_at, coalesce(nominal_time, started_at), 0
        from pipeline_executions where execution_id = ${p.id}::uuid
      union all
      select e.execution_id, e.parent_execution_id, e.pipeline_name, e.started_at, coalesce(e.nominal_time, e.started_at), up.depth + 1
        from up join pipeline_executions e on e.execution_id = up.parent
       where up.depth < ${sql.lit(MAX_DEPTH)}
    ),
    root as (select id, pipeline, started_at, covered from up order by depth desc limit 1),
    down(id, depth) as (
      select id, 0 from root
      union all
      select e.execution_id, down.depth + 1
        from down join pipeline_executions e on e.parent_execution_id = down.id
       where down.depth < ${sql.lit(MAX_DEPTH)}
    ),
    failed as (
      select e.execution_id, e.pipeline_name, left(e.error_details, 500) as error, e.completed_at
        from down join pipeline_executions e on e.execution_id = down.id
       where down.depth > 0 and e.status = 'failed'
         -- an attempt that was retried is not a failure of the run (Airflow gives each try its own run id)
         and (e.max_attempts is null or e.attempt >= e.max_attempts)
    )
    select r.execution_id, r.pipeline_name, r.attempt, r.max_attempts, r.error_details, r.completed_at,
           root.id as root_id, root.pipeline as root_pipeline, root.started_at as root_started_at, root.covered::text as root_covered,
           coalesce((select jsonb_agg(jsonb_build_object('execution_id', f.execution_id, 'pipeline_name', f.pipeline_name, 'error', f.error)
                                      order by f.completed_at desc)
                       from (select * from failed order by completed_at desc limit ${sql.lit(MAX_LISTED_CHILDREN)}) f), '[]'::jsonb) as failed_children,
           (select count(*)::int from failed) as failed_children_count
      from pipeline_executions r, root
     where r.execution_id = ${p.id}::uuid`),
);

/**
 * Whether run `id` is top-level (no parent recorded or named: only those count as healthy observations),
 * and the period it covers, so that a backfill of an older period does not resolve a newer failure.
 */
export const SUCCEEDED_RUN = prepared((db, p: { id: string }) =>
  db
    .selectFrom('pipeline_executions')
    .select([sql<boolean>`parent_execution_id is null`.as('top_level'), sql<string>`coalesce(nominal_time, started_at)::text`.as('covered')])
    .where('execution_id', '=', sql<string>`${p.id}::uuid`),
);

export interface RunFailedMonitor {
  /** null: the built-in default monitor. */
  id: string | null;
  severity: 'warning' | 'critical';
  resolve_after: number;
}

/**
 * The run_failed monitors that watch `pipeline`: its own enabled ones, else the built-in default where
 * the switches leave it on (defaultRunFailedApplies). Served by monitors_pipeline_enabled_idx.
 */
export const runFailedMonitors = (pipeline: string, defaultApplies: RawBuilder<boolean>) =>
  rawStatement<RunFailedMonitor>(sql`
    select m.id::text as id, m.severity, m.resolve_after from monitors m
     where m.enabled and m.pipeline_name = ${pipeline} and m.kind = 'run_failed'
    union all
    select null, 'critical', 1 where ${defaultApplies}`);

/** The unresolved run_failed incidents of `pipeline`: what a successful top-level run observes as healthy. */
export const OPEN_RUN_FAILED = prepared((db, p: { pipeline: string }) =>
  db
    .selectFrom('incidents')
    .select(['monitor_id', 'severity', 'resolve_after', sql<string | null>`evidence->>'covered'`.as('covered')])
    .where('pipeline_name', '=', p.pipeline)
    .where('kind', '=', 'run_failed')
    .where('status', '<>', 'resolved'),
);

/** A row when `pipeline` is archived in the registry: archived pipelines fire nothing. */
export const ARCHIVED = prepared((db, p: { pipeline: string }) =>
  db.selectFrom('pipelines').select('name').where('name', '=', p.pipeline).where('archived_at', 'is not', null),
);
