import { sql, type Expression, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { jsonb, prepared, preparedShapes, queries, timestamptz, uuid } from '../database/typed-sql.js';
import { OPEN_STATUSES } from './execution-state-machine.js';
import type { ExecutionStatus } from './execution-status.js';
import { execution, historyEntry, registerPipeline, type EntryParams } from './executions.sql.js';

/**
 * Locks the execution's row (if there is one) and reads what decides how a report applies: its status, the
 * pipeline it belongs to (a report of another pipeline may not touch it) and its parent (once set, a report's
 * parent is ignored). NO KEY UPDATE, the lock the UPDATE itself takes: metrics inserted meanwhile (their
 * foreign key) are not held up.
 */
export const LOCK_EXECUTION = prepared((db, p: { id: string }) =>
  db.selectFrom('pipeline_executions').select(['status', 'pipeline_name', 'parent_execution_id']).where('execution_id', '=', p.id).forNoKeyUpdate(),
);

/** The advisory locks' class (their first int key): "pl_p", apart from every other lock of the service. */
const PARENT_LINKS = sql.lit(0x706c5f70);

/** The parent of run `id` (a uuid expression), null when it has none or is not recorded. */
const parentOf = (id: Expression<string | null>) =>
  queries.selectFrom('pipeline_executions').select('parent_execution_id').where('execution_id', '=', id);

/** The advisory lock key of a run (null: none): collisions only make unrelated reports wait for each other. */
const lockKey = (id: Expression<string | null>) => sql<number | null>`hashtext(${id}::text)`;

/**
 * For a report giving run `id` (which has no parent) its first parent `parentId`: the root of the parent's
 * tree (the first run up its chain of parents without one, recorded or not; null on a cycle recorded before
 * cycles were refused), whether it is `id` itself (then the new parent closes a cycle), and locks, until
 * the transaction ends: `id`'s exclusive (only its holder may give `id` a parent or add runs under it while
 * it is a root) and the root's shared (it stays a root meanwhile, yet the runs attaching under one root do
 * not wait for each other). `wait`: wait for them, in key order, so two reports never wait for each other
 * crosswise; else only try, and `granted` says whether both were free (or held already).
 * The walk goes up parent_execution_id by primary key; `union` drops a row seen before, ending a cycle.
 * The walk's snapshot is taken before the locks are granted: RunReportsService.closesCycle runs it again.
 */
export const LOCK_PARENT_ROOT = preparedShapes((db, p: { id: string; parentId: string }, shape: { wait: boolean }) =>
  db
    .withRecursive('up(id, parent)', (db) =>
      db
        .selectNoFrom([uuid<string>(p.parentId).as('id'), parentOf(uuid<string>(p.parentId)).as('parent')])
        .union((db) =>
          db
            .selectFrom('up')
            .select((eb) => [eb.ref('up.parent').$castTo<string>().as('id'), parentOf(eb.ref('up.parent')).as('parent')])
            .where('up.parent', 'is not', null),
        ),
    )
    .with('r', (db) => db.selectNoFrom((eb) => eb.selectFrom('up').select('up.id').where('up.parent', 'is', null).limit(1).as('root')))
    .with('k', (db) => db.selectFrom('r').select((eb) => ['r.root', lockKey(uuid(p.id)).as('own'), lockKey(eb.ref('r.root')).as('other')]))
    .selectFrom('k')
    .select((eb) => {
      // The run's own key exclusive, the root's shared, taken in key order (with no root: the own key twice).
      const own = eb.ref('k.own');
      const other = sql`coalesce(${eb.ref('k.other')}, ${own})`;
      const ownFirst = sql`${own} <= ${other}`;
      const [excl, shared] = shape.wait
        ? [sql`pg_advisory_xact_lock(${PARENT_LINKS}, ${own})`, sql`pg_advisory_xact_lock_shared(${PARENT_LINKS}, ${other})`]
        : [sql`pg_try_advisory_xact_lock(${PARENT_LINKS}, ${own})`, sql`pg_try_advisory_xact_lock_shared(${PARENT_LINKS}, ${other})`];
      const [first, second] = [sql`case when ${ownFirst} then ${excl} else ${shared} end`, sql`case when ${ownFirst} then ${shared} else ${excl} end`];
      return [
        'k.root',
        sql<boolean>`coalesce(${eb.ref('k.root')} = ${uuid(p.id)}, false)`.as('closes'),
        ...(shape.wait
          ? [sql<void>`${first}`.as('first'), sql<void>`${second}`.as('second'), sql<boolean>`true`.as('granted')]
          : [sql<boolean>`${first} and ${second}`.as('granted')]),
      ];
    }),
);

/** A report's history entry, written with the change (the CTE `e` returns the execution). */
interface ReportEntry extends EntryParams {
  /** When the report arrived (RFC 3339). */
  occurredAt: string;
}

/** What a report says about its run. */
interface ReportedRun {
  id: string;
  status: ExecutionStatus;
  /** null unless the report ends the run. */
  completedAt: string | null;
  errorDetails: string | null;
  /** JSON text. */
  rowCounts: string;
  parentId: string | null;
  /** From producer facets when present (Airflow's try number and max tries), else 1 and null. */
  attempt: number;
  maxAttempts: number | null;
  /** The period the run covers (OpenLineage nominalTime's start), RFC 3339, or null. */
  nominalTime: string | null;
}

/**
 * Creates the execution a report is the first news of, with its history entry, in one statement. No row
 * comes back when a concurrent report created it first: `on conflict do nothing` waits for that one to
 * commit, so the caller's next statement sees it.
 */
export const INSERT_REPORTED = prepared((db, p: ReportedRun & ReportEntry & { pipelineName: string; startedAt: string }) =>
  db
    .with('e', (db) =>
      db
        .insertInto('pipeline_executions')
        .values({
          execution_id: uuid<string>(p.id),
          pipeline_name: p.pipelineName,
          status: p.status,
          started_at: timestamptz<string>(p.startedAt),
          completed_at: timestamptz<string | null>(p.completedAt),
          row_counts: jsonb(p.rowCounts),
          error_details: p.errorDetails,
          parent_execution_id: uuid<string | null>(p.parentId),
          attempt: p.attempt,
          max_attempts: p.maxAttempts,
          nominal_time: timestamptz<string | null>(p.nominalTime),
        })
        .onConflict((oc) => oc.column('execution_id').doNothing())
        .returning(execution),
    )
    .with('p', (db) => registerPipeline(db))
    .with('h', (db) => historyEntry(db, { id: p.entryId, type: sql`${p.type}::text`, at: timestamptz<Date>(p.occurredAt), payload: p.payload }))
    .selectFrom('e')
    .selectAll(),
);

/** `then` while the run is open, else the column as it is. */
const whileOpen = <T>(eb: ExpressionBuilder<Database, 'pipeline_executions'>, then: Expression<unknown>, otherwise: Expression<unknown>) =>
  sql<T>`case when ${eb('pipeline_executions.status', 'in', OPEN_STATUSES)} then ${then} else ${otherwise} end`;

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
 */
export const MERGE_REPORT = prepared((db, p: ReportedRun & ReportEntry & { at: string }) =>
  db
    .with('e', (db) =>
      db
        .updateTable('pipeline_executions')
        .set((eb) => {
          const [status, completedAt, errorDetails, rowCounts] = [
            eb.ref('pipeline_executions.status'),
            eb.ref('pipeline_executions.completed_at'),
            eb.ref('pipeline_executions.error_details'),
            eb.ref('pipeline_executions.row_counts'),
          ];
          return {
            status: whileOpen<ExecutionStatus>(eb, sql`${p.status}::text`, status),
            completed_at: whileOpen<Date | null>(eb, timestamptz(p.completedAt), completedAt),
            error_details: whileOpen<string | null>(eb, sql`coalesce(${p.errorDetails}::text, ${errorDetails})`, errorDetails),
            row_counts: whileOpen<string>(eb, sql`${rowCounts} || ${jsonb(p.rowCounts)}`, sql`${jsonb(p.rowCounts)} || ${rowCounts}`),
            started_at: sql<Date>`least(${eb.ref('pipeline_executions.started_at')}, ${p.at}::timestamptz)`,
            parent_execution_id: sql<string | null>`coalesce(${eb.ref('pipeline_executions.parent_execution_id')}, ${p.parentId}::uuid)`,
          };
        })
        .where('pipeline_executions.execution_id', '=', p.id)
        .returning(execution),
    )
    .with('h', (db) => historyEntry(db, { id: p.entryId, type: sql`${p.type}::text`, at: timestamptz<Date>(p.occurredAt), payload: p.payload }))
    .selectFrom('e')
    .selectAll(),
);

/** Of `ids`, the executions with a history entry that did not come from reports of `source` (the API wrote to them). */
export const WRITTEN_ELSEWHERE = prepared((db, p: { ids: string[]; source: string }) =>
  db
    .selectFrom('pipeline_execution_events')
    .select('execution_id')
    .distinct()
    .where('execution_id', '=', sql<string>`any(${p.ids}::uuid[])`)
    .where((eb) => eb(eb.ref('payload', '->>').key('source'), 'is distinct from', p.source)),
);

/** Deletes executions; their history goes with them (on delete cascade). */
export const DELETE_EXECUTIONS = prepared((db, p: { ids: string[] }) =>
  db.deleteFrom('pipeline_executions').where('execution_id', '=', sql<string>`any(${p.ids}::uuid[])`),
);
