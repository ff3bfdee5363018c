import { Check, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { MonitorKind, Severity } from '../incidents/incident-signal.js';

/**
 * A check on a pipeline's runs (docs/monitors.md): run_failed, freshness, duration or stalled; or on reported
 * data: metric_threshold, test_failed, metric_anomaly, which target a pipeline, a dataset or a column. `params`
 * holds the kind's settings as validated and normalised by the API (durations in their canonical ISO 8601
 * form). Deleting a monitor disables it: its incidents keep pointing at it.
 *
 * For cron freshness only, the evaluation keeps where it is in the schedule: `deadline_occurrence` (the
 * cron occurrence the pipeline must have covered) and `next_deadline_at` (that occurrence plus grace), so a
 * tick only looks at monitors whose deadline has passed.
 */
@Entity({ tableName: 'monitors' })
@Check({
  name: 'monitors_kind_known',
  expression: `kind in ('run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly')`,
})
// Run kinds watch one pipeline's runs; data kinds watch a pipeline's reports, a dataset's or a column's.
@Check({
  name: 'monitors_run_kind_target',
  expression: `kind in ('metric_threshold', 'test_failed', 'metric_anomaly') or (pipeline_name is not null and dataset_name is null)`,
})
@Check({ name: 'monitors_has_target', expression: 'pipeline_name is not null or dataset_name is not null' })
@Check({ name: 'monitors_dataset_pair', expression: '(dataset_namespace is null) = (dataset_name is null)' })
@Check({ name: 'monitors_column_needs_dataset', expression: 'column_name is null or dataset_name is not null' })
@Check({ name: 'monitors_severity_known', expression: `severity in ('warning', 'critical')` })
@Check({ name: 'monitors_params_is_object', expression: `jsonb_typeof(params) = 'object'` })
@Check({ name: 'monitors_resolve_after_positive', expression: 'resolve_after >= 1 and resolve_after <= 100' })
@Check({ name: 'monitors_disabled_at_iff_disabled', expression: '(disabled_at is null) = enabled' })
@Unique({ name: 'monitors_name_enabled_key', properties: ['name'], where: 'enabled and name is not null' })
@Index({ name: 'monitors_pipeline_enabled_idx', properties: ['pipelineName'], where: 'enabled' })
// GET /v1/monitors?dataset_namespace=…&dataset_name=…: the data monitors of one dataset.
@Index({ name: 'monitors_dataset_enabled_idx', properties: ['datasetNamespace', 'datasetName'], where: 'enabled and dataset_name is not null' })
@Index({ name: 'monitors_kind_deadline_idx', properties: ['kind', 'nextDeadlineAt'], where: 'enabled' })
// Cron freshness monitors the tick has not positioned yet (new, or whose schedule changed): nearly always empty.
@Index({
  name: 'monitors_cron_unpositioned_idx',
  expression: `create index "monitors_cron_unpositioned_idx" on "monitors" ("id") where enabled and kind = 'freshness' and next_deadline_at is null and params ? 'cron'`,
})
export class Monitor {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** An optional stable name, unique among enabled monitors: how `monitors apply` recognises a monitor. */
  @Property({ type: 'text', nullable: true })
  name: string | null = null;

  /** Required for the run kinds; for a data monitor on a dataset, null means every pipeline reporting it. */
  @Property({ type: 'text', nullable: true })
  pipelineName: string | null = null;

  @Property({ type: 'text', nullable: true })
  datasetNamespace: string | null = null;

  @Property({ type: 'text', nullable: true })
  datasetName: string | null = null;

  /** The API calls it `column`. */
  @Property({ type: 'text', nullable: true })
  columnName: string | null = null;

  @Property({ type: 'text' })
  kind!: MonitorKind;

  @Property({ type: 'text' })
  severity!: Severity;

  @Property({ type: 'jsonb' })
  params: Record<string, unknown> = {};

  /** Consecutive healthy observations that resolve an open incident of this monitor. */
  @Property({ type: 'smallint', default: 1 })
  resolveAfter: number = 1;

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  /** The API key that created it (null: created by `monitors apply` without a key, or by the seeder). */
  @Property({ type: 'uuid', nullable: true })
  createdByKey: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deadlineOccurrence: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextDeadlineAt: Date | null = null;
}
