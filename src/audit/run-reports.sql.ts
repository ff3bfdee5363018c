import { sql, type Expression, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { jsonb, prepared, timestamptz, uuid } from '../database/typed-sql.js';
import { OPEN_STATUSES } from './execution-state-machine.js';
import type { ExecutionStatus } from './execution-status.js';
import { execution, historyEntry, type EntryParams } from './executions.sql.js';

/**
 * Locks the execution's row (if there is one) and reads what decides how a report applies: its status, the
 * pipeline it belongs to (a report of another pipeline may not touch it) and its parent (once set, a report's
 * parent is ignored). NO KEY UPDATE, the lock the UPDATE itself takes: metrics inserted meanwhile (their
 * foreign key) are not held up.
 */
export const LOCK_EXECUTION = prepared((db, p: { id: string }) =>
  db.selectFrom('pipeline_executions').select(['status', 'pipeline_name', 'parent_execution_id']).where('execution_id', '=', p.id).forNoKeyUpdate(),
);

/**
 * Serialises the reports that give a run its first parent, until their transactions end: each checks for a
 * cycle (PARENT_CHAIN_REACHES) against what the others committed, so two of them cannot close one together.
 */
export const LOCK_PARENT_LINKS = prepared((db) => db.selectNoFrom(sql<void>`pg_advisory_xact_lock(${sql.lit(0x706c5f706172)})`.as('locked')));

/**
 * Whether run `id` is `parentId` or one of its recorded ancestors, i.e. whether making `parentId` the parent
 * of `id` would close a cycle. Walks parent_execution_id up from `parentId` by primary key; `union` drops
 * runs seen before, so the walk ends even on a cycle recorded before cycles were refused.
 */
export const PARENT_CHAIN_REACHES = prepared((db, p: { id: string; parentId: string }) =>
  db
    .withRecursive('up(id)', (db) =>
      db
        .selectNoFrom(uuid<string>(p.parentId).as('id'))
        .union((db) =>
          db
            .selectFrom('pipeline_executions')
            .innerJoin('up', 'up.id', 'pipeline_executions.execution_id')
            .select('pipeline_executions.parent_execution_id as id')
            .where('pipeline_executions.parent_execution_id', 'is not', null)
            .$narrowType<{ id: string }>(),
        ),
    )
    .selectFrom('up')
    .select('up.id')
    .where('up.id', '=', uuid<string>(p.id))
    .limit(1),
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
        })
        .onConflict((oc) => oc.column('execution_id').doNothing())
        .returning(execution),
    )
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
