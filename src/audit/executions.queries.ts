import { Conditions, keysetPageSql } from '../database/keyset.js';
import { isoColumn } from '../database/sql.js';
import type { ExecutionSort } from './dto/list-executions.query.js';

/** The execution as the API shows it: snake_case, timestamps as exact RFC 3339 strings. */
export const EXECUTION_COLUMNS = [
  'e.execution_id',
  'e.pipeline_name',
  'e.status',
  isoColumn('e.started_at'),
  isoColumn('e.completed_at'),
  'e.input_file',
  'e.row_counts',
  'e.error_details',
  'e.attempt',
  'e.parent_execution_id',
  isoColumn('e.created_at'),
  isoColumn('e.updated_at'),
].join(', ');

/**
 * Inserts the execution and its `create` event in one statement. Returns no row when the id exists:
 * `on conflict do nothing` then waits for a concurrent insert of the same id to commit, so the caller's
 * follow-up read always sees the winner.
 */
export const INSERT_EXECUTION = `
  with e as (
    insert into pipeline_executions (execution_id, pipeline_name, status, started_at, input_file, attempt, row_counts)
    values (?, ?, ?, ?::timestamptz, ?, ?, ?::jsonb)
    on conflict (execution_id) do nothing
    returning *
  ), ev as (
    insert into pipeline_execution_events (event_id, execution_id, type, occurred_at, payload)
    select ?, e.execution_id, 'create', e.created_at, ?::jsonb from e
  )
  select ${EXECUTION_COLUMNS} from e`;

export const SELECT_EXECUTION = `select ${EXECUTION_COLUMNS} from pipeline_executions e where e.execution_id = ?`;

/** The execution with the payload of its `create` event, to tell a retry from a conflicting reuse of the id. */
export const SELECT_EXECUTION_WITH_CREATE = `
  select ${EXECUTION_COLUMNS}, (select payload from pipeline_execution_events v
    where v.execution_id = e.execution_id and v.type = 'create' order by v.occurred_at, v.event_id limit 1) as create_payload
  from pipeline_executions e where e.execution_id = ?`;

export interface ListFilters {
  pipelineName?: string;
  statuses?: string[];
  startedAfter?: string;
  startedBefore?: string;
  hasError?: boolean;
  inputFile?: string;
  parentExecutionId?: string;
  after?: { startedAt: string; id: string };
}

/** One page of executions; every filter combination is served by an index (see the EXPLAIN suite). */
export function listExecutionsSql(filters: ListFilters, sort: ExecutionSort, limit: number): { sql: string; params: unknown[] } {
  const where = new Conditions();
  if (filters.pipelineName !== undefined) where.add('e.pipeline_name = ?', filters.pipelineName);
  if (filters.statuses?.length) where.add('e.status = any(?::text[])', filters.statuses);
  if (filters.startedAfter !== undefined) where.add('e.started_at >= ?::timestamptz', filters.startedAfter);
  if (filters.startedBefore !== undefined) where.add('e.started_at < ?::timestamptz', filters.startedBefore);
  if (filters.hasError !== undefined) where.add(filters.hasError ? 'e.error_details is not null' : 'e.error_details is null');
  if (filters.inputFile !== undefined) where.add('e.input_file = ?', filters.inputFile);
  if (filters.parentExecutionId !== undefined) where.add('e.parent_execution_id = ?::uuid', filters.parentExecutionId);
  const after = filters.after && { time: filters.after.startedAt, id: filters.after.id };
  return keysetPageSql(
    { from: `select ${EXECUTION_COLUMNS} from pipeline_executions e`, timeColumn: 'e.started_at', idColumn: 'e.execution_id', desc: sort === '-started_at', after, limit },
    where,
  );
}

/**
 * Applies a transition and appends its event in one statement. The WHERE clause is the state machine's
 * guard: a concurrent transition that committed first changes the status, PostgreSQL re-checks the row
 * after waiting for its lock, and this one then updates nothing (the caller answers 409). Times come from
 * clock_timestamp(), read after the row lock is held, so the history is in the order the changes happened
 * (now() is when the transaction began, which may be before a concurrent change it waited for).
 *
 * Parameters: status, row_counts, terminal (bool), completed_at (null: now, but not before started_at),
 * error_details, id, allowed statuses, completed_at, completed_at, event id, type, payload.
 */
export const APPLY_TRANSITION = `
  with e as (
    update pipeline_executions x set
      status = ?,
      row_counts = x.row_counts || ?::jsonb,
      completed_at = case when ?::boolean then coalesce(?::timestamptz, greatest(clock_timestamp(), x.started_at)) end,
      error_details = coalesce(?, x.error_details)
    where x.execution_id = ? and x.status = any(?::text[]) and (?::timestamptz is null or ?::timestamptz >= x.started_at)
    returning x.*
  ), ev as (
    insert into pipeline_execution_events (event_id, execution_id, type, occurred_at, payload)
    select ?, e.execution_id, ?, clock_timestamp(), ?::jsonb from e
  )
  select ${EXECUTION_COLUMNS} from e`;

/**
 * The execution with the event that made it terminal (if it is), and whether the requested completed_at
 * (first parameter; null for none) precedes its start: what the caller needs to explain a refusal.
 */
export const SELECT_EXECUTION_WITH_TERMINAL_EVENT = `
  select ${EXECUTION_COLUMNS}, (select json_build_object('type', v.type, 'payload', v.payload) from pipeline_execution_events v
    where v.execution_id = e.execution_id and v.type in ('succeed', 'fail', 'cancel')
    order by v.occurred_at desc, v.event_id desc limit 1) as terminal_event,
    coalesce(?::timestamptz < e.started_at, false) as completes_before_start
  from pipeline_executions e where e.execution_id = ?`;

export const EVENT_COLUMNS = ['v.event_id', 'v.execution_id', 'v.type', isoColumn('v.occurred_at'), 'v.payload'].join(', ');

export function listEventsSql(executionId: string, limit: number, after?: { occurredAt: string; id: string }) {
  return keysetPageSql(
    {
      from: `select ${EVENT_COLUMNS} from pipeline_execution_events v`,
      timeColumn: 'v.occurred_at',
      idColumn: 'v.event_id',
      desc: false,
      after: after && { time: after.occurredAt, id: after.id },
      limit,
    },
    new Conditions().add('v.execution_id = ?', executionId),
  );
}
