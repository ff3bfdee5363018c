import { sql } from 'kysely';
import { prepared, rawStatement } from '../database/typed-sql.js';

export interface AlertingState {
  /** The newest completed monitors.tick slot (job_ticks), as text; null before the first. */
  last_evaluation_at: string | null;
  /** The oldest outbox row not yet published, as text; null when none waits. */
  oldest_unpublished_at: string | null;
}

/**
 * The dead man's switch of the alerting: when the monitors were last evaluated, and how old the oldest
 * announcement nobody has published yet is. Two index lookups: job_ticks' primary key (newest slot of the
 * task) and outbox_events' partial index on unpublished rows.
 */
export const ALERTING_STATE = prepared((_db, p: { task: string }) =>
  rawStatement<AlertingState>(sql`
    select (select completed_at from job_ticks where task = ${p.task} and completed_at is not null order by slot desc limit 1)::text as last_evaluation_at,
           (select created_at from outbox_events where published_at is null order by created_at limit 1)::text as oldest_unpublished_at`),
);
