import { Check, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { MonitorKind, Severity } from '../incidents/incident-signal.js';

/**
 * A check on a pipeline's runs (docs/monitors.md): run_failed, freshness, duration or stalled. `params`
 * holds the kind's settings as validated and normalised by the API (durations in their canonical ISO 8601
 * form). Deleting a monitor disables it: its incidents keep pointing at it.
 *
 * For cron freshness only, the evaluation keeps where it is in the schedule: `deadline_occurrence` (the
 * cron occurrence the pipeline must have covered) and `next_deadline_at` (that occurrence plus grace), so a
 * tick only looks at monitors whose deadline has passed.
 */
@Entity({ tableName: 'monitors' })
@Check({ name: 'monitors_kind_known', expression: `kind in ('run_failed', 'freshness', 'duration', 'stalled')` })
@Check({ name: 'monitors_severity_known', expression: `severity in ('warning', 'critical')` })
@Check({ name: 'monitors_params_is_object', expression: `jsonb_typeof(params) = 'object'` })
@Check({ name: 'monitors_resolve_after_positive', expression: 'resolve_after >= 1 and resolve_after <= 100' })
@Check({ name: 'monitors_disabled_at_iff_disabled', expression: '(disabled_at is null) = enabled' })
@Unique({ name: 'monitors_name_enabled_key', properties: ['name'], where: 'enabled and name is not null' })
@Index({ name: 'monitors_pipeline_enabled_idx', properties: ['pipelineName'], where: 'enabled' })
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

  @Property({ type: 'text' })
  pipelineName!: string;

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
