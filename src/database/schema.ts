import type { ColumnType, Generated } from 'kysely';
import type { ApiKeyScope } from '../auth/api-key.entity.js';
import type { ExecutionStatus } from '../audit/execution-status.js';

/**
 * The tables the typed queries read and write, as Kysely sees them: one interface per table, the column
 * names as in the database (the entities' snake_case fields), so that a query naming a column that does not
 * exist, or binding a value of the wrong type, does not compile. `TABLE_COLUMNS` lists the same columns at
 * run time; a spec holds both against the entities' metadata (src/database/schema.spec.ts), and the
 * migrations are generated from those entities: a renamed property breaks the build, not production.
 */

/** timestamptz: pg reads a Date, queries write an ISO string or a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz with a default (now()): may be left out of an insert. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamptz. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** jsonb: written as JSON text cast with ::jsonb, read back parsed. */
type Json<T = unknown> = ColumnType<T, string, string>;

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiKeyScope[];
  created_at: DefaultedTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: DefaultedTimestamp;
}

export interface PipelineExecutionsTable {
  execution_id: string;
  pipeline_name: string;
  status: ExecutionStatus;
  started_at: Timestamp;
  completed_at: NullableTimestamp;
  input_file: string | null;
  row_counts: Json<Record<string, number>>;
  error_details: string | null;
  attempt: Generated<number>;
  parent_execution_id: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface Database {
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  pipeline_executions: PipelineExecutionsTable;
}

/** Every column of every typed table, at run time (the spec compares them with the entities' metadata). */
export const TABLE_COLUMNS = {
  api_keys: ['id', 'name', 'prefix', 'hash', 'scopes', 'created_at', 'last_used_at', 'revoked_at'],
  idempotency_keys: ['scope', 'key', 'request_hash', 'response_status', 'response_body', 'created_at'],
  pipeline_executions: [
    'execution_id', 'pipeline_name', 'status', 'started_at', 'completed_at', 'input_file', 'row_counts',
    'error_details', 'attempt', 'parent_execution_id', 'created_at', 'updated_at',
  ],
} as const satisfies { [T in keyof Database]: readonly (keyof Database[T])[] };

// Both ways: a column in an interface but missing from TABLE_COLUMNS does not compile either.
type Missing = { [T in keyof Database]: Exclude<keyof Database[T], (typeof TABLE_COLUMNS)[T][number]> }[keyof Database];
const _everyColumnListed: [Missing] extends [never] ? true : Missing = true;
void _everyColumnListed;
