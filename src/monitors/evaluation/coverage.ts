import { sql, type RawBuilder } from 'kysely';

/**
 * The coverage rule in one place: a run covers the period `coalesce(nominal_time, started_at)` (OpenLineage
 * nominalTime, else its start), only successful runs cover, and a pipeline's coverage is the newest covered
 * period (max), so a late or backfilled run for an older period never moves it back.
 *
 * The lateral subquery gives `covered` and `covered_by` for `pipeline` (an SQL expression naming it), and is
 * served by pipeline_executions_succeeded_covered_idx: one index probe, backwards.
 */
export function newestCoverage(pipeline: RawBuilder<unknown>): RawBuilder<{ covered: Date | null; covered_by: string | null }> {
  return sql`(
    select coalesce(e.nominal_time, e.started_at) as covered, e.execution_id as covered_by
    from pipeline_executions e
    where e.pipeline_name = ${pipeline} and e.status = 'succeeded'
    order by coalesce(e.nominal_time, e.started_at) desc
    limit 1
  )`;
}
