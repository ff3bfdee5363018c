import { sql, type Expression, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, prepared, type Db } from '../database/typed-sql.js';
import { ExecutionStatus } from './execution-status.js';

type Runs = ExpressionBuilder<Database, 'pipeline_executions'>;

/** Successful runs' duration percentile in ms, rounded to the microsecond (floating point would show 536999.9999999998). */
const durationPercentile = (eb: Runs, fraction: number) =>
  sql<number | null>`round(percentile_cont(${sql.lit(fraction)}) within group (order by extract(epoch from ${eb.ref('completed_at')} - ${eb.ref('started_at')}) * 1000)
    filter (where ${eb('status', '=', sql.lit(ExecutionStatus.Succeeded))})::numeric, 3)::float8`;

const countOf = (eb: Runs, status: ExecutionStatus) => sql<number>`(count(*) filter (where ${eb('status', '=', sql.lit(status))}))::int`;

/**
 * Per pipeline named by `names` (one row per name, column pipeline_name): its latest run, latest success,
 * and counts and durations of the runs within the window. Each lateral part is one probe or one range of
 * the (pipeline_name, started_at, execution_id) index.
 */
function summary(db: Db, names: Expression<{ pipeline_name: string }>, window: string) {
  return db
    .selectFrom(sql<{ pipeline_name: string }>`(${names})`.as('n'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select(['execution_id', 'status', 'started_at'])
          .whereRef('pipeline_name', '=', 'n.pipeline_name')
          .orderBy('started_at', 'desc')
          .orderBy('execution_id', 'desc')
          .limit(1)
          .as('l'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select('completed_at')
          .whereRef('pipeline_name', '=', 'n.pipeline_name')
          .where('status', '=', sql.lit(ExecutionStatus.Succeeded))
          .orderBy('started_at', 'desc')
          .orderBy('execution_id', 'desc')
          .limit(1)
          .as('s'),
      (join) => join.onTrue(),
    )
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select((eb) => [
            countOf(eb, ExecutionStatus.Pending).as('pending'),
            countOf(eb, ExecutionStatus.Running).as('running'),
            countOf(eb, ExecutionStatus.Succeeded).as('succeeded'),
            countOf(eb, ExecutionStatus.Failed).as('failed'),
            countOf(eb, ExecutionStatus.Cancelled).as('cancelled'),
            durationPercentile(eb, 0.5).as('p50_ms'),
            durationPercentile(eb, 0.95).as('p95_ms'),
          ])
          .whereRef('pipeline_name', '=', 'n.pipeline_name')
          .where('started_at', '>=', sql<Date>`now() - ${window}::interval`)
          .as('w'),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      'n.pipeline_name',
      'l.execution_id as last_execution_id',
      'l.status as last_status',
      isoText(eb.ref('l.started_at')).as('last_started_at'),
      isoText<null>(eb.ref('s.completed_at')).as('last_success_at'),
      'w.pending',
      'w.running',
      'w.succeeded',
      'w.failed',
      'w.cancelled',
      'w.p50_ms',
      'w.p95_ms',
    ])
    .orderBy('n.pipeline_name');
}

/**
 * Distinct pipeline names by skipping through the (pipeline_name, started_at, execution_id) index: one
 * index probe per pipeline instead of reading every execution. (A recursive CTE whose first branch has its
 * own ORDER BY and LIMIT: the one part Kysely cannot build, written with its sql template.)
 */
const ALL_NAMES = sql<{ pipeline_name: string }>`
  with recursive names(pipeline_name) as (
    (select pipeline_name from ${sql.table('pipeline_executions')} order by pipeline_name limit 1)
    union all
    select (select p.pipeline_name from ${sql.table('pipeline_executions')} p where p.pipeline_name > n.pipeline_name
            order by p.pipeline_name limit 1)
    from names n where n.pipeline_name is not null
  )
  select pipeline_name from names where pipeline_name is not null`;

export const ALL_PIPELINES_SUMMARY = prepared((db, p: { window: string }) => summary(db, ALL_NAMES, p.window));

export const ONE_PIPELINE_SUMMARY = prepared((db, p: { name: string; window: string }) =>
  summary(db, sql<{ pipeline_name: string }>`select ${p.name}::text as pipeline_name`, p.window),
);
