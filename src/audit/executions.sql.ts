import { sql, type Expression, type ExpressionBuilder, type QueryCreator } from 'kysely';
import { keysetPage } from '../database/keyset.js';
import type { Database } from '../database/schema.js';
import { isoText, jsonb, prepared, preparedShapes, timestamptz, uuid } from '../database/typed-sql.js';
import type { ExecutionSort } from './dto/list-executions.query.js';
import { ENDING_TRANSITIONS, type LastEvent } from './execution-state-machine.js';
import type { ExecutionStatus } from './execution-status.js';
import type { EventType } from './pipeline-execution-event.entity.js';

/** The execution as the API shows it: snake_case, timestamps as exact RFC 3339 strings. */
export const execution = (eb: ExpressionBuilder<Database, 'pipeline_executions'>) => [
  'pipeline_executions.execution_id' as const,
  'pipeline_executions.pipeline_name' as const,
  'pipeline_executions.status' as const,
  isoText(eb.ref('pipeline_executions.started_at')).as('started_at'),
  isoText<null>(eb.ref('pipeline_executions.completed_at')).as('completed_at'),
  'pipeline_executions.input_file' as const,
  'pipeline_executions.row_counts' as const,
  'pipeline_executions.error_details' as const,
  'pipeline_executions.attempt' as const,
  'pipeline_executions.parent_execution_id' as const,
  'pipeline_executions.max_attempts' as const,
  isoText<null>(eb.ref('pipeline_executions.nominal_time')).as('nominal_time'),
  isoText(eb.ref('pipeline_executions.created_at')).as('created_at'),
  isoText(eb.ref('pipeline_executions.updated_at')).as('updated_at'),
];

/** A history entry as the API shows it. */
const event = (eb: ExpressionBuilder<Database, 'pipeline_execution_events'>) => [
  'pipeline_execution_events.event_id' as const,
  'pipeline_execution_events.execution_id' as const,
  'pipeline_execution_events.type' as const,
  isoText(eb.ref('pipeline_execution_events.occurred_at')).as('occurred_at'),
  'pipeline_execution_events.payload' as const,
];

/**
 * The history entry of the execution the CTE `e` returns (no entry when it returns no row), written in the
 * same statement as the change it records. `payload` is JSON text.
 */
export const historyEntry = (
  db: QueryCreator<Database & { e: { execution_id: string } }>,
  entry: { id: string; type: Expression<unknown>; at: Expression<Date>; payload: string },
) =>
  db
    .insertInto('pipeline_execution_events')
    .columns(['event_id', 'execution_id', 'type', 'occurred_at', 'payload'])
    .expression((eb) =>
      eb.selectFrom('e').select([
        uuid<string>(entry.id).as('event_id'),
        'e.execution_id',
        sql<EventType>`${entry.type}`.as('type'),
        sql<Date>`${entry.at}`.as('occurred_at'),
        jsonb<string>(entry.payload).as('payload'),
      ]),
    );

/** A history entry's parameters, for the statements that write one. */
export interface EntryParams {
  entryId: string;
  type: EventType;
  /** JSON text. */
  payload: string;
}

/**
 * The registry row of the pipeline of the run the CTE `e` inserted (none when it inserted none: a retry, a
 * conflict), in the statement that records the run: a pipeline exists from its first run. `do nothing`
 * takes no lock on an existing row, so runs of one pipeline never wait for each other here; first_seen_at
 * is the transaction's time, the run's created_at.
 */
export const registerPipeline = (db: QueryCreator<Database & { e: { pipeline_name: string } }>) =>
  db
    .insertInto('pipelines')
    .columns(['name', 'first_seen_at'])
    .expression((eb) => eb.selectFrom('e').select(['e.pipeline_name', sql<Date>`now()`.as('first_seen_at')]))
    .onConflict((oc) => oc.column('name').doNothing());

/**
 * Inserts the execution and its `create` event in one statement. Returns no row when the id exists:
 * `on conflict do nothing` then waits for a concurrent insert of the same id to commit, so the caller's
 * follow-up read always sees the winner. The event's time is now(), the transaction's time, which is the
 * execution's created_at (its default).
 */
