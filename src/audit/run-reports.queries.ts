import { EXECUTION_COLUMNS } from './executions.queries.js';

/**
 * Locks the execution's row (if there is one) and reads the status that decides how a report applies. NO KEY
 * UPDATE, the lock the UPDATE itself takes: metrics inserted meanwhile (their foreign key) are not held up.
 */
export const LOCK_EXECUTION = `select status from pipeline_executions where execution_id = ? for no key update`;

const HISTORY_ENTRY = `
  insert into pipeline_execution_events (event_id, execution_id, type, occurred_at, payload)
  select ?::uuid, e.execution_id, ?, ?::timestamptz, ?::jsonb from e`;

/**
 * Creates the execution a report is the first news of, with its history entry, in one statement. No row
 * comes back when a concurrent report created it first: `on conflict do nothing` waits for that one to
 * commit, so the caller's next statement sees it.
 *
 * Parameters: execution id, pipeline name, status, started_at, completed_at or null, row_counts,
 * error_details, parent id; history: entry id, type, occurred_at, payload.
 */
export const INSERT_REPORTED = `
  with e as (
    insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at, row_counts, error_details, parent_execution_id)
    values (?::uuid, ?, ?, ?::timestamptz, ?::timestamptz, ?::jsonb, ?, ?::uuid)
    on conflict (execution_id) do nothing
    returning *
  ), h as (${HISTORY_ENTRY})
  select ${EXECUTION_COLUMNS} from e`;

const OPEN = `x.status in ('pending', 'running')`;

/**
 * Merges a report into its execution, whose row the caller has locked (LOCK_EXECUTION), and appends the
 * history entry, in one statement. The merge makes the result independent of the order reports arrive in:
 *
 * - status, completed_at, error_details: taken from the report while the run is open; once it is terminal
 *   they never change again (a late report only gets a `late` history entry);
 * - started_at: the earliest time of any report of the run (START's, unless producers' clocks disagree);
 * - row_counts: while open, the report's counts win per key; after, the terminal report's counts win and a
 *   late report only adds keys the run does not have;
 * - parent_execution_id: the first reported wins; pipeline_name is never changed.
 *
 * Parameters: status, completed_at or null, error_details, row_counts (twice), started_at, parent id,
 * execution id; history: entry id, type, occurred_at, payload.
 */
export const MERGE_REPORT = `
  with e as (
    update pipeline_executions x set
      status = case when ${OPEN} then ? else x.status end,
      completed_at = case when ${OPEN} then ?::timestamptz else x.completed_at end,
      error_details = case when ${OPEN} then coalesce(?, x.error_details) else x.error_details end,
      row_counts = case when ${OPEN} then x.row_counts || ?::jsonb else ?::jsonb || x.row_counts end,
      started_at = least(x.started_at, ?::timestamptz),
      parent_execution_id = coalesce(x.parent_execution_id, ?::uuid)
    where x.execution_id = ?
    returning x.*
  ), h as (${HISTORY_ENTRY})
  select ${EXECUTION_COLUMNS} from e`;

/** Of `ids`, the executions with a history entry that did not come from reports of `source` (the API wrote to them). */
export const WRITTEN_ELSEWHERE = `
  select distinct v.execution_id from pipeline_execution_events v
  where v.execution_id = any(?::uuid[]) and v.payload->>'source' is distinct from ?`;

/** Deletes executions; their history goes with them (on delete cascade). */
export const DELETE_EXECUTIONS = `delete from pipeline_executions where execution_id = any(?::uuid[])`;
