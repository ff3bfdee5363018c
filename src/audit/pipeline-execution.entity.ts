import { Check, Entity, Enum, Index, PrimaryKey, Property, Trigger } from '@mikro-orm/decorators/legacy';
import { uuidV7 } from '../database/uuid-v7.js';
import { ExecutionStatus } from './execution-status.js';

/** One run of a pipeline. The CHECK constraints are the last line of defence behind the API's state machine. */
@Entity({ tableName: 'pipeline_executions' })
@Check({
  name: 'pipeline_executions_completed_at_iff_terminal',
  expression: `(status in ('pending', 'running')) = (completed_at is null)`,
})
@Check({ name: 'pipeline_executions_completed_after_started', expression: 'completed_at >= started_at' })
@Check({ name: 'pipeline_executions_pipeline_name_not_blank', expression: `btrim(pipeline_name) <> ''` })
@Check({ name: 'pipeline_executions_row_counts_is_object', expression: `jsonb_typeof(row_counts) = 'object'` })
@Check({ name: 'pipeline_executions_attempt_positive', expression: 'attempt >= 1' })
@Check({ name: 'pipeline_executions_max_attempts_positive', expression: 'max_attempts >= 1' })
// Listing a pipeline's runs newest first; execution_id breaks ties so keyset pages are stable.
@Index({ name: 'pipeline_executions_pipeline_started_idx', properties: ['pipelineName', 'startedAt', 'id'] })
// Listing all runs, or a time range, in started_at order (keyset pages on started_at, execution_id).
@Index({ name: 'pipeline_executions_started_idx', properties: ['startedAt', 'id'] })
// Listing runs by status in started_at order.
@Index({ name: 'pipeline_executions_status_started_idx', properties: ['status', 'startedAt', 'id'] })
// Listing the runs that read one input file.
@Index({ name: 'pipeline_executions_input_file_idx', properties: ['inputFile', 'startedAt', 'id'] })
// Listing the runs that failed with an error (has_error=true): a small part of the table.
@Index({ name: 'pipeline_executions_with_error_started_idx', properties: ['startedAt', 'id'], where: 'error_details is not null' })
// Only the few runs still in flight are indexed by status: terminal rows never need this lookup.
@Index({
  name: 'pipeline_executions_active_status_started_idx',
  properties: ['status', 'startedAt'],
  where: `status in ('pending', 'running')`,
})
// Listing the runs a parent run started (parent_execution_id=…): only child runs have a parent.
@Index({
  name: 'pipeline_executions_parent_started_idx',
  properties: ['parentExecutionId', 'startedAt', 'id'],
  where: 'parent_execution_id is not null',
})
// Freshness: a pipeline's newest successful run by the period it covers (nominal time, else its start).
@Index({
  name: 'pipeline_executions_succeeded_covered_idx',
  expression: `create index "pipeline_executions_succeeded_covered_idx" on "pipeline_executions" ("pipeline_name", (coalesce("nominal_time", "started_at")) desc) where status = 'succeeded'`,
})
// Kept by the database so that bulk updates through the query builder cannot forget it.
@Trigger({
  name: 'pipeline_executions_touch_updated_at',
  timing: 'before',
  events: ['update'],
  forEach: 'row',
  body: 'NEW.updated_at = now(); RETURN NEW;',
})
export class PipelineExecution {
  @PrimaryKey({ type: 'uuid', fieldName: 'execution_id' })
  id: string = uuidV7();

  @Property({ type: 'text' })
  pipelineName!: string;

  @Enum({ items: () => ExecutionStatus, type: 'text' })
  status: ExecutionStatus = ExecutionStatus.Running;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  inputFile: string | null = null;

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  rowCounts: Record<string, number> = {};

  @Property({ type: 'text', nullable: true })
  errorDetails: string | null = null;

  @Property({ type: 'integer', defaultRaw: '1' })
  attempt: number = 1;

  /**
   * The run that started this one, as OpenLineage's parent facet reports it (an Airflow task's DAG run).
   * Not a foreign key: events arrive in any order, so a child is often recorded before its parent, and a
   * parent may never report itself.
   */
  @Property({ type: 'uuid', nullable: true })
  parentExecutionId: string | null = null;

  /**
   * How many attempts the producer will make (Airflow's max tries, a retry policy): a failed attempt below
   * it will be retried, so it opens no run_failed incident. Null: unknown, taken as this being the last.
   */
  @Property({ type: 'smallint', nullable: true })
  maxAttempts: number | null = null;

  /** The period this run covers (OpenLineage nominalTime's start), when it is not its start time: backfills, late runs. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nominalTime: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Maintained by the touch trigger on every update, however the row is written. */
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