export const INSERT_EXECUTION = prepared(
  (
    db,
    p: {
      id: string;
      pipelineName: string;
      status: ExecutionStatus;
      startedAt: string;
      inputFile: string | null;
      attempt: number;
      rowCounts: string;
      parentId: string | null;
      maxAttempts: number | null;
      nominalTime: string | null;
    } & Omit<EntryParams, 'type'>,
  ) =>
    db
      .with('e', (db) =>
        db
          .insertInto('pipeline_executions')
          .values({
            execution_id: p.id,
            pipeline_name: p.pipelineName,
            status: p.status,
            started_at: timestamptz<string>(p.startedAt),
            input_file: p.inputFile,
            attempt: p.attempt,
            row_counts: jsonb(p.rowCounts),
            parent_execution_id: uuid<string | null>(p.parentId),
            max_attempts: p.maxAttempts,
            nominal_time: timestamptz<string | null>(p.nominalTime),
          })
          .onConflict((oc) => oc.column('execution_id').doNothing())
          .returning(execution),
      )
      .with('p', (db) => registerPipeline(db))
      .with('ev', (db) => historyEntry(db, { id: p.entryId, type: sql.lit('create'), at: sql<Date>`now()`, payload: p.payload }))
      .selectFrom('e')
      .selectAll(),
);

export const SELECT_EXECUTION = prepared((db, p: { id: string }) =>
  db.selectFrom('pipeline_executions').select(execution).where('pipeline_executions.execution_id', '=', p.id),
);

/** The execution with the payload of its `create` event, to tell a retry from a conflicting reuse of the id. */
export const SELECT_EXECUTION_WITH_CREATE = prepared((db, p: { id: string }) =>
  db
    .selectFrom('pipeline_executions')
    .select((eb) => [
      ...execution(eb),
      eb
        .selectFrom('pipeline_execution_events as v')
        .select('v.payload')
        .whereRef('v.execution_id', '=', 'pipeline_executions.execution_id')
        .where('v.type', '=', 'create')
        .orderBy('v.occurred_at')
        .orderBy('v.event_id')
        .limit(1)
        .as('create_payload'),
    ])
    .where('pipeline_executions.execution_id', '=', p.id),
);

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

/** The values of a listing: the filters it has (its shape says which), the cursor, and the rows to read. */
type ListingValues = Required<Omit<ListFilters, 'hasError' | 'after'>> & { afterTime: string; afterId: string; fetch: number };

/** The filters that take a value, in the order the WHERE clause names them. */
const VALUE_FILTERS = ['pipelineName', 'statuses', 'startedAfter', 'startedBefore', 'inputFile', 'parentExecutionId'] as const;

/** Which filters a listing has, error or not, whether it continues a cursor, and its order: one statement each. */
interface ListingShape {
  given: (typeof VALUE_FILTERS)[number][];
  hasError: boolean | null;
  after: boolean;
  desc: boolean;
}

const executionListing = preparedShapes((db, p: ListingValues, shape: ListingShape) => {
  const given = new Set(shape.given);
  let query = db.selectFrom('pipeline_executions').select(execution);
  if (given.has('pipelineName')) query = query.where('pipeline_executions.pipeline_name', '=', p.pipelineName);
  if (given.has('statuses')) query = query.where('pipeline_executions.status', '=', sql<ExecutionStatus>`any(${p.statuses}::text[])`);
  if (given.has('startedAfter')) query = query.where('pipeline_executions.started_at', '>=', timestamptz<Date>(p.startedAfter));
  if (given.has('startedBefore')) query = query.where('pipeline_executions.started_at', '<', timestamptz<Date>(p.startedBefore));
  if (shape.hasError !== null) query = query.where('pipeline_executions.error_details', shape.hasError ? 'is not' : 'is', null);
  if (given.has('inputFile')) query = query.where('pipeline_executions.input_file', '=', p.inputFile);
  if (given.has('parentExecutionId')) query = query.where('pipeline_executions.parent_execution_id', '=', uuid<string>(p.parentExecutionId));
  const after = shape.after ? { time: p.afterTime, id: p.afterId } : undefined;
  const time = 'pipeline_executions.started_at';
  return keysetPage(query, { time, id: 'pipeline_executions.execution_id', desc: shape.desc, after, fetch: p.fetch });
});

/**
 * One page of executions (and one row more); every filter combination is served by an index (see the
 * EXPLAIN suite). Each combination of filters is prepared once: a request binds its values.
 */
export function listExecutions(filters: ListFilters, sort: ExecutionSort, limit: number) {
  const given = VALUE_FILTERS.filter((name) => (name === 'statuses' ? Boolean(filters.statuses?.length) : filters[name] !== undefined));
  const statement = executionListing({ given, hasError: filters.hasError ?? null, after: filters.after !== undefined, desc: sort === '-started_at' });
  // The shape binds only the filters given: the others are never read.
  const values = { ...filters, afterTime: filters.after?.startedAt, afterId: filters.after?.id, fetch: limit + 1 } as ListingValues;
  return statement.bind(values);
}

/**
 * Applies a transition and appends its event in one statement. The WHERE clause is the state machine's
 * guard: a concurrent transition that committed first changes the status, PostgreSQL re-checks the row
 * after waiting for its lock, and this one then updates nothing (the caller answers 409). Times come from
 * clock_timestamp(), read after the row lock is held, so the history is in the order the changes happened
 * (now() is when the transaction began, which may be before a concurrent change it waited for).
 *
 * completedAt null: now, but not before started_at; a completedAt before started_at updates nothing.
 */
export const APPLY_TRANSITION = prepared(
  (
    db,
    p: {
      id: string;
      to: ExecutionStatus;
      from: readonly ExecutionStatus[];
      terminal: boolean;
      completedAt: string | null;
      errorDetails: string | null;
      rowCounts: string;
    } & EntryParams,
  ) =>
    db
      .with('e', (db) =>
        db
          .updateTable('pipeline_executions')
          .set((eb) => ({
            status: p.to,
            row_counts: sql`${eb.ref('pipeline_executions.row_counts')} || ${jsonb(p.rowCounts)}`,
            completed_at: sql<Date | null>`case when ${p.terminal}::boolean
              then coalesce(${p.completedAt}::timestamptz, greatest(clock_timestamp(), ${eb.ref('pipeline_executions.started_at')})) end`,
            error_details: eb.fn.coalesce(sql<string | null>`${p.errorDetails}::text`, 'pipeline_executions.error_details'),
          }))
          .where('pipeline_executions.execution_id', '=', p.id)
          .where('pipeline_executions.status', '=', sql<ExecutionStatus>`any(${p.from}::text[])`)
          .where((eb) =>
            eb.or([
              eb(timestamptz(p.completedAt), 'is', null),
              eb(timestamptz(p.completedAt), '>=', eb.ref('pipeline_executions.started_at')),
            ]),
          )
          .returning(execution),
      )
      .with('ev', (db) => historyEntry(db, { id: p.entryId, type: sql`${p.type}::text`, at: sql<Date>`clock_timestamp()`, payload: p.payload }))
      .selectFrom('e')
      .selectAll()
      // Whether a success can heal something (an unresolved run_failed incident of the pipeline, one probe of
      // incidents_pipeline_status_idx): only then does the success pay for a second transaction (RunOutcomes).
      .select(
        sql<boolean>`exists (select 1 from incidents i where i.pipeline_name = e.pipeline_name and i.kind = 'run_failed' and i.status <> 'resolved')`.as(
          'has_open_run_failed',
        ),
      ),
);

/**
 * The execution with the event that made it terminal (if it is), and whether the requested completed_at
 * (null for none) precedes its start: what the caller needs to explain a refusal.
 */
export const SELECT_EXECUTION_WITH_TERMINAL_EVENT = prepared((db, p: { id: string; completedAt: string | null }) =>
  db
    .selectFrom('pipeline_executions')
    .select((eb) => [
      ...execution(eb),
      eb
        .selectFrom('pipeline_execution_events as v')
        .select((v) => sql<LastEvent>`json_build_object('type', ${v.ref('v.type')}, 'payload', ${v.ref('v.payload')})`.as('entry'))
        .whereRef('v.execution_id', '=', 'pipeline_executions.execution_id')
        .where('v.type', 'in', ENDING_TRANSITIONS)
        .orderBy('v.occurred_at', 'desc')
        .orderBy('v.event_id', 'desc')
        .limit(1)
        .as('terminal_event'),
      sql<boolean>`coalesce(${p.completedAt}::timestamptz < ${eb.ref('pipeline_executions.started_at')}, false)`.as('completes_before_start'),
    ])
    .where('pipeline_executions.execution_id', '=', p.id),
);

const eventPage = preparedShapes((db, p: { executionId: string; afterTime: string; afterId: string; fetch: number }, shape: { after: boolean }) =>
  keysetPage(db.selectFrom('pipeline_execution_events').select(event).where('pipeline_execution_events.execution_id', '=', p.executionId), {
    time: 'pipeline_execution_events.occurred_at',
    id: 'pipeline_execution_events.event_id',
    desc: false,
    after: shape.after ? { time: p.afterTime, id: p.afterId } : undefined,
    fetch: p.fetch,
  }),
);

/** One page of an execution's history (and one row more), oldest first. */
export function listEvents(executionId: string, limit: number, after?: { occurredAt: string; id: string }) {
  return eventPage({ after: after !== undefined }).bind({ executionId, afterTime: after?.occurredAt ?? '', afterId: after?.id ?? '', fetch: limit + 1 });
}
